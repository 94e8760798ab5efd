#pragma once
// CachedReader keeps the hashes of a tree's upper levels in memory. Complete-subtree hashes never
// change in an append-only log, so a node serving many proofs reads the few upper hashes once and
// only the lowest levels (which differ from proof to proof) from the store: a proof in a tree of a
// million leaves then reads 6 stored hashes instead of 20. Not thread-safe: one per thread.
#include <cstdint>
#include <unordered_map>

#include "ledger/merkle/tree.h"

namespace hreg::merkle {

class CachedReader final : public HashReader {
 public:
  // CachedReader remembers every hash at `minLevel` or above that it reads through `inner`.
  // Requires: `inner` outlives it. Memory: about 48 bytes per 2^minLevel leaves of the tree.
  explicit CachedReader(const HashReader& inner, std::uint8_t minLevel = 6)
      : inner_(inner), minLevel_(minLevel < 6 ? std::uint8_t{6} : minLevel) {}

  Hash readHash(NodeId id) const override {
    if (id.level < minLevel_) return inner_.readHash(id);
    std::uint64_t key = std::uint64_t{id.level} << 58 | id.index;  // index < 2^58 at level >= 6
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    return cache_.emplace(key, inner_.readHash(id)).first->second;
  }

 private:
  const HashReader& inner_;
  std::uint8_t minLevel_;
  mutable std::unordered_map<std::uint64_t, Hash> cache_;
};

}  // namespace hreg::merkle
