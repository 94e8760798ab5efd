// Lookups of a workshop through real nodes (GET /v1/subject): the answer is a proof bundle that the
// asker checks from the trust root alone (rules::checkSubject). A county that holds its township's
// log answers with both logs' decisions; a township with its own; an answer that hides one of the
// subject's decisions, or carries an altered entry, is refused with the reason.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ledger/log/signing.h"
#include "ledger/rules/panel-draw.h"
#include "ledger/rules/subject.h"
#include "tests/node/support/federation.h"
#include "tests/node/support/panel.h"

namespace hreg::testing {
namespace {

const std::vector<std::string> XINZHOU{ROOT, "14", "1409", "140902", "140902001"};
const std::string TOWNSHIP = "140902001";
const std::string COUNTY = "140902";
const std::string WORKSHOP = "140902001-W-0001";
constexpr Timestamp T = DEMO_CLOCK_START + 60;

class Lookup : public ::testing::Test {
 protected:
  void SetUp() override {
    federation = std::make_unique<Federation>(XINZHOU);
    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
    // The root's calendar policy is its last entry: wait until it has come down to the township.
    std::size_t rootEntries = 0;
    for (const auto& [origin, bytes] : federation->demo().decisions()) rootEntries += origin == originOf(ROOT);
    for (const std::string& code : {COUNTY, TOWNSHIP})
      ASSERT_TRUE(waitUntil(
          [&] {
            auto held = federation->node(code).heldLog(originOf(ROOT));
            return held && held->value("size", std::size_t{0}) == rootEntries;
          },
          CONVERGENCE, code + " holds the whole root log", [] { return std::string(); }));
  }
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
  }

  // submit has the demo official `who` ("140902-culture") sign a decision and appends it at `code`.
  nlohmann::json submit(const std::string& code, const std::string& who, Timestamp at, const log::FillBody& fill) {
    auto key = federation->demo().key("official-" + who + ".key");
    Bytes decision = log::signedDecision(originOf(code), at, fill, {&key});
    Response accepted;
    EXPECT_TRUE(federation->submitUntilAccepted(originOf(code), decision, CONVERGENCE, &accepted));
    return accepted.status == 200 ? accepted.json() : nlohmann::json();
  }

  // bundleFrom asks `code` about the workshop and parses the answer.
  rules::SubjectBundle bundleFrom(const std::string& code) {
    auto r = federation->node(code).get("/v1/subject?id=" + WORKSHOP);
    EXPECT_EQ(r.status, 200) << r.describe();
    auto bundle = rules::subjectBundleFromJson(r.body);
    EXPECT_TRUE(bundle) << (bundle ? "" : bundle.error().detail);
    return bundle ? bundle.value() : rules::SubjectBundle{};
  }

  // recordApplicationReviewAndFinding: the township records the application and its preliminary
  // review, the county (with `finding`) the culture department's joint review finding.
  void recordApplicationReviewAndFinding(bool finding = true) {
    submit(TOWNSHIP, "140902001-culture", T, [](schema::Body::Builder body) {
      auto a = body.initApplication();
      a.setSubject(WORKSHOP);
      a.setLevel(schema::Level::COUNTY);
      a.initFacts().setName("忻州剪纸传习工坊");
      a.setReceivedAt(T);
    });
    submit(TOWNSHIP, "140902001-culture", T + 60, [](schema::Body::Builder body) {
      auto r = body.initPreliminaryReview();
      r.setSubject(WORKSHOP);
      r.setOutcome(schema::ReviewOutcome::PASS);
      r.setSiteInspected(true);
    });
    if (!finding) return;
    submit(COUNTY, "140902-culture", T + 120, [](schema::Body::Builder body) {
      auto f = body.initJointReviewFinding();
      f.setSubject(WORKSHOP);
      f.setDepartment("culture");
      f.setOutcome(schema::ReviewOutcome::PASS);
    });
  }

