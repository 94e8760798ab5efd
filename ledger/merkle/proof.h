#pragma once
// Verification of inclusion and consistency proofs, exactly as RFC 9162 §2.1.3.2 and §2.1.4.2.
// Verifiers recompute roots from the proof and compare; they never trust a root they were sent.
#include <cstdint>
#include <span>
#include <vector>

#include "ledger/merkle/hash.h"
#include "protocol/core/result.h"

namespace hreg::merkle {

// proofFromBytes turns proof hashes received as byte strings (from a peer, a file, JSON) into a proof.
// Refuses MALFORMED_PROOF when a hash is not HASH_BYTES long or there are more than
// limits::MAX_PROOF_HASHES of them (no tree of 2^64 leaves needs more).
[[nodiscard]] Result<std::vector<Hash>> proofFromBytes(std::span<const Bytes> hashes);

// rootFromInclusionProof recomputes the root of a tree of `size` leaves in which `leaf` is leaf
// number `index`. Refuses with INDEX_OUT_OF_RANGE when index >= size, PROOF_WRONG_LENGTH when the
// proof has more or fewer hashes than the tree's shape needs.
[[nodiscard]] Result<Hash> rootFromInclusionProof(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                                                  std::span<const Hash> proof);

// verifyInclusion checks that `leaf` is leaf number `index` of the tree with `size` leaves and `root`.
// Refuses as rootFromInclusionProof does, and with ROOT_MISMATCH.
[[nodiscard]] Result<void> verifyInclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                                           std::span<const Hash> proof, const Hash& root);

// verifyConsistency checks that the tree (newSize, newRoot) extends the tree (oldSize, oldRoot).
// Equal sizes need an empty proof and equal roots; old size 0 needs an empty proof.
// Refuses with INDEX_OUT_OF_RANGE (oldSize > newSize), PROOF_WRONG_LENGTH, ROOT_MISMATCH.
[[nodiscard]] Result<void> verifyConsistency(std::uint64_t oldSize, std::uint64_t newSize,
                                             std::span<const Hash> proof, const Hash& oldRoot,
                                             const Hash& newRoot);

}  // namespace hreg::merkle
