#include "ledger/rules/replay.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "admin-cli/demo-federation.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "tests/support/temp-dir.h"

namespace hreg::rules {
namespace {

constexpr Timestamp T = 1'767'225'600 + 86'400;
const cli::DemoFederation FEDERATION(std::string(HREG_SOURCE_DIR) + "/configs/demo");

// Views is an authority view, a policy view and the admission that joins them.
struct Views {
  trust::AuthorityView authority{FEDERATION.root()};
  PolicyView policy{authority};
  RegistryAdmission admission{authority, policy};
};

// Every node of the demo federation writes its own log in its own store, as nodes will.
struct ReplayedFederation : ::testing::Test {
  testing::TempDir dir;
  FakeClock clock{T};
  Views live;
  std::map<std::string, std::unique_ptr<store::Store>> stores;
  std::map<std::string, std::unique_ptr<log::OwnLog>> logs;

  log::OwnLog& logOf(const std::string& origin) {
    if (!logs.count(origin)) {
      std::string code = origin.substr(origin.find('/') + 1);
      stores[origin] = std::make_unique<store::Store>(store::Options{dir / code});
      logs[origin] = std::make_unique<log::OwnLog>(*stores[origin], FEDERATION.checkpointKey(origin), clock, 1,
                                                   &live.admission);
    }
    return *logs[origin];
  }
  Result<log::Appended> append(const std::string& origin, const Bytes& bytes) {
    ByteView v(bytes);
    auto out = logOf(origin).append(std::span(&v, 1));
    return out.results[0];
  }
  void SetUp() override {
    for (const auto& [origin, bytes] : FEDERATION.decisions()) ASSERT_TRUE(append(origin, bytes));
  }
  ReplayReport replayAll(Views& fresh, store::Store* extra = nullptr) {
    std::vector<store::Snapshot> held;
    for (auto& [origin, store] : stores) held.push_back(store->snapshot());
    if (extra != nullptr) held.push_back(extra->snapshot());
    std::vector<const store::Snapshot*> pointers;
    for (const auto& s : held) pointers.push_back(&s);
    return replay(pointers, fresh.admission, fresh.authority);
  }
};

TEST_F(ReplayedFederation, ReplayedViewsAnswerAsTheLiveOnes) {
  auto finance = FEDERATION.key("official-140902-finance.key");
  auto leaderA = FEDERATION.key("authority-140902-1.key"), leaderB = FEDERATION.key("authority-140902-2.key");
  ASSERT_TRUE(append("hreg.example/140902", log::signedDecision("hreg.example/140902", T, [&](auto body) {
    auto r = body.initGrantRevocation();
    r.setKey(capnp::Data::Reader(finance.publicKey().data(), 32));
    r.setEffective(T);
    r.setReason("key card lost");
  }, {&leaderA, &leaderB})));

  Views fresh;
  auto report = replayAll(fresh);
  EXPECT_EQ(report.logs, 9u) << "the root log and eight nodes";
  EXPECT_EQ(report.entries, FEDERATION.decisions().size() + 1);
  EXPECT_TRUE(report.refused.empty());
  EXPECT_TRUE(report.unchartered.empty());
  auto culture = FEDERATION.key("official-654201-culture.key");
  EXPECT_TRUE(fresh.authority.officialAt("hreg.example/654201", culture.publicKey(), T + 1));
  EXPECT_EQ(fresh.authority.officialAt("hreg.example/140902", finance.publicKey(), T + 1).error().reason,
            Reason::SIGNER_REVOKED);
}

TEST_F(ReplayedFederation, ALogNoCharterNamesIsReportedNotReplayed) {
  store::Store stray({dir / "stray"});
  FakeClock clock2{T};
  log::OwnLog strayLog(stray, note::SignerKey::fromSeed("hreg.example/999999", note::KeyType::ED25519,
                                                        crypto::Seed{9}),
                       clock2);
  Views fresh;
  auto report = replayAll(fresh, &stray);
  ASSERT_EQ(report.unchartered.size(), 1u);
  EXPECT_EQ(report.unchartered[0], "hreg.example/999999");
}

}  // namespace
}  // namespace hreg::rules