  std::unique_ptr<Federation> federation;
  const trust::TrustAnchor root = cli::DemoFederation(demoDir()).root();
};

TEST_F(Lookup, ACountyAnswersWithItsOwnAndItsTownshipsDecisionsProvenFromTheTrustRoot) {
  recordApplicationReviewAndFinding();
  rules::SubjectBundle bundle;
  ASSERT_TRUE(waitUntil(
      [&] {
        bundle = bundleFrom(COUNTY);
        return bundle.decisions.size() == 3;
      },
      CONVERGENCE, "the county holds the township's decisions", [&] { return std::to_string(bundle.decisions.size()); }));
  EXPECT_EQ(bundle.answeredBy, originOf(COUNTY));

  auto report = rules::checkSubject(root, bundle, T + 3600);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report.value().status.stage, rules::Stage::JOINT_REVIEW);
  ASSERT_EQ(report.value().steps.size(), 3u);
  EXPECT_EQ(report.value().steps[0].kind, schema::Body::APPLICATION);
  EXPECT_EQ(report.value().steps[0].at.origin, originOf(TOWNSHIP));
  EXPECT_EQ(report.value().steps[2].at.origin, originOf(COUNTY));
  ASSERT_EQ(report.value().steps[2].signers.size(), 1u);
  EXPECT_EQ(report.value().steps[2].signers[0].department, "culture");
  EXPECT_EQ(report.value().steps[2].policyVersion, "hreg.example/root v1") << "the root's calendar policy";
}

