#include "node/core.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "admin-cli/demo-federation.h"
#include "ledger/crypto/sha256.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/log/subject-maps.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/note.h"
#include "tests/support/keys.h"
#include "tests/support/temp-dir.h"

namespace hreg::node {
namespace {

const cli::DemoFederation DEMO(std::string(HREG_SOURCE_DIR) + "/configs/demo");
constexpr Timestamp DEMO_CLOCK_START = 1767225900;  // configs/demo/nodes/*.toml, [clock] start
const std::string ROOT = "hreg.example/root";
const std::string PROVINCE = "hreg.example/14";
const std::string PREFECTURE = "hreg.example/1409";
constexpr std::size_t ANY_BYTES = std::size_t{16} << 20;

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("core-test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// decisionsOf are the demo federation's charters and grants for the log `origin`, in order (the
// root's calendar policy left out: these tests count entries of the trust records alone).
std::vector<Bytes> decisionsOf(const std::string& origin) {
  std::vector<Bytes> out;
  for (auto& [log, bytes] : DEMO.decisions())
    if (log == origin && !protocol::parseSignedDecision(bytes).value().reader().getDecision().getBody().isPolicy())
      out.push_back(bytes);
  return out;
}

// Office is one node without the network: its own temp store and its Core.
struct Office {
  Office(const std::string& origin, const Clock& clock)
      : core(store, DEMO.checkpointKey(origin), DEMO.root(), clock, 1, quiet()) {}
  testing::TempDir dir;
  store::Store store{{dir.path()}};
  Core core;
};

struct CoreTest : ::testing::Test {
  FakeClock clock{DEMO_CLOCK_START};

  // submitAll submits the demo decisions of `office`'s own log, each accepted.
  void submitAll(Office& office) {
    for (const Bytes& d : decisionsOf(office.core.origin())) {
      auto submitted = office.core.submit(d);
      ASSERT_TRUE(submitted) << submitted.error().detail;
    }
  }
  // send serves `from`'s entries of `origin` from `at` and has `to` receive them.
  Result<Received> send(Office& from, Office& to, const std::string& origin, std::uint64_t at,
                        std::uint32_t limit = 1024, bool cosign = false) {
    auto batch = from.core.serve(origin, at, limit, 65536, ANY_BYTES);
    if (!batch) return outcome::failure(batch.error());
    log::ReplicaBatch replica{origin, batch.value().from, batch.value().entries, batch.value().checkpoint};
    return to.core.receive(replica, batch.value().cosignatures, cosign);
  }
  // sendAll sends `origin` until `to` holds all that `from` holds.
  void sendAll(Office& from, Office& to, const std::string& origin, bool cosign = false) {
    const std::uint64_t size = from.core.head(origin)->size;
    for (std::uint64_t at = heldSize(to, origin); at < size; at = heldSize(to, origin)) {
      auto received = send(from, to, origin, at, 1024, cosign);
      ASSERT_TRUE(received) << received.error().detail;
    }
  }
  static std::uint64_t heldSize(const Office& office, const std::string& origin) {
    auto head = office.core.head(origin);
    return head ? head->size : 0;
  }
  static std::string checkpointOf(const Office& office, const std::string& origin, std::uint64_t size) {
    return office.core.snapshot().checkpoint(origin, size).value_or("");
  }
  std::string forged(const std::string& origin, std::uint64_t size) const {
    return log::signCheckpoint(note::Checkpoint{origin, size, crypto::sha256(asBytes("another history")), {}},
                               DEMO.checkpointKey(origin));
  }
};

TEST_F(CoreTest, TheRootAdmitsItsDemoDecisionsWithProofs) {
  Office root(ROOT, clock);
  const auto decisions = decisionsOf(ROOT);
  ASSERT_EQ(decisions.size(), 2u) << "the charters of 14 and 65";
  for (std::uint64_t i = 0; i < decisions.size(); ++i) {
    auto submitted = root.core.submit(decisions[i]);
    ASSERT_TRUE(submitted) << submitted.error().detail;
    EXPECT_EQ(submitted.value().index, i);
    auto checkpoint = log::verifyCheckpoint(submitted.value().checkpoint, DEMO.checkpointKey(ROOT).verifier(), ROOT);
    ASSERT_TRUE(checkpoint) << checkpoint.error().detail;
    EXPECT_EQ(checkpoint.value().size, i + 1);
    EXPECT_TRUE(merkle::verifyInclusion(submitted.value().leafHash, i, i + 1, submitted.value().proof,
                                        checkpoint.value().root));
  }
  auto head = root.core.head(ROOT);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 2u);
  EXPECT_FALSE(head->frozen);
  EXPECT_EQ(root.core.submit(decisions[0]).error().reason, Reason::DUPLICATE_DECISION);
  EXPECT_EQ(root.core.submit(decisionsOf(PROVINCE)[0]).error().reason, Reason::WRONG_ORIGIN);
  EXPECT_EQ(root.core.head(ROOT)->size, 2u);
}

TEST_F(CoreTest, AProvinceAdmitsItsOwnGrantOnlyAfterReceivingTheRootLog) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  const auto own = decisionsOf(PROVINCE);
  ASSERT_EQ(own.size(), 2u) << "the charter of 1409 and the grant of 14's culture official";
  EXPECT_EQ(province.core.submit(own[0]).error().reason, Reason::NOT_CHARTERED)
      << "the province does not know its own charter yet";
  EXPECT_EQ(province.core.head(PROVINCE)->size, 0u);

