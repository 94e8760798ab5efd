#include "ledger/log/replica.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "ledger/crypto/sha256.h"
#include "ledger/log/audit.h"
#include "ledger/log/decision.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/log/subject-maps.h"
#include "ledger/merkle/tree.h"
#include "ledger/note/note.h"
#include "tests/support/decisions.h"
#include "tests/support/keys.h"
#include "tests/support/temp-dir.h"

namespace hreg::log {
namespace {

using ::testing::HasSubstr;

constexpr const char* ORIGIN = "hreg.example/140902";
constexpr const char* OTHER_ORIGIN = "hreg.example/140981";
constexpr Timestamp T0 = 1'780'000'000;  // 2026-05-28
constexpr std::uint64_t ALL = std::numeric_limits<std::uint64_t>::max();

note::SignerKey checkpointKey(const std::string& origin, std::uint8_t seed) {
  return note::SignerKey::fromSeed(origin, note::KeyType::ED25519, crypto::Seed{seed});
}

// Held is everything a store says of one log, to show that a refused batch wrote nothing.
struct Held {
  std::optional<std::uint64_t> size, checkpointSize;
  merkle::Hash root{};
  std::vector<std::uint64_t> checkpoints;
  std::size_t evidence = 0;
  friend bool operator==(const Held&, const Held&) = default;
};

Held heldOf(const store::Store& store, const std::string& origin) {
  auto snapshot = store.snapshot();
  Held h;
  if (auto state = snapshot.log(origin)) {
    h.size = state->size;
    h.checkpointSize = state->checkpointSize;
    h.root = state->root;
  }
  h.checkpoints = snapshot.checkpointSizes(origin, 0, ALL);
  h.evidence = snapshot.evidence(origin).size();
  return h;
}

// HandLog is a log built entry by entry, without OwnLog's checks: for the logs OwnLog refuses to
// write (a decision twice, times going back), signed with the log's real checkpoint key.
struct HandLog {
  std::string origin;
  note::SignerKey key;
  std::vector<Bytes> entries;
  merkle::MemoryTree tree;

  void add(const Bytes& signedDecision, Timestamp sequencedAt) {
    auto parsed = protocol::parseSignedDecision(signedDecision).value();
    entries.push_back(protocol::encodeEntry(entries.size(), sequencedAt, parsed.reader()));
    tree.appendLeaf(entries.back());
  }
  map::SubjectMap subjectMap(std::uint64_t size) const {
    map::SubjectMap subjects;
    for (std::uint64_t i = 0; i < size; ++i)
      recordEntry(subjects, i, protocol::parseEntry(entries[i]).value().reader(), merkle::leafHash(entries[i]));
    return subjects;
  }
  std::string checkpoint(std::uint64_t size) const {
    return signCheckpoint(map::checkpointWith(origin, size, merkle::rootHash(tree, size), subjectMap(size).root()), key);
  }
  // falseMap is a checkpoint of the right tree whose subject map leaves the newest entry out.
  std::string falseMap(std::uint64_t size) const {
    return signCheckpoint(map::checkpointWith(origin, size, merkle::rootHash(tree, size), subjectMap(size - 1).root()),
                          key);
  }
  std::string noMap(std::uint64_t size) const {
    return signCheckpoint(note::Checkpoint{origin, size, merkle::rootHash(tree, size), {}}, key);
  }
  std::vector<Bytes> slice(std::uint64_t from, std::uint64_t to) const {
    return {entries.begin() + static_cast<std::ptrdiff_t>(from), entries.begin() + static_cast<std::ptrdiff_t>(to)};
  }
};

// Asked is what the test admission was asked, in order.
struct Asked {
  std::string origin;
  merkle::Hash decisionHash;
  Timestamp sequencedAt;
};

// RecordingAdmission admits everything but the decision number `refuseAt` (0-based, counting every
// question), which it refuses with SIGNER_UNKNOWN.
class RecordingAdmission final : public Admission {
 public:
  explicit RecordingAdmission(std::size_t refuseAt = std::numeric_limits<std::size_t>::max())
      : refuseAt_(refuseAt) {}
  Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision,
                     Timestamp sequencedAt) override {
    asked.push_back({std::string(origin), decisionHash(protocol::signingMessage(decision.getDecision())),
                     sequencedAt});
    if (asked.size() - 1 == refuseAt_) return refuse(Reason::SIGNER_UNKNOWN, "the test admission refuses it");
    return outcome::success();
  }
  std::vector<Asked> asked;

