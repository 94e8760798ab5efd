// ledger/rules/evaluation.h: when the 2-yearly evaluation is due, what a rectification order must set,
// and when ground 9 (rectification not achieved by its deadline) may be proposed.
#include "ledger/rules/evaluation.h"

#include <gtest/gtest.h>

#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using records::at;
using records::expectRefused;

TEST(EvaluationDeadline, IsDueByTheDayBeforeTheSameDayTwoYearsLater) {
  const Deadline due = evaluationDeadline(at("2026-05-11", 9), 2);
  EXPECT_EQ(due.lastDay, (Date{2028, 5, 10}));
  EXPECT_EQ(due.endsAt, startOfDay(Date{2028, 5, 11}));
  EXPECT_TRUE(due.coverage.published()) << "years, not working days: no calendar is needed";
}

TEST(EvaluationDeadline, FromTwentyNinthFebruaryEndsWithTheTwentyEighth) {
  EXPECT_EQ(evaluationDeadline(at("2028-02-29"), 2).lastDay, (Date{2030, 2, 28}));
  EXPECT_EQ(evaluationDeadline(at("2026-03-01"), 3).lastDay, (Date{2029, 2, 28}));
}

TEST(RectificationOrder, SetsADeadlineAfterTheOrder) {
  EXPECT_TRUE(rectificationOrderAllowed(at("2028-08-31", 24), at("2028-05-20")));
  EXPECT_EQ(rectificationDeadline(at("2028-08-31", 24)).lastDay, (Date{2028, 8, 31}));
}

TEST(RectificationOrder, RefusesAnOrderWithoutADeadlineOrWithOneAlreadyPast) {
  expectRefused(rectificationOrderAllowed(0, at("2028-05-20")), Reason::MALFORMED_ENTRY, "without a deadline");
  expectRefused(rectificationOrderAllowed(at("2028-05-19", 24), at("2028-05-20")), Reason::MALFORMED_ENTRY,
                "2028-05-19");
}

TEST(RevocationGround, AllowsGroundNineOnceTheDeadlinePassedUnachieved) {
  const Rectification failed{at("2028-08-31", 24), std::nullopt};
  EXPECT_TRUE(revocationGroundAllowed(9, failed, at("2028-09-01", 0)));
}

TEST(RevocationGround, RefusesGroundNineWhileTheDeadlineRuns) {
  const Rectification running{at("2028-08-31", 24), std::nullopt};
  expectRefused(revocationGroundAllowed(9, running, at("2028-08-31", 23)), Reason::WINDOW_OPEN, "2028-08-31");
}

TEST(RevocationGround, RefusesGroundNineWhenTheRectificationWasAchieved) {
  const Rectification achieved{at("2028-08-31", 24), at("2028-08-30")};
  expectRefused(revocationGroundAllowed(9, achieved, at("2028-09-08")), Reason::PREREQUISITE_MISSING, "2028-08-30");
}

TEST(RevocationGround, RefusesGroundNineWithoutARectificationOrdered) {
  expectRefused(revocationGroundAllowed(9, std::nullopt, at("2028-09-08")), Reason::PREREQUISITE_MISSING,
                "no rectification was ordered");
}

TEST(RevocationGround, TakesTheOtherGroundsOnTheirEvidenceAndRefusesAnUnknownOne) {
  EXPECT_TRUE(revocationGroundAllowed(4, std::nullopt, at("2028-09-08")));
  expectRefused(revocationGroundAllowed(0, std::nullopt, at("2028-09-08")), Reason::MALFORMED_ENTRY, "ground 0");
  expectRefused(revocationGroundAllowed(11, std::nullopt, at("2028-09-08")), Reason::MALFORMED_ENTRY, "ground 11");
}

}  // namespace
}  // namespace hreg::rules