  auto received = send(root, province, ROOT, 0);
  ASSERT_TRUE(received) << received.error().detail;
  EXPECT_EQ(received.value().checkpoint.size, 2u);
  EXPECT_FALSE(received.value().cosignature) << "not asked to cosign";
  EXPECT_EQ(checkpointOf(province, ROOT, 2), checkpointOf(root, ROOT, 2));
  EXPECT_EQ(province.core.head(ROOT)->root, root.core.head(ROOT)->root);

  for (const Bytes& d : own) {
    auto submitted = province.core.submit(d);
    ASSERT_TRUE(submitted) << submitted.error().detail;
  }
  EXPECT_EQ(province.core.head(PROVINCE)->size, 2u);
  EXPECT_TRUE(province.core.authority().nodeAt(PROVINCE, clock.now()));
}

TEST_F(CoreTest, AReceivedBatchIsCosignedOnceAndTheReceiptKeptOnceBySender) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  submitAll(province);
  clock.advance(42);

  // Filing: the root receives the province's log and cosigns it.
  auto received = send(province, root, PROVINCE, 0, 1024, true);
  ASSERT_TRUE(received) << received.error().detail;
  ASSERT_TRUE(received.value().cosignature);
  const std::string line = *received.value().cosignature;
  EXPECT_TRUE(line.starts_with("\xe2\x80\x94 " + ROOT + " ")) << line;  // U+2014, the root's name
  EXPECT_EQ(Core::cosignatureTime(line), DEMO_CLOCK_START + 42);
  EXPECT_EQ(root.core.head(PROVINCE)->cosignatures, std::vector<std::string>{line}) << "the receiver keeps its own";

  // The receipt goes back down to the province, which keeps it once.
  const std::uint64_t size = received.value().checkpoint.size;
  const std::string lines[] = {line};
  EXPECT_EQ(province.core.addCosignatures(PROVINCE, size, lines), 1u);
  EXPECT_EQ(province.core.addCosignatures(PROVINCE, size, lines), 0u);
  EXPECT_EQ(province.core.head(PROVINCE)->cosignatures, std::vector<std::string>{line});
  // And serves it with the checkpoint it is on.
  auto batch = province.core.serve(PROVINCE, 0, 1024, 65536, ANY_BYTES);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch.value().cosignatures, std::vector<std::string>{line});
}

