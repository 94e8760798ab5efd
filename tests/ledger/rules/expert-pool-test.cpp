// Who may sit in an expert pool (001 art. 6(2): 副高以上职称 or 5 years of relevant work, policy
// expert.min-years): the pure rule (expertPoolAllowed) and its place in admission (RegistryAdmission).
#include "ledger/rules/expert-pool.h"

#include <gtest/gtest.h>

#include <capnp/message.h>

#include <string>
#include <vector>

#include "admin-cli/demo-federation.h"
#include "ledger/log/signing.h"
#include "ledger/rules/policy.h"
#include "protocol/canonical.h"

namespace hreg::rules {
namespace {

struct PoolExpert {
  std::string id;
  std::string seniorTitle;  // empty: none
  unsigned yearsOfWork = 0;
};

const std::vector<PoolExpert> QUALIFIED_POOL = {
    {"6542-E-0001", "副研究馆员", 0}, {"6542-E-0002", "研究馆员", 2},  {"6542-E-0003", "", 5},
    {"6542-E-0004", "", 12},         {"6542-E-0005", "高级工艺美术师", 30},
};

void fillPool(schema::ExpertPool::Builder pool, const std::vector<PoolExpert>& experts) {
  pool.setVersion(1);
  pool.setName("塔城地区非遗工坊评审专家库");
  auto list = pool.initExperts(static_cast<unsigned>(experts.size()));
  for (unsigned i = 0; i < experts.size(); ++i) {
    list[i].setId(experts[i].id);
    list[i].setName("专家" + std::to_string(i + 1));
    list[i].setEmployer("塔城地区文化馆");
    list[i].setSeniorTitle(experts[i].seniorTitle);
    list[i].setYearsOfWork(static_cast<std::uint8_t>(experts[i].yearsOfWork));
  }
}

Result<void> judgePool(const std::vector<PoolExpert>& experts, std::int64_t minYears) {
  capnp::MallocMessageBuilder message;
  auto pool = message.initRoot<schema::ExpertPool>();
  fillPool(pool, experts);
  return expertPoolAllowed(pool.asReader(), minYears);
}

std::string detailOf(const Result<void>& r) { return r ? std::string("(accepted)") : r.error().detail; }

TEST(ExpertPoolAllowed, AcceptsExpertsWithASeniorTitleOrEnoughYears) {
  EXPECT_TRUE(judgePool(QUALIFIED_POOL, 5)) << detailOf(judgePool(QUALIFIED_POOL, 5));
  EXPECT_TRUE(judgePool({{"6542-E-0009", "", 5}}, 5)) << "exactly the years, no title";
  EXPECT_TRUE(judgePool({}, 5)) << "an empty pool lists no unqualified expert (too small a pool is panelDraw's)";
}

TEST(ExpertPoolAllowed, RefusesAnExpertWithNeitherTitleNorYearsNamingWhatIsNeeded) {
  std::vector<PoolExpert> experts = QUALIFIED_POOL;
  experts.push_back({"6542-E-0006", "", 4});
  auto r = judgePool(experts, 5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::EXPERT_UNQUALIFIED);
  EXPECT_EQ(reasonName(r.error().reason), "expert-unqualified");
  EXPECT_NE(r.error().detail.find("expert 6542-E-0006 has no senior title and 4 years of relevant work: 001 art. "
                                  "6(2) needs a senior title (副高以上) or 5 years (policy expert.min-years)"),
            std::string::npos)
      << r.error().detail;
  EXPECT_NE(r.error().detail.find("take the expert out of the pool or record the title"), std::string::npos);
  auto one = judgePool({{"6542-E-0007", "", 1}}, 5);
  ASSERT_FALSE(one);
  EXPECT_NE(one.error().detail.find("and 1 year of relevant work"), std::string::npos) << one.error().detail;
}

TEST(ExpertPoolAllowed, ATitleQualifiesWithoutYears) {
  EXPECT_TRUE(judgePool({{"6542-E-0001", "副教授", 0}}, 5));
  EXPECT_FALSE(judgePool({{"6542-E-0001", "", 0}}, 5));
}

TEST(ExpertPoolAllowed, RefusesAnIdListedTwiceOrMissing) {
  std::vector<PoolExpert> experts = QUALIFIED_POOL;
  experts.push_back({"6542-E-0002", "", 9});
  auto twice = judgePool(experts, 5);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().reason, Reason::MALFORMED_ENTRY);
  EXPECT_NE(twice.error().detail.find("expert 6542-E-0002 is listed twice in the pool (version 1), at 2 and 6"),
            std::string::npos)
      << twice.error().detail;
  auto missing = judgePool({{"6542-E-0001", "副研究馆员", 0}, {"", "副研究馆员", 0}}, 5);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, Reason::MALFORMED_ENTRY);
  EXPECT_NE(missing.error().detail.find("expert 2 of the pool (version 1) has no id"), std::string::npos)
      << missing.error().detail;
}

