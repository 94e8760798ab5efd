// hreg-node as the federation runs it: the demo federation's offices as real processes on loopback,
// each with its own store, replicating over TLS (node-interface.md). A township's log is filed and
// cosigned up to its province; a province's policy reaches its townships; a node killed mid-batch or
// down for a while catches up without loss or duplicates; a forked log is frozen with evidence; the
// peer port survives garbage and refuses keys no charter pins.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "ledger/log/audit.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/note.h"
#include "ledger/store/store.h"
#include "protocol/canonical.h"
#include "tests/node/support/federation.h"
#include "tests/node/support/peer-client.h"

namespace hreg::testing {
namespace {

const std::vector<std::string> XINZHOU{ROOT, "14", "1409", "140902", "140902001"};
const std::vector<std::string> TACHENG{"65", "6542", "654201", "654201001"};
const std::string TOWNSHIP = "140902001";
const std::string COUNTY = "140902";
const std::string PREFECTURE = "1409";
const std::string PROVINCE = "14";

// HeldLog is what a node's GET /v1/log says of one log it holds.
struct HeldLog {
  std::uint64_t size = 0;
  std::string root;  // hex
  std::string checkpoint;
  std::vector<std::string> cosignatures;
  bool frozen = false;

  // cosignedBy: a stored cosignature line ("— <name> <base64>") is by the log `origin`'s node.
  bool cosignedBy(const std::string& origin) const {
    for (const std::string& line : cosignatures)
      if (line.starts_with("\xe2\x80\x94 " + origin + " ")) return true;  // U+2014 EM DASH
    return false;
  }
  bool sameTree(const HeldLog& other) const { return size == other.size && root == other.root; }
};

std::string describe(const std::optional<HeldLog>& log) {
  if (!log) return "not held";
  std::string out = "size " + std::to_string(log->size) + ", root " + log->root + (log->frozen ? ", frozen" : "") +
                    ", cosignatures:";
  for (const std::string& line : log->cosignatures) out += " [" + line.substr(0, line.find_last_of(' ')) + "]";
  return out;
}

// heldLog is `node`'s copy of the log `origin`, or nullopt when it holds none (or answers nonsense).
std::optional<HeldLog> heldLog(const NodeProcess& node, const std::string& origin) {
  auto j = node.heldLog(origin);
  if (!j) return std::nullopt;
  try {
    HeldLog log{j->at("size").get<std::uint64_t>(), j->at("root").get<std::string>(),
                j->at("checkpoint").get<std::string>(), j->at("cosignatures").get<std::vector<std::string>>(),
                j->at("frozen").get<bool>()};
    return log;
  } catch (const nlohmann::json::exception& e) {
    ADD_FAILURE() << node.origin() << " answered GET /v1/log?origin=" << origin << " with " << j->dump() << ": "
                  << e.what();
    return std::nullopt;
  }
}

// verifiedCheckpoint parses a signed checkpoint note and checks it is signed by the key `verifierKey`.
Result<note::Checkpoint> verifiedCheckpoint(const std::string& signedNote, const std::string& verifierKey) {
  auto key = note::parseVerifierKey(verifierKey);
  if (!key) return key.error();
  auto parsed = note::parseNote(signedNote);
  if (!parsed) return parsed.error();
  std::vector<note::VerifierKey> trusted{key.value()};
  if (auto signers = note::verifyNote(parsed.value(), trusted); !signers) return signers.error();
  return note::parseCheckpoint(parsed.value().text);
}

// entryAt is entry `index` of the log `origin` as `node` serves it (GET /v1/entry), in base64.
std::string entryAt(const NodeProcess& node, const std::string& origin, std::uint64_t index) {
  auto r = node.get("/v1/entry?origin=" + origin + "&index=" + std::to_string(index));
  EXPECT_EQ(r.status, 200) << node.origin() << ": " << r.describe();
  if (r.status != 200) return "";
  return r.json().value("entry", "");
}

class NodeFederation : public ::testing::Test {
 protected:
  std::unique_ptr<Federation> federation;

