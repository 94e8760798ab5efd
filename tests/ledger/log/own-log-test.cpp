#include "ledger/log/own-log.h"

#include <gtest/gtest.h>

#include "ledger/log/signing.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/note.h"
#include "tests/support/decisions.h"
#include "tests/support/temp-dir.h"

namespace hreg::log {
namespace {

constexpr const char* ORIGIN = "hreg.example/140902";
constexpr Timestamp T0 = 1'780'000'000;  // 2026-05-28

crypto::KeyPair keyFrom(std::uint8_t b) {
  crypto::Seed s;
  s.fill(b);
  return crypto::KeyPair::fromSeed(s);
}

struct Fixture : ::testing::Test {
  testing::TempDir dir;
  store::Store store{{dir.path()}};
  FakeClock clock{T0};
  note::SignerKey checkpointKey = note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{1});
  crypto::KeyPair official = keyFrom(2);
  crypto::KeyPair leader = keyFrom(3);

  Bytes grant(const std::string& person, std::vector<const crypto::KeyPair*> signers, std::string origin = ORIGIN) {
    return testing::grantDecision(origin, clock.now(), official.publicKey(), person, signers);
  }
  AppendOutcome append(OwnLog& log, std::vector<Bytes> decisions) {
    std::vector<ByteView> views(decisions.begin(), decisions.end());
    return log.append(views);
  }
};

TEST_F(Fixture, AcceptedDecisionsGetIndexesAndAProvableSignedCheckpoint) {
  OwnLog log(store, note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{1}), clock);
  auto out = append(log, {grant("Li Hua", {&leader}), grant("Wang Fang", {&leader, &official})});
  ASSERT_TRUE(out.results[0]);
  ASSERT_TRUE(out.results[1]);
  EXPECT_EQ(out.results[1].value().index, 1u);
  EXPECT_EQ(out.checkpoint.size, 2u);

  auto parsedNote = note::parseNote(out.signedCheckpoint).value();
  const note::VerifierKey keys[] = {log.verifierKey()};
  EXPECT_TRUE(note::verifyNote(parsedNote, keys));
  EXPECT_EQ(note::parseCheckpoint(parsedNote.text).value(), out.checkpoint);

  auto snap = store.snapshot();
  auto proof = merkle::inclusionProof(*snap.tree(ORIGIN), 1, 2);
  EXPECT_TRUE(merkle::verifyInclusion(merkle::leafHash(*snap.entry(ORIGIN, 1)), 1, 2, proof, out.checkpoint.root));
  EXPECT_EQ(out.results[1].value().leafHash, merkle::leafHash(*snap.entry(ORIGIN, 1)));
}

TEST_F(Fixture, RefusedDecisionsTakeNoIndexAndLeaveNoTrace) {
  OwnLog log(store, std::move(checkpointKey), clock);
  Bytes tampered = grant("Tampered", {&leader});
  tampered[tampered.size() / 3] ^= 1;
  Bytes daemonSigned = grant("Daemon", {});
  {
    auto p = protocol::parseSignedDecision(daemonSigned).value();
    daemonSigned = addSignature(p.reader(), note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519,
                                                                      crypto::Seed{1}).keyPair());
  }
  auto out = append(log, {grant("Unsigned", {}), tampered, grant("Elsewhere", {&leader}, "hreg.example/140981"),
                          daemonSigned, grant("Good", {&leader}), Bytes{1, 2, 3}});
  EXPECT_EQ(out.results[0].error().reason, Reason::UNSIGNED_ENTRY);
  EXPECT_TRUE(out.results[1].error().reason == Reason::BAD_SIGNATURE ||
              out.results[1].error().reason == Reason::MALFORMED_ENTRY);
  EXPECT_EQ(out.results[2].error().reason, Reason::WRONG_ORIGIN);
  EXPECT_EQ(out.results[3].error().reason, Reason::CHECKPOINT_KEY_SIGNED);
  ASSERT_TRUE(out.results[4]);
  EXPECT_EQ(out.results[4].value().index, 0u);
  EXPECT_EQ(out.results[5].error().reason, Reason::MALFORMED_ENTRY);
  EXPECT_EQ(store.snapshot().log(ORIGIN)->size, 1u);
}

TEST_F(Fixture, AnEntryWhoseSignatureWasFlippedIsRefused) {
  OwnLog log(store, std::move(checkpointKey), clock);
  Bytes good = grant("Li Hua", {&leader});
  auto parsed = protocol::parseSignedDecision(good).value();
  auto sig = parsed.reader().getSignatures()[0].getSignature();
  // Find the signature bytes in the encoding and flip one.
  auto at = std::search(good.begin(), good.end(), sig.begin(), sig.end());
  ASSERT_NE(at, good.end());
  Bytes bad = good;
  bad[static_cast<std::size_t>(at - good.begin()) + 10] ^= 0x40;
  auto out = append(log, {bad});
  EXPECT_EQ(out.results[0].error().reason, Reason::BAD_SIGNATURE);
}

TEST_F(Fixture, ADecisionIsLoggedOnce) {
  OwnLog log(store, std::move(checkpointKey), clock);
  Bytes d = grant("Li Hua", {&leader});
  auto first = append(log, {d, d});
  ASSERT_TRUE(first.results[0]);
  EXPECT_EQ(first.results[1].error().reason, Reason::DUPLICATE_DECISION);
  auto again = append(log, {d});
  EXPECT_EQ(again.results[0].error().reason, Reason::DUPLICATE_DECISION);
  // The same decision with one more signature is still the same decision.
  auto withMore = addSignature(protocol::parseSignedDecision(d).value().reader(), official);
  EXPECT_EQ(append(log, {withMore}).results[0].error().reason, Reason::DUPLICATE_DECISION);
}

TEST_F(Fixture, ReopenedLogContinuesWhereItStopped) {
  {
    OwnLog log(store, note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{1}), clock);
    append(log, {grant("A", {&leader}), grant("B", {&leader}), grant("C", {&leader})});
  }
  OwnLog log(store, note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{1}), clock);
  EXPECT_EQ(log.size(), 3u);
  auto out = append(log, {grant("D", {&leader})});
  EXPECT_EQ(out.results[0].value().index, 3u);
  merkle::MemoryTree reference;
  auto snap = store.snapshot();
  for (std::uint64_t i = 0; i < 4; ++i) reference.appendLeaf(*snap.entry(ORIGIN, i));
  EXPECT_EQ(out.checkpoint.root, reference.root());
}

TEST_F(Fixture, ParallelVerificationGivesTheSameLog) {
  testing::TempDir otherDir;
  store::Store other({otherDir.path()});
  std::vector<Bytes> decisions;
  for (int i = 0; i < 300; ++i) decisions.push_back(grant("official " + std::to_string(i), {&leader}));
  decisions[150][40] ^= 1;  // one bad apple in the middle
  OwnLog one(store, note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{1}), clock, 1);
  OwnLog two(other, note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{1}), clock, 2);
  auto a = append(one, decisions);
  auto b = append(two, decisions);
  EXPECT_EQ(a.checkpoint, b.checkpoint);
  EXPECT_EQ(a.checkpoint.size, 299u);
  EXPECT_FALSE(b.results[150]);
}

}  // namespace
}  // namespace hreg::log
