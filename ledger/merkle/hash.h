#pragma once
// The hashes of an RFC 9162 §2.1.1 Merkle tree: SHA-256 with domain-separating prefixes
// 0x00 for leaves and 0x01 for interior nodes; the empty tree's root is SHA-256 of nothing.
#include "ledger/crypto/sha256.h"

namespace hreg::merkle {

using Hash = crypto::Hash;
inline constexpr std::size_t HASH_BYTES = crypto::HASH_BYTES;

// leafHash is SHA-256(0x00 || leaf).
[[nodiscard]] Hash leafHash(ByteView leaf);
// nodeHash is SHA-256(0x01 || left || right).
[[nodiscard]] Hash nodeHash(const Hash& left, const Hash& right);
// emptyRoot is SHA-256("") = e3b0c442…b855, the root of a tree with no leaves.
[[nodiscard]] Hash emptyRoot();

}  // namespace hreg::merkle