// The statistics are the logs' alone (node/statistics.h): the county, the township that holds its log
// and the prefecture that holds its subtree give the same bytes for the county's region, the county's
// quarterly report of 2025Q4 summed in them, whichever node recorded or received what first.
TEST_F(Lookup, EveryNodeHoldingTheRegionsLogsGivesTheSameStatistics) {
  recordApplicationReviewAndFinding();
  submit(COUNTY, "140902-culture", T + 180, [](schema::Body::Builder body) {
    auto q = body.initQuarterlyReport();
    q.setYear(2025);
    q.setQuarter(4);
    auto row = q.initRows(1)[0];
    row.setSubject("140902-W-0001");
    row.setJobs(12);
    row.setPovertyAlleviatedWorkers(5);
    row.setRevenue(1'234'500);
    row.setWagesPaid(456'700);
  });
  const std::string target = "/v1/report?region=140902&quarter=2025Q4";
  std::string expected;
  ASSERT_TRUE(waitUntil(
      [&] {
        auto r = federation->node(COUNTY).get(target);
        expected = r.body;
        return r.status == 200 && r.json()["quarters"][0]["total"].value("jobs", 0) == 12;
      },
      CONVERGENCE, "the county sums its own report", [&] { return expected; }));
  auto quarter = nlohmann::json::parse(expected)["quarters"][0];
  EXPECT_EQ(quarter["total"]["povertyAlleviatedWorkers"], 5) << expected;
  EXPECT_EQ(quarter["total"]["countiesReporting"], 1) << expected;
  EXPECT_EQ(quarter["regions"][0]["region"], "140902") << expected;
  EXPECT_TRUE(quarter["counties"][0]["met"].get<bool>()) << expected;
  for (const std::string& code : {TOWNSHIP, std::string("1409")}) {
    std::string body;
    EXPECT_TRUE(waitUntil(
        [&] {
          body = federation->node(code).get(target).body;
          return body == expected;
        },
        CONVERGENCE, code + " answers with the county's bytes", [&] { return body + "\nexpected " + expected; }));
  }
  auto year = federation->node("1409").get("/v1/report?region=1409&year=2025");
  ASSERT_EQ(year.status, 200) << year.describe();
  ASSERT_EQ(year.json()["quarters"].size(), 4u);
  EXPECT_EQ(year.json()["quarters"][3]["regions"][0]["region"], "140902") << "a prefecture's figures by county";
  EXPECT_EQ(federation->node("1409").get("/v1/report?region=1409&year=2025&quarter=2025Q4").status, 400);
}

TEST_F(Lookup, TheCountysRegisterGivesStatisticsOverdueListsAndThePolicyInForce) {
  recordApplicationReviewAndFinding();
  NodeProcess& county = federation->node(COUNTY);
  nlohmann::json report;
  ASSERT_TRUE(waitUntil(
      [&] {
        auto r = county.get("/v1/report?region=140902&quarter=2026Q1");
        report = r.json();
        return r.status == 200 && report.value("subjects", 0) == 1 && report["workshops"]["byStage"].contains("joint-review");
      },
      CONVERGENCE, "the county counts the workshop under review", [&] { return report.dump(); }));
  EXPECT_EQ(report["workshops"]["certified"], 0) << report.dump();
  EXPECT_EQ(report["quarters"][0]["reportDue"], "2026-04-08") << "5 working days after Tuesday 2026-03-31, the Qingming days off "
                                                   "(4-6 April) skipped: the root publishes the national calendar";
  EXPECT_EQ(county.get("/v1/report?region=140902&quarter=2025Q4").json()["workshops"]["byStage"].size(), 0u)
      << "nothing was recorded by the end of 2025";
  EXPECT_EQ(county.get("/v1/report?quarter=2026-3").status, 400);
  EXPECT_EQ(county.get("/v1/report?region=65&quarter=2026Q1").json()["subjects"], 0) << "another region";

  auto overdue = county.get("/v1/overdue?region=1409");
  ASSERT_EQ(overdue.status, 200) << overdue.describe();
  EXPECT_TRUE(overdue.json()["overdue"].empty()) << overdue.body;

  auto policy = county.get("/v1/policy");
  ASSERT_EQ(policy.status, 200) << policy.describe();
  EXPECT_EQ(policy.json()["version"], "hreg.example/root v1");
  EXPECT_EQ(policy.json()["settings"]["calendar.national"]["source"], "hreg.example/root v1");
  EXPECT_EQ(policy.json()["settings"]["notice.working-days"]["value"], "5");
}

TEST_F(Lookup, ATownshipAnswersWithWhatItsOwnLogHolds) {
  recordApplicationReviewAndFinding(false);
  rules::SubjectBundle bundle = bundleFrom(TOWNSHIP);
  auto report = rules::checkSubject(root, bundle, T + 3600);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report.value().status.stage, rules::Stage::PRELIMINARY_PASSED);
  EXPECT_EQ(report.value().steps.size(), 2u);
  EXPECT_EQ(federation->node(TOWNSHIP).get("/v1/subject?id=140902001-W-9999").status, 404);
}

TEST_F(Lookup, TheNodeRefusesADecisionTheLifecycleForbidsAndAppendsNothing) {
  recordApplicationReviewAndFinding(false);
  auto key = federation->demo().key("official-140902001-culture.key");
  // A second application while the first has passed its preliminary review: no such transition.
  Bytes again = log::signedDecision(originOf(TOWNSHIP), T + 300, [](schema::Body::Builder body) {
    auto a = body.initApplication();
    a.setSubject(WORKSHOP);
    a.setLevel(schema::Level::COUNTY);
    a.setReceivedAt(T + 300);
  }, {&key});
  auto before = federation->node(TOWNSHIP).heldLog(originOf(TOWNSHIP));
  auto refused = federation->node(TOWNSHIP).submit(again);
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.reason(), "wrong-stage") << refused.describe();
  EXPECT_NE(refused.body.find(WORKSHOP), std::string::npos) << "the refusal names the workshop: " << refused.body;
  auto after = federation->node(TOWNSHIP).heldLog(originOf(TOWNSHIP));
  ASSERT_TRUE(before && after);
  EXPECT_EQ((*before)["size"], (*after)["size"]) << "nothing appended";
  // Another workshop's application is not held up by this one.
  Bytes other = log::signedDecision(originOf(TOWNSHIP), T + 300, [](schema::Body::Builder body) {
    auto a = body.initApplication();
    a.setSubject("140902001-W-0002");
    a.setLevel(schema::Level::COUNTY);
    a.setReceivedAt(T + 300);
  }, {&key});
  EXPECT_EQ(federation->node(TOWNSHIP).submit(other).status, 200);
}

