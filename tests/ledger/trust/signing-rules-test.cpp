#include "ledger/trust/signing-rules.h"

#include <capnp/schema.h>
#include <gtest/gtest.h>

#include "tests/support/keys.h"

#include <algorithm>
#include <string>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/log/signing.h"
#include "ledger/trust/authority.h"
#include "protocol/canonical.h"
#include "protocol/core/result.h"

namespace hreg::trust {
namespace {

using W = schema::Body::Which;
using L = schema::Level;

std::vector<W> everyBodyKind() {
  std::vector<W> kinds;
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields())
    kinds.push_back(static_cast<W>(field.getProto().getDiscriminantValue()));
  return kinds;
}

std::string nameOf(W kind) {
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields())
    if (field.getProto().getDiscriminantValue() == static_cast<std::uint16_t>(kind))
      return field.getProto().getName().cStr();
  return "?";
}

bool has(const std::vector<std::string>& departments, const std::string& d) {
  return std::find(departments.begin(), departments.end(), d) != departments.end();
}

TEST(SigningRules, EveryBodyKindHasARule) {
  const SigningRules rules = SigningRules::defaults();
  const auto kinds = everyBodyKind();
  EXPECT_EQ(kinds.size(), 37u) << "Body @0..@36; a new kind needs a rule here and a row in docs/rules.md";
  for (W kind : kinds) EXPECT_NO_THROW((void)rules.ruleFor(kind)) << nameOf(kind);
}

TEST(SigningRules, AnUnknownKindThrows) {
  SigningRules empty;
  EXPECT_THROW((void)empty.ruleFor(W::NOTICE), Fault);
}

// Every registry record is signed by officials who are named: at least one department, a role, and
// the levels that make it. "*record*" only where the authority view can read the record's
// department (a joint review finding); anywhere else it would refuse every signer.
TEST(SigningRules, EveryRegistryRecordNamesItsDepartmentsRoleAndLevels) {
  const SigningRules rules = SigningRules::defaults();
  for (W kind : everyBodyKind()) {
    if (static_cast<std::uint16_t>(kind) < static_cast<std::uint16_t>(W::PRELIMINARY_REVIEW) || kind == W::POLICY)
      continue;
    const SigningRule& rule = rules.ruleFor(kind);
    SCOPED_TRACE(nameOf(kind));
    EXPECT_EQ(rule.signers, Signers::OFFICIALS);
    EXPECT_FALSE(rule.departments.empty());
    EXPECT_FALSE(rule.role.empty());
    EXPECT_FALSE(rule.levels.empty());
    EXPECT_TRUE(std::find(rule.levels.begin(), rule.levels.end(), L::NATIONAL) == rule.levels.end());
    if (kind != W::JOINT_REVIEW_FINDING) {
      EXPECT_FALSE(has(rule.departments, RECORD_DEPARTMENT));
    }
  }
}

TEST(SigningRules, TrustRecordsAndPolicyNeedAuthorityKeys) {
  const SigningRules rules = SigningRules::defaults();
  EXPECT_EQ(rules.ruleFor(W::TRUST_ROOT).signers, Signers::ROOT);
  for (W kind : {W::CHARTER, W::CHARTER_REVOCATION, W::GRANT, W::GRANT_REVOCATION, W::POLICY})
    EXPECT_EQ(rules.ruleFor(kind).signers, Signers::AUTHORITY) << nameOf(kind);
}

