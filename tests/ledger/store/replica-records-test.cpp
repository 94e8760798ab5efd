// What the store keeps for replicas besides entries: evidence of equivocation (which freezes a
// log), the sizes of the checkpoints it holds, and cosignatures, written only when new.
#include "ledger/store/store.h"

#include <gtest/gtest.h>

#include <limits>

#include "ledger/crypto/sha256.h"
#include "ledger/merkle/tree.h"
#include "tests/support/temp-dir.h"

namespace hreg::store {
namespace {

using testing::TempDir;

constexpr std::uint64_t ALL = std::numeric_limits<std::uint64_t>::max();

// batchOf makes an append of `count` raw entries "origin:i" after `frontier`, advancing it, with a
// checkpoint unless `withCheckpoint` is false.
AppendBatch batchOf(const std::string& origin, merkle::Frontier& frontier, std::size_t count,
                    bool withCheckpoint = true) {
  AppendBatch b;
  b.origin = origin;
  b.firstIndex = frontier.size();
  for (std::size_t i = 0; i < count; ++i) {
    std::string text = origin + ":" + std::to_string(frontier.size());
    b.entries.emplace_back(text.begin(), text.end());
    frontier.append(merkle::leafHash(b.entries.back()), b.nodes);
    b.decisionHashes.push_back(crypto::sha256(asBytes(text)));
  }
  b.newRoot = frontier.root();
  if (withCheckpoint) b.checkpoint = "checkpoint " + origin + " " + std::to_string(frontier.size()) + "\n";
  return b;
}

Evidence evidenceOf(const std::string& origin, Timestamp at, const std::string& tag) {
  return Evidence{origin, "held " + tag + "\n", "conflicting " + tag + "\n", at, "detail " + tag};
}

void expectSame(const Evidence& got, const Evidence& want) {
  EXPECT_EQ(got.origin, want.origin);
  EXPECT_EQ(got.held, want.held);
  EXPECT_EQ(got.conflicting, want.conflicting);
  EXPECT_EQ(got.detectedAt, want.detectedAt);
  EXPECT_EQ(got.detail, want.detail);
}

std::vector<std::string> details(const std::vector<Evidence>& list) {
  std::vector<std::string> out;
  for (const Evidence& e : list) out.push_back(e.detail);
  return out;
}

TEST(Evidence, ALogWithoutEvidenceIsNotFrozen) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 2));
  auto snap = store.snapshot();
  EXPECT_TRUE(snap.evidence().empty());
  EXPECT_TRUE(snap.evidence("a").empty());
  EXPECT_FALSE(snap.frozen("a"));
  EXPECT_FALSE(snap.frozen("never-held"));
}

TEST(Evidence, RecordsReadBackWholeAndFreezeTheirLogOnly) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier fa, fb;
  store.append(batchOf("a", fa, 2));
  store.append(batchOf("b", fb, 2));
  const Evidence first = evidenceOf("a", 1'780'000'000, "1");
  store.addEvidence(first);
  auto snap = store.snapshot();
  ASSERT_EQ(snap.evidence("a").size(), 1u);
  expectSame(snap.evidence("a")[0], first);
  EXPECT_TRUE(snap.frozen("a"));
  EXPECT_FALSE(snap.frozen("b"));
  EXPECT_TRUE(snap.evidence("b").empty());
  EXPECT_FALSE(snap.frozen("")) << "no origin is not a log";
  EXPECT_EQ(snap.log("a")->size, 2u) << "a frozen log keeps what it holds";
}

