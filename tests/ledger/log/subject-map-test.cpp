#include "ledger/map/subject-map.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace hreg::map {
namespace {

Hash hashFromHex(std::string_view hex) {
  Hash h{};
  auto bytes = fromHex(hex);
  EXPECT_TRUE(bytes && bytes->size() == h.size()) << hex;
  if (bytes) std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

bool bitOf(const Key& k, std::size_t d) { return (k[d / 8] >> (7 - d % 8)) & 1; }

// referenceRoot transcribes docs/formats.md "Subject maps" directly: split the leaves by the bit at
// each depth, a single leaf hashes as itself, nothing as 32 zero bytes.
Hash referenceRoot(const std::vector<Leaf>& leaves, std::size_t depth = 0) {
  if (leaves.empty()) return EMPTY;
  if (leaves.size() == 1) return leafHash(leaves.front());
  std::vector<Leaf> left, right;
  for (const Leaf& l : leaves) (bitOf(l.key, depth) ? right : left).push_back(l);
  static constexpr std::uint8_t INNER = 0x01;
  return crypto::sha256({ByteView(&INNER, 1), referenceRoot(left, depth + 1), referenceRoot(right, depth + 1)});
}

Value valueOf(std::uint64_t n) { return Value{n, n * 3, crypto::sha256(asBytes(std::to_string(n)))}; }

// Vectors computed with Python's hashlib from the text of docs/formats.md, not from this code.
TEST(SubjectMap, MatchesVectorsComputedIndependentlyFromTheSpec) {
  EXPECT_EQ(authorityKey(), hashFromHex("17d31c37a2fd6589d7f6807e6e0743b6ab777440f416ab49880c0de1456d97e3"));
  EXPECT_EQ(subjectKey("140902001-W-0001"),
            hashFromHex("72ff3204b95c5594ce2b5111e95b42e8c1af6c650869a19f698022757dd30a79"));
  SubjectMap map;
  EXPECT_EQ(map.root(), EMPTY);
  struct Step {
    const char* subject;
    const char* entry;
  };
  const Step steps[] = {{"140902001-W-0001", "a"}, {"140902001-W-0001", "b"}, {"140902001-W-0002", "c"},
                        {"654201-C-0007", "d"}};
  const char* roots[] = {"b10378b7fe49e4aabad00d763fa6b2504b7a641786b2a5fa4f2b2fdf957df214",
                         "11ed2f0cbc2f6e019e9f41398d379845b6b5c9ff4c35ed4f0aa67d51f99d074a",
                         "11087a45590c1cf1f278038726f5d93b30107c7ec326cb6fd3d150f50d7749ec"};
  for (std::uint64_t i = 0; i < 4; ++i) {
    Key k = subjectKey(steps[i].subject);
    map.record(std::span<const Key>(&k, 1), i, merkle::leafHash(asBytes(steps[i].entry)));
    if (i >= 1) {
      EXPECT_EQ(map.root(), hashFromHex(roots[i - 1])) << "after entry " << i;
    }
  }
  EXPECT_EQ(map.size(), 3u);
  EXPECT_EQ(map.get(subjectKey("140902001-W-0001"))->count, 2u);
  EXPECT_EQ(map.get(subjectKey("140902001-W-0001"))->newest, 1u);
}

TEST(SubjectMap, RootIsTheReferenceRootWhateverTheOrderOfInsertsAndErases) {
  std::mt19937_64 random(7);
  for (int round = 0; round < 30; ++round) {
    std::vector<Leaf> leaves;
    std::size_t n = random() % 300;
    for (std::size_t i = 0; i < n; ++i) leaves.push_back(Leaf{subjectKey(std::to_string(random())), valueOf(i)});
    // Keys that share long prefixes, so that paths run deep before they part.
    if (round % 3 == 0 && n > 0) {
      Key k = leaves.front().key;
      for (int b = 0; b < 8; ++b) {
        k[31] ^= static_cast<std::uint8_t>(1u << b);
        leaves.push_back(Leaf{k, valueOf(1000 + b)});
      }
    }
    SubjectMap map;
    std::shuffle(leaves.begin(), leaves.end(), random);
    for (const Leaf& l : leaves) map.set(l.key, valueOf(9999));  // overwritten below
    std::shuffle(leaves.begin(), leaves.end(), random);
    for (const Leaf& l : leaves) map.set(l.key, l.value);
    ASSERT_EQ(map.root(), referenceRoot(leaves)) << "round " << round;
    ASSERT_EQ(map.size(), leaves.size());
    // Erase a third of them.
    std::vector<Leaf> kept;
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      if (i % 3 == 0) map.erase(leaves[i].key);
      else kept.push_back(leaves[i]);
    }
    ASSERT_EQ(map.root(), referenceRoot(kept)) << "round " << round << " after erasing";
    ASSERT_EQ(map.size(), kept.size());
  }
}

TEST(SubjectMap, ProofsShowEachValueAndEachAbsence) {
  SubjectMap map;
  std::vector<Key> present;
  for (int i = 0; i < 200; ++i) {
    present.push_back(subjectKey(fmt::format("140902001-W-{:04}", i)));
    map.set(present.back(), valueOf(i));
  }
  const Hash root = map.root();
  for (int i = 0; i < 200; ++i) {
    auto proven = verify(root, present[i], map.prove(present[i]));
    ASSERT_TRUE(proven) << proven.error().detail;
    ASSERT_TRUE(proven.value().has_value());
    EXPECT_EQ(*proven.value(), valueOf(i));
  }
  for (int i = 0; i < 200; ++i) {
    Key absent = subjectKey(fmt::format("654201-C-{:04}", i));
    auto proven = verify(root, absent, map.prove(absent));
    ASSERT_TRUE(proven) << proven.error().detail;
    EXPECT_FALSE(proven.value().has_value());
  }
  auto empty = verify(EMPTY, present[0], SubjectMap().prove(present[0]));
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty.value().has_value());
}