TEST_F(CoreTest, ABatchCheckedElsewhereIsCommittedOnItsVerdictOnlyUnderTheKeysItWasCheckedWith) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  auto batch = root.core.serve(ROOT, 0, 1024, 65536, ANY_BYTES);
  ASSERT_TRUE(batch);
  const log::ReplicaBatch replica{ROOT, 0, batch.value().entries, batch.value().checkpoint};
  auto keys = province.core.checkpointKeysOf(ROOT);
  ASSERT_TRUE(keys);

  // A refusal reached on the checking thread is the batch's refusal: nothing is kept.
  const Result<log::CheckedBatch> refused = refuse(Reason::BAD_SIGNATURE, "entry 1: checked elsewhere");
  auto received = province.core.receive(replica, {}, false, &refused, keys.value());
  ASSERT_FALSE(received);
  EXPECT_EQ(received.error().reason, Reason::BAD_SIGNATURE);
  EXPECT_EQ(heldSize(province, ROOT), 0u);

  // A verdict reached under other keys (a charter changed meanwhile) is not trusted: checked again.
  received = province.core.receive(replica, {}, false, &refused, {});
  ASSERT_TRUE(received) << received.error().detail;
  EXPECT_EQ(heldSize(province, ROOT), 2u);

  // A passing verdict commits the checked entries, after the checks that need what is held.
  Office other(PROVINCE, clock);
  const Result<log::CheckedBatch> checked = log::checkReplica(replica, keys.value(), 2);
  ASSERT_TRUE(checked) << checked.error().detail;
  received = other.core.receive(replica, {}, false, &checked, keys.value());
  ASSERT_TRUE(received) << received.error().detail;
  EXPECT_EQ(other.core.head(ROOT)->root, root.core.head(ROOT)->root);
  received = other.core.receive(replica, {}, false, &checked, keys.value());
  ASSERT_FALSE(received) << "the same batch again";
  EXPECT_EQ(received.error().reason, Reason::WRONG_INDEX);
}

TEST_F(CoreTest, CosignaturesThatDoNotVerifyAreDropped) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  submitAll(province);
  auto received = send(province, root, PROVINCE, 0, 1024, true);
  ASSERT_TRUE(received);
  const std::string line = *received.value().cosignature;
  const std::uint64_t size = received.value().checkpoint.size;
  std::string altered = line;
  altered[altered.size() - 5] = altered[altered.size() - 5] == 'A' ? 'B' : 'A';
  const std::string bad[] = {altered, "not a signature line", line.substr(0, line.size() - 10) + "\n"};
  EXPECT_EQ(province.core.addCosignatures(PROVINCE, size, bad), 0u);
  EXPECT_TRUE(province.core.head(PROVINCE)->cosignatures.empty());
  const std::string good[] = {line};
  EXPECT_EQ(province.core.addCosignatures(PROVINCE, size + 1, good), 0u) << "no checkpoint of that size";
  EXPECT_EQ(province.core.addCosignatures("hreg.example/65", 1, good), 0u) << "a log not held";
}

TEST_F(CoreTest, CosignatureTimeReadsOnlyCosignatureLines) {
  Office root(ROOT, clock);
  submitAll(root);
  EXPECT_FALSE(Core::cosignatureTime("not a line"));
  // A checkpoint's own signature line is Ed25519 (64 bytes), not a timestamped cosignature.
  auto note = note::parseNote(checkpointOf(root, ROOT, 2)).value();
  auto checkpointLine = note::formatNote(note::Note{"", note.signatures}).substr(1);
  EXPECT_FALSE(Core::cosignatureTime(checkpointLine));
}

TEST_F(CoreTest, WitnessSaysWhereACheckpointStandsAgainstTheReplica) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  ASSERT_TRUE(send(root, province, ROOT, 0, 1));
  EXPECT_EQ(province.core.head(ROOT)->size, 1u) << "a batch of one entry ends at the checkpoint of size 1";
  EXPECT_EQ(province.core.witness(checkpointOf(root, ROOT, 2)).value(), log::Comparison::Kind::AHEAD);
  sendAll(root, province, ROOT);
  EXPECT_EQ(province.core.witness(checkpointOf(root, ROOT, 2)).value(), log::Comparison::Kind::SAME);
  EXPECT_EQ(province.core.witness(checkpointOf(root, ROOT, 1)).value(), log::Comparison::Kind::BEHIND);
  EXPECT_EQ(province.core.witness(checkpointOf(root, ROOT, 0)).value(), log::Comparison::Kind::BEHIND);
  EXPECT_TRUE(province.core.evidence().empty());
}