  // run starts the nodes `codes` (parents first) and appends the demo's charters and grants.
  void run(const std::vector<std::string>& codes) {
    federation = std::make_unique<Federation>(codes);
    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
  }
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll()) << "every node exits 0 on SIGTERM";
    }
  }
  NodeProcess& node(const std::string& code) { return federation->node(code); }

  // appoint appends a new grant at the node `code` (an official labelled `label`) and returns the
  // node's receipt: index, leaf hash, signed checkpoint and inclusion proof.
  nlohmann::json appoint(const std::string& code, const std::string& label) {
    Response accepted;
    EXPECT_TRUE(federation->submitUntilAccepted(originOf(code), federation->grant(code, label), CONVERGENCE, &accepted));
    return accepted.status == 200 ? accepted.json() : nlohmann::json();
  }

  // ownLog is the node `code`'s own log as it serves it.
  HeldLog ownLog(const std::string& code) {
    auto log = heldLog(node(code), originOf(code));
    EXPECT_TRUE(log) << code << " does not serve its own log";
    return log.value_or(HeldLog{});
  }

  // waitHolds waits until the node `code` holds the log `origin` at exactly `expected`'s size and root.
  ::testing::AssertionResult waitHolds(const std::string& code, const std::string& origin, const HeldLog& expected) {
    std::optional<HeldLog> seen;
    return waitUntil(
        [&] {
          seen = heldLog(node(code), origin);
          return seen && seen->sameTree(expected);
        },
        CONVERGENCE, code + " holds " + origin + " at size " + std::to_string(expected.size) + ", root " + expected.root,
        [&] { return describe(seen); });
  }
};

// Scenario a: filing (备案) up the chain, a cosignature from every level on the township's checkpoint.
TEST_F(NodeFederation, AnEntryAppendedAtATownshipIsFiledAndCosignedAtEveryLevelUpToItsProvince) {
  std::vector<std::string> both = XINZHOU;
  both.insert(both.end(), TACHENG.begin(), TACHENG.end());
  ASSERT_NO_FATAL_FAILURE(run(both));
  struct Chain {
    std::string township, county, prefecture, province;
  };
  for (const Chain& chain : {Chain{"140902001", "140902", "1409", "14"}, Chain{"654201001", "654201", "6542", "65"}}) {
    SCOPED_TRACE("the chain of " + chain.township);
    const std::string origin = originOf(chain.township);
    auto receipt = appoint(chain.township, "an official appointed at " + chain.township);
    ASSERT_TRUE(receipt.is_object());

    // The receipt proves the entry: its leaf is in the checkpoint the township signed.
    auto signedTree = verifiedCheckpoint(receipt.value("checkpoint", ""), federation->verifierKey(chain.township));
    ASSERT_TRUE(signedTree) << signedTree.error().detail << "\n" << receipt.dump();
    auto index = receipt.at("index").get<std::uint64_t>();
    auto leaf = fromHex(receipt.at("leaf_hash").get<std::string>());
    ASSERT_TRUE(leaf && leaf->size() == merkle::HASH_BYTES) << receipt.dump();
    std::vector<Bytes> proofBytes;
    for (const auto& h : receipt.at("inclusion_proof")) proofBytes.push_back(fromHex(h.get<std::string>()).value_or(Bytes{}));
    auto proof = merkle::proofFromBytes(proofBytes);
    ASSERT_TRUE(proof) << proof.error().detail;
    merkle::Hash leafHash;
    std::copy(leaf->begin(), leaf->end(), leafHash.begin());
    auto included = merkle::verifyInclusion(leafHash, index, signedTree.value().size, proof.value(), signedTree.value().root);
    EXPECT_TRUE(included) << included.error().detail;

    HeldLog township = ownLog(chain.township);
    EXPECT_EQ(township.size, signedTree.value().size) << "no one else appends to the township's log";
    EXPECT_EQ(township.root, toHex(signedTree.value().root));

    // At the province: the township's tree, under the township's own signature, cosigned by every level.
    std::optional<HeldLog> filed;
    ASSERT_TRUE(waitUntil(
        [&] {
          filed = heldLog(node(chain.province), origin);
          return filed && filed->sameTree(township) && filed->cosignedBy(originOf(chain.county)) &&
                 filed->cosignedBy(originOf(chain.prefecture)) && filed->cosignedBy(originOf(chain.province));
        },
        CONVERGENCE,
        chain.province + " holds " + origin + " at size " + std::to_string(township.size) + " cosigned by " +
            chain.county + ", " + chain.prefecture + " and " + chain.province,
        [&] { return describe(filed); }));
    auto provinceTree = verifiedCheckpoint(filed->checkpoint, federation->verifierKey(chain.township));
    ASSERT_TRUE(provinceTree) << provinceTree.error().detail;
    EXPECT_EQ(provinceTree.value().size, township.size);
    EXPECT_EQ(toHex(provinceTree.value().root), township.root);
    EXPECT_FALSE(filed->frozen);

    // The township holds its filing receipt: its parent's cosignature on its own checkpoint.
    std::optional<HeldLog> receipted;
    EXPECT_TRUE(waitUntil(
        [&] {
          receipted = heldLog(node(chain.township), origin);
          return receipted && receipted->sameTree(township) && receipted->cosignedBy(originOf(chain.county));
        },
        CONVERGENCE, chain.township + " holds " + chain.county + "'s cosignature on its checkpoint",
        [&] { return describe(receipted); }));

    // The entry itself, byte for byte, and it is the leaf the receipt named.
    std::string atTownship = entryAt(node(chain.township), origin, index);
    std::string atProvince = entryAt(node(chain.province), origin, index);
    EXPECT_FALSE(atTownship.empty());
    EXPECT_EQ(atTownship, atProvince);
    auto entryBytes = fromBase64(atProvince);
    ASSERT_TRUE(entryBytes) << atProvince;
    EXPECT_EQ(merkle::leafHash(*entryBytes), leafHash);
  }
}

