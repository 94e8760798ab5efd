#pragma once
// Roots and proofs of an RFC 9162 §2.1 Merkle tree, computed from stored hashes of complete subtrees.
// The tree is stored as the hash of every complete (power-of-two, aligned) subtree, addressed by
// NodeId{level, index}: leaves are level 0. Any root or proof then needs O(log n) stored hashes, and an
// append writes O(1) amortised new ones. Storage is reached through HashReader only, so this code
// works the same over LMDB, memory, or a peer's proof.
#include <cstdint>
#include <vector>

#include "ledger/merkle/hash.h"

namespace hreg::merkle {

// NodeId names the complete subtree over leaves [index << level, (index + 1) << level).
struct NodeId {
  std::uint8_t level;
  std::uint64_t index;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

// HashReader gives the stored hash of a complete subtree. It throws a Fault when the hash is
// missing, which means the store is broken: callers only ask for subtrees of the trees they hold.
class HashReader {
 public:
  virtual ~HashReader() = default;
  [[nodiscard]] virtual Hash readHash(NodeId id) const = 0;
};

// subtreeHash is MTH(D[lo:hi]) for 0 <= lo < hi where [lo, hi) is a subtree the RFC's
// recursion visits (lo is a multiple of the largest power of two below hi - lo, or hi - lo is one).
[[nodiscard]] Hash subtreeHash(const HashReader& reader, std::uint64_t lo, std::uint64_t hi);

// rootHash is MTH(D[0:size]); emptyRoot() for size 0.
[[nodiscard]] Hash rootHash(const HashReader& reader, std::uint64_t size);

// inclusionProof is PATH(index, D[0:size]) (RFC 9162 §2.1.3.1). Requires index < size.
[[nodiscard]] std::vector<Hash> inclusionProof(const HashReader& reader, std::uint64_t index, std::uint64_t size);

// consistencyProof is PROOF(oldSize, D[0:newSize]) (RFC 9162 §2.1.4.1); empty when oldSize is 0 or
// equal to newSize. Requires oldSize <= newSize.
[[nodiscard]] std::vector<Hash> consistencyProof(const HashReader& reader, std::uint64_t oldSize,
                                                 std::uint64_t newSize);

// Prover answers root and proof queries for one tree size. It remembers the hashes of the partial
// subtrees on the tree's right edge, which every proof at that size shares, so that repeated proofs
// read only their complete siblings. Not thread-safe: one Prover per thread.
class Prover {
 public:
  Prover(const HashReader& reader, std::uint64_t size);
  std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] Hash root() const;
  // inclusionProof is PATH(index, D[0:size]). Requires index < size.
  [[nodiscard]] std::vector<Hash> inclusionProof(std::uint64_t index) const;
  // consistencyProof is PROOF(oldSize, D[0:size]). Requires oldSize <= size.
  [[nodiscard]] std::vector<Hash> consistencyProof(std::uint64_t oldSize) const;

 private:
  Hash rangeHash(std::uint64_t lo, std::uint64_t hi) const;
  void path(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<Hash>& out) const;
  void subproof(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool whole, std::vector<Hash>& out) const;
  const HashReader& reader_;
  std::uint64_t size_;
  mutable std::vector<std::pair<std::uint64_t, Hash>> edge_;  // partial subtree [first, size) -> hash
};

// StoredHash is one complete-subtree hash to write when the tree grows.
struct StoredHash {
  NodeId id;
  Hash hash;
};

// Frontier is the right edge of a tree: the hashes of the complete subtrees that make up its
// leaves, largest first (one per set bit of the size). It turns appends into O(1) amortised work.
class Frontier {
 public:
  Frontier() = default;
  // load reads the frontier of a tree of `size` leaves from the store.
  static Frontier load(const HashReader& reader, std::uint64_t size);

  std::uint64_t size() const noexcept { return size_; }
  // append adds a leaf and reports the complete-subtree hashes that now exist and must be stored.
  void append(const Hash& leaf, std::vector<StoredHash>& writes);
  // root is MTH of the whole tree.
  [[nodiscard]] Hash root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> hashes_;  // largest subtree first
};

// MemoryTree keeps every complete-subtree hash in memory: for tests, tools and proofs of small trees.
class MemoryTree final : public HashReader {
 public:
  void appendLeaf(ByteView leaf) { appendLeafHash(leafHash(leaf)); }
  void appendLeafHash(const Hash& leaf);
  std::uint64_t size() const noexcept { return frontier_.size(); }
  Hash root() const { return frontier_.root(); }
  Hash readHash(NodeId id) const override;

 private:
  Frontier frontier_;
  std::vector<std::vector<Hash>> levels_;
  std::vector<StoredHash> scratch_;
};

}  // namespace hreg::merkle