// A reference that names another record than it should (docs/rules.md, "References"): the county's
// node judges the appeal against where the workshop's decisions stand in its store, refuses one whose
// `proposal` names the legacy import, saying what it names and what it must name, and appends nothing;
// the appeal naming the proposal (its origin, index and leaf hash as the node's receipt gave them) is
// accepted, and the lookup's status, which checks the references too, follows it.
TEST_F(Lookup, TheNodeRefusesADecisionWhoseReferenceNamesAnotherRecordAndAppendsNothing) {
  const std::string imported = "140902-W-0007";
  auto countySigned = [&](Timestamp at, std::vector<std::string> departments, const log::FillBody& fill) {
    for (std::string& d : departments) d = "140902-" + d;
    return federation->signedBy(COUNTY, at, departments, fill);
  };
  auto accepted = [&](const Bytes& decision) {
    Response r;
    EXPECT_TRUE(federation->submitUntilAccepted(originOf(COUNTY), decision, CONVERGENCE, &r));
    return r.status == 200 ? r.json() : nlohmann::json();
  };
  nlohmann::json import = accepted(countySigned(T, {"culture", "rural"}, [&](schema::Body::Builder body) {
    auto l = body.initLegacyImport();
    l.setSubject(imported);
    l.setLevel(schema::Level::COUNTY);
    l.setFormerName("忻府区非遗扶贫就业工坊");
    l.setDecision("忻府文旅〔2026〕1号");
    l.initFacts().setName("忻州剪纸传习工坊");
    l.setPlaque(imported);
  }));
  nlohmann::json proposal = accepted(countySigned(T + 60, {"culture", "hrss", "rural"}, [&](schema::Body::Builder body) {
    auto p = body.initRevocationProposal();
    p.setSubject(imported);
    p.setGround(3);
    p.setReasons("未按规定使用专项资金");
    p.setServedAt(T + 60);
    setEntryRef(p.initCertification(), import);
  }));
  ASSERT_TRUE(import.is_object() && proposal.is_object());
  auto appeal = [&](const nlohmann::json& names) {
    return countySigned(T + 120, {"culture"}, [&](schema::Body::Builder body) {
      auto a = body.initAppeal();
      a.setSubject(imported);
      a.setReceivedAt(T + 120);
      a.setReasons("已恢复生产");
      setEntryRef(a.initProposal(), names);
    });
  };

  auto before = federation->node(COUNTY).heldLog(originOf(COUNTY));
  auto refused = federation->node(COUNTY).submit(appeal(import));
  EXPECT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.reason(), "prerequisite-missing") << refused.describe();
  const std::string detail = refused.json()["error"].value("detail", "");
  const std::string importAt = fmt::format("{} #{}", originOf(COUNTY), import.value("index", 0));
  const std::string proposalAt = fmt::format("{} #{}", originOf(COUNTY), proposal.value("index", 0));
  EXPECT_NE(detail.find(imported), std::string::npos) << "names the workshop: " << detail;
  EXPECT_NE(detail.find("its proposal names " + importAt), std::string::npos) << "what it names: " << detail;
  EXPECT_NE(detail.find("it must name the revocation proposal appealed, the latest (" + proposalAt + ")"),
            std::string::npos) << "what it must name: " << detail;
  auto after = federation->node(COUNTY).heldLog(originOf(COUNTY));
  ASSERT_TRUE(before && after);
  EXPECT_EQ((*before)["size"], (*after)["size"]) << "nothing appended";

  // The same leaf hash with another index names no record either.
  nlohmann::json shifted = proposal;
  shifted["index"] = import.value("index", 0);
  shifted["leaf_hash"] = proposal["leaf_hash"];
  auto mixed = federation->node(COUNTY).submit(appeal(shifted));
  EXPECT_EQ(mixed.reason(), "prerequisite-missing") << mixed.describe();

  auto ok = federation->node(COUNTY).submit(appeal(proposal));
  ASSERT_EQ(ok.status, 200) << ok.describe();
  auto r = federation->node(COUNTY).get("/v1/subject?id=" + imported);
  ASSERT_EQ(r.status, 200) << r.describe();
  auto bundle = rules::subjectBundleFromJson(r.body);
  ASSERT_TRUE(bundle) << bundle.error().detail;
  auto report = rules::checkSubject(root, bundle.value(), T + 3600);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report.value().status.stage, rules::Stage::APPEALED);
}