TEST(SubjectMap, RefusesAProofThatHidesOrAltersAValue) {
  SubjectMap map;
  for (int i = 0; i < 50; ++i) map.set(subjectKey(fmt::format("S{}", i)), valueOf(i));
  const Key asked = subjectKey("S7");
  const Hash root = map.root();
  Proof genuine = map.prove(asked);

  Proof fewer = genuine;  // a count that leaves out the newest entry
  fewer.terminal->value = valueOf(6);
  EXPECT_EQ(verify(root, asked, fewer).error().reason, Reason::ROOT_MISMATCH);

  Proof hidden = genuine;  // "there is nothing about S7"
  hidden.terminal.reset();
  EXPECT_EQ(verify(root, asked, hidden).error().reason, Reason::ROOT_MISMATCH);

  Proof sibling = genuine;
  sibling.siblings.back()[0] ^= 1;
  EXPECT_EQ(verify(root, asked, sibling).error().reason, Reason::ROOT_MISMATCH);

  // Another key's genuine proof, offered as the absence of the asked one: off the asked path.
  Proof other = map.prove(subjectKey("S8"));
  EXPECT_EQ(verify(root, asked, other).error().reason, Reason::MALFORMED_PROOF);

  Proof deep = genuine;
  deep.siblings.resize(257);
  EXPECT_EQ(verify(root, asked, deep).error().reason, Reason::MALFORMED_PROOF);
}

TEST(SubjectMap, UndoPutsBackWhatARefusedBatchRecorded) {
  SubjectMap map;
  std::vector<Key> keys;
  for (int i = 0; i < 20; ++i) keys.push_back(subjectKey(fmt::format("S{}", i)));
  map.record(std::span<const Key>(keys).first(10), 0, merkle::leafHash(asBytes("first")));
  const Hash before = map.root();
  {
    SubjectMap::Undo undo(map);
    map.record(keys, 1, merkle::leafHash(asBytes("second")));  // 10 changed, 10 new
    EXPECT_NE(map.root(), before);
  }
  EXPECT_EQ(map.root(), before);
  EXPECT_EQ(map.size(), 10u);
  {
    SubjectMap::Undo undo(map);
    map.record(keys, 1, merkle::leafHash(asBytes("second")));
    undo.keep();
  }
  EXPECT_EQ(map.size(), 20u);
  EXPECT_EQ(map.get(keys[0])->count, 2u);
}

TEST(SubjectMap, CheckpointLineRoundTripsAndIsRequired) {
  Hash root = subjectKey("x");
  note::Checkpoint c = checkpointWith("hreg.example/654201", 3, merkle::emptyRoot(), root);
  EXPECT_EQ(c.extensions.front().rfind("hreg-map/v1 ", 0), 0u);
  EXPECT_EQ(rootOf(c).value(), root);
  auto parsed = note::parseCheckpoint(c.body());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(rootOf(parsed.value()).value(), root);
  note::Checkpoint bare{"hreg.example/654201", 3, merkle::emptyRoot(), {}};
  EXPECT_EQ(rootOf(bare).error().reason, Reason::MAP_MISMATCH);
  note::Checkpoint garbled{"hreg.example/654201", 3, merkle::emptyRoot(), {"hreg-map/v1 AAAA"}};
  EXPECT_EQ(rootOf(garbled).error().reason, Reason::MAP_MISMATCH);
}

}  // namespace
}  // namespace hreg::map