// Scenario b: policy flows down: the province's new entry reaches a township's copy of its log.
TEST_F(NodeFederation, APolicyPublishedAtAProvinceReachesItsTownships) {
  ASSERT_NO_FATAL_FAILURE(run(XINZHOU));
  auto first = federation->demo().key("authority-14-1.key");
  auto second = federation->demo().key("authority-14-2.key");
  Bytes policy = log::signedDecision(originOf(PROVINCE), DEMO_CLOCK_START, [](schema::Body::Builder body) {
    auto p = body.initPolicy();
    p.setVersion(1);
    p.setEffective(DEMO_CLOCK_START);
    auto setting = p.initSettings(1)[0];
    setting.setKey("panel.min-size");
    setting.setMandatory(true);
    setting.initValue().setInteger(7);
  }, {&first, &second});
  Response accepted;
  ASSERT_TRUE(federation->submitUntilAccepted(originOf(PROVINCE), policy, CONVERGENCE, &accepted));
  auto index = accepted.json().at("index").get<std::uint64_t>();
  HeldLog province = ownLog(PROVINCE);
  ASSERT_EQ(province.size, index + 1);

  ASSERT_TRUE(waitHolds(TOWNSHIP, originOf(PROVINCE), province));
  auto entry = fromBase64(entryAt(node(TOWNSHIP), originOf(PROVINCE), index));
  ASSERT_TRUE(entry);
  auto parsed = protocol::parseEntry(*entry);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_EQ(parsed.value().reader().getIndex(), index);
  EXPECT_TRUE(parsed.value().reader().getSigned().getDecision().getBody().isPolicy());
  EXPECT_EQ(protocol::canonicalBytes(parsed.value().reader().getSigned()), policy)
      << "the township holds the decision the province's officials signed, unchanged";
}

