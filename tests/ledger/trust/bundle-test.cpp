#include "ledger/trust/bundle.h"

#include <gtest/gtest.h>

#include <map>

#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "admin-cli/demo-federation.h"
#include "tests/support/temp-dir.h"

namespace hreg::trust {
namespace {

namespace fs = std::filesystem;
const fs::path DEMO = fs::path(HREG_SOURCE_DIR) / "configs" / "demo";
constexpr Timestamp T = 1'767'225'600 + 86'400;  // a day after the demo federation was chartered

const cli::DemoFederation FEDERATION(DEMO);

crypto::KeyPair demoKey(const std::string& file) { return FEDERATION.key(file); }

Bytes finding(const std::string& department, Timestamp time, const std::vector<const crypto::KeyPair*>& signers) {
  return log::signedDecision("hreg.example/140902", time, [&](schema::Body::Builder body) {
    auto f = body.initJointReviewFinding();
    f.setSubject("140902-W-0001");
    f.setDepartment(department);
    f.setOutcome(schema::ReviewOutcome::PASS);
  }, signers);
}

// The Xinzhou chain of the demo federation, each node's log in its own store, filled by OwnLogs
// that ask one authority view, as nodes will.
struct DemoChain : ::testing::Test {
  TrustAnchor root = FEDERATION.root();
  AuthorityView view{root};
  FakeClock clock{T};
  testing::TempDir dir;
  std::map<std::string, std::unique_ptr<store::Store>> stores;
  std::map<std::string, std::unique_ptr<log::OwnLog>> logs;
  crypto::KeyPair culture = demoKey("official-140902-culture.key");