// 001 art. 6(2) through real nodes: the prefecture's panel draw is re-checked by the node that
// appends it, from the pool entry it names and the root of its own log at the seed's size, so a draw
// listing other experts than its seed gives, or naming a root its log never had, is refused and
// nothing is appended; a granted recusal must name the next expert of the draw's order.
TEST_F(Lookup, TheNodeRechecksAPanelDrawAndItsReplacementFromTheSeedAndThePool) {
  const std::string prefecture = "1409";
  const std::string applicant = "140902001-W-0002";
  // Applied at the county for the prefecture's level and recommended there; the prefecture's pool.
  const PanelReady ready = readyForPanel(*federation, applicant, T);
  const std::vector<std::string>& pool = ready.pool;
  const nlohmann::json& poolEntry = ready.poolEntry;
  ASSERT_TRUE(poolEntry.is_object());

  // The seed: the prefecture's own log as its latest checkpoint published it.
  auto head = federation->node(prefecture).heldLog(originOf(prefecture));
  ASSERT_TRUE(head);
  rules::DrawSeed seed{originOf(prefecture), head->value("size", std::uint64_t{0}), {}};
  Bytes headRoot = fromHex(head->value("root", "")).value_or(Bytes{});
  ASSERT_EQ(headRoot.size(), seed.root.size());
  std::copy(headRoot.begin(), headRoot.end(), seed.root.begin());
  const std::string drawFor = rules::drawSubject(std::vector<std::string>{applicant});
  auto panel = rules::drawPanel(seed, drawFor, pool, 5, 5);
  ASSERT_TRUE(panel);
  auto draw = [&](const rules::DrawSeed& from, const std::vector<std::string>& experts) {
    return federation->signedBy(prefecture, T + 180, {"1409-culture"}, [&](schema::Body::Builder body) {
      auto d = body.initPanelDraw();
      d.initSubjects(1).set(0, applicant);
      auto pv = d.initPools(1)[0];
      setEntryRef(pv.initPool(), poolEntry);
      pv.setVersion(1);
      auto ref = d.initSeed();
      ref.setOrigin(from.origin);
      ref.setTreeSize(from.treeSize);
      ref.setRootHash(kj::arrayPtr(from.root.data(), from.root.size()));
      d.setMethod(std::string(rules::DRAW_METHOD));
      d.setCount(5);
      auto e = d.initExperts(static_cast<unsigned>(experts.size()));
      for (unsigned i = 0; i < experts.size(); ++i) e.set(i, experts[i]);
    });
  };
  auto expectRefused = [&](const Bytes& decision, const std::string& part) {
    auto before = federation->node(prefecture).heldLog(originOf(prefecture));
    auto r = federation->node(prefecture).submit(decision);
    EXPECT_EQ(r.status, 422) << r.describe();
    EXPECT_EQ(r.reason(), "draw-mismatch") << r.describe();
    const std::string detail = r.json()["error"].value("detail", "");
    EXPECT_NE(detail.find(part), std::string::npos) << detail;
    auto after = federation->node(prefecture).heldLog(originOf(prefecture));
    ASSERT_TRUE(before && after);
    EXPECT_EQ((*before)["size"], (*after)["size"]) << "nothing appended";
  };

  // Other experts than the seed gives: the pool's order reversed.
  std::vector<std::string> chosen = panel.value();
  std::reverse(chosen.begin(), chosen.end());
  expectRefused(draw(seed, chosen), fmt::format("gives [{}]", fmt::join(panel.value(), ", ")));
  // A root the log never had, with the panel that root would give.
  rules::DrawSeed forged = seed;
  forged.root[0] ^= 1;
  auto forgedPanel = rules::drawPanel(forged, drawFor, pool, 5, 5);
  ASSERT_TRUE(forgedPanel);
  expectRefused(draw(forged, forgedPanel.value()), "is not the root of " + originOf(prefecture));

  Response drawn;
  ASSERT_TRUE(federation->submitUntilAccepted(originOf(prefecture), draw(seed, panel.value()), CONVERGENCE, &drawn))
      << drawn.describe();
  const nlohmann::json drawEntry = drawn.json();

  // The applicant asks in writing that the second expert withdraw; the next of the order replaces them.
  const std::string withdrawn = panel.value()[1];
  auto after = rules::drawPanel(seed, drawFor, pool, 5, 5, std::vector<std::string>{withdrawn});
  ASSERT_TRUE(after);
  std::string next;
  for (const std::string& e : after.value())
    if (std::find(panel.value().begin(), panel.value().end(), e) == panel.value().end()) next = e;
  std::string other;
  for (const std::string& e : pool)
    if (e != next && std::find(panel.value().begin(), panel.value().end(), e) == panel.value().end()) other = e;
  ASSERT_FALSE(next.empty());
  ASSERT_FALSE(other.empty()) << "seven experts, five drawn: one more than the replacement is left";
  auto recusal = [&](const std::string& replacement) {
    return federation->signedBy(prefecture, T + 240, {"1409-culture"}, [&](schema::Body::Builder body) {
      auto r = body.initRecusal();
      r.setSubject(applicant);
      setEntryRef(r.initDraw(), drawEntry);
      r.setExpert(withdrawn);
      r.setRequestedBy(schema::RecusalRequester::APPLICANT);
      r.setReason("申请人书面申请回避：该专家与申请人存在利害关系");
      r.setGranted(true);
      r.setReplacement(replacement);
    });
  };
  expectRefused(recusal(other), fmt::format("gives {} next", next));
  auto ok = federation->node(prefecture).submit(recusal(next));
  EXPECT_EQ(ok.status, 200) << ok.describe();
}

