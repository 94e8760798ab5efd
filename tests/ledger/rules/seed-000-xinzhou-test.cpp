// End to end, 000 (忻政办发〔2022〕59号, Xinzhou): a county-level workshop from its application at the
// township to certification, yearly confirmation, the 2-yearly evaluation, rectification ordered and
// failed, revocation, and the 3-year ban — each step a decision, each refusal with its reason.
#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>
#include <algorithm>
#include <string_view>

#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;

const LifecyclePolicy POLICY{};  // built-in: the six departments of 000 §2(5)3, 5 working days, 3 years

// 秀容街道 140902001 receives the application (000 §2(5)1); 忻府区 140902 reviews and certifies.
constexpr const char* TOWNSHIP = "hreg.example/140902001";
constexpr const char* COUNTY = "hreg.example/140902";
constexpr const char* SUBJECT = "140902001-W-0012";

Result<Status> statusOf(const Records& r, Timestamp asOf) { return status(r.all(), POLICY, published(), asOf); }

// §2(5)1–5: application at the township, preliminary review with the site inspected, the joint review
// of culture with rural revitalization, HR&SS, finance, market supervision and natural resources.
Records& jointlyReviewed(Records& r) {
  r.application(at("2026-04-20")).preliminary(at("2026-04-24"), ReviewOutcome::PASS).in(COUNTY);
  for (const char* d : {"culture", "rural", "hrss", "finance", "market", "land"})
    r.finding(at("2026-04-27"), d, ReviewOutcome::PASS);
  return r.jointResult(at("2026-04-28"), ReviewOutcome::PASS);
}

// The notice of 2026-04-29 spans 劳动节 (1–5 May): 30 April, 6, 7, 8 May and the make-up Saturday 9 May.
Records& certified(Records& r) {
  return jointlyReviewed(r).notice(at("2026-04-29", 9)).certification(at("2026-05-11", 9));
}

TEST(Seed000Xinzhou, FromTheTownshipToCertificationOverLabourDay) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r);
  auto s = statusOf(r, at("2026-05-12"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().kind, SubjectKind::WORKSHOP);
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
  EXPECT_EQ(s.value().steps.size(), 11u);
  EXPECT_EQ(s.value().steps[1].to, Stage::PRELIMINARY_PASSED);
  EXPECT_EQ(s.value().steps[8].to, Stage::JOINT_PASSED);
  ASSERT_EQ(s.value().deadlines.size(), 2u);
  EXPECT_EQ(s.value().deadlines[0].what, "notice");
  EXPECT_EQ(s.value().deadlines[0].deadline.lastDay, (Date{2026, 5, 9}));  // the make-up Saturday
  EXPECT_TRUE(s.value().deadlines[0].deadline.coverage.published());
  EXPECT_EQ(s.value().deadlines[1].what, "evaluation");  // the first, 2 years on (§4(2))
  EXPECT_EQ(s.value().deadlines[1].deadline.lastDay, (Date{2028, 5, 10}));
}

TEST(Seed000Xinzhou, RefusesACertificationOnTheNoticesLastDayTheMakeUpSaturday) {
  Records r(TOWNSHIP, SUBJECT);
  jointlyReviewed(r).notice(at("2026-04-29", 9)).certification(at("2026-05-09", 16));
  expectRefused(statusOf(r, at("2026-05-12")), Reason::WINDOW_OPEN, "2026-05-09");
}

// Policy may set minimum conditions (000 §1: a fixed production site; e.g. 60 m²): a workshop whose
// application states a smaller site passes every review and the notice, and is still not certified.
TEST(Seed000Xinzhou, RefusesACertificationBelowThePolicysMinimumSite) {
  LifecyclePolicy sixtyMetres = POLICY;
  sixtyMetres.minSiteAreaM2 = 60;
  for (std::uint32_t tenths : {450u, 600u}) {
    Records r(TOWNSHIP, SUBJECT);
    r.application(at("2026-04-20"), Level::COUNTY, tenths).preliminary(at("2026-04-24"), ReviewOutcome::PASS).in(COUNTY);
    for (const char* d : {"culture", "rural", "hrss", "finance", "market", "land"})
      r.finding(at("2026-04-27"), d, ReviewOutcome::PASS);
    r.jointResult(at("2026-04-28"), ReviewOutcome::PASS).notice(at("2026-04-29", 9)).certification(at("2026-05-11", 9));
    auto s = status(r.all(), sixtyMetres, published(), at("2026-05-12"));
    if (tenths < 600) {
      expectRefused(s, Reason::CONDITION_NOT_MET, "a site of 45.0 m², at least 60 m² required");
    } else {
      ASSERT_TRUE(s) << s.error().detail;
      EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
    }
  }
}