TEST(SigningRules, SpotChecksOfTheDefaultTable) {
  const SigningRules rules = SigningRules::defaults();
  const std::vector<L> certifying = {L::COUNTY, L::PREFECTURE, L::PROVINCE};
  const std::vector<std::string> withHrssAndRural = {"culture", "hrss", "rural"};

  const SigningRule& notice = rules.ruleFor(W::NOTICE);
  EXPECT_EQ(notice.levels, certifying);
  EXPECT_EQ(notice.departments, std::vector<std::string>{"culture"});
  EXPECT_EQ(notice.role, "approver");
  const SigningRule& certification = rules.ruleFor(W::CERTIFICATION);
  EXPECT_EQ(certification.levels, notice.levels);
  EXPECT_EQ(certification.departments, notice.departments);
  EXPECT_EQ(certification.role, notice.role);

  // What someone outside the office files is recorded by the official who receives it.
  for (W filed : {W::APPLICATION, W::OBJECTION, W::APPEAL, W::CONFIRMATION})
    EXPECT_EQ(rules.ruleFor(filed).role, "clerk") << nameOf(filed);
  EXPECT_EQ(rules.ruleFor(W::APPLICATION).levels, (std::vector<L>{L::TOWNSHIP, L::COUNTY}));

  const SigningRule& joint = rules.ruleFor(W::JOINT_REVIEW_RESULT);
  EXPECT_EQ(joint.levels, std::vector<L>{L::COUNTY});
  for (const char* d : {"culture", "rural", "hrss", "finance", "market", "land"})
    EXPECT_TRUE(has(joint.departments, d)) << d;

  const SigningRule& conclusion = rules.ruleFor(W::PANEL_CONCLUSION);
  EXPECT_EQ(conclusion.levels, std::vector<L>{L::PREFECTURE});
  EXPECT_EQ(conclusion.departments, withHrssAndRural);

  for (W kind : {W::OBJECTION_RESOLUTION, W::REVOCATION_PROPOSAL, W::APPEAL_DECISION, W::REVOCATION})
    EXPECT_EQ(rules.ruleFor(kind).departments, withHrssAndRural) << nameOf(kind);

  const SigningRule& score = rules.ruleFor(W::EXPERT_SCORE);
  EXPECT_EQ(score.departments, std::vector<std::string>{"expert"});
  EXPECT_EQ(score.role, "expert");
  EXPECT_EQ(score.levels, std::vector<L>{L::PREFECTURE});

  const SigningRule& quarterly = rules.ruleFor(W::QUARTERLY_REPORT);
  EXPECT_EQ(quarterly.levels, std::vector<L>{L::COUNTY});
  EXPECT_EQ(quarterly.departments, std::vector<std::string>{"culture"});

  EXPECT_EQ(rules.ruleFor(W::LEGACY_IMPORT).departments, (std::vector<std::string>{"culture", "rural"}));
  for (W craftsman : {W::CRAFTSMAN_APPLICATION, W::CRAFTSMAN_CERTIFICATION, W::CRAFTSMAN_EVALUATION,
                      W::CRAFTSMAN_PROMOTION, W::CRAFTSMAN_EXIT})
    EXPECT_EQ(rules.ruleFor(craftsman).departments, std::vector<std::string>{"rural"}) << nameOf(craftsman);
}

// The table, applied by the authority view: Tacheng prefecture 6542 convenes a panel, and the
// county 654201 receives an objection.
constexpr Timestamp T0 = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr const char* ROOT = "hreg.example/root";

crypto::KeyPair key(const std::string& name) { return testing::labelledKey("signing-rules-test key " + name); }

capnp::Data::Reader data(const crypto::PublicKey& k) { return capnp::Data::Reader(k.data(), k.size()); }

std::string originOf(const std::string& code) { return "hreg.example/" + code; }

struct Tacheng : ::testing::Test {
  crypto::KeyPair root = key("root"), leader65 = key("leader 65"), leader6542 = key("leader 6542"),
                  leader654201 = key("leader 654201");
  crypto::KeyPair expert = key("expert"), culture = key("culture 6542"), hrss = key("hrss 6542"),
                  rural = key("rural 6542"), clerk = key("clerk 654201"), countyReviewer = key("reviewer 654201");
  AuthorityView view{TrustAnchor{1, {root.publicKey()}, 1, ROOT, key("checkpoint root").publicKey(), 0}};