TEST_F(Lookup, AnAnswerThatHidesADecisionOrAltersAnEntryIsRefused) {
  recordApplicationReviewAndFinding(false);
  rules::SubjectBundle genuine = bundleFrom(TOWNSHIP);
  ASSERT_EQ(genuine.decisions.size(), 2u);
  ASSERT_TRUE(rules::checkSubject(root, genuine, T + 3600));

  // The preliminary review left out of the list, its entry still in the extract.
  rules::SubjectBundle hiding = genuine;
  hiding.decisions.pop_back();
  auto hidden = rules::checkSubject(root, hiding, T + 3600);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().reason, Reason::SUBJECT_MISMATCH) << hidden.error().detail;

  // One byte of the application changed in transit.
  rules::SubjectBundle altered = genuine;
  for (auto& log : altered.logs)
    if (log.origin == originOf(TOWNSHIP))
      for (auto& e : log.entries)
        if (e.index == genuine.decisions.front().index) e.entry[e.entry.size() / 2] ^= 0x20;
  auto refused = rules::checkSubject(root, altered, T + 3600);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().reason, Reason::SUBJECT_MISMATCH) << refused.error().detail;

  // The JSON round trip keeps the bundle whole.
  auto again = rules::subjectBundleFromJson(rules::toJson(genuine).dump());
  ASSERT_TRUE(again);
  EXPECT_TRUE(rules::checkSubject(root, again.value(), T + 3600));
  EXPECT_FALSE(rules::subjectBundleFromJson("{\"format\": \"something else\"}"));
}

}  // namespace
}  // namespace hreg::testing