 private:
  std::size_t refuseAt_;
};

// The source is a log written by OwnLog in its own store; the replica is a second store that
// receives it batch by batch, each batch ending at a checkpoint the source stored.
struct Replica : ::testing::Test {
  testing::TempDir sourceDir, replicaDir;
  store::Store source{{sourceDir.path()}};
  store::Store replica{{replicaDir.path()}};
  FakeClock clock{T0};
  note::SignerKey logKey = checkpointKey(ORIGIN, 1);
  crypto::KeyPair leader = testing::labelledKey("leader of 140902");
  crypto::KeyPair official = testing::labelledKey("official of 140902");
  int granted = 0;

  Bytes grant(const std::string& origin = ORIGIN) {
    return testing::grantDecision(origin, clock.now(), official.publicKey(), "official " + std::to_string(granted++),
                                  {&leader});
  }
  // grow appends one group of decisions per element of `groups` to the source, a minute apart,
  // each group committed with its own checkpoint.
  void grow(std::initializer_list<int> groups) {
    OwnLog log(source, checkpointKey(ORIGIN, 1), clock);
    for (int n : groups) {
      std::vector<Bytes> decisions;
      for (int i = 0; i < n; ++i) decisions.push_back(grant());
      std::vector<ByteView> views(decisions.begin(), decisions.end());
      auto out = log.append(views);
      for (const auto& r : out.results) ASSERT_TRUE(r) << r.error().detail;
      clock.advance(60);
    }
  }
  std::vector<Bytes> entries(std::uint64_t from, std::uint64_t to) const {
    std::vector<Bytes> out;
    source.snapshot().forEachEntry(ORIGIN, from, to, [&](std::uint64_t, ByteView b) {
      out.emplace_back(b.begin(), b.end());
      return true;
    });
    return out;
  }
  std::string checkpoint(std::uint64_t size) const { return source.snapshot().checkpoint(ORIGIN, size).value(); }
  ReplicaOptions options() const {
    ReplicaOptions o;
    o.now = clock.now();
    return o;
  }
  Result<note::Checkpoint> send(const std::string& origin, std::uint64_t from, const std::vector<Bytes>& batch,
                                const std::string& signedCheckpoint, std::optional<ReplicaOptions> with = {},
                                std::optional<note::VerifierKey> key = {}) {
    std::vector<ByteView> views(batch.begin(), batch.end());
    return acceptReplica(replica, ReplicaBatch{origin, from, views, signedCheckpoint},
                         key.value_or(logKey.verifier()), with.value_or(options()));
  }
  // sendRange sends the source's entries [from, to) with its checkpoint of size `to`.
  Result<note::Checkpoint> sendRange(std::uint64_t from, std::uint64_t to) {
    return send(ORIGIN, from, entries(from, to), checkpoint(to));
  }
  Held held(const std::string& origin = ORIGIN) const { return heldOf(replica, origin); }
};

TEST_F(Replica, BatchByBatchTheReplicaBecomesByteIdenticalToTheSource) {
  grow({3, 2, 4, 1});
  auto sizes = source.snapshot().checkpointSizes(ORIGIN, 1, ALL);
  ASSERT_EQ(sizes, (std::vector<std::uint64_t>{3, 5, 9, 10}));
  std::uint64_t from = 0;
  for (std::uint64_t size : sizes) {
    auto accepted = sendRange(from, size);
    ASSERT_TRUE(accepted) << accepted.error().detail;
    EXPECT_EQ(accepted.value().size, size);
    EXPECT_EQ(replica.snapshot().log(ORIGIN)->size, size);
    from = size;
  }
  auto want = source.snapshot(), got = replica.snapshot();
  EXPECT_EQ(got.log(ORIGIN)->root, want.log(ORIGIN)->root);
  EXPECT_EQ(got.log(ORIGIN)->checkpointSize, 10u);
  EXPECT_EQ(got.checkpointSizes(ORIGIN, 0, ALL), sizes) << "the source's empty checkpoint is not sent";
  for (std::uint64_t size : sizes) EXPECT_EQ(got.checkpoint(ORIGIN, size), want.checkpoint(ORIGIN, size));
  for (std::uint64_t i = 0; i < 10; ++i) {
    auto a = *want.entry(ORIGIN, i), b = *got.entry(ORIGIN, i);
    EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << "entry " << i;
    auto checked = checkEntry(b, i, ORIGIN).value();
    auto ref = got.findDecision(checked.decisionHash);
    ASSERT_TRUE(ref) << "entry " << i << " is indexed";
    EXPECT_EQ(ref->index, i);
    EXPECT_EQ(ref->origin, ORIGIN);
  }
  EXPECT_EQ(merkle::rootHash(*got.tree(ORIGIN), 4), merkle::rootHash(*want.tree(ORIGIN), 4));
  EXPECT_TRUE(verifyLog(got, ORIGIN, logKey.verifier()));
}

TEST_F(Replica, ManyVerifyThreadsAcceptTheSameBatch) {
  grow({40});
  auto o = options();
  o.verifyThreads = 4;
  auto accepted = send(ORIGIN, 0, entries(0, 40), checkpoint(40), o);
  ASSERT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(replica.snapshot().log(ORIGIN)->root, source.snapshot().log(ORIGIN)->root);
}

TEST_F(Replica, ABatchNotStartingAtTheHeldSizeIsRefusedAndWritesNothing) {
  grow({3, 2, 4});
  ASSERT_TRUE(sendRange(0, 3));
  const Held before = held();
  EXPECT_EQ(sendRange(5, 9).error().reason, Reason::WRONG_INDEX) << "a gap";
  EXPECT_EQ(sendRange(0, 3).error().reason, Reason::WRONG_INDEX) << "again from the start";
  EXPECT_EQ(held(), before);
  EXPECT_TRUE(sendRange(3, 5));
}

TEST_F(Replica, AFirstBatchNotStartingAtZeroIsRefused) {
  grow({3, 2});
  EXPECT_EQ(sendRange(3, 5).error().reason, Reason::WRONG_INDEX);
  EXPECT_EQ(held(), Held{});
  EXPECT_TRUE(replica.snapshot().origins().empty());
}

TEST_F(Replica, EntriesNotEndingAtTheCheckpointsSizeAreRefused) {
  grow({3, 2});
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 3), checkpoint(5)).error().reason, Reason::WRONG_INDEX) << "too few";
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 5), checkpoint(3)).error().reason, Reason::WRONG_INDEX) << "too many";
  EXPECT_EQ(send(ORIGIN, 0, {}, checkpoint(0)).error().reason, Reason::WRONG_INDEX) << "no entries at all";
  EXPECT_EQ(held(), Held{});
  EXPECT_TRUE(sendRange(0, 5));
}

