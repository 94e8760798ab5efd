// End to end, 001 (塔城地区非遗工坊认定和管理办法, in force 2026-04-01): the prefecture's procedure — the
// county reviews and recommends (art. 5), the prefecture inspects and draws an odd panel of at least 5
// at random from the pools, hears recusals, takes independent scores and the panel concludes
// (art. 6(2)); notice with objections, one upheld and one not (art. 6(3)); certification at prefecture
// level (art. 6(4)); revocation proposed, appealed within 5 working days and upheld, and another whose
// appeal fails and becomes final (art. 10).
#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "ledger/crypto/sha256.h"
#include "ledger/rules/panel-draw.h"
#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;
using Requester = schema::RecusalRequester;

const LifecyclePolicy POLICY{};  // panel.min-size 5; notice, objection and appeal 5 working days

constexpr const char* COUNTY = "hreg.example/654201";      // 塔城市
constexpr const char* PREFECTURE = "hreg.example/6542";    // 塔城地区
constexpr const char* ACCEPTED = "654201-W-0003";          // its objection is not upheld
constexpr const char* OBJECTED = "654201-W-0004";          // its objection is upheld

Result<Status> statusOf(const Records& r, Timestamp asOf) { return status(r.all(), POLICY, published(), asOf); }

// The pools: the autonomous region's (65-E-…) and the prefecture's (6542-E-…), 20 experts in all.
std::vector<std::string> pool() {
  std::vector<std::string> experts;
  for (int i = 1; i <= 8; ++i) experts.push_back(fmt::format("65-E-{:04}", i));
  for (int i = 1; i <= 12; ++i) experts.push_back(fmt::format("6542-E-{:04}", i));
  return experts;
}

// The public seed: a checkpoint of the prefecture's log fixed after the pools and the applicants.
DrawSeed seed() { return DrawSeed{PREFECTURE, 812, crypto::sha256(asBytes("6542 root at 812"))}; }

const std::vector<std::string> SUBJECTS{ACCEPTED, OBJECTED};

std::vector<std::string> drawn() { return drawPanel(seed(), drawSubject(SUBJECTS), pool(), 5, 5).value(); }

// recommended: applied at the county for prefecture level, reviewed there and recommended.
Records recommended(const char* subject) {
  Records r(COUNTY, subject);
  r.application(at("2026-04-07"), Level::PREFECTURE).recommendation(at("2026-04-14"), Level::PREFECTURE);
  r.in(PREFECTURE).siteInspection(at("2026-04-20"), ReviewOutcome::PASS);
  return r;
}

// The draw of 2026-04-22 for both applicants, as the seed gives it.
Records& drawnPanel(Records& r) { return r.panelDraw(at("2026-04-22"), SUBJECTS, seed(), 5, drawn()); }

// The panel after drawn()[1] withdrew (conflict of interest) and, on the applicant's written request,
// drawn()[3] too: each replaced by the next expert of the seed's order.
std::vector<std::string> afterRecusals() {
  std::vector<std::string> recused{drawn()[1], drawn()[3]};
  return drawPanel(seed(), drawSubject(SUBJECTS), pool(), 5, 5, recused).value();
}
std::string newcomer(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  for (const std::string& e : after)
    if (std::find(before.begin(), before.end(), e) == before.end()) return e;
  return "";
}

Records& recusals(Records& r) {
  const auto panel = drawn();
  std::vector<std::string> afterFirst = drawPanel(seed(), drawSubject(SUBJECTS), pool(), 5, 5,
                                                  std::vector<std::string>{panel[1]}).value();
  r.recusal(at("2026-04-23"), panel[1], Requester::EXPERT, true, newcomer(panel, afterFirst));
  r.recusal(at("2026-04-23", 15), panel[2], Requester::APPLICANT, false, "");  // no conflict shown: refused
  return r.recusal(at("2026-04-24"), panel[3], Requester::APPLICANT, true, newcomer(afterFirst, afterRecusals()));
}

Records& scored(Records& r) {
  std::uint16_t total = 850;
  for (const std::string& e : afterRecusals()) r.score(at("2026-04-28"), e, total += 10);
  return r;
}

Records& panelPassed(Records& r) { return scored(recusals(drawnPanel(r))).conclusion(at("2026-04-29"), ReviewOutcome::PASS); }

