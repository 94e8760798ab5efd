#include "ledger/rules/date.h"

#include <gtest/gtest.h>

#include "protocol/core/result.h"

namespace hreg::rules {
namespace {

constexpr Timestamp NEW_YEAR_2026_UTC = 1767225600;  // 2026-01-01T00:00:00Z

TEST(Date, ATimestampFallsOnItsDateInChinaStandardTime) {
  EXPECT_EQ(dateOf(NEW_YEAR_2026_UTC), (Date{2026, 1, 1}));
  // 2025-12-31T16:00:00Z is midnight in Beijing: already 2026-01-01; one second earlier is still 2025.
  EXPECT_EQ(dateOf(NEW_YEAR_2026_UTC - 8 * 3600), (Date{2026, 1, 1}));
  EXPECT_EQ(dateOf(NEW_YEAR_2026_UTC - 8 * 3600 - 1), (Date{2025, 12, 31}));
  EXPECT_EQ(dateOf(NEW_YEAR_2026_UTC + 16 * 3600 - 1), (Date{2026, 1, 1}));
  EXPECT_EQ(dateOf(NEW_YEAR_2026_UTC + 16 * 3600), (Date{2026, 1, 2}));
}

TEST(Date, TimesBeforeTheEpochLandOnTheirDay) {
  EXPECT_EQ(dateOf(0), (Date{1970, 1, 1}));                 // 08:00 CST
  EXPECT_EQ(dateOf(-8 * 3600), (Date{1970, 1, 1}));         // 00:00 CST
  EXPECT_EQ(dateOf(-8 * 3600 - 1), (Date{1969, 12, 31}));   // 23:59:59 CST
}

TEST(Date, ADayStartsAtMidnightInBeijing) {
  EXPECT_EQ(startOfDay(Date{2026, 1, 1}), NEW_YEAR_2026_UTC - 8 * 3600);
  EXPECT_EQ(formatUtc(startOfDay(Date{2026, 5, 10})), "2026-05-09T16:00:00Z");
  for (Date d : {Date{2024, 2, 29}, Date{2025, 12, 31}, Date{1969, 12, 31}}) EXPECT_EQ(dateOf(startOfDay(d)), d);
}

TEST(Date, DaysAddAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(addDays(Date{2025, 12, 31}, 1), (Date{2026, 1, 1}));
  EXPECT_EQ(addDays(Date{2024, 2, 28}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(addDays(Date{2025, 2, 28}, 1), (Date{2025, 3, 1}));
  EXPECT_EQ(addDays(Date{2026, 1, 1}, -1), (Date{2025, 12, 31}));
  EXPECT_EQ(addDays(Date{2024, 1, 1}, 366), (Date{2025, 1, 1}));
}

TEST(Date, WeekendsAreSaturdaysAndSundays) {
  EXPECT_EQ(weekdayName(Date{2026, 2, 14}), "Saturday");
  EXPECT_EQ(weekdayName(Date{2026, 2, 15}), "Sunday");
  EXPECT_EQ(weekdayName(Date{2026, 2, 16}), "Monday");
  EXPECT_TRUE(isWeekend(Date{2026, 2, 14}));
  EXPECT_TRUE(isWeekend(Date{2026, 2, 15}));
  EXPECT_FALSE(isWeekend(Date{2026, 2, 16}));
  EXPECT_FALSE(isWeekend(Date{2024, 2, 9}));  // 除夕 2024, a Friday
}

TEST(Date, QuartersEndOnTheirLastDay) {
  EXPECT_EQ(lastDayOfQuarter(2025, 1), (Date{2025, 3, 31}));
  EXPECT_EQ(lastDayOfQuarter(2025, 2), (Date{2025, 6, 30}));
  EXPECT_EQ(lastDayOfQuarter(2025, 3), (Date{2025, 9, 30}));
  EXPECT_EQ(lastDayOfQuarter(2025, 4), (Date{2025, 12, 31}));
  EXPECT_THROW((void)lastDayOfQuarter(2025, 5), Fault);
}

TEST(Date, ParsesExactlyYyyyMmDd) {
  EXPECT_EQ(parseDate("2026-02-15"), (Date{2026, 2, 15}));
  EXPECT_EQ(parseDate("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_EQ(formatDate(Date{2026, 2, 15}), "2026-02-15");
}

TEST(Date, RefusesAnythingElseAsADate) {
  for (const char* text : {"2025-02-29", "2026-2-15", "2026-02-5", "26-02-15", "2026/02/15", "2026-13-01",
                           "2026-00-10", "2026-04-31", " 2026-02-15", "2026-02-15 ", "2026-02-15T00:00", "",
                           "0000-01-01", "2026-0a-15", "+026-02-15"})
    EXPECT_FALSE(parseDate(text)) << text;
  EXPECT_FALSE(isValid(Date{2025, 2, 29}));
  EXPECT_TRUE(isValid(Date{2024, 2, 29}));
}

TEST(Date, ArithmeticOnAnImpossibleDateIsAFault) {
  EXPECT_THROW((void)startOfDay(Date{2025, 2, 30}), Fault);
  EXPECT_THROW((void)addDays(Date{2025, 13, 1}, 1), Fault);
}

}  // namespace
}  // namespace hreg::rules