TEST_F(CoreTest, WitnessRefusesWhatItCannotJudge) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  // 65 is chartered in the root log, but the province holds none of its log.
  EXPECT_EQ(province.core.witness(forged("hreg.example/65", 3)).error().reason, Reason::INDEX_OUT_OF_RANGE);
  EXPECT_EQ(province.core.witness(forged("hreg.example/6542", 3)).error().reason, Reason::NOT_CHARTERED)
      << "the province has not received 65's log, where 6542's charter is";
  auto byAnotherKey = log::signCheckpoint(note::Checkpoint{ROOT, 2, root.core.head(ROOT)->root, {}},
                                          note::SignerKey::fromSeed(ROOT, note::KeyType::ED25519, crypto::Seed{9}));
  EXPECT_EQ(province.core.witness(byAnotherKey).error().reason, Reason::NO_TRUSTED_SIGNATURE);
  EXPECT_EQ(province.core.witness("garbage").error().reason, Reason::MALFORMED_NOTE);
  EXPECT_TRUE(province.core.evidence().empty());
  EXPECT_FALSE(province.core.head(ROOT)->frozen);
}

TEST_F(CoreTest, AForgedCheckpointOfTheHeldSizeIsEquivocationAndFreezesTheLog) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  clock.advance(7);
  const std::string fork = forged(ROOT, 2);
  EXPECT_EQ(province.core.witness(fork).error().reason, Reason::EQUIVOCATION);
  auto evidence = province.core.evidence();
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].origin, ROOT);
  EXPECT_EQ(evidence[0].held, checkpointOf(root, ROOT, 2));
  EXPECT_EQ(evidence[0].conflicting, fork);
  EXPECT_EQ(evidence[0].detectedAt, DEMO_CLOCK_START + 7);
  EXPECT_TRUE(province.core.head(ROOT)->frozen);
  EXPECT_FALSE(province.core.head(PROVINCE)->frozen) << "only the log that equivocated";
  EXPECT_TRUE(province.core.submit(decisionsOf(PROVINCE)[0])) << "the province's own log goes on";
}

TEST_F(CoreTest, AFrozenReplicaReceivesNothingMore) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  ASSERT_TRUE(send(root, province, ROOT, 0, 1));
  EXPECT_EQ(province.core.witness(forged(ROOT, 1)).error().reason, Reason::EQUIVOCATION);
  auto refused = send(root, province, ROOT, 1);
  ASSERT_FALSE(refused) << "a frozen log took a batch";
  EXPECT_EQ(refused.error().reason, Reason::LOG_FROZEN);
  EXPECT_EQ(province.core.head(ROOT)->size, 1u);
}

TEST_F(CoreTest, ABatchWhoseSignedCheckpointCommitsToAFalseSubjectMapIsKeptAsEvidence) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  auto batch = root.core.serve(ROOT, 0, 1024, 65536, ANY_BYTES);
  ASSERT_TRUE(batch);
  const std::uint64_t size = batch.value().from + batch.value().entries.size();
  // The root's key signs its true tree with a map that leaves its newest entry out.
  auto snapshot = root.core.snapshot();
  const std::string lie = log::signCheckpoint(
      map::checkpointWith(ROOT, size, root.core.head(ROOT)->root, log::subjectMapOf(snapshot, ROOT, size - 1).root()),
      DEMO.checkpointKey(ROOT));
  auto refused = province.core.receive(log::ReplicaBatch{ROOT, 0, batch.value().entries, lie}, {}, true);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, Reason::MAP_MISMATCH);
  EXPECT_FALSE(province.core.head(ROOT) && province.core.head(ROOT)->size > 0) << "nothing of the batch is kept";
  auto evidence = province.core.evidence();
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].conflicting, lie);
  EXPECT_NE(evidence[0].detail.find("subject map"), std::string::npos) << evidence[0].detail;
  EXPECT_EQ(send(root, province, ROOT, 0).error().reason, Reason::LOG_FROZEN) << "frozen, as after equivocation";
}

TEST_F(CoreTest, AForgedCheckpointOfTheOwnLogStopsSubmissions) {
  Office root(ROOT, clock);
  const auto decisions = decisionsOf(ROOT);
  ASSERT_TRUE(root.core.submit(decisions[0]));
  EXPECT_EQ(root.core.witness(forged(ROOT, 1)).error().reason, Reason::EQUIVOCATION);
  EXPECT_EQ(root.core.submit(decisions[1]).error().reason, Reason::LOG_FROZEN);
  EXPECT_EQ(root.core.head(ROOT)->size, 1u);
}