TEST(Seed001Tacheng, TheDrawIsReCheckableFromItsPublicSeed) {
  Records r = recommended(ACCEPTED);
  drawnPanel(r);
  auto draw = r.all().back().getBody().getPanelDraw();
  auto checked = checkDraw(draw, pool(), 5);
  ASSERT_TRUE(checked) << checked.error().detail;
  EXPECT_EQ(checked.value(), drawn());
  // The replacements the recusals name are the next of the seed's order.
  auto redrawn = checkDraw(draw, pool(), 5, std::vector<std::string>{drawn()[1], drawn()[3]});
  ASSERT_TRUE(redrawn);
  EXPECT_EQ(redrawn.value(), afterRecusals());
}

// drawPanel refuses a panel no draw may give: even or under panel.min-size, or larger than the pool
// left after recusals.
TEST(Seed001Tacheng, RefusesToDrawAnEvenOrTooSmallPanelOrMoreExpertsThanThePoolHolds) {
  expectRefused(drawPanel(seed(), drawSubject(SUBJECTS), pool(), 4, 5), Reason::PANEL_SIZE,
                "a panel of 4 experts: it must be odd and at least 5");
  expectRefused(drawPanel(seed(), drawSubject(SUBJECTS), pool(), 3, 5), Reason::PANEL_SIZE, "a panel of 3 experts");
  const std::vector<std::string> everyone = pool();
  const std::vector<std::string> six(everyone.begin(), everyone.begin() + 6);
  const std::vector<std::string> recused{six[0], six[1]};
  expectRefused(drawPanel(seed(), drawSubject(SUBJECTS), six, 5, 5, recused), Reason::POOL_TOO_SMALL,
                "the pool has 4 eligible experts after 2 recusal(s); the panel needs 5");
  EXPECT_TRUE(drawPanel(seed(), drawSubject(SUBJECTS), six, 5, 5, std::vector<std::string>{six[0]}));
}

// A draw re-checkable only by hreg's method, from a seed with a 32-byte root hash: one naming another
// method, or whose seed lacks its root, is refused (checkDraw, and status() for the root).
TEST(Seed001Tacheng, RefusesADrawOfAnotherMethodOrWithoutItsSeedsRootHash) {
  auto drawWith = [](Records& r, const std::string& method, std::size_t rootBytes) -> Records& {
    return r.add(at("2026-04-22"), [&](schema::Body::Builder b) {
      auto d = b.initPanelDraw();
      auto s = d.initSubjects(static_cast<unsigned>(SUBJECTS.size()));
      for (unsigned i = 0; i < SUBJECTS.size(); ++i) s.set(i, SUBJECTS[i]);
      auto ref = d.initSeed();
      ref.setOrigin(seed().origin);
      ref.setTreeSize(seed().treeSize);
      const auto root = seed().root;
      ref.setRootHash(kj::arrayPtr(root.data(), rootBytes));
      d.setMethod(method);
      d.setCount(5);
      const auto experts = drawn();
      auto e = d.initExperts(static_cast<unsigned>(experts.size()));
      for (unsigned i = 0; i < experts.size(); ++i) e.set(i, experts[i]);
    });
  };
  Records other = recommended(ACCEPTED);
  drawWith(other, "lottery-box", 32);
  expectRefused(checkDraw(other.all().back().getBody().getPanelDraw(), pool(), 5), Reason::DRAW_MISMATCH,
                fmt::format("the draw names method 'lottery-box'; hreg re-checks {}", DRAW_METHOD));

  Records rootless = recommended(ACCEPTED);
  drawWith(rootless, std::string(DRAW_METHOD), 31);
  expectRefused(checkDraw(rootless.all().back().getBody().getPanelDraw(), pool(), 5), Reason::DRAW_MISMATCH,
                "the draw's seed has no 32-byte root hash");
  expectRefused(statusOf(rootless, at("2026-04-23")), Reason::DRAW_MISMATCH,
                "decision 3: the draw's seed has no 32-byte root hash");

  Records same = recommended(ACCEPTED);
  drawWith(same, std::string(DRAW_METHOD), 32);
  EXPECT_TRUE(checkDraw(same.all().back().getBody().getPanelDraw(), pool(), 5)) << "the same draw, whole";
}

