#include "ledger/merkle/tree.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "ledger/merkle/proof.h"
#include "protocol/core/result.h"
#include "tests/ledger/merkle/vectors.h"

namespace hreg::merkle {
namespace {

using testing::hashFromHex;
using testing::vectorRecords;

constexpr std::uint64_t MAX_SIZE = 64;

// A slow, plain transcription of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 over the leaf inputs
// themselves: no stored hashes, no shortcuts. It checks the fast tree the way
// transparency-dev/merkle testonly/reference_test.go does.
namespace rfc9162 {

using Leaves = std::vector<Bytes>;

Leaves slice(const Leaves& d, std::size_t begin, std::size_t end) {
  return Leaves(d.begin() + static_cast<std::ptrdiff_t>(begin), d.begin() + static_cast<std::ptrdiff_t>(end));
}

// k is the largest power of two smaller than n (n > 1).
std::size_t split(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash concatHash(std::uint8_t prefix, const Hash& left, const Hash& right) {
  Bytes input{prefix};
  input.insert(input.end(), left.begin(), left.end());
  input.insert(input.end(), right.begin(), right.end());
  return crypto::sha256(input);
}

// MTH(D[n])
Hash mth(const Leaves& d) {
  std::size_t n = d.size();
  if (n == 0) return crypto::sha256(ByteView{});
  if (n == 1) {
    Bytes input{0x00};
    input.insert(input.end(), d[0].begin(), d[0].end());
    return crypto::sha256(input);
  }
  std::size_t k = split(n);
  return concatHash(0x01, mth(slice(d, 0, k)), mth(slice(d, k, n)));
}

// PATH(m, D[n])
std::vector<Hash> path(std::size_t m, const Leaves& d) {
  std::size_t n = d.size();
  if (n == 1) return {};
  std::size_t k = split(n);
  std::vector<Hash> out;
  if (m < k) {
    out = path(m, slice(d, 0, k));
    out.push_back(mth(slice(d, k, n)));
  } else {
    out = path(m - k, slice(d, k, n));
    out.push_back(mth(slice(d, 0, k)));
  }
  return out;
}

// SUBPROOF(m, D[n], b)
std::vector<Hash> subproof(std::size_t m, const Leaves& d, bool b) {
  std::size_t n = d.size();
  if (m == n) {
    if (b) return {};
    return {mth(d)};
  }
  std::size_t k = split(n);
  std::vector<Hash> out;
  if (m <= k) {
    out = subproof(m, slice(d, 0, k), b);
    out.push_back(mth(slice(d, k, n)));
  } else {
    out = subproof(m - k, slice(d, k, n), false);
    out.push_back(mth(slice(d, 0, k)));
  }
  return out;
}

// PROOF(m, D[n]) for 0 < m < n.
std::vector<Hash> proof(std::size_t m, const Leaves& d) { return subproof(m, d, true); }

}  // namespace rfc9162

// leaves is the eight RFC 6962 test inputs followed by distinct generated ones, `count` in all.
std::vector<Bytes> leaves(std::size_t count) {
  std::vector<Bytes> out = testing::rfc6962Leaves();
  for (std::size_t i = out.size(); i < count; ++i) {
    std::string text = "hreg leaf " + std::to_string(i);
    out.emplace_back(text.begin(), text.end());
  }
  out.resize(count);
  return out;
}

MemoryTree treeOf(const std::vector<Bytes>& data) {
  MemoryTree tree;
  for (const Bytes& leaf : data) tree.appendLeaf(leaf);
  return tree;
}

TEST(MemoryTree, GrowsThroughTheRfc6962Roots) {
  auto roots = testing::rfc6962Roots();
  MemoryTree tree;
  EXPECT_EQ(tree.size(), 0u);
  EXPECT_EQ(tree.root(), roots[0]);
  std::size_t size = 0;
  for (const Bytes& leaf : testing::rfc6962Leaves()) {
    tree.appendLeaf(leaf);
    ++size;
    EXPECT_EQ(tree.size(), size);
    EXPECT_EQ(tree.root(), roots[size]) << size;
  }
}

TEST(MemoryTree, StoresTheRfc6962CompleteSubtreeHashes) {
  MemoryTree tree = treeOf(testing::rfc6962Leaves());
  std::size_t checked = 0;
  for (const auto& record : vectorRecords("rfc6962-nodehashes.txt")) {
    NodeId id{static_cast<std::uint8_t>(std::stoul(record.at(0))), std::stoull(record.at(1))};
    EXPECT_EQ(tree.readHash(id), hashFromHex(record.at(2))) << int{id.level} << "/" << id.index;
    ++checked;
  }
  EXPECT_EQ(checked, 15u);
}

TEST(MemoryTree, AppendLeafIsAppendLeafHashOfTheLeafHash) {
  MemoryTree a, b;
  for (const Bytes& leaf : leaves(13)) {
    a.appendLeaf(leaf);
    b.appendLeafHash(leafHash(leaf));
  }
  EXPECT_EQ(a.root(), b.root());
}

TEST(MemoryTree, ThrowsAFaultForAMissingSubtree) {
  MemoryTree tree = treeOf(leaves(5));
  EXPECT_NO_THROW((void)tree.readHash({2, 0}));
  EXPECT_THROW((void)tree.readHash({2, 1}), Fault);   // leaves 4..7 are not all there
  EXPECT_THROW((void)tree.readHash({0, 5}), Fault);
  EXPECT_THROW((void)tree.readHash({40, 0}), Fault);
}

TEST(RootHash, GivesEveryEarlierRootOfTheTree) {
  auto roots = testing::rfc6962Roots();
  MemoryTree tree = treeOf(testing::rfc6962Leaves());
  for (std::uint64_t size = 0; size <= 8; ++size) EXPECT_EQ(rootHash(tree, size), roots[size]) << size;
}

TEST(InclusionProof, MatchesTheRfc6962InclusionVectors) {
  MemoryTree tree = treeOf(testing::rfc6962Leaves());
  for (const auto& record : vectorRecords("rfc6962-inclusion.txt")) {
    std::uint64_t index = std::stoull(record.at(0)), size = std::stoull(record.at(1));
    EXPECT_EQ(inclusionProof(tree, index, size), testing::hashListFromHex(record.at(2))) << index << "/" << size;
  }
}

TEST(ConsistencyProof, MatchesTheRfc6962ConsistencyVectors) {
  MemoryTree tree = treeOf(testing::rfc6962Leaves());
  for (const auto& record : vectorRecords("rfc6962-consistency.txt")) {
    std::uint64_t oldSize = std::stoull(record.at(0)), newSize = std::stoull(record.at(1));
    EXPECT_EQ(consistencyProof(tree, oldSize, newSize), testing::hashListFromHex(record.at(2)))
        << oldSize << "->" << newSize;
  }
}

TEST(ReferenceImplementation, AgreesWithTheRfc6962Roots) {
  auto roots = testing::rfc6962Roots();
  auto data = testing::rfc6962Leaves();
  for (std::size_t size = 0; size <= 8; ++size) EXPECT_EQ(rfc9162::mth(rfc9162::slice(data, 0, size)), roots[size]);
}

TEST(MemoryTree, AgreesWithTheRfcForEveryRootUpTo64Leaves) {
  auto data = leaves(MAX_SIZE);
  MemoryTree tree = treeOf(data);
  MemoryTree growing;
  for (std::uint64_t n = 0; n <= MAX_SIZE; ++n) {
    Hash want = rfc9162::mth(rfc9162::slice(data, 0, n));
    EXPECT_EQ(rootHash(tree, n), want) << n;
    EXPECT_EQ(growing.root(), want) << n;
    if (n < MAX_SIZE) growing.appendLeaf(data[n]);
  }
}

TEST(InclusionProof, AgreesWithTheRfcAndVerifiesForEveryIndexAndSizeUpTo64) {
  auto data = leaves(MAX_SIZE);
  MemoryTree tree = treeOf(data);
  for (std::uint64_t n = 1; n <= MAX_SIZE; ++n) {
    auto d = rfc9162::slice(data, 0, n);
    Hash root = rootHash(tree, n);
    for (std::uint64_t i = 0; i < n; ++i) {
      auto proof = inclusionProof(tree, i, n);
      ASSERT_EQ(proof, rfc9162::path(i, d)) << i << "/" << n;
      auto verified = verifyInclusion(leafHash(data[i]), i, n, proof, root);
      EXPECT_TRUE(verified.has_value()) << i << "/" << n;
    }
  }
}

TEST(ConsistencyProof, AgreesWithTheRfcAndVerifiesForEveryPairOfSizesUpTo64) {
  auto data = leaves(MAX_SIZE);
  MemoryTree tree = treeOf(data);
  for (std::uint64_t n = 0; n <= MAX_SIZE; ++n) {
    auto d = rfc9162::slice(data, 0, n);
    Hash newRoot = rootHash(tree, n);
    for (std::uint64_t m = 0; m <= n; ++m) {
      auto proof = consistencyProof(tree, m, n);
      std::vector<Hash> want = (m == 0 || m == n) ? std::vector<Hash>{} : rfc9162::proof(m, d);
      ASSERT_EQ(proof, want) << m << "->" << n;
      auto verified = verifyConsistency(m, n, proof, rootHash(tree, m), newRoot);
      EXPECT_TRUE(verified.has_value()) << m << "->" << n;
    }
  }
}

// A Prover reused for many proofs (its right-edge memo warm) answers exactly as the RFC does.
TEST(Prover, ReusedForEveryProofOfASizeAgreesWithTheRfc) {
  auto data = leaves(MAX_SIZE);
  MemoryTree tree = treeOf(data);
  for (std::uint64_t n = 1; n <= MAX_SIZE; ++n) {
    auto d = rfc9162::slice(data, 0, n);
    Prover prover(tree, n);
    EXPECT_EQ(prover.root(), rfc9162::mth(d)) << n;
    for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(prover.inclusionProof(i), rfc9162::path(i, d)) << i << "/" << n;
    for (std::uint64_t m = 1; m < n; ++m) ASSERT_EQ(prover.consistencyProof(m), rfc9162::proof(m, d)) << m << "->" << n;
    EXPECT_EQ(prover.root(), rfc9162::mth(d)) << n;
  }
}

TEST(InclusionProof, ThrowsAFaultForAnIndexOutsideTheTree) {
  MemoryTree tree = treeOf(leaves(5));
  EXPECT_NO_THROW((void)inclusionProof(tree, 4, 5));
  EXPECT_THROW((void)inclusionProof(tree, 5, 5), Fault);
  EXPECT_THROW((void)inclusionProof(tree, 0, 0), Fault);
}

TEST(ConsistencyProof, ThrowsAFaultWhenTheOldTreeIsLarger) {
  MemoryTree tree = treeOf(leaves(5));
  EXPECT_NO_THROW((void)consistencyProof(tree, 5, 5));
  EXPECT_THROW((void)consistencyProof(tree, 5, 4), Fault);
}

TEST(Frontier, LoadedFromAStoreGivesTheSameRootAndContinuesIdentically) {
  auto data = leaves(MAX_SIZE);
  MemoryTree tree = treeOf(data);
  for (std::uint64_t size = 0; size <= MAX_SIZE; ++size) {
    Frontier frontier = Frontier::load(tree, size);
    EXPECT_EQ(frontier.size(), size);
    EXPECT_EQ(frontier.root(), rootHash(tree, size)) << size;
    for (std::uint64_t next = size; next < MAX_SIZE; ++next) {
      std::vector<StoredHash> writes;
      frontier.append(leafHash(data[next]), writes);
      ASSERT_EQ(frontier.size(), next + 1);
      ASSERT_EQ(frontier.root(), rootHash(tree, next + 1)) << size << " then " << next;
      // The writes are exactly the complete subtrees that end with this leaf, with their stored hashes.
      std::set<std::pair<int, std::uint64_t>> want, got;
      for (int level = 0; ((next + 1) & ((std::uint64_t{1} << level) - 1)) == 0 && level < 64; ++level)
        want.insert({level, ((next + 1) >> level) - 1});
      for (const StoredHash& w : writes) {
        got.insert({w.id.level, w.id.index});
        EXPECT_EQ(w.hash, tree.readHash(w.id));
      }
      ASSERT_EQ(got, want) << next;
    }
  }
}

TEST(Frontier, EmptyFrontierHasTheEmptyRoot) {
  Frontier frontier;
  EXPECT_EQ(frontier.size(), 0u);
  EXPECT_EQ(frontier.root(), emptyRoot());
}

}  // namespace
}  // namespace hreg::merkle