TEST_F(Replica, ACheckpointSignedByAnotherKeyIsRefused) {
  grow({3});
  const note::Checkpoint real = note::parseCheckpoint(note::parseNote(checkpoint(3)).value().text).value();
  // The same checkpoint signed by another key of the same name: not a key the replica trusts.
  auto byImpostor = signCheckpoint(real, checkpointKey(ORIGIN, 9));
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 3), byImpostor).error().reason, Reason::NO_TRUSTED_SIGNATURE);
  // The log's own signature line with its signature bytes altered.
  auto note = note::parseNote(checkpoint(3)).value();
  note.signatures.front().signature[10] ^= 0x01;
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 3), note::formatNote(note)).error().reason, Reason::BAD_SIGNATURE);
  // The right checkpoint, checked against another key.
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 3), checkpoint(3), {}, checkpointKey(ORIGIN, 9).verifier()).error().reason,
            Reason::NO_TRUSTED_SIGNATURE);
  EXPECT_EQ(held(), Held{});
  EXPECT_TRUE(sendRange(0, 3));
}

TEST_F(Replica, ACheckpointOfAnotherOriginIsRefused) {
  grow({3});
  const note::Checkpoint real = note::parseCheckpoint(note::parseNote(checkpoint(3)).value().text).value();
  // Signed by the log's key, but naming another log.
  note::Checkpoint elsewhere = real;
  elsewhere.origin = OTHER_ORIGIN;
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 3), signCheckpoint(elsewhere, logKey)).error().reason, Reason::WRONG_ORIGIN);
  // The right checkpoint, offered as the batch of another log.
  EXPECT_EQ(send(OTHER_ORIGIN, 0, entries(0, 3), checkpoint(3)).error().reason, Reason::WRONG_ORIGIN);
  EXPECT_EQ(held(), Held{});
  EXPECT_EQ(held(OTHER_ORIGIN), Held{});
}