TEST(Seed001Tacheng, RefusesADrawThatIsNotWhatTheSeedGives) {
  Records r = recommended(ACCEPTED);
  auto forged = drawn();
  for (const std::string& e : pool())
    if (std::find(forged.begin(), forged.end(), e) == forged.end()) {
      forged[0] = e;  // a friendlier expert in the first seat
      break;
    }
  r.panelDraw(at("2026-04-22"), SUBJECTS, seed(), 5, forged);
  expectRefused(checkDraw(r.all().back().getBody().getPanelDraw(), pool(), 5), Reason::DRAW_MISMATCH, forged[0]);
}

TEST(Seed001Tacheng, RefusesAnEvenPanelOrOneOfFewerThanFive) {
  Records even = recommended(ACCEPTED);
  auto six = drawPanel(seed(), drawSubject(SUBJECTS), pool(), 7, 5).value();
  six.pop_back();
  even.panelDraw(at("2026-04-22"), SUBJECTS, seed(), 6, six);
  expectRefused(statusOf(even, at("2026-04-23")), Reason::PANEL_SIZE, "6 experts");

  Records three = recommended(ACCEPTED);
  auto small = drawn();
  small.resize(3);
  three.panelDraw(at("2026-04-22"), SUBJECTS, seed(), 3, small);
  expectRefused(statusOf(three, at("2026-04-23")), Reason::PANEL_SIZE, "at least 5");

  Records short_ = recommended(ACCEPTED);
  auto four = drawn();
  four.pop_back();
  short_.panelDraw(at("2026-04-22"), SUBJECTS, seed(), 5, four);
  expectRefused(statusOf(short_, at("2026-04-23")), Reason::DRAW_MISMATCH, "lists 4");
}

TEST(Seed001Tacheng, RefusesADrawBeforeTheCountyRecommended) {
  Records r(COUNTY, ACCEPTED);
  r.application(at("2026-04-07"), Level::PREFECTURE).in(PREFECTURE);
  drawnPanel(r);
  expectRefused(statusOf(r, at("2026-04-23")), Reason::WRONG_STAGE, "applied");
}

