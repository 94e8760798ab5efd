// End to end, 003 (办非遗发〔2021〕221号, national): county-level selection by culture and tourism with
// HR&SS and rural revitalization (§2), the yearly confirmation to the county, and the automatic
// cancellation after two consecutive years without it; former poverty-alleviation employment workshops
// brought in (§2); provincial statistics (§10) are the quarterly aggregate (seed-002-hunan-test.cpp).
#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>

#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;

// §2: "County-level cultural and tourism departments should work with human resources and social
// security and rural revitalization departments at the same level to carry out the selection".
LifecyclePolicy nationalPolicy() {
  LifecyclePolicy p;
  p.departments = {"culture", "hrss", "rural"};
  return p;
}

constexpr const char* COUNTY = "hreg.example/522633";  // 从江县, a key county for rural revitalization
constexpr const char* SUBJECT = "522633-W-0002";

Result<Status> statusOf(const Records& r, Timestamp asOf) {
  return status(r.all(), nationalPolicy(), published(), asOf);
}

Records& selected(Records& r) {
  r.application(at("2026-03-02"));
  for (const char* d : {"culture", "hrss", "rural"}) r.finding(at("2026-03-09"), d, ReviewOutcome::PASS);
  return r.jointResult(at("2026-03-10"), ReviewOutcome::PASS).notice(at("2026-03-11", 9)).certification(at("2026-03-19"));
}

TEST(Seed003National, TheCountySelectsWithHrssAndRuralRevitalization) {
  Records r(COUNTY, SUBJECT);
  selected(r);
  auto s = statusOf(r, at("2026-03-20"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);

  Records without(COUNTY, SUBJECT);
  without.application(at("2026-03-02")).finding(at("2026-03-09"), "culture", ReviewOutcome::PASS);
  without.finding(at("2026-03-09"), "hrss", ReviewOutcome::PASS).jointResult(at("2026-03-10"), ReviewOutcome::PASS);
  expectRefused(statusOf(without, at("2026-03-20")), Reason::DEPARTMENT_NOT_PASSED, "rural");
}

// Certified 2026, confirmed for 2026 and 2027; 2028 and 2029 go unconfirmed.
TEST(Seed003National, TwoUnconfirmedYearsCancelTheCertificationAutomatically) {
  Records r(COUNTY, SUBJECT);
  selected(r).confirmation(at("2026-12-10"), 2026).confirmation(at("2027-12-09"), 2027);
  auto oneMissed = statusOf(r, at("2029-06-01"));
  ASSERT_TRUE(oneMissed) << oneMissed.error().detail;
  EXPECT_EQ(oneMissed.value().stage, Stage::CERTIFIED);

  auto lastDay = statusOf(r, at("2029-12-31", 23));
  ASSERT_TRUE(lastDay);
  EXPECT_EQ(lastDay.value().stage, Stage::CERTIFIED);

  auto cancelled = statusOf(r, at("2030-01-01", 0));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled.value().recorded, Stage::CERTIFIED);
  EXPECT_EQ(cancelled.value().stage, Stage::CANCELLED);
  EXPECT_EQ(cancelled.value().since, at("2030-01-01", 0));
  ASSERT_EQ(cancelled.value().derived.size(), 1u);
  EXPECT_EQ(cancelled.value().derived[0].what, "cancellation");
  EXPECT_EQ(cancelled.value().derived[0].record, schema::Body::CANCELLATION);
  EXPECT_EQ(missedYears(2026, 2027, at("2030-01-01", 0), nationalPolicy()), (std::vector<int>{2028, 2029}));
}

TEST(Seed003National, ARecordedCancellationWaitsForTheSecondYearToEnd) {
  Records early(COUNTY, SUBJECT);
  selected(early).confirmation(at("2027-12-09"), 2027).cancellation(at("2029-12-31"), {2028, 2029});
  expectRefused(statusOf(early, at("2030-01-02")), Reason::WINDOW_OPEN, "2030-01-01");

  Records r(COUNTY, SUBJECT);
  selected(r).confirmation(at("2027-12-09"), 2027).cancellation(at("2030-01-05"), {2028, 2029});
  auto s = statusOf(r, at("2030-01-06"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().recorded, Stage::CANCELLED);
  EXPECT_TRUE(s.value().derived.empty());
  // No ban follows a cancellation: the workshop may apply again at once.
  r.application(at("2030-03-02"));
  auto again = statusOf(r, at("2030-03-03"));
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again.value().stage, Stage::APPLIED);
}