// Scenario c: SIGKILL mid-replication; after a restart nothing is lost, duplicated or damaged.
TEST_F(NodeFederation, ACountyKilledWhileReplicatingCatchesUpWithNothingLostOrDuplicated) {
  ASSERT_NO_FATAL_FAILURE(run(XINZHOU));
  const std::uint64_t before = ownLog(TOWNSHIP).size;
  constexpr int BURST = 300;
  std::vector<Bytes> burst;
  for (int i = 0; i < BURST; ++i) burst.push_back(federation->grant(TOWNSHIP, "burst official " + std::to_string(i)));
  int accepted = 0;
  std::string firstRefusal;
  for (const Bytes& decision : burst) {
    auto r = node(TOWNSHIP).submit(decision);
    if (r.status == 200) ++accepted;
    else if (firstRefusal.empty()) firstRefusal = r.describe();
  }
  node(COUNTY).kill();  // while it is still fetching the burst (or cosigning it)
  ASSERT_EQ(accepted, BURST) << firstRefusal;
  HeldLog township = ownLog(TOWNSHIP);
  ASSERT_EQ(township.size, before + BURST);

  node(COUNTY).restart();
  ASSERT_TRUE(node(COUNTY).waitHealthy());
  for (const std::string& code : {COUNTY, PREFECTURE, PROVINCE})
    EXPECT_TRUE(waitHolds(code, originOf(TOWNSHIP), township));

  // The county's store is whole: every entry, signature and stored hash, as an auditor checks it
  // beside the running node (hreg tlog verify-store).
  store::Store store({.directory = node(COUNTY).dataDir(), .readOnly = true});
  auto snapshot = store.snapshot();
  for (const std::string& code : {TOWNSHIP, COUNTY}) {
    auto key = note::parseVerifierKey(federation->verifierKey(code));
    ASSERT_TRUE(key);
    auto report = log::verifyLog(snapshot, originOf(code), key.value(), 2);
    ASSERT_TRUE(report) << code << " in the county's store: " << reasonName(report.error().reason) << ": "
                        << report.error().detail;
    if (code == TOWNSHIP) {
      EXPECT_EQ(report.value().entries, township.size);
      EXPECT_EQ(report.value().checkpoint.size, township.size);
    }
  }
}

// Scenario d: a prefecture stopped for a while catches up on what its subtree appended meanwhile.
TEST_F(NodeFederation, APrefectureDownForAWhileCatchesUpWhenItReturns) {
  ASSERT_NO_FATAL_FAILURE(run(XINZHOU));
  ASSERT_TRUE(node(PREFECTURE).terminate());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(appoint(COUNTY, "county official appointed while 1409 is down " + std::to_string(i)).is_object());
    ASSERT_TRUE(appoint(TOWNSHIP, "township official appointed while 1409 is down " + std::to_string(i)).is_object());
  }
  HeldLog county = ownLog(COUNTY);
  HeldLog township = ownLog(TOWNSHIP);
  ASSERT_TRUE(waitHolds(COUNTY, originOf(TOWNSHIP), township)) << "the county still files its township";
  auto atProvince = heldLog(node(PROVINCE), originOf(TOWNSHIP));
  EXPECT_TRUE(!atProvince || atProvince->size < township.size) << "no path to 14 while 1409 is down: "
                                                                << describe(atProvince);

  node(PREFECTURE).restart();
  ASSERT_TRUE(node(PREFECTURE).waitHealthy());
  EXPECT_TRUE(waitHolds(PROVINCE, originOf(COUNTY), county));
  EXPECT_TRUE(waitHolds(PROVINCE, originOf(TOWNSHIP), township));
}