  Result<void> admit(const std::string& origin, const log::FillBody& fill, std::vector<const crypto::KeyPair*> signers,
                     Timestamp time = T0 + 86'400) {
    auto parsed = protocol::parseSignedDecision(log::signedDecision(origin, time, fill, signers));
    if (!parsed) return outcome::failure(parsed.error());
    return view.admit(origin, parsed.value().reader());
  }
  void charter(const std::string& parentOrigin, const crypto::KeyPair& parentKey, const std::string& code, L level,
               const crypto::KeyPair& authority) {
    auto ok = admit(parentOrigin, [&](schema::Body::Builder body) {
      auto c = body.initCharter();
      c.setCode(code);
      c.setLevel(level);
      c.setName("node " + code);
      c.setOrigin(originOf(code));
      c.setCheckpointKey(data(key("checkpoint " + code).publicKey()));
      c.initAuthorityKeys(1).set(0, data(authority.publicKey()));
      c.setAuthorityThreshold(1);
      c.setValidFrom(T0);
    }, {&parentKey}, T0);
    ASSERT_TRUE(ok) << ok.error().detail;
  }
  void grant(const std::string& code, const crypto::KeyPair& leader, const crypto::KeyPair& official,
             const std::string& person, const std::string& department, const std::string& role) {
    auto ok = admit(originOf(code), [&](schema::Body::Builder body) {
      auto g = body.initGrant();
      g.setPerson(person);
      g.setDepartment(department);
      g.initRoles(1).set(0, role);
      g.setKey(data(official.publicKey()));
      g.setValidFrom(T0);
    }, {&leader}, T0);
    ASSERT_TRUE(ok) << ok.error().detail;
  }
  void SetUp() override {
    charter(ROOT, root, "65", L::PROVINCE, leader65);
    charter(originOf("65"), leader65, "6542", L::PREFECTURE, leader6542);
    charter(originOf("6542"), leader6542, "654201", L::COUNTY, leader654201);
    // An expert of the pool, granted for the panel's sitting under the pseudo-department "expert".
    grant("6542", leader6542, expert, "6542-E-0017", "expert", "expert");
    grant("6542", leader6542, culture, "culture reviewer", "culture", "reviewer");
    grant("6542", leader6542, hrss, "hrss reviewer", "hrss", "reviewer");
    grant("6542", leader6542, rural, "rural reviewer", "rural", "reviewer");
    grant("654201", leader654201, clerk, "culture clerk", "culture", "clerk");
    grant("654201", leader654201, countyReviewer, "culture reviewer", "culture", "reviewer");
  }
  static Reason reasonOf(const Result<void>& r) { return r ? Reason::MALFORMED_ENTRY : r.error().reason; }
};

log::FillBody score() {
  return [](schema::Body::Builder body) {
    auto s = body.initExpertScore();
    s.setSubject("654201-W-0001");
    s.setExpert("6542-E-0017");
    s.setTotal(875);
  };
}

log::FillBody conclusion() {
  return [](schema::Body::Builder body) {
    auto c = body.initPanelConclusion();
    c.setSubject("654201-W-0001");
    c.setVotesFor(5);
    c.setOutcome(schema::ReviewOutcome::PASS);
  };
}

log::FillBody objection() {
  return [](schema::Body::Builder body) {
    auto o = body.initObjection();
    o.setSubject("654201-W-0001");
    o.setReasons("the site is smaller than declared");
    o.setReceivedAt(T0 + 3'600);
  };
}

TEST_F(Tacheng, AnExpertSignsTheirOwnScoreAndAnOfficialCannot) {
  auto accepted = admit(originOf("6542"), score(), {&expert});
  EXPECT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(reasonOf(admit(originOf("6542"), score(), {&culture})), Reason::WRONG_DEPARTMENT);
  EXPECT_EQ(reasonOf(admit(originOf("654201"), score(), {&countyReviewer})), Reason::WRONG_LEVEL);
}

TEST_F(Tacheng, ThePanelConclusionNeedsCultureHrssAndRural) {
  auto accepted = admit(originOf("6542"), conclusion(), {&culture, &hrss, &rural, &expert});
  EXPECT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(reasonOf(admit(originOf("6542"), conclusion(), {&culture, &hrss})), Reason::WRONG_DEPARTMENT);
  EXPECT_EQ(reasonOf(admit(originOf("6542"), conclusion(), {&expert})), Reason::WRONG_DEPARTMENT);
}

TEST_F(Tacheng, AnObjectionIsRecordedByTheCultureClerkWhoReceivesIt) {
  auto accepted = admit(originOf("654201"), objection(), {&clerk});
  EXPECT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(reasonOf(admit(originOf("654201"), objection(), {&countyReviewer})), Reason::WRONG_ROLE);
}

}  // namespace
}  // namespace hreg::trust