TEST_F(Replica, EveryAlteredByteOfAnEntryIsRefusedAndWritesNothing) {
  grow({2, 2});
  ASSERT_TRUE(sendRange(0, 2));
  const Held before = held();
  const std::vector<Bytes> good = entries(2, 4);
  std::set<Reason> seen;
  // The last entry of the batch, so that a later sequencing time is not refused by a successor.
  for (std::size_t at = 0; at < good.back().size(); ++at)
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      std::vector<Bytes> bad = good;
      bad.back()[at] ^= mask;
      auto accepted = send(ORIGIN, 2, bad, checkpoint(4));
      ASSERT_FALSE(accepted) << "byte " << at << " ^ " << int{mask} << " was accepted";
      seen.insert(accepted.error().reason);
    }
  EXPECT_EQ(held(), before);
  const std::set<Reason> expected{Reason::MALFORMED_ENTRY, Reason::BAD_SIGNATURE, Reason::ROOT_MISMATCH,
                                  Reason::WRONG_INDEX,     Reason::WRONG_ORIGIN,  Reason::DECISION_TIME,
                                  Reason::UNSIGNED_ENTRY,  Reason::LIMIT_EXCEEDED};
  for (Reason r : seen) EXPECT_TRUE(expected.count(r)) << reasonName(r);
  EXPECT_TRUE(seen.count(Reason::BAD_SIGNATURE));
  EXPECT_TRUE(seen.count(Reason::ROOT_MISMATCH)) << "the entry's sequencing time is not signed by officials";
  EXPECT_TRUE(sendRange(2, 4));
}

TEST_F(Replica, AnEntryReSequencedWithValidSignaturesDoesNotProduceTheSignedRoot) {
  grow({2});
  auto good = entries(0, 2);
  auto parsed = protocol::parseEntry(good[1]).value();
  std::vector<Bytes> bad{good[0], protocol::encodeEntry(1, parsed.reader().getSequencedAt() + 1,
                                                         parsed.reader().getSigned())};
  EXPECT_EQ(send(ORIGIN, 0, bad, checkpoint(2)).error().reason, Reason::ROOT_MISMATCH);
  EXPECT_EQ(held(), Held{});
  EXPECT_TRUE(sendRange(0, 2));
}

TEST_F(Replica, SwappedEntriesAreRefused) {
  grow({4});
  auto swapped = entries(0, 4);
  std::swap(swapped[1], swapped[2]);
  EXPECT_EQ(send(ORIGIN, 0, swapped, checkpoint(4)).error().reason, Reason::WRONG_INDEX);
  EXPECT_EQ(held(), Held{});
  EXPECT_TRUE(sendRange(0, 4));
}

TEST_F(Replica, ADecisionTwiceInOneBatchIsRefused) {
  HandLog forged{OTHER_ORIGIN, checkpointKey(OTHER_ORIGIN, 5), {}, {}};
  const Bytes decision = grant(OTHER_ORIGIN);
  forged.add(decision, T0);
  forged.add(decision, T0);
  EXPECT_EQ(send(OTHER_ORIGIN, 0, forged.slice(0, 2), forged.checkpoint(2), {}, forged.key.verifier()).error().reason,
            Reason::DUPLICATE_DECISION);
  EXPECT_EQ(held(OTHER_ORIGIN), Held{});
}

TEST_F(Replica, ADecisionAlreadyHeldIsRefused) {
  HandLog forged{OTHER_ORIGIN, checkpointKey(OTHER_ORIGIN, 5), {}, {}};
  const Bytes decision = grant(OTHER_ORIGIN);
  forged.add(decision, T0);
  forged.add(grant(OTHER_ORIGIN), T0);
  // The same decision again, with one more signature: still the same decision.
  forged.add(addSignature(protocol::parseSignedDecision(decision).value().reader(), official), T0);
  ASSERT_TRUE(send(OTHER_ORIGIN, 0, forged.slice(0, 2), forged.checkpoint(2), {}, forged.key.verifier()));
  const Held before = held(OTHER_ORIGIN);
  EXPECT_EQ(send(OTHER_ORIGIN, 2, forged.slice(2, 3), forged.checkpoint(3), {}, forged.key.verifier()).error().reason,
            Reason::DUPLICATE_DECISION);
  EXPECT_EQ(held(OTHER_ORIGIN), before);
}