  log::OwnLog& logOf(const std::string& origin) {
    if (!logs.count(origin)) {
      std::string code = origin.substr(origin.find('/') + 1);
      stores[origin] = std::make_unique<store::Store>(store::Options{dir / code});
      logs[origin] = std::make_unique<log::OwnLog>(*stores[origin], FEDERATION.checkpointKey(origin), clock, 1, &view);
    }
    return *logs[origin];
  }
  std::uint64_t append(const std::string& origin, const Bytes& bytes) {
    ByteView v(bytes);
    auto out = logOf(origin).append(std::span(&v, 1));
    if (!out.results[0]) ADD_FAILURE() << origin << ": " << out.results[0].error().detail;
    return out.results[0] ? out.results[0].value().index : ~0ull;
  }
  void SetUp() override {
    for (const auto& [origin, bytes] : FEDERATION.decisions()) append(origin, bytes);
  }
  // bundleFor extracts the charters down to 140902, the culture grant, and the decision at `index`.
  Bundle bundleFor(std::uint64_t index, std::vector<std::uint64_t> countyIndexes) {
    auto extract = [&](const std::string& origin, std::vector<std::uint64_t> indexes) {
      return extractLog(stores[origin]->snapshot(), origin, indexes);
    };
    countyIndexes.push_back(index);
    std::sort(countyIndexes.begin(), countyIndexes.end());
    // In the demo's logs: the root log charters 14 first, 14 charters 1409 first, 1409 charters 140902
    // first; the county's grant to its culture official is its entry 1.
    return Bundle{{extract("hreg.example/root", {0}), extract("hreg.example/14", {0}),
                   extract("hreg.example/1409", {0}), extract("hreg.example/140902", countyIndexes)},
                  "hreg.example/140902",
                  index};
  }
};

TEST_F(DemoChain, EveryDemoDecisionIsAdmittedAndTheViewAnswers) {
  auto official = view.officialAt("hreg.example/140902", culture.publicKey(), T);
  ASSERT_TRUE(official) << official.error().detail;
  EXPECT_EQ(official.value().department, "culture");
  auto township = view.nodeAt("hreg.example/654201001", T);
  ASSERT_TRUE(township);
  EXPECT_EQ(township->name, "和平街道");
}

TEST_F(DemoChain, ADecisionVerifiesFromTheTrustRootAlone) {
  auto index = append("hreg.example/140902", finding("culture", T, {&culture}));
  auto verdict = verifyBundle(root, bundleFor(index, {1}));
  ASSERT_TRUE(verdict) << verdict.error().detail;
  EXPECT_TRUE(verdict.value().authorized) << verdict.value().authorized.error().detail;
  ASSERT_EQ(verdict.value().signers.size(), 1u);
  EXPECT_EQ(verdict.value().signers[0].department, "culture");
}

TEST_F(DemoChain, AnUnauthorizedDecisionIsAuthenticButRefusedWithItsReason) {
  // Appended without the view (an old node, or a forged one): its signer is not entitled.
  testing::TempDir otherDir;
  auto hrss = demoKey("official-140902-hrss.key");
  auto index = append("hreg.example/140902", finding("hrss", T, {&hrss}));
  auto bundle = bundleFor(index, {1});  // the hrss grant (entry 2) is left out of the bundle
  auto verdict = verifyBundle(root, bundle);
  ASSERT_TRUE(verdict) << verdict.error().detail;
  ASSERT_FALSE(verdict.value().authorized);
  EXPECT_EQ(verdict.value().authorized.error().reason, Reason::SIGNER_UNKNOWN);
  auto complete = verifyBundle(root, bundleFor(index, {1, 2}));
  ASSERT_TRUE(complete);
  EXPECT_TRUE(complete.value().authorized);
}

TEST_F(DemoChain, ATamperedProofEntryOrCheckpointIsRefused) {
  auto index = append("hreg.example/140902", finding("culture", T, {&culture}));
  auto bundle = bundleFor(index, {1});
  auto proofFlipped = bundle;
  proofFlipped.logs[3].entries.back().proof[0][5] ^= 1;
  EXPECT_EQ(verifyBundle(root, proofFlipped).error().reason, Reason::ROOT_MISMATCH);
  auto entryFlipped = bundle;
  auto& bytes = entryFlipped.logs[3].entries.back().entry;
  bytes[bytes.size() - 3] ^= 1;  // inside the last signature
  EXPECT_FALSE(verifyBundle(root, entryFlipped));
  auto checkpointFlipped = bundle;
  checkpointFlipped.logs[2].checkpoint[25] ^= 1;
  EXPECT_FALSE(verifyBundle(root, checkpointFlipped));
  auto missingCharter = bundle;
  missingCharter.logs.erase(missingCharter.logs.begin() + 2);  // no extract of 1409 charters 140902
  EXPECT_EQ(verifyBundle(root, missingCharter).error().reason, Reason::NOT_CHARTERED);
}

Bytes revocationOfCulture(const crypto::KeyPair& culture, Timestamp decided, Timestamp effective) {
  auto leaderA = demoKey("authority-140902-1.key"), leaderB = demoKey("authority-140902-2.key");
  return log::signedDecision("hreg.example/140902", decided, [&](schema::Body::Builder body) {
    auto r = body.initGrantRevocation();
    r.setKey(capnp::Data::Reader(culture.publicKey().data(), 32));
    r.setEffective(effective);
    r.setReason("key card lost");
  }, {&leaderA, &leaderB});
}

TEST_F(DemoChain, ARevocationLoggedLaterButEffectiveEarlierMakesADecisionUnauthorized) {
  auto before = append("hreg.example/140902", finding("culture", T + 5, {&culture}));
  auto after = append("hreg.example/140902", finding("culture", T + 50, {&culture}));
  // The key was stolen at T + 20; the revocation, logged now, takes effect from then.
  auto revocation = append("hreg.example/140902", revocationOfCulture(culture, T + 100, T + 20));
  auto stillGood = verifyBundle(root, bundleFor(before, {1, revocation}));
  ASSERT_TRUE(stillGood) << stillGood.error().detail;
  EXPECT_TRUE(stillGood.value().authorized) << "signed before the revocation took effect";
  auto caught = verifyBundle(root, bundleFor(after, {1, revocation}));
  ASSERT_TRUE(caught) << caught.error().detail;
  ASSERT_FALSE(caught.value().authorized);
  EXPECT_EQ(caught.value().authorized.error().reason, Reason::SIGNER_REVOKED);
  // And the node refuses anything more from that key, whatever its date.
  Bytes backDated = finding("culture", T + 1, {&culture});
  auto out = logOf("hreg.example/140902").append(std::vector<ByteView>{ByteView(backDated)});
  EXPECT_EQ(out.results[0].error().reason, Reason::SIGNER_REVOKED);
}

}  // namespace
}  // namespace hreg::trust