TEST_F(CoreTest, HeldSubmissionsAreRefusedNotReadyUntilReleased) {
  Office root(ROOT, clock);
  const auto decisions = decisionsOf(ROOT);
  EXPECT_FALSE(root.core.submissionsHeld());
  root.core.holdSubmissions("waiting for the parent to confirm the own log");
  EXPECT_TRUE(root.core.submissionsHeld());
  EXPECT_EQ(root.core.holdReason(), "waiting for the parent to confirm the own log");
  EXPECT_EQ(root.core.submit(decisions[0]).error().reason, Reason::NODE_NOT_READY);
  EXPECT_EQ(root.core.head(ROOT)->size, 0u);
  root.core.holdSubmissions("");
  EXPECT_FALSE(root.core.submissionsHeld());
  auto submitted = root.core.submit(decisions[0]);
  ASSERT_TRUE(submitted) << submitted.error().detail;
  EXPECT_EQ(submitted.value().index, 0u);
}

TEST_F(CoreTest, ServeEndsAtAStoredCheckpointWithinItsLimits) {
  Office root(ROOT, clock);
  submitAll(root);  // checkpoints of sizes 0, 1 and 2: one per submission
  auto all = root.core.serve(ROOT, 0, 1024, 65536, ANY_BYTES);
  ASSERT_TRUE(all);
  EXPECT_EQ(all.value().from, 0u);
  EXPECT_EQ(all.value().entries.size(), 2u);
  EXPECT_EQ(all.value().checkpoint, checkpointOf(root, ROOT, 2));
  auto one = root.core.serve(ROOT, 0, 1, 65536, ANY_BYTES);
  ASSERT_TRUE(one);
  EXPECT_EQ(one.value().entries.size(), 1u);
  EXPECT_EQ(one.value().checkpoint, checkpointOf(root, ROOT, 1));
  auto rest = root.core.serve(ROOT, 1, 1024, 65536, ANY_BYTES);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest.value().from, 1u);
  EXPECT_EQ(rest.value().entries.size(), 1u);
  auto entry1 = *root.core.snapshot().entry(ROOT, 1);
  EXPECT_TRUE(std::equal(entry1.begin(), entry1.end(), rest.value().entries[0].begin(), rest.value().entries[0].end()));
  EXPECT_EQ(root.core.serve(ROOT, 2, 1024, 65536, ANY_BYTES).error().reason, Reason::INDEX_OUT_OF_RANGE);
  EXPECT_EQ(root.core.serve("hreg.example/65", 0, 1024, 65536, ANY_BYTES).error().reason,
            Reason::INDEX_OUT_OF_RANGE);
}

TEST_F(CoreTest, ServeEndsAtAnEarlierCheckpointWhenTheBatchExceedsItsBytes) {
  Office root(ROOT, clock);
  submitAll(root);
  const std::size_t first = root.core.snapshot().entry(ROOT, 0)->size();
  const std::size_t second = root.core.snapshot().entry(ROOT, 1)->size();
  auto both = root.core.serve(ROOT, 0, 1024, 65536, first + second + 32);
  ASSERT_TRUE(both);
  EXPECT_EQ(both.value().entries.size(), 2u) << "each entry counts its bytes and 16 of framing";
  auto earlier = root.core.serve(ROOT, 0, 1024, 65536, first + second + 31);
  ASSERT_TRUE(earlier);
  EXPECT_EQ(earlier.value().entries.size(), 1u);
  EXPECT_EQ(earlier.value().checkpoint, checkpointOf(root, ROOT, 1));
  EXPECT_EQ(root.core.serve(ROOT, 0, 1024, 65536, first + 15).error().reason, Reason::LIMIT_EXCEEDED)
      << "not even the first entry fits";
}

