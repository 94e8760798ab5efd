#include "ledger/merkle/tree.h"

#include <bit>
#include <string>

#include "protocol/core/result.h"

namespace hreg::merkle {
namespace {

// largestPowerOfTwoBelow is k with k < n <= 2k, the RFC's split point; requires n >= 2.
std::uint64_t splitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace

Hash subtreeHash(const HashReader& reader, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t n = hi - lo;
  if (std::has_single_bit(n) && lo % n == 0) {
    auto level = static_cast<std::uint8_t>(std::countr_zero(n));
    return reader.readHash({level, lo >> level});
  }
  std::uint64_t k = splitPoint(n);
  return nodeHash(subtreeHash(reader, lo, lo + k), subtreeHash(reader, lo + k, hi));
}

Prover::Prover(const HashReader& reader, std::uint64_t size) : reader_(reader), size_(size) {}

Hash Prover::rangeHash(std::uint64_t lo, std::uint64_t hi) const {
  std::uint64_t n = hi - lo;
  if (std::has_single_bit(n) && lo % n == 0) {
    auto level = static_cast<std::uint8_t>(std::countr_zero(n));
    return reader_.readHash({level, lo >> level});
  }
  // A partial subtree always ends at the tree's right edge, and every proof at this size shares it.
  if (hi == size_)
    for (const auto& [start, hash] : edge_)
      if (start == lo) return hash;
  std::uint64_t k = splitPoint(n);
  Hash h = nodeHash(rangeHash(lo, lo + k), rangeHash(lo + k, hi));
  if (hi == size_) edge_.emplace_back(lo, h);
  return h;
}

Hash Prover::root() const { return size_ == 0 ? emptyRoot() : rangeHash(0, size_); }

void Prover::path(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<Hash>& out) const {
  if (hi - lo <= 1) return;
  std::uint64_t k = splitPoint(hi - lo);
  if (m - lo < k) {
    path(m, lo, lo + k, out);
    out.push_back(rangeHash(lo + k, hi));
  } else {
    path(m, lo + k, hi, out);
    out.push_back(rangeHash(lo, lo + k));
  }
}

void Prover::subproof(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool whole, std::vector<Hash>& out) const {
  std::uint64_t n = hi - lo;
  if (m == n) {
    if (!whole) out.push_back(rangeHash(lo, hi));
    return;
  }
  std::uint64_t k = splitPoint(n);
  if (m <= k) {
    subproof(m, lo, lo + k, whole, out);
    out.push_back(rangeHash(lo + k, hi));
  } else {
    subproof(m - k, lo + k, hi, false, out);
    out.push_back(rangeHash(lo, lo + k));
  }
}

std::vector<Hash> Prover::inclusionProof(std::uint64_t index) const {
  if (index >= size_) fail("inclusionProof: index " + std::to_string(index) + " >= size " + std::to_string(size_));
  std::vector<Hash> out;
  path(index, 0, size_, out);
  return out;
}

std::vector<Hash> Prover::consistencyProof(std::uint64_t oldSize) const {
  if (oldSize > size_)
    fail("consistencyProof: old size " + std::to_string(oldSize) + " > new size " + std::to_string(size_));
  std::vector<Hash> out;
  if (oldSize == 0 || oldSize == size_) return out;
  subproof(oldSize, 0, size_, true, out);
  return out;
}

Hash rootHash(const HashReader& reader, std::uint64_t size) { return Prover(reader, size).root(); }

std::vector<Hash> inclusionProof(const HashReader& reader, std::uint64_t index, std::uint64_t size) {
  return Prover(reader, size).inclusionProof(index);
}

std::vector<Hash> consistencyProof(const HashReader& reader, std::uint64_t oldSize, std::uint64_t newSize) {
  return Prover(reader, newSize).consistencyProof(oldSize);
}

Frontier Frontier::load(const HashReader& reader, std::uint64_t size) {
  Frontier f;
  f.size_ = size;
  std::uint64_t start = 0;
  for (int level = 63; level >= 0; --level) {
    std::uint64_t width = std::uint64_t{1} << level;
    if (size & width) {
      f.hashes_.push_back(reader.readHash({static_cast<std::uint8_t>(level), start >> level}));
      start += width;
    }
  }
  return f;
}

void Frontier::append(const Hash& leaf, std::vector<StoredHash>& writes) {
  std::uint64_t index = size_;
  std::uint8_t level = 0;
  Hash current = leaf;
  writes.push_back({{0, index}, current});
  while (index & 1) {
    current = nodeHash(hashes_.back(), current);
    hashes_.pop_back();
    index >>= 1;
    ++level;
    writes.push_back({{level, index}, current});
  }
  hashes_.push_back(current);
  ++size_;
}

Hash Frontier::root() const {
  if (hashes_.empty()) return emptyRoot();
  Hash r = hashes_.back();
  for (auto it = hashes_.rbegin() + 1; it != hashes_.rend(); ++it) r = nodeHash(*it, r);
  return r;
}

void MemoryTree::appendLeafHash(const Hash& leaf) {
  scratch_.clear();
  frontier_.append(leaf, scratch_);
  for (const StoredHash& s : scratch_) {
    if (levels_.size() <= s.id.level) levels_.resize(s.id.level + 1u);
    levels_[s.id.level].push_back(s.hash);
  }
}

Hash MemoryTree::readHash(NodeId id) const {
  if (id.level >= levels_.size() || id.index >= levels_[id.level].size())
    fail("MemoryTree has no subtree at level " + std::to_string(id.level) + " index " + std::to_string(id.index));
  return levels_[id.level][id.index];
}

}  // namespace hreg::merkle