TEST(Evidence, SeveralRecordsTwoInTheSameSecondAreAllKeptInTimeOrder) {
  TempDir dir;
  Store store({dir.path()});
  store.addEvidence(evidenceOf("a", 1'780'000'100, "later"));
  store.addEvidence(evidenceOf("a", 1'780'000'000, "first of the second"));
  store.addEvidence(evidenceOf("b", 1'780'000'000, "b's"));
  store.addEvidence(evidenceOf("a", 1'780'000'000, "second of the second"));
  store.addEvidence(evidenceOf("a", 1'780'000'000, "third of the second"));
  auto snap = store.snapshot();
  EXPECT_EQ(details(snap.evidence("a")),
            (std::vector<std::string>{"detail first of the second", "detail second of the second",
                                      "detail third of the second", "detail later"}));
  EXPECT_EQ(details(snap.evidence("b")), (std::vector<std::string>{"detail b's"}));
  EXPECT_EQ(snap.evidence().size(), 5u) << "every log's evidence";
  for (const Evidence& e : snap.evidence("a")) EXPECT_EQ(e.origin, "a");
}

TEST(Evidence, AnOriginThatPrefixesAnotherDoesNotShareItsEvidence) {
  TempDir dir;
  Store store({dir.path()});
  store.addEvidence(evidenceOf("hreg.example/1409", 1'780'000'000, "prefecture"));
  store.addEvidence(evidenceOf("hreg.example/140902", 1'780'000'000, "county"));
  auto snap = store.snapshot();
  EXPECT_EQ(details(snap.evidence("hreg.example/1409")), (std::vector<std::string>{"detail prefecture"}));
  EXPECT_EQ(details(snap.evidence("hreg.example/140902")), (std::vector<std::string>{"detail county"}));
  EXPECT_FALSE(snap.frozen("hreg.example/14"));
  EXPECT_FALSE(snap.frozen("hreg.example/140902001"));
}

TEST(Evidence, SurvivesReopeningTheStore) {
  TempDir dir;
  const Evidence kept = evidenceOf("a", 1'780'000'000, "kept");
  {
    Store store({dir.path()});
    store.addEvidence(kept);
    store.addEvidence(evidenceOf("a", 1'780'000'000, "kept too"));
  }
  {
    Store again({dir.path()});
    auto snap = again.snapshot();
    EXPECT_TRUE(snap.frozen("a"));
    ASSERT_EQ(snap.evidence("a").size(), 2u);
    expectSame(snap.evidence("a")[0], kept);
    // Numbering continues after a reopen: a third record of the same second is kept too.
    again.addEvidence(evidenceOf("a", 1'780'000'000, "after the reopen"));
  }
  Options readOnly{dir.path(), true};
  Store reader(readOnly);
  EXPECT_EQ(details(reader.snapshot().evidence("a")),
            (std::vector<std::string>{"detail kept", "detail kept too", "detail after the reopen"}));
}

TEST(Evidence, ASnapshotTakenBeforeTheRecordDoesNotSeeIt) {
  TempDir dir;
  Store store({dir.path()});
  auto before = store.snapshot();
  store.addEvidence(evidenceOf("a", 1'780'000'000, "new"));
  EXPECT_FALSE(before.frozen("a"));
  EXPECT_TRUE(store.snapshot().frozen("a"));
}

TEST(CheckpointSizes, AreTheStoredSizesWithinInclusiveBounds) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 2));
  store.append(batchOf("a", f, 3));         // 5
  store.append(batchOf("a", f, 2, false));  // 7: no checkpoint
  store.append(batchOf("a", f, 2));         // 9
  auto snap = store.snapshot();
  EXPECT_EQ(snap.checkpointSizes("a", 0, ALL), (std::vector<std::uint64_t>{2, 5, 9}));
  EXPECT_EQ(snap.checkpointSizes("a", 2, 9), (std::vector<std::uint64_t>{2, 5, 9})) << "both bounds inclusive";
  EXPECT_EQ(snap.checkpointSizes("a", 3, 8), (std::vector<std::uint64_t>{5}));
  EXPECT_EQ(snap.checkpointSizes("a", 5, 5), (std::vector<std::uint64_t>{5}));
  EXPECT_TRUE(snap.checkpointSizes("a", 6, 8).empty());
  EXPECT_TRUE(snap.checkpointSizes("a", 10, ALL).empty());
  EXPECT_TRUE(snap.checkpointSizes("a", 9, 2).empty()) << "from beyond to";
  EXPECT_TRUE(snap.checkpointSizes("never-held", 0, ALL).empty());
}

TEST(CheckpointSizes, IncludeAddedCheckpointsAndNoOtherLogs) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier fa, fb, fc;
  store.append(batchOf("b", fb, 3));
  store.append(batchOf("a", fa, 4));
  store.append(batchOf("c", fc, 1));
  store.append(batchOf("b", fb, 1));
  store.append(batchOf("a", fa, 2));
  store.addCheckpoint("a", 1, "checkpoint a 1 re-signed\n");
  auto snap = store.snapshot();
  EXPECT_EQ(snap.checkpointSizes("a", 0, ALL), (std::vector<std::uint64_t>{1, 4, 6}));
  EXPECT_EQ(snap.checkpointSizes("b", 0, ALL), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(snap.checkpointSizes("c", 0, ALL), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(snap.checkpointSizes("a", 5, ALL), (std::vector<std::uint64_t>{6}));
  for (std::uint64_t size : snap.checkpointSizes("a", 0, ALL)) EXPECT_TRUE(snap.checkpoint("a", size)) << size;
}

TEST(Cosignatures, TheSameLineAgainIsNotWritten) {
  TempDir dir;
  {
    Store store({dir.path()});
    merkle::Frontier f;
    store.append(batchOf("a", f, 2));
    EXPECT_TRUE(store.addCosignature("a", 2, "parent", 0x01020304, "line 1\n"));
    EXPECT_FALSE(store.addCosignature("a", 2, "parent", 0x01020304, "line 1\n"));
    EXPECT_EQ(store.snapshot().cosignatures("a", 2), (std::vector<std::string>{"line 1\n"}));
  }
  // A store opened read-only cannot write: the identical line is answered without a write
  // transaction, while any other line needs one.
  Store reader(Options{dir.path(), true});
  EXPECT_FALSE(reader.addCosignature("a", 2, "parent", 0x01020304, "line 1\n"));
  EXPECT_THROW(reader.addCosignature("a", 2, "parent", 0x01020304, "line 1 again\n"), Fault);
  EXPECT_EQ(reader.snapshot().cosignatures("a", 2), (std::vector<std::string>{"line 1\n"}));
}

TEST(Cosignatures, ANewLineOfTheSameKeyReplacesTheHeldOne) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 2));
  EXPECT_TRUE(store.addCosignature("a", 2, "parent", 0x01020304, "parent at 1000\n"));
  EXPECT_TRUE(store.addCosignature("a", 2, "witness", 0x0a0b0c0d, "witness at 1000\n"));
  EXPECT_TRUE(store.addCosignature("a", 2, "parent", 0x01020304, "parent at 2000\n"));
  EXPECT_EQ(store.snapshot().cosignatures("a", 2),
            (std::vector<std::string>{"parent at 2000\n", "witness at 1000\n"}));
  EXPECT_TRUE(store.addCosignature("a", 2, "parent", 0x01020304, "parent at 1000\n")) << "the old line is not held";
  EXPECT_FALSE(store.addCosignature("a", 2, "witness", 0x0a0b0c0d, "witness at 1000\n"));
  EXPECT_EQ(store.snapshot().cosignatures("a", 2),
            (std::vector<std::string>{"parent at 1000\n", "witness at 1000\n"}));
}

TEST(Cosignatures, AreKeptPerCheckpointSize) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 2));
  store.append(batchOf("a", f, 2));
  EXPECT_TRUE(store.addCosignature("a", 2, "parent", 0x01020304, "line\n"));
  EXPECT_TRUE(store.addCosignature("a", 4, "parent", 0x01020304, "line\n")) << "the same line on another size";
  EXPECT_EQ(store.snapshot().cosignatures("a", 2), (std::vector<std::string>{"line\n"}));
  EXPECT_EQ(store.snapshot().cosignatures("a", 4), (std::vector<std::string>{"line\n"}));
  EXPECT_THROW(store.addCosignature("never-held", 1, "parent", 0x01020304, "line\n"), Fault);
}

}  // namespace
}  // namespace hreg::store