TEST(Seed003National, AConfirmationWhileRectifyingKeepsTheCertification) {
  Records r(COUNTY, SUBJECT);
  selected(r).evaluation(at("2027-11-02"), ReviewOutcome::REJECT, "poor");
  r.rectificationOrder(at("2027-11-09"), at("2028-03-31", 24)).confirmation(at("2027-12-09"), 2027);
  r.confirmation(at("2028-12-08"), 2028);
  auto s = statusOf(r, at("2030-06-01"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::RECTIFICATION);  // 2029 alone is missed so far
}

// §2: former 非遗扶贫就业工坊 are included by decision; they confirm like any other.
TEST(Seed003National, AnIncludedEmploymentWorkshopIsCancelledLikeAnyOther) {
  Records r(COUNTY, "522633-W-0001");
  r.legacyImport(at("2026-02-02"), Level::COUNTY, "从江县文旅〔2026〕3号");
  auto kept = statusOf(r, at("2028-12-31", 23));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept.value().stage, Stage::CERTIFIED);
  auto cancelled = statusOf(r, at("2029-01-01", 0));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled.value().stage, Stage::CANCELLED);
}

TEST(Seed003National, RefusesAConfirmationOfACancelledWorkshop) {
  Records r(COUNTY, SUBJECT);
  selected(r).cancellation(at("2029-01-04"), {2027, 2028}).confirmation(at("2029-02-01"), 2029);
  expectRefused(statusOf(r, at("2029-02-02")), Reason::WRONG_STAGE, "cancelled");
}

// What time decided is the stage a later record is judged on, recorded or not: 2028 and 2029 went
// unconfirmed, so the certification was cancelled on 2030-01-01 whether or not the county has
// recorded the cancellation yet. A confirmation of 2029 recorded after that does not revive it.
TEST(Seed003National, AConfirmationAfterTheDerivedCancellationIsRefused) {
  Records late(COUNTY, SUBJECT);
  selected(late).confirmation(at("2026-12-10"), 2026).confirmation(at("2027-12-09"), 2027);
  late.confirmation(at("2030-01-06"), 2029);
  expectRefused(statusOf(late, at("2030-01-07")), Reason::WRONG_STAGE,
                "no confirmation record is allowed at stage cancelled: the certification was cancelled on 2030-01-01 by "
                "the years [2028, 2029] without confirmation (derived from time, not yet recorded; the recorded stage "
                "is certified)");

  Records inTime(COUNTY, SUBJECT);  // the last day of 2029 still counts
  selected(inTime).confirmation(at("2026-12-10"), 2026).confirmation(at("2027-12-09"), 2027);
  inTime.confirmation(at("2029-12-31", 23), 2029);
  auto kept = statusOf(inTime, at("2030-06-01"));
  ASSERT_TRUE(kept) << kept.error().detail;
  EXPECT_EQ(kept.value().stage, Stage::CERTIFIED);

  Records evaluated(COUNTY, SUBJECT);  // nor is a cancelled workshop evaluated or ordered to rectify
  selected(evaluated).confirmation(at("2027-12-09"), 2027).evaluation(at("2030-02-03"), ReviewOutcome::PASS, "good");
  expectRefused(statusOf(evaluated, at("2030-02-04")), Reason::WRONG_STAGE, "cancelled on 2030-01-01");
}

// Judged on the derived stage, an application after the cancellation is a fresh start (no ban
// follows a cancellation), though the cancellation was never recorded; its step starts from it.
TEST(Seed003National, AnApplicationAfterTheDerivedCancellationStartsAnew) {
  Records r(COUNTY, SUBJECT);
  selected(r).confirmation(at("2027-12-09"), 2027).application(at("2030-03-02"));
  auto again = statusOf(r, at("2030-03-03"));
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again.value().stage, Stage::APPLIED);
  EXPECT_EQ(again.value().steps.back().from, Stage::CANCELLED);
  EXPECT_TRUE(again.value().derived.empty());
  // The evaluation due 2028-03-18 was overdue before the cancellation ended the certification.
  ASSERT_EQ(again.value().deadlines.back().what, "evaluation");
  EXPECT_TRUE(again.value().deadlines.back().overdue);

  // The cancellation itself is still recorded on the stage the records reached, however late.
  Records recorded(COUNTY, SUBJECT);
  selected(recorded).confirmation(at("2027-12-09"), 2027).cancellation(at("2030-02-10"), {2028, 2029});
  auto s = statusOf(recorded, at("2030-02-11"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().recorded, Stage::CANCELLED);
  EXPECT_EQ(s.value().since, at("2030-01-01", 0));
}

}  // namespace
}  // namespace hreg::rules