TEST(Seed000Xinzhou, RefusesAJointReviewPassedWithoutNaturalResources) {
  Records r(TOWNSHIP, SUBJECT);
  r.application(at("2026-04-20")).preliminary(at("2026-04-24"), ReviewOutcome::PASS).in(COUNTY);
  for (const char* d : {"culture", "rural", "hrss", "finance", "market"}) r.finding(at("2026-04-27"), d, ReviewOutcome::PASS);
  r.jointResult(at("2026-04-28"), ReviewOutcome::PASS);
  expectRefused(statusOf(r, at("2026-05-01")), Reason::DEPARTMENT_NOT_PASSED, "land");
}

TEST(Seed000Xinzhou, RefusesANoticeBeforeTheJointReview) {
  Records r(TOWNSHIP, SUBJECT);
  r.application(at("2026-04-20")).preliminary(at("2026-04-24"), ReviewOutcome::PASS).in(COUNTY).notice(at("2026-04-29"));
  expectRefused(statusOf(r, at("2026-05-01")), Reason::WRONG_STAGE, "preliminary-passed");
}

TEST(Seed000Xinzhou, ARejectedPreliminaryReviewLetsTheWorkshopApplyAgain) {
  Records r(TOWNSHIP, SUBJECT);
  r.application(at("2026-04-20")).preliminary(at("2026-04-24"), ReviewOutcome::REJECT);
  auto rejected = statusOf(r, at("2026-04-25"));
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected.value().stage, Stage::PRELIMINARY_REJECTED);
  r.application(at("2026-06-01"));
  auto again = statusOf(r, at("2026-06-02"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again.value().stage, Stage::APPLIED);
}

// §2(5)7 yearly confirmation, §4(2) evaluation every 2 years, rectification within a deadline, and
// revocation when it fails (001 art. 10(9) is the ground's number), then the 3-year ban.
Records& failedRectification(Records& r) {
  certified(r).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  r.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor");
  r.rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  r.confirmation(at("2028-06-15"), 2028);  // confirmations go on while it rectifies
  return r.rectificationResult(at("2028-09-05"), ReviewOutcome::REJECT);
}

TEST(Seed000Xinzhou, ConfirmsEachYearIsEvaluatedAfterTwoYearsAndRectifies) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  r.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  auto ordered = statusOf(r, at("2028-06-01"));
  ASSERT_TRUE(ordered) << ordered.error().detail;
  EXPECT_EQ(ordered.value().stage, Stage::RECTIFICATION);
  r.rectificationResult(at("2028-08-30"), ReviewOutcome::PASS);
  auto achieved = statusOf(r, at("2028-09-01"));
  ASSERT_TRUE(achieved);
  EXPECT_EQ(achieved.value().stage, Stage::CERTIFIED);
  r.confirmation(at("2028-12-18"), 2028).confirmation(at("2029-12-17"), 2029);
  r.evaluation(at("2030-05-12"), ReviewOutcome::PASS, "outstanding");  // the next cycle, commended
  auto next = statusOf(r, at("2030-05-13"));
  ASSERT_TRUE(next) << next.error().detail;
  EXPECT_EQ(next.value().stage, Stage::CERTIFIED);
  EXPECT_TRUE(next.value().derived.empty());
}

// deadlineNamed is the last deadline of `what` in a status, or null.
const DeadlineStatus* deadlineNamed(const Status& s, std::string_view what) {
  const DeadlineStatus* found = nullptr;
  for (const DeadlineStatus& d : s.deadlines)
    if (d.what == what) found = &d;
  return found;
}