TEST_F(Replica, ACheckpointWhoseSubjectMapIsNotTheEntriesOnesIsRefused) {
  HandLog forged{OTHER_ORIGIN, checkpointKey(OTHER_ORIGIN, 5), {}, {}};
  forged.add(grant(OTHER_ORIGIN), T0);
  forged.add(grant(OTHER_ORIGIN), T0);
  const auto key = forged.key.verifier();
  ASSERT_TRUE(send(OTHER_ORIGIN, 0, forged.slice(0, 1), forged.checkpoint(1), {}, key));
  const Held before = held(OTHER_ORIGIN);
  auto hidden = send(OTHER_ORIGIN, 1, forged.slice(1, 2), forged.falseMap(2), {}, key);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().reason, Reason::MAP_MISMATCH);
  EXPECT_THAT(hidden.error().detail, HasSubstr("false map"));
  auto bare = send(OTHER_ORIGIN, 1, forged.slice(1, 2), forged.noMap(2), {}, key);
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().reason, Reason::MAP_MISMATCH);
  EXPECT_EQ(held(OTHER_ORIGIN), before);
  EXPECT_TRUE(send(OTHER_ORIGIN, 1, forged.slice(1, 2), forged.checkpoint(2), {}, key))
      << "the refused batches left the replica's map as it was";
}

TEST_F(Replica, SequencingTimesNeverGoBack) {
  HandLog forged{OTHER_ORIGIN, checkpointKey(OTHER_ORIGIN, 5), {}, {}};
  forged.add(grant(OTHER_ORIGIN), T0);
  forged.add(grant(OTHER_ORIGIN), T0 - 1);
  const auto key = forged.key.verifier();
  EXPECT_EQ(send(OTHER_ORIGIN, 0, forged.slice(0, 2), forged.checkpoint(2), {}, key).error().reason,
            Reason::DECISION_TIME)
      << "within a batch";
  EXPECT_EQ(held(OTHER_ORIGIN), Held{});
  ASSERT_TRUE(send(OTHER_ORIGIN, 0, forged.slice(0, 1), forged.checkpoint(1), {}, key));
  const Held before = held(OTHER_ORIGIN);
  EXPECT_EQ(send(OTHER_ORIGIN, 1, forged.slice(1, 2), forged.checkpoint(2), {}, key).error().reason,
            Reason::DECISION_TIME)
      << "behind the last entry held";
  EXPECT_EQ(held(OTHER_ORIGIN), before);
}

TEST_F(Replica, SequencingTimesLeadTheReceiversClockByAtMostTheSkew) {
  HandLog forged{OTHER_ORIGIN, checkpointKey(OTHER_ORIGIN, 5), {}, {}};
  ReplicaOptions o;
  o.now = T0;
  o.maxClockSkew = 600;
  forged.add(grant(OTHER_ORIGIN), T0 + 600);
  forged.add(grant(OTHER_ORIGIN), T0 + 601);
  const auto key = forged.key.verifier();
  EXPECT_EQ(send(OTHER_ORIGIN, 0, forged.slice(0, 2), forged.checkpoint(2), o, key).error().reason,
            Reason::DECISION_TIME);
  EXPECT_EQ(held(OTHER_ORIGIN), Held{});
  EXPECT_TRUE(send(OTHER_ORIGIN, 0, forged.slice(0, 1), forged.checkpoint(1), o, key)) << "exactly the skew";
  o.now = T0 + 1;
  EXPECT_TRUE(send(OTHER_ORIGIN, 1, forged.slice(1, 2), forged.checkpoint(2), o, key)) << "the clock caught up";
}