// Scenario e: two checkpoints of one size with different roots, both signed by the township's key,
// are proof that it forked: the county keeps them as evidence and freezes its copy.
TEST_F(NodeFederation, AForkedTownshipCheckpointIsKeptAsEvidenceAndFreezesTheCountysCopy) {
  ASSERT_NO_FATAL_FAILURE(run(XINZHOU));
  const std::string origin = originOf(TOWNSHIP);
  HeldLog township = ownLog(TOWNSHIP);
  ASSERT_TRUE(waitHolds(COUNTY, origin, township));

  auto genuine = node(COUNTY).post("/v1/checkpoint", township.checkpoint, "text/plain");
  ASSERT_EQ(genuine.status, 200) << genuine.describe();
  EXPECT_EQ(genuine.json().value("result", ""), "consistent");

  auto held = verifiedCheckpoint(township.checkpoint, federation->verifierKey(TOWNSHIP));
  ASSERT_TRUE(held) << held.error().detail;
  note::Checkpoint fork = held.value();
  fork.root = crypto::sha256(asBytes("a second history of the township's log"));
  std::string forged = log::signCheckpoint(fork, federation->demo().checkpointKey(origin));
  auto refused = node(COUNTY).post("/v1/checkpoint", forged, "text/plain");
  EXPECT_EQ(refused.status, 409) << refused.describe();
  EXPECT_EQ(refused.reason(), "equivocation") << refused.describe();

  auto evidence = node(COUNTY).get("/v1/evidence");
  ASSERT_EQ(evidence.status, 200) << evidence.describe();
  bool listed = false;
  for (const auto& item : evidence.json().value("equivocations", nlohmann::json::array()))
    if (item.value("origin", "") == origin && item.value("conflicting", "").find(fork.body()) != std::string::npos &&
        item.value("held", "").find(held.value().body()) != std::string::npos)
      listed = true;
  EXPECT_TRUE(listed) << "GET /v1/evidence lists the two checkpoints: " << evidence.describe();
  auto metrics = node(COUNTY).get("/metrics");
  EXPECT_EQ(metricValue(metrics.body, "hreg_equivocation{origin=\"" + origin + "\"}"), 1.0) << metrics.describe();
  auto health = node(COUNTY).get("/v1/health");
  ASSERT_EQ(health.status, 200) << health.describe();
  EXPECT_EQ(health.json().value("status", ""), "ok");
  EXPECT_EQ(health.json().value("equivocations", -1), 1);

  // The township goes on appending; the county's copy stays at the last good checkpoint while the
  // county goes on serving its other logs, down (the province's) and up (its own).
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(appoint(TOWNSHIP, "appointed after the fork " + std::to_string(i)).is_object());
  ASSERT_EQ(ownLog(TOWNSHIP).size, township.size + 3);
  ASSERT_TRUE(appoint(PROVINCE, "province official appointed after the fork").is_object());
  ASSERT_TRUE(appoint(COUNTY, "county official appointed after the fork").is_object());
  EXPECT_TRUE(waitHolds(COUNTY, originOf(PROVINCE), ownLog(PROVINCE)));
  EXPECT_TRUE(waitHolds(PREFECTURE, originOf(COUNTY), ownLog(COUNTY)));
  auto frozen = heldLog(node(COUNTY), origin);
  ASSERT_TRUE(frozen);
  EXPECT_TRUE(frozen->sameTree(township)) << describe(frozen);
  EXPECT_TRUE(frozen->frozen) << describe(frozen);
}

