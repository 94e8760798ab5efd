#include "ledger/store/store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ledger/merkle/proof.h"
#include "ledger/merkle/tree.h"
#include "tests/support/temp-dir.h"

namespace hreg::store {
namespace {

using testing::TempDir;

// batchOf makes an append of `count` raw entries "origin:i" after `frontier`, advancing it.
AppendBatch batchOf(const std::string& origin, merkle::Frontier& frontier, std::size_t count) {
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
  b.checkpoint = "checkpoint " + origin + " " + std::to_string(frontier.size()) + "\n";
  return b;
}

TEST(Store, AppendedEntriesTreeAndCheckpointReadBack) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 5));
  store.append(batchOf("a", f, 6));
  auto snap = store.snapshot();
  auto state = snap.log("a");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->size, 11u);
  EXPECT_EQ(state->root, f.root());
  EXPECT_EQ(state->checkpointSize, 11u);
  EXPECT_EQ(asChars(*snap.entry("a", 7)), "a:7");
  EXPECT_FALSE(snap.entry("a", 11));
  EXPECT_EQ(snap.checkpoint("a", 5), "checkpoint a 5\n");
  EXPECT_EQ(merkle::rootHash(*snap.tree("a"), 11), f.root());
  auto proof = merkle::inclusionProof(*snap.tree("a"), 3, 11);
  EXPECT_TRUE(merkle::verifyInclusion(merkle::leafHash(asBytes("a:3")), 3, 11, proof, f.root()));
  auto ref = snap.findDecision(crypto::sha256(asBytes("a:4")));
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->origin, "a");
  EXPECT_EQ(ref->index, 4u);
  EXPECT_FALSE(snap.findDecision(crypto::sha256(asBytes("a:99"))));
}

TEST(Store, LogsAreIndependent) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier fa, fb;
  store.append(batchOf("a", fa, 3));
  store.append(batchOf("b", fb, 2));
  store.append(batchOf("a", fa, 1));
  auto snap = store.snapshot();
  EXPECT_EQ(snap.log("a")->size, 4u);
  EXPECT_EQ(snap.log("b")->size, 2u);
  EXPECT_EQ(asChars(*snap.entry("b", 1)), "b:1");
  EXPECT_EQ(snap.origins(), (std::vector<std::string>{"a", "b"}));
  std::vector<std::string> seen;
  snap.forEachEntry("a", 1, 10, [&](std::uint64_t, ByteView b) {
    seen.emplace_back(asChars(b));
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a:1", "a:2", "a:3"}));
}

TEST(Store, AppendAtTheWrongPositionWritesNothing) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 3));
  merkle::Frontier stale;
  EXPECT_THROW(store.append(batchOf("a", stale, 2)), Fault);
  auto snap = store.snapshot();
  EXPECT_EQ(snap.log("a")->size, 3u);
  EXPECT_EQ(asChars(*snap.entry("a", 0)), "a:0");
}

TEST(Store, SnapshotSeesOneCommittedState) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 2));
  auto before = store.snapshot();
  store.append(batchOf("a", f, 2));
  EXPECT_EQ(before.log("a")->size, 2u);
  EXPECT_FALSE(before.entry("a", 2));
  EXPECT_EQ(store.snapshot().log("a")->size, 4u);
}

TEST(Store, ReopenedStoreHoldsWhatWasCommitted) {
  TempDir dir;
  merkle::Frontier f;
  {
    Store store({dir.path()});
    store.append(batchOf("a", f, 9));
  }
  Store again({dir.path()});
  auto snap = again.snapshot();
  EXPECT_EQ(snap.log("a")->root, f.root());
  EXPECT_EQ(merkle::rootHash(*snap.tree("a"), 9), f.root());
}

TEST(Store, CosignaturesAreKeptPerKeyAndReplaced) {
  TempDir dir;
  Store store({dir.path()});
  merkle::Frontier f;
  store.append(batchOf("a", f, 2));
  store.addCosignature("a", 2, "parent", 0x01020304, "line 1");
  store.addCosignature("a", 2, "sibling", 0x05060708, "line 2");
  store.addCosignature("a", 2, "parent", 0x01020304, "line 1 again");
  auto lines = store.snapshot().cosignatures("a", 2);
  EXPECT_EQ(lines, (std::vector<std::string>{"line 1 again", "line 2"}));
  EXPECT_TRUE(store.snapshot().cosignatures("a", 1).empty());
  EXPECT_THROW(store.addCosignature("a", 3, "parent", 1, "too far"), Fault);
}

TEST(Store, OnlineCopyOpensAsTheSameStore) {
  TempDir dir;
  Store store({dir / "live"});
  merkle::Frontier f;
  store.append(batchOf("a", f, 20));
  auto reading = store.snapshot();  // a reader stays open during the copy
  store.copyTo(dir / "backup");
  Store copy({dir / "backup"});
  EXPECT_EQ(copy.snapshot().log("a")->root, f.root());
}

TEST(Store, ReadOnlyOpenOfAMissingStoreIsRefused) {
  TempDir dir;
  Options options{dir / "nothing-here", true};
  EXPECT_THROW(Store{options}, Fault);
}

TEST(Store, GarbageFileIsNotAStore) {
  TempDir dir;
  std::ofstream(dir / "data.mdb") << std::string(8192, 'x');
  EXPECT_THROW(Store{Options{dir.path()}}, Fault);
}

TEST(Store, MapGrowsWhenFull) {
  TempDir dir;
  Options options{dir.path()};
  options.mapSize = 256 * 1024;  // tiny, so the appends below outgrow it
  Store store(options);
  merkle::Frontier f;
  for (int i = 0; i < 20; ++i) store.append(batchOf("a", f, 200));
  EXPECT_EQ(store.snapshot().log("a")->size, 4000u);
}

}  // namespace
}  // namespace hreg::store