TEST_F(Replica, AnEntrySignedByTheLogsOwnCheckpointKeyIsRefused) {
  HandLog forged{OTHER_ORIGIN, checkpointKey(OTHER_ORIGIN, 5), {}, {}};
  forged.add(testing::grantDecision(OTHER_ORIGIN, T0, official.publicKey(), "daemon", {&forged.key.keyPair()}), T0);
  EXPECT_EQ(send(OTHER_ORIGIN, 0, forged.slice(0, 1), forged.checkpoint(1), {}, forged.key.verifier()).error().reason,
            Reason::CHECKPOINT_KEY_SIGNED);
  EXPECT_EQ(held(OTHER_ORIGIN), Held{});
}

TEST_F(Replica, AFrozenLogTakesNoMoreEntries) {
  grow({3});
  replica.addEvidence(store::Evidence{ORIGIN, "held", "conflicting", T0, "a test's equivocation"});
  const Held before = held();
  EXPECT_EQ(sendRange(0, 3).error().reason, Reason::LOG_FROZEN);
  EXPECT_EQ(held(), before);
  EXPECT_FALSE(replica.snapshot().log(ORIGIN));
}

TEST_F(Replica, EvidenceAgainstAnotherLogFreezesOnlyThatLog) {
  grow({3});
  replica.addEvidence(store::Evidence{OTHER_ORIGIN, "held", "conflicting", T0, "a test's equivocation"});
  EXPECT_TRUE(sendRange(0, 3));
}

TEST_F(Replica, TheAdmissionIsAskedInLogOrderWithEachEntrysTime) {
  grow({2, 3});
  RecordingAdmission admission;
  auto o = options();
  o.admission = &admission;
  ASSERT_TRUE(send(ORIGIN, 0, entries(0, 2), checkpoint(2), o));
  ASSERT_TRUE(send(ORIGIN, 2, entries(2, 5), checkpoint(5), o));
  ASSERT_EQ(admission.asked.size(), 5u);
  for (std::uint64_t i = 0; i < 5; ++i) {
    auto stored = *source.snapshot().entry(ORIGIN, i);
    auto checked = checkEntry(stored, i, ORIGIN).value();
    EXPECT_EQ(admission.asked[i].origin, ORIGIN);
    EXPECT_EQ(admission.asked[i].decisionHash, checked.decisionHash) << "question " << i;
    EXPECT_EQ(admission.asked[i].sequencedAt, checked.sequencedAt);
  }
  EXPECT_EQ(admission.asked[0].sequencedAt, T0);
  EXPECT_EQ(admission.asked[2].sequencedAt, T0 + 60);
}

TEST_F(Replica, ABatchTheAdmissionRefusesIsRefusedWithItsReasonAndWritesNothing) {
  grow({3});
  RecordingAdmission admission(1);
  auto o = options();
  o.admission = &admission;
  EXPECT_EQ(send(ORIGIN, 0, entries(0, 3), checkpoint(3), o).error().reason, Reason::SIGNER_UNKNOWN);
  EXPECT_EQ(admission.asked.size(), 2u) << "no question after the refusal";
  EXPECT_EQ(held(), Held{});
  EXPECT_TRUE(sendRange(0, 3)) << "no decision of the refused batch was indexed";
}

TEST_F(Replica, TheAdmissionIsNotAskedAboutABatchThatFailsItsOtherChecks) {
  grow({3});
  RecordingAdmission admission;
  auto o = options();
  o.admission = &admission;
  auto swapped = entries(0, 3);
  std::swap(swapped[0], swapped[2]);
  EXPECT_FALSE(send(ORIGIN, 0, swapped, checkpoint(3), o));
  auto resequenced = entries(0, 3);
  auto last = protocol::parseEntry(resequenced[2]).value();
  resequenced[2] = protocol::encodeEntry(2, last.reader().getSequencedAt() + 1, last.reader().getSigned());
  EXPECT_EQ(send(ORIGIN, 0, resequenced, checkpoint(3), o).error().reason, Reason::ROOT_MISMATCH);
  EXPECT_TRUE(admission.asked.empty());
}

TEST_F(Replica, ACheckpointSignedByAnEarlierKeyOfTheLogIsAccepted) {
  grow({3});
  const note::VerifierKey keys[] = {checkpointKey(ORIGIN, 9).verifier(), logKey.verifier()};
  std::vector<Bytes> batch = entries(0, 3);
  std::vector<ByteView> views(batch.begin(), batch.end());
  auto accepted = acceptReplica(replica, ReplicaBatch{ORIGIN, 0, views, checkpoint(3)}, keys, options());
  ASSERT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(replica.snapshot().log(ORIGIN)->size, 3u);
}

