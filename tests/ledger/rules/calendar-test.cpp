#include "ledger/rules/calendar.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"


#include "ledger/rules/calendar-file.h"

// Known answers from the shipped national calendar (configs/calendar/CN-2024..2026.toml). Each was
// worked out from the files' dates, and checked against a separate Python reading of the same files.
namespace hreg::rules {
namespace {

std::string readConfig(const std::string& name) { return testing::sourceFile("configs/calendar/" + name); }

std::vector<CalendarLayer> nationalLayers() {
  std::vector<CalendarLayer> layers;
  for (const char* name : {"CN-2024.toml", "CN-2025.toml", "CN-2026.toml"}) {
    auto layer = parseNationalCalendarFile(readConfig(name), name);
    EXPECT_TRUE(layer) << layer.error().detail;
    if (layer) layers.push_back(layer.value());
  }
  return layers;
}

Calendar nationalCalendar() { return Calendar::fromLayers(nationalLayers()).value(); }

// Xinjiang's local holidays of 2025, from the autonomous region's notice on its 2025 holidays (as
// reprinted by 闽南网 on 2025-05-29, source 新疆维吾尔自治区人民政府, and by a second site that agrees):
// 肉孜节 03-29 (Sat) to 03-31 (Mon), 3 days; 古尔邦节 06-06 (Fri) to 06-10 (Tue), 5 days; no make-up days.
constexpr std::string_view XINJIANG_2025 = R"(# 新疆维吾尔自治区 local holidays, 2025
year = 2025
region = "65"
holidays = [
  { name = "肉孜节 Eid al-Fitr", days = ["2025-03-29", "2025-03-30", "2025-03-31"] },
  { name = "古尔邦节 Eid al-Adha", days = ["2025-06-06", "2025-06-07", "2025-06-08", "2025-06-09", "2025-06-10"] },
]
)";

Calendar xinjiangCalendar() {
  auto layers = nationalLayers();
  layers.push_back(parseLocalHolidayFile(XINJIANG_2025, "XJ-2025.toml").value());
  return Calendar::fromLayers(layers).value();
}

Date date(std::string_view text) { return parseDate(text).value(); }

bool working(const Calendar& calendar, std::string_view day) {
  auto answer = calendar.isWorkingDay(date(day));
  EXPECT_TRUE(answer.coverage.published()) << day;
  return answer.working;
}

Date nth(const Calendar& calendar, std::string_view day, int n) {
  auto answer = calendar.nthWorkingDayAfter(date(day), n);
  EXPECT_TRUE(answer.coverage.published()) << day << " + " << n;
  return answer.date;
}

Timestamp at(std::string_view day, int hourCst) { return startOfDay(date(day)) + hourCst * 3600; }

TEST(Calendar, SpringFestival2026IsNineDaysOffBetweenTwoMakeUpSaturdays) {
  const Calendar calendar = nationalCalendar();
  EXPECT_TRUE(working(calendar, "2026-02-13"));   // Fri
  EXPECT_TRUE(working(calendar, "2026-02-14"));   // Sat, make-up working day
  for (int d = 15; d <= 23; ++d) EXPECT_FALSE(calendar.isWorkingDay(Date{2026, 2, d}).working) << d;
  EXPECT_TRUE(working(calendar, "2026-02-24"));   // Tue
  EXPECT_TRUE(working(calendar, "2026-02-28"));   // Sat, make-up working day
  EXPECT_FALSE(working(calendar, "2026-03-01"));  // Sun
  EXPECT_EQ(nth(calendar, "2026-02-13", 1), date("2026-02-14"));
  EXPECT_EQ(nth(calendar, "2026-02-14", 1), date("2026-02-24"));
  EXPECT_EQ(nth(calendar, "2026-02-13", 5), date("2026-02-27"));
  EXPECT_EQ(nth(calendar, "2026-02-13", 6), date("2026-02-28"));
  EXPECT_EQ(nth(calendar, "2026-02-13", 7), date("2026-03-02"));
}

TEST(Calendar, NationalDay2025IsOneEightDayBlockWithMidAutumn) {
  const Calendar calendar = nationalCalendar();
  EXPECT_TRUE(working(calendar, "2025-09-28"));  // Sun, make-up working day
  for (int d = 1; d <= 8; ++d) EXPECT_FALSE(calendar.isWorkingDay(Date{2025, 10, d}).working) << d;
  EXPECT_TRUE(working(calendar, "2025-10-11"));  // Sat, make-up working day
  EXPECT_FALSE(working(calendar, "2025-10-12"));
  EXPECT_EQ(nth(calendar, "2025-09-30", 1), date("2025-10-09"));
  EXPECT_EQ(nth(calendar, "2025-09-26", 5), date("2025-10-10"));  // 09-28, 29, 30, 10-09, 10-10
  EXPECT_EQ(nth(calendar, "2025-09-26", 6), date("2025-10-11"));
}

TEST(Calendar, NewYear2024StartsOnAnUnpublishedDayOf2023AndSaysSo) {
  const Calendar calendar = nationalCalendar();
  // 2023-12-30 and 31 are weekend days of 2023, for which no calendar is published.
  auto saturday = calendar.isWorkingDay(date("2023-12-30"));
  EXPECT_FALSE(saturday.working);
  EXPECT_EQ(saturday.coverage.uncoveredYears, std::vector<int>{2023});
  auto fromFriday = calendar.nthWorkingDayAfter(date("2023-12-29"), 1);
  EXPECT_EQ(fromFriday.date, date("2024-01-02"));
  EXPECT_EQ(fromFriday.coverage.uncoveredYears, std::vector<int>{2023});
  // From 2023-12-31 on, only 2024's days are looked at.
  EXPECT_FALSE(working(calendar, "2024-01-01"));
  EXPECT_EQ(nth(calendar, "2023-12-31", 1), date("2024-01-02"));
}

TEST(Calendar, TheYearEnd2025RunsIntoTheNewYearBlockAndItsMakeUpSunday) {
  const Calendar calendar = nationalCalendar();
  EXPECT_EQ(nth(calendar, "2025-12-30", 1), date("2025-12-31"));
  EXPECT_EQ(nth(calendar, "2025-12-31", 1), date("2026-01-04"));  // 01-01..03 off, 01-04 Sun works
  EXPECT_EQ(nth(calendar, "2025-12-31", 2), date("2026-01-05"));
}

TEST(Calendar, NewYearsEve2024IsAWorkingDayAsTheNoticeSays) {
  const Calendar calendar = nationalCalendar();
  EXPECT_TRUE(working(calendar, "2024-02-04"));   // Sun, make-up working day
  EXPECT_TRUE(working(calendar, "2024-02-09"));   // 除夕, Fri: only encouraged off
  EXPECT_FALSE(working(calendar, "2024-02-10"));
  EXPECT_TRUE(working(calendar, "2024-02-18"));   // Sun, make-up working day
  EXPECT_EQ(nth(calendar, "2024-02-08", 1), date("2024-02-09"));
  EXPECT_EQ(nth(calendar, "2024-02-09", 1), date("2024-02-18"));
  EXPECT_EQ(nth(calendar, "2024-02-08", 5), date("2024-02-21"));
}

TEST(Calendar, SpringFestival2025StartsOnNewYearsEve) {
  const Calendar calendar = nationalCalendar();
  EXPECT_TRUE(working(calendar, "2025-01-26"));   // Sun, make-up working day
  EXPECT_FALSE(working(calendar, "2025-01-28"));  // 除夕, Tue: a statutory day off from 2025
  EXPECT_TRUE(working(calendar, "2025-02-08"));   // Sat, make-up working day
  EXPECT_EQ(nth(calendar, "2025-01-24", 5), date("2025-02-07"));
}

TEST(Calendar, ThePublishedYearsEndOn20261231AndAreSaidToEnd) {
  const Calendar calendar = nationalCalendar();
  EXPECT_TRUE(calendar.isPublished(2026));
  EXPECT_FALSE(calendar.isPublished(2027));
  EXPECT_TRUE(working(calendar, "2026-12-31"));  // Thu, the last published day
  // 2027-01-01 is a Friday: a working day by weekends alone, which the 2027 notice will surely change.
  auto newYear = calendar.isWorkingDay(date("2027-01-01"));
  EXPECT_TRUE(newYear.working);
  EXPECT_EQ(newYear.coverage.uncoveredYears, std::vector<int>{2027});
  EXPECT_FALSE(newYear.coverage.published());
  auto across = calendar.nthWorkingDayAfter(date("2026-12-30"), 3);
  EXPECT_EQ(across.date, date("2027-01-04"));  // 12-31, 01-01, then Monday 01-04
  EXPECT_EQ(across.coverage.uncoveredYears, std::vector<int>{2027});
  EXPECT_EQ(describeCoverage(across.coverage),
            "weekends alone for 2027: no national calendar is published for it");
  EXPECT_EQ(describeCoverage(Coverage{}), "published calendars");
}

TEST(Calendar, AnEmptyCalendarAnswersFromWeekendsAloneAndListsEveryYear) {
  const Calendar empty;
  auto answer = empty.nthWorkingDayAfter(date("2025-12-31"), 1);
  EXPECT_EQ(answer.date, date("2026-01-01"));  // Thursday, a holiday in fact
  EXPECT_EQ(answer.coverage.uncoveredYears, std::vector<int>{2026});
  auto span = empty.workingDaysBetween(date("2024-12-31"), date("2026-01-01"));
  EXPECT_EQ(span.coverage.uncoveredYears, (std::vector<int>{2025, 2026}));
  EXPECT_EQ(span.workingDays, 262);  // 2025 has 261 weekdays, plus Thursday 2026-01-01
}

TEST(Calendar, ZeroWorkingDaysAfterADateIsThatDate) {
  const Calendar calendar = nationalCalendar();
  auto answer = calendar.nthWorkingDayAfter(date("2026-02-15"), 0);
  EXPECT_EQ(answer.date, date("2026-02-15"));
  EXPECT_TRUE(answer.coverage.published());
  EXPECT_THROW((void)calendar.nthWorkingDayAfter(date("2026-02-15"), -1), Fault);
}

TEST(Calendar, WorkingDaysBetweenCountsAfterTheFirstDayUpToTheLast) {
  const Calendar calendar = nationalCalendar();
  auto spring = calendar.workingDaysBetween(date("2026-02-13"), date("2026-02-28"));
  EXPECT_EQ(spring.workingDays, 6);  // 02-14, 24, 25, 26, 27, 28
  EXPECT_TRUE(spring.coverage.published());
  EXPECT_EQ(calendar.workingDaysBetween(date("2026-02-13"), date("2026-02-13")).workingDays, 0);
  EXPECT_EQ(calendar.workingDaysBetween(date("2026-02-28"), date("2026-02-13")).workingDays, 0);
  // The inverse of nthWorkingDayAfter, across a year end.
  for (int n = 1; n <= 12; ++n) {
    const Date day = calendar.nthWorkingDayAfter(date("2025-12-24"), n).date;
    EXPECT_EQ(calendar.workingDaysBetween(date("2025-12-24"), day).workingDays, n) << n;
  }
}

TEST(Calendar, TheFiveWorkingDayNoticeOverLabourDay2026EndsOnTheMakeUpSaturday) {
  const Calendar calendar = nationalCalendar();
  // Published 2026-04-29 09:00 CST: 04-30, then 05-01..05 off, then 05-06, 07, 08 and Saturday 05-09.
  const Deadline notice = calendar.deadlineAfter(at("2026-04-29", 9), 5);
  EXPECT_EQ(notice.lastDay, date("2026-05-09"));
  EXPECT_EQ(formatUtc(notice.endsAt), "2026-05-09T16:00:00Z");  // 2026-05-10T00:00+08:00
  EXPECT_TRUE(notice.coverage.published());
  // An objection at 23:59 CST on the last day is in time; one at midnight is not.
  EXPECT_LT(at("2026-05-09", 23) + 59 * 60, notice.endsAt);
  EXPECT_EQ(at("2026-05-10", 0), notice.endsAt);
}

TEST(Calendar, ANoticePublishedLateInTheEveningInBeijingCountsFromThatBeijingDate) {
  const Calendar calendar = nationalCalendar();
  // 2025-04-30T17:00:00Z is 2025-05-01 01:00 CST: counted from 05-01, not from 04-30.
  const Timestamp evening = startOfDay(date("2025-05-01")) + 3600;
  EXPECT_EQ(formatUtc(evening), "2025-04-30T17:00:00Z");
  EXPECT_EQ(calendar.deadlineAfter(evening, 5).lastDay, date("2025-05-12"));
  EXPECT_EQ(calendar.deadlineAfter(at("2025-04-30", 9), 5).lastDay, date("2025-05-12"));
  EXPECT_EQ(calendar.deadlineAfter(at("2025-04-29", 9), 5).lastDay, date("2025-05-09"));
}

TEST(Calendar, TheAppealReviewOfTenWorkingDaysSpansNationalDay) {
  const Calendar calendar = nationalCalendar();
  EXPECT_EQ(calendar.deadlineAfter(date("2024-09-30"), 10).lastDay, date("2024-10-18"));
  EXPECT_EQ(calendar.deadlineAfter(date("2026-09-30"), 10).lastDay, date("2026-10-20"));
}

TEST(Calendar, TheQuarterlyReportIsDueFiveWorkingDaysAfterTheQuarter) {
  const Calendar calendar = nationalCalendar();
  EXPECT_EQ(calendar.deadlineAfter(lastDayOfQuarter(2024, 2), 5).lastDay, date("2024-07-05"));
  EXPECT_EQ(calendar.deadlineAfter(lastDayOfQuarter(2025, 3), 5).lastDay, date("2025-10-14"));
  EXPECT_EQ(calendar.deadlineAfter(lastDayOfQuarter(2025, 4), 5).lastDay, date("2026-01-08"));
  EXPECT_EQ(calendar.deadlineAfter(lastDayOfQuarter(2026, 1), 5).lastDay, date("2026-04-08"));
  auto q4 = calendar.deadlineAfter(lastDayOfQuarter(2026, 4), 5);
  EXPECT_EQ(q4.lastDay, date("2027-01-07"));
  EXPECT_EQ(q4.coverage.uncoveredYears, std::vector<int>{2027});
}

TEST(Calendar, XinjiangsLocalHolidaysLengthenADeadlineThere) {
  const Calendar national = nationalCalendar();
  const Calendar xinjiang = xinjiangCalendar();
  // A notice published Wednesday 2025-06-04: 古尔邦节 takes Friday 06-06 and Monday–Tuesday 06-09..10.
  EXPECT_EQ(national.deadlineAfter(date("2025-06-04"), 5).lastDay, date("2025-06-11"));
  const Deadline there = xinjiang.deadlineAfter(date("2025-06-04"), 5);
  EXPECT_EQ(there.lastDay, date("2025-06-16"));  // 06-05, 11, 12, 13, 16
  EXPECT_TRUE(there.coverage.published());
  EXPECT_TRUE(working(national, "2025-03-31"));
  EXPECT_FALSE(working(xinjiang, "2025-03-31"));  // 肉孜节
  EXPECT_EQ(nth(xinjiang, "2025-03-28", 1), date("2025-04-01"));
  // The national make-up days and holidays stand in Xinjiang.
  EXPECT_TRUE(working(xinjiang, "2025-09-28"));
  EXPECT_FALSE(working(xinjiang, "2025-10-01"));
}

TEST(Calendar, ALocalDayOffOnANationalMakeUpDayIsADayOff) {
  auto layers = nationalLayers();
  CalendarLayer local{LayerScope::LOCAL, "local.toml", "6542", 2026, {{"a local festival", {date("2026-02-14")}}}, {}};
  layers.push_back(local);
  auto calendar = Calendar::fromLayers(layers);
  ASSERT_TRUE(calendar) << calendar.error().detail;
  EXPECT_FALSE(calendar.value().isWorkingDay(date("2026-02-14")).working);
  EXPECT_TRUE(nationalCalendar().isWorkingDay(date("2026-02-14")).working);
}

TEST(Calendar, ALocalLayerForAnUnpublishedYearAddsItsDaysOffButTheYearStaysUncovered) {
  auto layers = nationalLayers();
  layers.push_back({LayerScope::LOCAL, "XJ-2027.toml", "65", 2027, {{"a local festival", {date("2027-01-04")}}}, {}});
  const Calendar calendar = Calendar::fromLayers(layers).value();
  auto answer = calendar.nthWorkingDayAfter(date("2026-12-31"), 2);
  EXPECT_EQ(answer.date, date("2027-01-05"));  // 01-01 (weekends alone), 01-04 off locally, 01-05
  EXPECT_EQ(answer.coverage.uncoveredYears, std::vector<int>{2027});
}

TEST(Calendar, ALocalLayerThatSetsAMakeUpWorkingDayIsRefused) {
  auto layers = nationalLayers();
  layers.push_back({LayerScope::LOCAL, "XJ-2025.toml", "65", 2025, {{"古尔邦节", {date("2025-06-06")}}},
                    {date("2025-06-14")}});
  auto calendar = Calendar::fromLayers(layers);
  ASSERT_FALSE(calendar);
  EXPECT_EQ(calendar.error().reason, Reason::MALFORMED_FILE);
  EXPECT_NE(calendar.error().detail.find("XJ-2025.toml: workdays"), std::string::npos) << calendar.error().detail;
}

TEST(Calendar, TwoNationalCalendarsOfOneYearAreRefused) {
  auto layers = nationalLayers();
  layers.push_back(layers.back());
  layers.back().source = "CN-2026-copy.toml";
  auto calendar = Calendar::fromLayers(layers);
  ASSERT_FALSE(calendar);
  EXPECT_EQ(calendar.error().reason, Reason::MALFORMED_FILE);
  EXPECT_NE(calendar.error().detail.find("CN-2026-copy.toml"), std::string::npos);
}

TEST(Calendar, TwoLocalLayersOfOneRegionAndYearAreRefusedButOfTwoRegionsAccepted) {
  auto layers = nationalLayers();
  const CalendarLayer one{LayerScope::LOCAL, "a.toml", "65", 2025, {{"肉孜节", {date("2025-03-31")}}}, {}};
  CalendarLayer other = one;
  other.source = "b.toml";
  layers.push_back(one);
  layers.push_back(other);
  auto refused = Calendar::fromLayers(layers);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, Reason::MALFORMED_FILE);
  layers.back().region = "6540";  // a prefecture of the same province with its own layer
  EXPECT_TRUE(Calendar::fromLayers(layers));
}

TEST(Calendar, IsACopyableValue) {
  const Calendar original = xinjiangCalendar();
  Calendar copy = original;
  EXPECT_EQ(copy.layers().size(), 4u);
  EXPECT_EQ(copy.nthWorkingDayAfter(date("2025-06-04"), 5).date, date("2025-06-16"));
  copy = nationalCalendar();
  EXPECT_EQ(original.nthWorkingDayAfter(date("2025-06-04"), 5).date, date("2025-06-16"));
}

TEST(Calendar, AskingAboutAnImpossibleDateIsAFault) {
  const Calendar calendar = nationalCalendar();
  EXPECT_THROW((void)calendar.isWorkingDay(Date{2025, 2, 29}), Fault);
  EXPECT_THROW((void)calendar.nthWorkingDayAfter(Date{2025, 4, 31}, 1), Fault);
}

}  // namespace
}  // namespace hreg::rules