// Scenario f: bytes no peer should send reach the county's peer port; it drops them and serves on.
TEST_F(NodeFederation, GarbageOnThePeerPortIsDroppedAndTheCountyServesOn) {
  ASSERT_NO_FATAL_FAILURE(run(XINZHOU));
  const std::uint16_t port = node(COUNTY).peerPort();
  constexpr std::chrono::seconds LIMIT{30};
  int step = 0;
  auto servesOn = [&](const std::string& after) {
    SCOPED_TRACE("after " + after);
    auto health = node(COUNTY).get("/v1/health");
    EXPECT_EQ(health.status, 200) << health.describe();
    ASSERT_TRUE(appoint(TOWNSHIP, "appointed after garbage " + std::to_string(++step)).is_object());
    EXPECT_TRUE(waitHolds(COUNTY, originOf(TOWNSHIP), ownLog(TOWNSHIP))) << "replication goes on";
  };

  // A connection that never says anything stays open meanwhile: it must not block the others.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket idle(io);
  idle.connect({boost::asio::ip::address_v4::loopback(), port});

  Bytes noise(64 * 1024);
  crypto::randomBytes(noise);
  auto random = rawExchange(port, noise, LIMIT);
  EXPECT_TRUE(random.connected && random.closed) << "random bytes: " << random.describe();
  ASSERT_NO_FATAL_FAILURE(servesOn("random bytes"));

  // The first 20 bytes of a TLS ClientHello: record header (handshake, TLS 1.0 record version,
  // length 512), handshake header (ClientHello, length 508), client version 3.3, 9 bytes of random.
  const Bytes truncated{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03,
                        0x03, 0x5a, 0x17, 0xc3, 0x88, 0x01, 0x42, 0xde, 0x90, 0x6b};
  auto hello = rawExchange(port, truncated, LIMIT, true);
  EXPECT_TRUE(hello.connected) << hello.describe();
  ASSERT_NO_FATAL_FAILURE(servesOn("a truncated ClientHello"));

  // A chartered child (the township's key) announces a frame of 2 GiB, far above the 16 MiB limit.
  Bytes oversized{0x7f, 0xff, 0xff, 0xff};
  oversized.resize(oversized.size() + 1024, 0x41);
  auto frame = tlsExchange(port, federation->demo().checkpointKey(originOf(TOWNSHIP)), oversized, LIMIT);
  EXPECT_TRUE(frame.handshake) << "the township's key is chartered: " << frame.describe();
  EXPECT_TRUE(frame.closed) << "the county ends a session that announces an oversized frame: " << frame.describe();
  ASSERT_NO_FATAL_FAILURE(servesOn("an oversized frame"));
}

// Scenario g: only keys the charters pin may talk on the peer port.
TEST_F(NodeFederation, APeerWithoutAValidCharterCannotConnect) {
  ASSERT_NO_FATAL_FAILURE(run({ROOT, PROVINCE, PREFECTURE, COUNTY}));  // no township runs: its key is free
  const std::uint16_t port = node(COUNTY).peerPort();
  constexpr std::chrono::seconds LIMIT{30};
  auto oneFrame = [](const Bytes& received) { return firstFrameLength(received) > 0; };

  // The township's key is chartered by the county: it is answered, by the county's own key, with a Hello.
  auto child = tlsExchange(port, federation->demo().checkpointKey(originOf(TOWNSHIP)),
                           helloFrame(originOf(TOWNSHIP)), LIMIT, oneFrame);
  ASSERT_TRUE(child.handshake) << child.describe();
  EXPECT_EQ(child.serverKey, federation->demo().checkpointKey(originOf(COUNTY)).keyPair().publicKey());
  ASSERT_GT(firstFrameLength(child.received), protocol::FRAME_HEADER_BYTES) << child.describe();
  protocol::FrameBody body(firstFrameLength(child.received) - protocol::FRAME_HEADER_BYTES);
  std::memcpy(body.data(), child.received.data() + protocol::FRAME_HEADER_BYTES, body.size());
  auto frame = body.reader();
  ASSERT_TRUE(frame) << frame.error().detail;
  auto first = frame.value()->getRoot<schema::wire::Frame>();
  ASSERT_TRUE(first.isHello());
  EXPECT_EQ(std::string(first.getHello().getOrigin().cStr()), originOf(COUNTY));

  // A key no charter names, and a chartered key that is not the county's child: refused before any answer.
  auto stranger = note::SignerKey::generate("hreg.example/999999", note::KeyType::ED25519);
  auto province = federation->demo().checkpointKey(originOf(PROVINCE));
  for (const note::SignerKey* key : {&stranger, &province}) {
    SCOPED_TRACE(key->name());
    auto refused = tlsExchange(port, *key, helloFrame(key->name()), LIMIT);
    EXPECT_TRUE(!refused.handshake || (refused.closed && refused.received.empty())) << refused.describe();
  }

  auto health = node(COUNTY).get("/v1/health");
  EXPECT_EQ(health.status, 200) << health.describe();
  ASSERT_TRUE(appoint(COUNTY, "appointed after the strangers").is_object());
  EXPECT_TRUE(waitHolds(PREFECTURE, originOf(COUNTY), ownLog(COUNTY)));
}

}  // namespace
}  // namespace hreg::testing