TEST_F(Replica, NoKeyAtAllIsNotChartered) {
  grow({3});
  std::vector<Bytes> batch = entries(0, 3);
  std::vector<ByteView> views(batch.begin(), batch.end());
  EXPECT_EQ(acceptReplica(replica, ReplicaBatch{ORIGIN, 0, views, checkpoint(3)},
                          std::span<const note::VerifierKey>(), options())
                .error()
                .reason,
            Reason::NOT_CHARTERED);
  EXPECT_EQ(held(), Held{});
}

// verifyCheckpoint

TEST_F(Replica, VerifyCheckpointReturnsTheSignedCheckpoint) {
  grow({3});
  auto verified = verifyCheckpoint(checkpoint(3), logKey.verifier(), ORIGIN);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified.value().size, 3u);
  EXPECT_EQ(verified.value().root, source.snapshot().log(ORIGIN)->root);
  const note::VerifierKey keys[] = {checkpointKey(ORIGIN, 9).verifier(), logKey.verifier()};
  EXPECT_EQ(verifyCheckpoint(checkpoint(3), keys, ORIGIN).value(), verified.value()) << "any of the keys";
}

TEST_F(Replica, VerifyCheckpointRefusals) {
  grow({3});
  const auto key = logKey.verifier();
  EXPECT_EQ(verifyCheckpoint("not a signed note", key, ORIGIN).error().reason, Reason::MALFORMED_NOTE);
  note::Note hello{"hello\n", {}};
  note::signNote(hello, logKey);
  EXPECT_EQ(verifyCheckpoint(note::formatNote(hello), key, ORIGIN).error().reason, Reason::MALFORMED_CHECKPOINT);
  auto altered = note::parseNote(checkpoint(3)).value();
  altered.signatures.front().signature[0] ^= 0x01;
  EXPECT_EQ(verifyCheckpoint(note::formatNote(altered), key, ORIGIN).error().reason, Reason::BAD_SIGNATURE);
  auto text = note::parseNote(checkpoint(3)).value().text;
  auto otherRoot = note::parseCheckpoint(text).value();
  otherRoot.size = 4;
  auto forgedText = note::parseNote(checkpoint(3)).value();
  forgedText.text = otherRoot.body();  // the signature no longer covers the text
  EXPECT_EQ(verifyCheckpoint(note::formatNote(forgedText), key, ORIGIN).error().reason, Reason::BAD_SIGNATURE);
  EXPECT_EQ(verifyCheckpoint(checkpoint(3), checkpointKey(ORIGIN, 9).verifier(), ORIGIN).error().reason,
            Reason::NO_TRUSTED_SIGNATURE);
  EXPECT_EQ(verifyCheckpoint(checkpoint(3), std::span<const note::VerifierKey>(), ORIGIN).error().reason,
            Reason::NO_TRUSTED_SIGNATURE);
  EXPECT_EQ(verifyCheckpoint(checkpoint(3), key, OTHER_ORIGIN).error().reason, Reason::WRONG_ORIGIN);
}

// compareCheckpoint

struct Compared : Replica {
  // SetUp: the source holds checkpoints 3, 5 and 9; the replica holds 3 and 5.
  void SetUp() override {
    grow({3, 2, 4});
    ASSERT_TRUE(sendRange(0, 3));
    ASSERT_TRUE(sendRange(3, 5));
  }
  log::Comparison compare(const std::string& signedNote) {
    auto verified = verifyCheckpoint(signedNote, logKey.verifier(), ORIGIN);
    EXPECT_TRUE(verified) << verified.error().detail;
    return compareCheckpoint(replica.snapshot(), verified.value(), signedNote, T0 + 3600);
  }
  std::string forged(std::uint64_t size) {
    return signCheckpoint(note::Checkpoint{ORIGIN, size, crypto::sha256(asBytes("another history")), {}}, logKey);
  }
  std::string truthful(std::uint64_t size) {
    auto snapshot = source.snapshot();
    return signCheckpoint(map::checkpointWith(ORIGIN, size, merkle::rootHash(*snapshot.tree(ORIGIN), size),
                                              subjectMapOf(snapshot, ORIGIN, size).root()),
                          logKey);
  }
};