// §4(2) 每2年…进行一次绩效评估: certified 2026-05-11, evaluated by 2028-05-10, supervised like the
// quarterly report: an evaluation not recorded by then is overdue, a late one is accepted and overdue.
TEST(Seed000Xinzhou, TheEvaluationIsDueTwoYearsAfterTheCertificationAndOverdueAfter) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  auto due = statusOf(r, at("2028-05-10", 23));
  ASSERT_TRUE(due) << due.error().detail;
  const DeadlineStatus* evaluation = deadlineNamed(due.value(), "evaluation");
  ASSERT_NE(evaluation, nullptr);
  EXPECT_TRUE(evaluation->supervisory);
  EXPECT_EQ(evaluation->deadline.lastDay, (Date{2028, 5, 10}));
  EXPECT_FALSE(evaluation->overdue);
  auto late = statusOf(r, at("2028-05-11", 0));
  ASSERT_TRUE(late);
  EXPECT_TRUE(deadlineNamed(late.value(), "evaluation")->overdue);
  EXPECT_EQ(late.value().stage, Stage::CERTIFIED) << "an overdue evaluation refuses nothing";

  r.evaluation(at("2028-06-02"), ReviewOutcome::PASS, "qualified");  // late, accepted
  auto evaluated = statusOf(r, at("2028-06-03"));
  ASSERT_TRUE(evaluated) << evaluated.error().detail;
  const auto& deadlines = evaluated.value().deadlines;
  ASSERT_EQ(std::count_if(deadlines.begin(), deadlines.end(), [](auto& d) { return d.what == "evaluation"; }), 2);
  const DeadlineStatus& missed = deadlines[deadlines.size() - 2];
  EXPECT_TRUE(missed.overdue);
  EXPECT_FALSE(missed.met);
  const DeadlineStatus& next = deadlines.back();  // the next cycle counts from the evaluation
  EXPECT_EQ(next.deadline.lastDay, (Date{2030, 6, 1}));
  EXPECT_FALSE(next.overdue);
}

TEST(Seed000Xinzhou, TheEvaluationCycleFollowsPolicy) {
  LifecyclePolicy every3 = POLICY;
  every3.evaluationCycleYears = 3;
  Records r(TOWNSHIP, SUBJECT);
  certified(r);
  auto s = status(r.all(), every3, published(), at("2026-06-01"));
  ASSERT_TRUE(s);
  EXPECT_EQ(deadlineNamed(s.value(), "evaluation")->deadline.lastDay, (Date{2029, 5, 10}));
}

TEST(Seed000Xinzhou, NoEvaluationIsAwaitedOfARevokedWorkshop) {
  Records r(TOWNSHIP, SUBJECT);
  failedRectification(r).proposal(at("2028-09-08"), 9).revocation(at("2028-09-20"), 9);
  auto s = statusOf(r, at("2031-01-01"));
  ASSERT_TRUE(s) << s.error().detail;
  for (const DeadlineStatus& d : s.value().deadlines)
    EXPECT_FALSE(d.what == "evaluation" && d.overdue) << formatDate(d.deadline.lastDay);
}

// 限期整改: the order sets the deadline; the result is supervised against it.
TEST(Seed000Xinzhou, TheRectificationResultIsDueByTheOrdersDeadline) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  r.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  auto running = statusOf(r, at("2028-08-31", 23));
  ASSERT_TRUE(running) << running.error().detail;
  const DeadlineStatus* rectification = deadlineNamed(running.value(), "rectification");
  ASSERT_NE(rectification, nullptr);
  EXPECT_EQ(rectification->deadline.lastDay, (Date{2028, 8, 31}));
  EXPECT_TRUE(rectification->supervisory);
  EXPECT_FALSE(rectification->overdue);
  auto overdue = statusOf(r, at("2028-09-01", 0));
  ASSERT_TRUE(overdue);
  EXPECT_TRUE(deadlineNamed(overdue.value(), "rectification")->overdue);

  Records inTime(TOWNSHIP, SUBJECT);
  certified(inTime).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  inTime.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  inTime.rectificationResult(at("2028-08-30"), ReviewOutcome::PASS);
  auto achieved = statusOf(inTime, at("2028-12-01"));
  ASSERT_TRUE(achieved);
  EXPECT_TRUE(deadlineNamed(achieved.value(), "rectification")->met);
  EXPECT_FALSE(deadlineNamed(achieved.value(), "rectification")->overdue);
}