TEST(Seed001Tacheng, RecusalsReplaceExpertsAndOnlyThePanelScores) {
  Records r = recommended(ACCEPTED);
  recusals(drawnPanel(r));
  auto s = statusOf(r, at("2026-04-25"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::PANEL_REVIEW);
  ASSERT_TRUE(s.value().panel);
  std::vector<std::string> members = s.value().panel->members;
  std::vector<std::string> expected = afterRecusals();
  std::sort(members.begin(), members.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(members, expected);
  EXPECT_EQ(s.value().panel->recused, (std::vector<std::string>{drawn()[1], drawn()[3]}));

  Records recused = recommended(ACCEPTED);
  recusals(drawnPanel(recused)).score(at("2026-04-28"), drawn()[1], 900);  // withdrew: no longer on it
  expectRefused(statusOf(recused, at("2026-04-29")), Reason::NOT_ON_PANEL, drawn()[1]);

  Records outsider = recommended(ACCEPTED);
  recusals(drawnPanel(outsider)).score(at("2026-04-28"), "6542-E-0099", 900);
  expectRefused(statusOf(outsider, at("2026-04-29")), Reason::NOT_ON_PANEL, "6542-E-0099");

  Records twice = recommended(ACCEPTED);
  recusals(drawnPanel(twice)).score(at("2026-04-28"), drawn()[0], 900).score(at("2026-04-28", 11), drawn()[0], 950);
  expectRefused(statusOf(twice, at("2026-04-29")), Reason::WRONG_STAGE, drawn()[0]);
}

TEST(Seed001Tacheng, RefusesARecusalOfAnExpertNotOnThePanelOrWithoutAReplacement) {
  Records stranger = recommended(ACCEPTED);
  drawnPanel(stranger).recusal(at("2026-04-23"), "6542-E-0099", Requester::APPLICANT, true, drawn()[0]);
  expectRefused(statusOf(stranger, at("2026-04-24")), Reason::NOT_ON_PANEL, "6542-E-0099");

  Records unfilled = recommended(ACCEPTED);
  drawnPanel(unfilled).recusal(at("2026-04-23"), drawn()[1], Requester::EXPERT, true, "");
  expectRefused(statusOf(unfilled, at("2026-04-24")), Reason::PANEL_SIZE, drawn()[1]);

  Records seated = recommended(ACCEPTED);
  drawnPanel(seated).recusal(at("2026-04-23"), drawn()[1], Requester::EXPERT, true, drawn()[2]);
  expectRefused(statusOf(seated, at("2026-04-24")), Reason::DRAW_MISMATCH, drawn()[2]);
}

TEST(Seed001Tacheng, RefusesAConclusionBeforeEveryMemberScored) {
  Records r = recommended(ACCEPTED);
  recusals(drawnPanel(r));
  const auto panel = afterRecusals();
  for (std::size_t i = 0; i + 1 < panel.size(); ++i) r.score(at("2026-04-28"), panel[i], 880);
  r.conclusion(at("2026-04-29"), ReviewOutcome::PASS);
  expectRefused(statusOf(r, at("2026-04-30")), Reason::PREREQUISITE_MISSING, panel.back());
}

TEST(Seed001Tacheng, APanelRejectionEndsTheApplication) {
  Records r = recommended(ACCEPTED);
  scored(recusals(drawnPanel(r))).conclusion(at("2026-04-29"), ReviewOutcome::REJECT);
  auto s = statusOf(r, at("2026-04-30"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().stage, Stage::PANEL_REJECTED);
  r.notice(at("2026-05-26", 9), Level::PREFECTURE);
  expectRefused(statusOf(r, at("2026-05-27")), Reason::WRONG_STAGE, "panel-rejected");
}

// The notice of Tuesday 2026-05-26 runs 27, 28, 29 May, 1 and 2 June.
TEST(Seed001Tacheng, AnObjectionNotUpheldLeadsToCertificationAtPrefectureLevel) {
  Records r = recommended(ACCEPTED);
  panelPassed(r).notice(at("2026-05-26", 9), Level::PREFECTURE).objection(at("2026-05-29"));
  r.resolution(at("2026-06-04"), false).certification(at("2026-06-05"), Level::PREFECTURE);
  auto s = statusOf(r, at("2026-06-08"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
  const DeadlineStatus& verification = s.value().deadlines[1];
  EXPECT_EQ(verification.what, "objection-verification");
  EXPECT_EQ(verification.deadline.lastDay, (Date{2026, 6, 5}));  // 1, 2, 3, 4, 5 June
  EXPECT_TRUE(verification.met);
  EXPECT_EQ(s.value().steps[12].to, Stage::PANEL_PASSED);
}

TEST(Seed001Tacheng, AnUpheldObjectionCostsTheCandidateItsCertification) {
  Records r = recommended(OBJECTED);
  panelPassed(r).notice(at("2026-05-26", 9), Level::PREFECTURE).objection(at("2026-05-27"));
  r.resolution(at("2026-06-01"), true);
  auto upheld = statusOf(r, at("2026-06-03"));
  ASSERT_TRUE(upheld) << upheld.error().detail;
  EXPECT_EQ(upheld.value().stage, Stage::OBJECTION_UPHELD);
  r.certification(at("2026-06-05"), Level::PREFECTURE);
  expectRefused(statusOf(r, at("2026-06-08")), Reason::OBJECTION_UPHELD,
                "an objection was upheld: the candidate lost its proposed certification");
}

TEST(Seed001Tacheng, RefusesAnObjectionAfterTheNoticeAndACertificationWhileOneIsVerified) {
  Records late = recommended(ACCEPTED);
  panelPassed(late).notice(at("2026-05-26", 9), Level::PREFECTURE).objection(at("2026-06-03", 9));
  expectRefused(statusOf(late, at("2026-06-04")), Reason::WINDOW_CLOSED, "2026-06-02");

  Records pending = recommended(ACCEPTED);
  panelPassed(pending).notice(at("2026-05-26", 9), Level::PREFECTURE).objection(at("2026-05-29"));
  pending.certification(at("2026-06-03"), Level::PREFECTURE);
  expectRefused(statusOf(pending, at("2026-06-04")), Reason::OBJECTION_PENDING,
                "1 objection(s) still being verified: record their resolutions first");
}

Records certified() {
  Records r = recommended(ACCEPTED);
  panelPassed(r).notice(at("2026-05-26", 9), Level::PREFECTURE).certification(at("2026-06-03"), Level::PREFECTURE);
  return r;
}

// Art. 10: served Monday 2026-07-06, the appeal window runs 7–13 July; the review 10 working days.
TEST(Seed001Tacheng, ARevocationAppealedInTimeAndUpheldGoesBackToCertified) {
  Records r = certified();
  r.proposal(at("2026-07-06"), 4).appeal(at("2026-07-13", 17)).appealDecision(at("2026-07-24"), true);
  auto s = statusOf(r, at("2026-07-27"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
  const DeadlineStatus& review = s.value().deadlines.back();
  EXPECT_EQ(review.what, "appeal-review");
  EXPECT_EQ(review.deadline.lastDay, (Date{2026, 7, 27}));
  EXPECT_TRUE(review.met);
}

TEST(Seed001Tacheng, RefusesAnAppealAfterFiveWorkingDays) {
  Records r = certified();
  r.proposal(at("2026-07-06"), 4).appeal(at("2026-07-14", 9));
  expectRefused(statusOf(r, at("2026-07-15")), Reason::WINDOW_CLOSED, "2026-07-13");
}

// Served Thursday 2026-09-24: 中秋节 and 国庆节 follow; the window runs 28, 29, 30 Sep, 8 and 9 Oct.
TEST(Seed001Tacheng, ARevocationWhoseAppealFailsBecomesFinal) {
  Records r = certified();
  r.proposal(at("2026-07-06"), 4).appeal(at("2026-07-10")).appealDecision(at("2026-07-24"), true);
  r.proposal(at("2026-09-24"), 5).appeal(at("2026-10-09", 16)).appealDecision(at("2026-10-16"), false);
  auto rejected = statusOf(r, at("2026-10-19"));
  ASSERT_TRUE(rejected) << rejected.error().detail;
  EXPECT_EQ(rejected.value().stage, Stage::APPEAL_REJECTED);
  r.revocation(at("2026-10-19"), 5);
  auto revoked = statusOf(r, at("2026-10-20"));
  ASSERT_TRUE(revoked) << revoked.error().detail;
  EXPECT_EQ(revoked.value().stage, Stage::REVOKED);
  EXPECT_EQ(revoked.value().steps.back().from, Stage::APPEAL_REJECTED);
  // Art. 10: no new application for 3 years from the revocation.
  r.in(COUNTY).application(at("2029-10-18"), Level::PREFECTURE);
  expectRefused(statusOf(r, at("2029-10-19")), Reason::REAPPLICATION_BANNED, "2029-10-19");
}

TEST(Seed001Tacheng, RefusesAnAppealDecisionWithoutAnAppeal) {
  Records r = certified();
  r.proposal(at("2026-07-06"), 4).appealDecision(at("2026-07-08"), true);
  expectRefused(statusOf(r, at("2026-07-09")), Reason::WRONG_STAGE, "revocation-proposed");
}


// Art. 3(2), art. 5: a workshop the county certified is recommended by the county to the prefecture
// (逐级申报) and goes through the prefecture's procedure while it stays certified at county level.
constexpr const char* COUNTY_CERTIFIED = "654201-W-0007";

// certifiedAtCounty: applied at the county, jointly reviewed by the six departments, noticed and
// certified at county level in May 2026, confirmed for 2026.
Records certifiedAtCounty() {
  Records r(COUNTY, COUNTY_CERTIFIED);
  r.application(at("2026-04-07"));
  for (const char* d : {"culture", "rural", "hrss", "finance", "market", "land"})
    r.finding(at("2026-04-13"), d, ReviewOutcome::PASS);
  r.jointResult(at("2026-04-14"), ReviewOutcome::PASS).notice(at("2026-04-15", 9)).certification(at("2026-04-23"));
  return std::move(r.confirmation(at("2026-12-10"), 2026));
}

const std::vector<std::string> UPWARD{COUNTY_CERTIFIED};
std::vector<std::string> upwardPanel() { return drawPanel(seed(), drawSubject(UPWARD), pool(), 5, 5).value(); }

// recommendedUpward: the county recommends it in March 2027; the prefecture inspects, draws, scores and
// concludes for it, and publishes its notice on 2027-04-06.
Records& recommendedUpward(Records& r, ReviewOutcome conclusion = ReviewOutcome::PASS) {
  r.recommendation(at("2027-03-15"), Level::PREFECTURE).in(PREFECTURE).siteInspection(at("2027-03-22"), ReviewOutcome::PASS);
  r.panelDraw(at("2027-03-24"), UPWARD, seed(), 5, upwardPanel());
  for (const std::string& e : upwardPanel()) r.score(at("2027-03-30"), e, 880);
  return r.conclusion(at("2027-03-31"), conclusion);
}

TEST(Seed001Tacheng, ACountyWorkshopGoesThroughThePrefecturesProcedureStayingCertified) {
  Records r = certifiedAtCounty();
  r.recommendation(at("2027-03-15"), Level::PREFECTURE);
  auto recommended = statusOf(r, at("2027-03-16"));
  ASSERT_TRUE(recommended) << recommended.error().detail;
  EXPECT_EQ(recommended.value().stage, Stage::CERTIFIED);
  EXPECT_EQ(recommended.value().level, Level::COUNTY);
  ASSERT_TRUE(recommended.value().pending);
  EXPECT_EQ(recommended.value().pending->level, Level::PREFECTURE);
  EXPECT_EQ(recommended.value().pending->stage, Stage::RECOMMENDED);

  Records full = certifiedAtCounty();
  recommendedUpward(full).notice(at("2027-04-06", 9), Level::PREFECTURE);
  full.in(COUNTY).confirmation(at("2027-04-08"), 2027).in(PREFECTURE);  // the county's work goes on meanwhile
  auto onNotice = statusOf(full, at("2027-04-09"));
  ASSERT_TRUE(onNotice) << onNotice.error().detail;
  EXPECT_EQ(onNotice.value().stage, Stage::CERTIFIED);
  EXPECT_EQ(onNotice.value().level, Level::COUNTY);
  EXPECT_EQ(onNotice.value().pending->stage, Stage::ON_NOTICE);
  ASSERT_TRUE(onNotice.value().panel);

  full.certification(at("2027-04-14"), Level::PREFECTURE);
  auto certified = statusOf(full, at("2027-04-15"));
  ASSERT_TRUE(certified) << certified.error().detail;
  EXPECT_EQ(certified.value().stage, Stage::CERTIFIED);
  EXPECT_EQ(certified.value().level, Level::PREFECTURE);
  EXPECT_FALSE(certified.value().pending);
  EXPECT_EQ(certified.value().since, at("2027-04-14"));
  EXPECT_EQ(certified.value().deadlines.back().what, "evaluation") << "the prefecture's cycle starts";
  EXPECT_EQ(certified.value().deadlines.back().deadline.lastDay, (Date{2029, 4, 13}));
}

TEST(Seed001Tacheng, APanelAgainstItLeavesTheWorkshopCertifiedAtTheCountyAndItMayBeRecommendedAgain) {
  Records r = certifiedAtCounty();
  recommendedUpward(r, ReviewOutcome::REJECT);
  auto rejected = statusOf(r, at("2027-04-01"));
  ASSERT_TRUE(rejected) << rejected.error().detail;
  EXPECT_EQ(rejected.value().stage, Stage::CERTIFIED);
  EXPECT_EQ(rejected.value().level, Level::COUNTY);
  EXPECT_EQ(rejected.value().pending->stage, Stage::PANEL_REJECTED);
  r.in(COUNTY).recommendation(at("2028-03-15"), Level::PREFECTURE);
  auto again = statusOf(r, at("2028-03-16"));
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again.value().pending->stage, Stage::RECOMMENDED);
}

TEST(Seed001Tacheng, RefusesARecommendationToTheSameLevelAndACertificationAtAnother) {
  Records same = certifiedAtCounty();
  same.recommendation(at("2027-03-15"), Level::COUNTY);
  expectRefused(statusOf(same, at("2027-03-16")), Reason::WRONG_LEVEL, "certified at county level");

  Records other = certifiedAtCounty();
  recommendedUpward(other).notice(at("2027-04-06", 9), Level::PREFECTURE).certification(at("2027-04-14"), Level::PROVINCE);
  expectRefused(statusOf(other, at("2027-04-15")), Reason::WRONG_LEVEL, "recommended for prefecture");
}

TEST(Seed001Tacheng, RefusesAPrefectureStepForACertifiedWorkshopNobodyRecommended) {
  Records r = certifiedAtCounty();
  r.in(PREFECTURE).panelDraw(at("2027-03-24"), UPWARD, seed(), 5, upwardPanel());
  expectRefused(statusOf(r, at("2027-03-25")), Reason::WRONG_STAGE, "stage certified");
}

TEST(Seed001Tacheng, RefusesRecommendingARevokedCancelledOrBannedWorkshop) {
  Records revoked = certifiedAtCounty();
  revoked.proposal(at("2027-01-11"), 4).revocation(at("2027-01-20"), 4).recommendation(at("2027-03-15"), Level::PREFECTURE);
  expectRefused(statusOf(revoked, at("2027-03-16")), Reason::WRONG_STAGE, "stage revoked");

  // Revoked by time: the appeal window closed unused, the revocation not yet recorded; then banned.
  Records proposed = certifiedAtCounty();
  proposed.proposal(at("2027-01-11"), 4).recommendation(at("2027-03-15"), Level::PREFECTURE);
  expectRefused(statusOf(proposed, at("2027-03-16")), Reason::WRONG_STAGE, "revocation-proposed");

  Records cancelled = certifiedAtCounty();  // 2027 and 2028 unconfirmed: cancelled at the start of 2029
  cancelled.cancellation(at("2029-01-05"), {2027, 2028}).recommendation(at("2029-03-15"), Level::PREFECTURE);
  expectRefused(statusOf(cancelled, at("2029-03-16")), Reason::WRONG_STAGE, "stage cancelled");

  Records unrecorded = certifiedAtCounty();  // the same, the cancellation not yet recorded
  unrecorded.recommendation(at("2029-03-15"), Level::PREFECTURE);
  expectRefused(statusOf(unrecorded, at("2029-03-16")), Reason::WRONG_STAGE, "cancelled on 2029-01-01");
}

// The seed is a checkpoint that did not exist when the pools were fixed: the prefecture's pool, kept in
// its own log, must be inside the checkpoint of that log the draw takes (seed() is its size 812). The
// autonomous region's pool, in the region's log, has no position in the prefecture's to compare.
TEST(Seed001Tacheng, RefusesADrawWhoseSeedWasMadeBeforeItsPool) {
  auto drawFrom = [](Records& r, std::uint64_t prefecturePoolIndex) {
    r.add(at("2026-04-22"), [&](schema::Body::Builder b) {
      auto d = b.initPanelDraw();
      auto subjects = d.initSubjects(2);
      for (unsigned i = 0; i < 2; ++i) subjects.set(i, SUBJECTS[i]);
      auto pools = d.initPools(2);
      pools[0].initPool().setOrigin("hreg.example/65");
      pools[0].getPool().setIndex(3000);
      pools[0].setVersion(6);
      pools[1].initPool().setOrigin(PREFECTURE);
      pools[1].getPool().setIndex(prefecturePoolIndex);
      pools[1].setVersion(2);
      auto ref = d.initSeed();
      ref.setOrigin(seed().origin);
      ref.setTreeSize(seed().treeSize);
      ref.setRootHash(kj::arrayPtr(seed().root.data(), seed().root.size()));
      d.setMethod(std::string(DRAW_METHOD));
      d.setCount(5);
      auto experts = d.initExperts(5);
      for (unsigned i = 0; i < 5; ++i) experts.set(i, drawn()[i]);
    });
  };
  Records early = recommended(ACCEPTED);
  drawFrom(early, 812);
  expectRefused(statusOf(early, at("2026-04-23")), Reason::DRAW_MISMATCH,
                "the seed, the checkpoint of hreg.example/6542 at size 812, was made before the expert pool (version 2) "
                "at hreg.example/6542 #812 was recorded");
  expectRefused(checkDraw(early.all().back().getBody().getPanelDraw(), pool(), 5), Reason::DRAW_MISMATCH,
                "hreg.example/6542 #812");

  Records timely = recommended(ACCEPTED);
  drawFrom(timely, 640);
  auto s = statusOf(timely, at("2026-04-23"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::PANEL_REVIEW);
  auto checked = checkDraw(timely.all().back().getBody().getPanelDraw(), pool(), 5);
  ASSERT_TRUE(checked) << checked.error().detail;
  EXPECT_EQ(checked.value(), drawn());
}

}  // namespace
}  // namespace hreg::rules