TEST_F(Compared, ALogNotHeldIsUnknown) {
  testing::TempDir emptyDir;
  store::Store empty({emptyDir.path()});
  auto verified = verifyCheckpoint(checkpoint(5), logKey.verifier(), ORIGIN).value();
  auto c = compareCheckpoint(empty.snapshot(), verified, checkpoint(5), T0);
  EXPECT_EQ(c.kind, Comparison::Kind::UNKNOWN);
  EXPECT_FALSE(c.evidence);
}

TEST_F(Compared, TheHeldCheckpointIsTheSame) {
  auto c = compare(checkpoint(5));
  EXPECT_EQ(c.kind, Comparison::Kind::SAME);
  EXPECT_FALSE(c.evidence);
}

TEST_F(Compared, ASmallerCheckpointOfTheSameLogIsBehind) {
  EXPECT_EQ(compare(checkpoint(3)).kind, Comparison::Kind::BEHIND);
  EXPECT_EQ(compare(checkpoint(0)).kind, Comparison::Kind::BEHIND) << "the empty tree";
  EXPECT_EQ(compare(truthful(4)).kind, Comparison::Kind::BEHIND) << "a size the replica holds no checkpoint of";
  EXPECT_FALSE(compare(truthful(4)).evidence);
}

TEST_F(Compared, ALargerCheckpointIsAhead) {
  auto c = compare(checkpoint(9));
  EXPECT_EQ(c.kind, Comparison::Kind::AHEAD);
  EXPECT_FALSE(c.evidence);
  EXPECT_EQ(compare(forged(6)).kind, Comparison::Kind::AHEAD) << "nothing held to contradict it yet";
}

TEST_F(Compared, AnotherRootForTheHeldSizeIsAConflictWithEvidence) {
  const std::string note = forged(5);
  auto c = compare(note);
  EXPECT_EQ(c.kind, Comparison::Kind::CONFLICT);
  ASSERT_TRUE(c.evidence);
  EXPECT_EQ(c.evidence->origin, ORIGIN);
  EXPECT_EQ(c.evidence->held, checkpoint(5));
  EXPECT_EQ(c.evidence->conflicting, note);
  EXPECT_EQ(c.evidence->detectedAt, T0 + 3600);
  EXPECT_FALSE(c.evidence->detail.empty());
  EXPECT_FALSE(replica.snapshot().frozen(ORIGIN)) << "comparing records nothing";
}

TEST_F(Compared, AnotherSubjectMapForTheHeldTreeIsAConflictWithEvidence) {
  auto snapshot = source.snapshot();
  const std::string note = signCheckpoint(
      map::checkpointWith(ORIGIN, 5, merkle::rootHash(*snapshot.tree(ORIGIN), 5), subjectMapOf(snapshot, ORIGIN, 4).root()),
      logKey);
  auto c = compare(note);
  EXPECT_EQ(c.kind, Comparison::Kind::CONFLICT);
  ASSERT_TRUE(c.evidence);
  EXPECT_EQ(c.evidence->held, checkpoint(5));
  EXPECT_THAT(c.evidence->detail, HasSubstr("different subject maps"));
}

TEST_F(Compared, AnotherRootForAStoredSmallerCheckpointIsAConflict) {
  const std::string note = forged(3);
  auto c = compare(note);
  EXPECT_EQ(c.kind, Comparison::Kind::CONFLICT);
  ASSERT_TRUE(c.evidence);
  EXPECT_EQ(c.evidence->held, checkpoint(3)) << "the checkpoint of the same size";
  EXPECT_EQ(c.evidence->conflicting, note);
}

TEST_F(Compared, ASmallerSizeWhoseRootIsNotTheHeldPrefixIsAConflict) {
  const std::string note = forged(4);
  auto c = compare(note);
  EXPECT_EQ(c.kind, Comparison::Kind::CONFLICT);
  ASSERT_TRUE(c.evidence);
  EXPECT_EQ(c.evidence->held, checkpoint(5)) << "the newest checkpoint held, under which the prefix lies";
  EXPECT_EQ(c.evidence->conflicting, note);
  EXPECT_EQ(c.evidence->origin, ORIGIN);
}

}  // namespace
}  // namespace hreg::log
