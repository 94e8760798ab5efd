#include "ledger/merkle/hash.h"

namespace hreg::merkle {
namespace {
constexpr std::uint8_t LEAF_PREFIX[] = {0x00};
constexpr std::uint8_t NODE_PREFIX[] = {0x01};
}  // namespace

Hash leafHash(ByteView leaf) { return crypto::sha256({ByteView(LEAF_PREFIX), leaf}); }

Hash nodeHash(const Hash& left, const Hash& right) {
  return crypto::sha256({ByteView(NODE_PREFIX), ByteView(left), ByteView(right)});
}

Hash emptyRoot() { return crypto::sha256(ByteView{}); }

}  // namespace hreg::merkle