TEST_F(CoreTest, ServeRefusesWhenNoCheckpointFitsItsLimits) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  const auto own = decisionsOf(PROVINCE);
  std::vector<ByteView> views(own.begin(), own.end());
  auto appended = province.core.appendMany(views);  // one checkpoint, of size 2
  ASSERT_TRUE(appended.results[0] && appended.results[1]);
  const std::size_t first = province.core.snapshot().entry(PROVINCE, 0)->size();
  EXPECT_EQ(province.core.serve(PROVINCE, 0, 1024, 65536, first + 16).error().reason, Reason::LIMIT_EXCEEDED)
      << "the first entry fits, but no checkpoint ends there";
  auto beyond = province.core.serve(PROVINCE, 0, 1, 65536, ANY_BYTES);
  ASSERT_TRUE(beyond) << "up to the first checkpoint beyond the limit, within the hard limit";
  EXPECT_EQ(beyond.value().entries.size(), 2u);
  EXPECT_EQ(province.core.serve(PROVINCE, 0, 1, 1, ANY_BYTES).error().reason, Reason::LIMIT_EXCEEDED);
}

TEST_F(CoreTest, AReceivedBatchTheViewsRefuseIsNotKept) {
  Office root(ROOT, clock), stranger(PROVINCE, clock), other(ROOT, clock);
  submitAll(root);
  // The root log, but only from its second entry: the batch does not start at the held size.
  auto refused = send(root, stranger, ROOT, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, Reason::WRONG_INDEX);
  EXPECT_FALSE(stranger.core.head(ROOT));
  // A log no charter names yet cannot be verified: the province's log sent to a node that never
  // saw its charter.
  sendAll(root, stranger, ROOT);
  submitAll(stranger);
  auto unchartered = send(stranger, other, PROVINCE, 0);
  ASSERT_FALSE(unchartered);
  EXPECT_EQ(unchartered.error().reason, Reason::NOT_CHARTERED);
  EXPECT_FALSE(other.core.head(PROVINCE));
}

