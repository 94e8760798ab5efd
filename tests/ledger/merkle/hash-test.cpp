#include "ledger/merkle/hash.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

#include "tests/ledger/merkle/vectors.h"

namespace hreg::merkle {
namespace {

using testing::bytesFromHex;
using testing::hashFromHex;
using testing::vectorRecords;

TEST(Hasher, MatchesTheTransparencyDevHasherVectors) {
  std::size_t checked = 0;
  for (const auto& record : vectorRecords("rfc6962-hasher.txt")) {
    ASSERT_EQ(record.size(), 3u);
    const std::string& kind = record[0];
    Hash want = hashFromHex(record[2]);
    if (kind == "empty") {
      EXPECT_EQ(emptyRoot(), want);
    } else if (kind == "leaf") {
      EXPECT_EQ(leafHash(bytesFromHex(record[1])), want) << record[1];
    } else if (kind == "children") {
      // The children here are the 4-byte strings "N123" and "N456", not hashes, so the vector pins the
      // layout 0x01 || left || right that nodeHash must use; NodeHashBuildsTheRfc6962Nodes checks nodeHash.
      auto colon = record[1].find(':');
      ASSERT_NE(colon, std::string::npos);
      Bytes left = bytesFromHex(record[1].substr(0, colon)), right = bytesFromHex(record[1].substr(colon + 1));
      EXPECT_EQ(crypto::sha256({Bytes{0x01}, left, right}), want);
    } else {
      ADD_FAILURE() << "unknown kind " << kind;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4u);
}

TEST(Hasher, HashesTheRfc6962LeavesAsPublished) {
  auto leaves = testing::rfc6962Leaves();
  auto records = vectorRecords("rfc6962-leafhashes.txt");
  ASSERT_EQ(records.size(), leaves.size());
  for (const auto& record : records) {
    std::size_t index = std::stoul(record.at(0));
    EXPECT_EQ(leafHash(leaves.at(index)), hashFromHex(record.at(1))) << index;
  }
}

TEST(Hasher, NodeHashBuildsTheRfc6962Nodes) {
  std::map<std::pair<unsigned, std::uint64_t>, Hash> nodes;
  for (const auto& record : vectorRecords("rfc6962-nodehashes.txt"))
    nodes[{std::stoul(record.at(0)), std::stoull(record.at(1))}] = hashFromHex(record.at(2));
  ASSERT_EQ(nodes.size(), 15u);
  std::size_t checked = 0;
  for (const auto& [id, hash] : nodes) {
    auto [level, index] = id;
    if (level == 0) continue;
    EXPECT_EQ(nodeHash(nodes.at({level - 1, 2 * index}), nodes.at({level - 1, 2 * index + 1})), hash);
    ++checked;
  }
  EXPECT_EQ(checked, 7u);
}

TEST(Hasher, NodeHashIsOneByteOfDomainSeparationThenBothChildren) {
  Hash a = leafHash(asBytes("a")), b = leafHash(asBytes("b"));
  Bytes prefixed{0x01};
  prefixed.insert(prefixed.end(), a.begin(), a.end());
  prefixed.insert(prefixed.end(), b.begin(), b.end());
  EXPECT_EQ(nodeHash(a, b), crypto::sha256(prefixed));
  EXPECT_NE(nodeHash(a, b), nodeHash(b, a));
  // A leaf whose content is two hashes is not the node over them: the prefixes differ.
  Bytes both(a.begin(), a.end());
  both.insert(both.end(), b.begin(), b.end());
  EXPECT_NE(leafHash(both), nodeHash(a, b));
}

TEST(Hasher, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(toHex(emptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_NE(emptyRoot(), leafHash(ByteView{}));
}

}  // namespace
}  // namespace hreg::merkle