TEST(Seed000Xinzhou, AFailedCheckBeforeTheDeadlineLeavesTheRectificationRunning) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  r.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  r.rectificationResult(at("2028-07-01"), ReviewOutcome::REJECT);
  auto s = statusOf(r, at("2028-07-02"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().stage, Stage::RECTIFICATION);
  EXPECT_FALSE(deadlineNamed(s.value(), "rectification")->overdue);
  r.proposal(at("2028-07-03"), 9);
  expectRefused(statusOf(r, at("2028-07-04")), Reason::WINDOW_OPEN, "2028-08-31");
}

TEST(Seed000Xinzhou, AFailedRectificationIsOverdueAndMayBeProposedOnGroundNine) {
  Records r(TOWNSHIP, SUBJECT);
  failedRectification(r);  // checked 2028-09-05, after its deadline of 2028-08-31
  auto failed = statusOf(r, at("2028-09-06"));
  ASSERT_TRUE(failed) << failed.error().detail;
  EXPECT_TRUE(deadlineNamed(failed.value(), "rectification")->overdue);
  r.proposal(at("2028-09-08"), 9);
  auto proposed = statusOf(r, at("2028-09-08", 12));
  ASSERT_TRUE(proposed) << proposed.error().detail;
  EXPECT_EQ(proposed.value().stage, Stage::REVOCATION_PROPOSED);

  Records absent(TOWNSHIP, SUBJECT);  // no result recorded at all: the deadline passing is enough
  certified(absent).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  absent.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  absent.proposal(at("2028-09-04"), 9);
  auto s = statusOf(absent, at("2028-09-05"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::REVOCATION_PROPOSED);
  EXPECT_TRUE(deadlineNamed(s.value(), "rectification")->overdue) << "it was missed when the proposal came";
}

TEST(Seed000Xinzhou, RefusesGroundNineWhenTheRectificationSucceededOrWasNeverOrdered) {
  Records achieved(TOWNSHIP, SUBJECT);
  certified(achieved).confirmation(at("2026-12-20"), 2026).confirmation(at("2027-12-15"), 2027);
  achieved.evaluation(at("2028-05-10"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2028-05-20"), at("2028-08-31", 24));
  achieved.rectificationResult(at("2028-08-30"), ReviewOutcome::PASS).proposal(at("2028-09-08"), 9);
  expectRefused(statusOf(achieved, at("2028-09-09")), Reason::PREREQUISITE_MISSING, "2028-08-30");

  Records never(TOWNSHIP, SUBJECT);
  certified(never).proposal(at("2026-09-08"), 9);
  expectRefused(statusOf(never, at("2026-09-09")), Reason::PREREQUISITE_MISSING, "no rectification");
}

TEST(Seed000Xinzhou, RefusesARectificationOrderWithoutADeadline) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r).evaluation(at("2026-09-01"), ReviewOutcome::REJECT, "poor").rectificationOrder(at("2026-09-02"), 0);
  expectRefused(statusOf(r, at("2026-09-03")), Reason::MALFORMED_ENTRY, "deadline");
}

TEST(Seed000Xinzhou, RefusesARectificationResultWithoutAnOrder) {
  Records r(TOWNSHIP, SUBJECT);
  certified(r).rectificationResult(at("2026-09-01"), ReviewOutcome::PASS);
  expectRefused(statusOf(r, at("2026-09-02")), Reason::WRONG_STAGE, "certified");
}

TEST(Seed000Xinzhou, AFailedRectificationIsRevokedWhenTheAppealWindowClosesUnused) {
  Records r(TOWNSHIP, SUBJECT);
  failedRectification(r).proposal(at("2028-09-08"), 9);
  // 2028 has no published calendar: weekends alone, 11–15 September, and the answer says so.
  auto running = statusOf(r, at("2028-09-15", 12));
  ASSERT_TRUE(running) << running.error().detail;
  EXPECT_EQ(running.value().stage, Stage::REVOCATION_PROPOSED);
  EXPECT_EQ(running.value().deadlines.back().what, "appeal");
  EXPECT_EQ(running.value().deadlines.back().deadline.lastDay, (Date{2028, 9, 15}));
  EXPECT_FALSE(running.value().deadlines.back().deadline.coverage.published());
  auto final = statusOf(r, at("2028-09-16"));
  ASSERT_TRUE(final);
  EXPECT_EQ(final.value().stage, Stage::REVOKED);
  ASSERT_EQ(final.value().derived.size(), 1u);
  EXPECT_EQ(final.value().derived[0].what, "revocation-final");
}

TEST(Seed000Xinzhou, RefusesARevocationRecordedInsideTheAppealWindow) {
  Records r(TOWNSHIP, SUBJECT);
  failedRectification(r).proposal(at("2028-09-08"), 9).revocation(at("2028-09-14"), 9);
  expectRefused(statusOf(r, at("2028-09-20")), Reason::WINDOW_OPEN, "2028-09-15");
}

// The proposal of Friday 2028-09-08 went unappealed: its window closed with 2028-09-15, so the
// revocation recorded on 2028-09-20 took effect on 2028-09-16 (docs/rules.md, "Automatic
// consequences"), and the ban runs three years from then.
TEST(Seed000Xinzhou, RefusesAReapplicationWithinThreeYearsAndAcceptsItAfter) {
  Records banned(TOWNSHIP, SUBJECT);
  failedRectification(banned).proposal(at("2028-09-08"), 9).revocation(at("2028-09-20"), 9);
  auto revoked = statusOf(banned, at("2031-09-15", 23));
  ASSERT_TRUE(revoked) << revoked.error().detail;
  EXPECT_EQ(revoked.value().stage, Stage::REVOKED);
  EXPECT_EQ(revoked.value().since, at("2028-09-16", 0));
  EXPECT_TRUE(revoked.value().derived.empty());
  banned.in(TOWNSHIP).application(at("2031-09-15", 16));
  expectRefused(statusOf(banned, at("2031-09-16")), Reason::REAPPLICATION_BANNED, "2031-09-16");

  Records after(TOWNSHIP, SUBJECT);
  failedRectification(after).proposal(at("2028-09-08"), 9).revocation(at("2028-09-20"), 9);
  auto over = statusOf(after, at("2031-09-16", 0));
  ASSERT_TRUE(over);
  ASSERT_EQ(over.value().derived.size(), 1u);
  EXPECT_EQ(over.value().derived[0].what, "reapplication-ban-over");
  after.in(TOWNSHIP).application(at("2031-09-22", 9));
  auto accepted = statusOf(after, at("2031-09-23"));
  ASSERT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(accepted.value().stage, Stage::APPLIED);
}

// The ban follows the revocation time decided, recorded or not: the proposal of 2028-09-08 went
// unappealed and became final on 2028-09-16; an application inside the three years is judged on the
// derived stage, revoked, and refused for the ban, not for the stage the records reached.
TEST(Seed000Xinzhou, AReapplicationInsideTheDerivedBanIsRefusedForTheBan) {
  Records banned(TOWNSHIP, SUBJECT);
  failedRectification(banned).proposal(at("2028-09-08"), 9).application(at("2029-05-07"));
  expectRefused(statusOf(banned, at("2029-05-08")), Reason::REAPPLICATION_BANNED,
                "revoked on 2028-09-16: it may apply again from 2031-09-16");

  Records after(TOWNSHIP, SUBJECT);
  failedRectification(after).proposal(at("2028-09-08"), 9).application(at("2031-09-22", 9));
  auto accepted = statusOf(after, at("2031-09-23"));
  ASSERT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(accepted.value().stage, Stage::APPLIED);
  EXPECT_EQ(accepted.value().steps.back().from, Stage::REVOKED);

  // A confirmation after the window closed is refused on the derived stage, naming it.
  Records confirmed(TOWNSHIP, SUBJECT);
  failedRectification(confirmed).proposal(at("2028-09-08"), 9).confirmation(at("2028-12-20"), 2028);
  expectRefused(statusOf(confirmed, at("2028-12-21")), Reason::WRONG_STAGE,
                "at stage revoked: the revocation proposed is final from 2028-09-16");
}

// An appeal received inside the window is judged on when it was received, though recorded later.
TEST(Seed000Xinzhou, AnAppealReceivedInTimeButRecordedLateStands) {
  Records r(TOWNSHIP, SUBJECT);
  failedRectification(r).proposal(at("2028-09-08"), 9);
  r.add(at("2028-09-19"), [](schema::Body::Builder b) {
    auto a = b.initAppeal();
    a.setSubject(SUBJECT);
    a.setReceivedAt(at("2028-09-14"));
  });
  auto s = statusOf(r, at("2028-09-20"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::APPEALED);
}

}  // namespace
}  // namespace hreg::rules