TEST_F(CoreTest, ReceiveKeepsTheVerifiedCosignaturesThatCameWithTheBatch) {
  Office root(ROOT, clock), province(PROVINCE, clock), prefecture(PREFECTURE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  submitAll(province);
  auto filed = send(province, root, PROVINCE, 0, 1024, true);
  ASSERT_TRUE(filed);
  const std::string line = *filed.value().cosignature;
  const std::string lines[] = {line};
  ASSERT_EQ(province.core.addCosignatures(PROVINCE, filed.value().checkpoint.size, lines), 1u);

  // Policy down: the prefecture takes the root's log, then its province's, with the root's receipt.
  sendAll(root, prefecture, ROOT);
  auto batch = province.core.serve(PROVINCE, 0, 1024, 65536, ANY_BYTES);
  ASSERT_TRUE(batch);
  std::vector<std::string> withBatch = batch.value().cosignatures;
  ASSERT_EQ(withBatch, std::vector<std::string>{line});
  withBatch.push_back(line.substr(0, line.size() - 10) + "\n");  // a broken one is dropped, not fatal
  auto received = prefecture.core.receive(
      log::ReplicaBatch{PROVINCE, 0, batch.value().entries, batch.value().checkpoint}, withBatch, false);
  ASSERT_TRUE(received) << received.error().detail;
  EXPECT_EQ(prefecture.core.head(PROVINCE)->cosignatures, std::vector<std::string>{line});
}

TEST_F(CoreTest, ABatchTheAdmissionRefusesHalfwayLeavesNoTraceInTheViews) {
  Office province(PROVINCE, clock);
  const auto rootDecisions = decisionsOf(ROOT);
  // The root log as a forger with the root's checkpoint key would write it: the charter of 14, then
  // the charter of 65 signed by one root key of the two the trust root requires.
  auto charter65 = protocol::parseSignedDecision(rootDecisions[1]).value();
  capnp::MallocMessageBuilder unsigned65;
  unsigned65.initRoot<schema::SignedDecision>().setDecision(charter65.reader().getDecision());
  auto draft = protocol::canonicalBytes(unsigned65.getRoot<schema::SignedDecision>().asReader());
  auto rootKey = DEMO.key("root-1.key");
  Bytes oneSignature = log::addSignature(protocol::parseSignedDecision(draft).value().reader(), rootKey);
  std::vector<Bytes> entries;
  merkle::MemoryTree tree;
  const Bytes* signedDecisions[] = {&rootDecisions[0], &oneSignature};
  for (const Bytes* d : signedDecisions) {
    entries.push_back(protocol::encodeEntry(entries.size(), clock.now(),
                                            protocol::parseSignedDecision(*d).value().reader()));
    tree.appendLeaf(entries.back());
  }
  std::vector<ByteView> views(entries.begin(), entries.end());
  map::SubjectMap subjects;  // its checkpoint commits to the true subject map: only the charter is wrong
  for (std::size_t i = 0; i < entries.size(); ++i)
    log::recordEntry(subjects, i, protocol::parseEntry(entries[i]).value().reader(), merkle::leafHash(entries[i]));
  const std::string checkpoint =
      log::signCheckpoint(map::checkpointWith(ROOT, 2, tree.root(), subjects.root()), DEMO.checkpointKey(ROOT));
  auto refused = province.core.receive(log::ReplicaBatch{ROOT, 0, views, checkpoint}, {}, false);
  ASSERT_FALSE(refused) << "a charter with one root signature was accepted";
  EXPECT_EQ(refused.error().reason, Reason::BELOW_THRESHOLD);
  EXPECT_FALSE(province.core.head(ROOT));
  // The views were asked about the charter of 14 before the refusal; they must not remember it.
  EXPECT_FALSE(province.core.authority().nodeAt(PROVINCE, clock.now()));
  EXPECT_EQ(province.core.submit(decisionsOf(PROVINCE)[0]).error().reason, Reason::NOT_CHARTERED);
  // The real root log is then taken whole, its charter of 65 included.
  Office root(ROOT, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  EXPECT_TRUE(province.core.submit(decisionsOf(PROVINCE)[0]));
}

// charterOfBeijing is a new charter in the root log, signed by two of the three root keys.
Bytes charterOfBeijing(Timestamp at) {
  auto first = DEMO.key("root-1.key"), second = DEMO.key("root-2.key");
  auto checkpointKey = testing::labelledKey("checkpoint 11"), authority = testing::labelledKey("authority 11");
  return log::signedDecision(ROOT, at, [&](schema::Body::Builder body) {
    auto c = body.initCharter();
    c.setCode("11");
    c.setLevel(schema::Level::PROVINCE);
    c.setName("北京市");
    c.setOrigin("hreg.example/11");
    c.setCheckpointKey(capnp::Data::Reader(checkpointKey.publicKey().data(), checkpointKey.publicKey().size()));
    c.initAuthorityKeys(1).set(0, capnp::Data::Reader(authority.publicKey().data(), authority.publicKey().size()));
    c.setAuthorityThreshold(1);
    c.setValidFrom(at);
  }, {&first, &second});
}

TEST_F(CoreTest, AnOwnLogRecoveredFromAReplicaGoesOnWhereItStopped) {
  Office root(ROOT, clock), province(PROVINCE, clock);
  submitAll(root);
  sendAll(root, province, ROOT);
  // The root's disk is lost: a new store, whose own log the province's copy restores.
  Office recovered(ROOT, clock);
  EXPECT_EQ(recovered.core.head(ROOT)->size, 0u);
  recovered.core.holdSubmissions("recovering the own log");
  sendAll(province, recovered, ROOT);
  recovered.core.reloadOwnLog();
  recovered.core.holdSubmissions("");
  EXPECT_EQ(recovered.core.head(ROOT)->root, root.core.head(ROOT)->root);
  EXPECT_EQ(recovered.core.submit(decisionsOf(ROOT)[1]).error().reason, Reason::DUPLICATE_DECISION);
  auto next = recovered.core.submit(charterOfBeijing(clock.now()));
  ASSERT_TRUE(next) << next.error().detail;
  EXPECT_EQ(next.value().index, 2u);
  // The province takes the recovered log's next batch: one history, not two.
  auto received = send(recovered, province, ROOT, 2);
  ASSERT_TRUE(received) << received.error().detail;
  EXPECT_EQ(received.value().checkpoint.size, 3u);
  EXPECT_TRUE(province.core.authority().nodeAt("hreg.example/11", clock.now()));
}

}  // namespace
}  // namespace hreg::node