TEST(ExpertPoolAllowed, APolicyRaisingTheYearsRefusesAnExpertItUsedToAdmit) {
  const std::vector<PoolExpert> fiveYears = {{"6542-E-0003", "", 5}};
  EXPECT_TRUE(judgePool(fiveYears, 5));
  auto r = judgePool(fiveYears, 8);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::EXPERT_UNQUALIFIED);
  EXPECT_NE(r.error().detail.find("expert 6542-E-0003 has no senior title and 5 years of relevant work"),
            std::string::npos);
  EXPECT_NE(r.error().detail.find("or 8 years (policy expert.min-years)"), std::string::npos) << r.error().detail;
  EXPECT_TRUE(judgePool({{"6542-E-0001", "副研究馆员", 0}}, 8)) << "a title still qualifies";
}

// --- at admission: the pool's log, its date, the policy in force there -----------------------------

constexpr Timestamp POOL_TIME = 1'767'225'600 + 86'400;  // 2026-01-02T00:00:00Z, after the demo's charters
const cli::DemoFederation POOL_FEDERATION(std::string(HREG_SOURCE_DIR) + "/configs/demo");
const std::string PREFECTURE = "hreg.example/6542";  // 塔城地区

struct ExpertPoolAdmission : ::testing::Test {
  trust::AuthorityView authority{POOL_FEDERATION.root()};
  PolicyView policy{authority};
  RegistryAdmission admission{authority, policy};

  void SetUp() override {
    // The charters and grants (the demo's root calendar left out: these tests publish their own policy).
    for (const auto& [origin, bytes] : POOL_FEDERATION.decisions()) {
      auto decision = protocol::parseSignedDecision(bytes).value();
      if (decision.reader().getDecision().getBody().isPolicy()) continue;
      auto ok = admission.admit(origin, decision.reader());
      ASSERT_TRUE(ok) << ok.error().detail;
    }
  }
  // submitPool has the prefecture's culture approver sign a pool of `experts` and asks admission.
  Result<void> submitPool(const std::vector<PoolExpert>& experts, Timestamp at = POOL_TIME) {
    auto approver = POOL_FEDERATION.key("official-6542-culture.key");
    Bytes bytes = log::signedDecision(
        PREFECTURE, at, [&](schema::Body::Builder body) { fillPool(body.initExpertPool(), experts); }, {&approver});
    return admission.admit(PREFECTURE, protocol::parseSignedDecision(bytes).value().reader());
  }
  // raiseMinYears has the Xinjiang authority publish expert.min-years = `years` from `at`.
  Result<void> raiseMinYears(std::int64_t years, Timestamp at) {
    auto a = POOL_FEDERATION.key("authority-65-1.key");
    auto b = POOL_FEDERATION.key("authority-65-2.key");
    Bytes bytes = log::signedDecision("hreg.example/65", at, [&](schema::Body::Builder body) {
      auto p = body.initPolicy();
      p.setVersion(1);
      p.setEffective(at);
      auto setting = p.initSettings(1)[0];
      setting.setKey("expert.min-years");
      setting.initValue().setInteger(years);
    }, {&a, &b});
    return admission.admit("hreg.example/65", protocol::parseSignedDecision(bytes).value().reader());
  }
};

TEST_F(ExpertPoolAdmission, AQualifiedPoolIsAdmittedAndAnUnqualifiedExpertRefused) {
  auto ok = submitPool(QUALIFIED_POOL);
  EXPECT_TRUE(ok) << detailOf(ok);
  std::vector<PoolExpert> experts = QUALIFIED_POOL;
  experts[2].yearsOfWork = 4;
  auto r = submitPool(experts);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::EXPERT_UNQUALIFIED);
  EXPECT_NE(r.error().detail.find("expert 6542-E-0003 has no senior title and 4 years of relevant work"),
            std::string::npos)
      << r.error().detail;
  EXPECT_NE(r.error().detail.find("(policy expert.min-years, built-in)"), std::string::npos) << r.error().detail;
}

TEST_F(ExpertPoolAdmission, ThePolicyInForceAtThePoolsDateSetsTheYears) {
  constexpr Timestamp DAY = 86'400;
  ASSERT_TRUE(raiseMinYears(8, POOL_TIME + 10 * DAY));
  EXPECT_TRUE(submitPool(QUALIFIED_POOL, POOL_TIME + 5 * DAY)) << "before the policy takes effect";
  auto r = submitPool(QUALIFIED_POOL, POOL_TIME + 11 * DAY);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::EXPERT_UNQUALIFIED);
  EXPECT_NE(r.error().detail.find("expert 6542-E-0003 has no senior title and 5 years of relevant work: 001 art. "
                                  "6(2) needs a senior title (副高以上) or 8 years (policy expert.min-years, "
                                  "hreg.example/65 v1)"),
            std::string::npos)
      << r.error().detail;
}

}  // namespace
}  // namespace hreg::rules
