#include "ledger/rules/calendar-file.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"


namespace hreg::rules {
namespace {

std::string readConfig(const std::string& name) { return testing::sourceFile("configs/calendar/" + name); }

using testing::replaced;

Date date(std::string_view text) { return parseDate(text).value(); }

// refusedNaming expects a MALFORMED_FILE refusal whose detail names `field` (the file, then the field).
::testing::AssertionResult refusedNaming(const Result<CalendarLayer>& result, const std::string& field) {
  if (result) return ::testing::AssertionFailure() << "accepted";
  if (result.error().reason != Reason::MALFORMED_FILE)
    return ::testing::AssertionFailure() << reasonName(result.error().reason) << ": " << result.error().detail;
  if (result.error().detail.find(field) == std::string::npos)
    return ::testing::AssertionFailure() << "does not name " << field << ": " << result.error().detail;
  return ::testing::AssertionSuccess() << result.error().detail;
}

::testing::AssertionResult nationalRefusedNaming(const std::string& text, const std::string& field) {
  return refusedNaming(parseNationalCalendarFile(text, "CN-2026.toml"), "CN-2026.toml: " + field);
}

TEST(CalendarFile, TheShippedNationalFilesReadAsTheyArePublished) {
  auto y2024 = parseNationalCalendarFile(readConfig("CN-2024.toml"), "CN-2024.toml");
  auto y2025 = parseNationalCalendarFile(readConfig("CN-2025.toml"), "CN-2025.toml");
  auto y2026 = parseNationalCalendarFile(readConfig("CN-2026.toml"), "CN-2026.toml");
  ASSERT_TRUE(y2024) << y2024.error().detail;
  ASSERT_TRUE(y2025) << y2025.error().detail;
  ASSERT_TRUE(y2026) << y2026.error().detail;
  EXPECT_EQ(y2024.value().year, 2024);
  EXPECT_EQ(y2024.value().holidays.size(), 7u);
  EXPECT_EQ(y2024.value().workdays.size(), 8u);
  EXPECT_EQ(y2025.value().holidays.size(), 6u);  // 国庆节、中秋节 is one block
  EXPECT_EQ(y2025.value().workdays.size(), 5u);
  const CalendarLayer& layer = y2026.value();
  EXPECT_EQ(layer.scope, LayerScope::NATIONAL);
  EXPECT_EQ(layer.source, "CN-2026.toml");
  EXPECT_TRUE(layer.region.empty());
  ASSERT_EQ(layer.holidays.size(), 7u);
  EXPECT_EQ(layer.holidays[1].name, "春节 Spring Festival");
  ASSERT_EQ(layer.holidays[1].days.size(), 9u);
  EXPECT_EQ(layer.holidays[1].days.front(), date("2026-02-15"));
  EXPECT_EQ(layer.holidays[1].days.back(), date("2026-02-23"));
  EXPECT_EQ(layer.workdays, (std::vector<Date>{date("2026-01-04"), date("2026-02-14"), date("2026-02-28"),
                                               date("2026-05-09"), date("2026-09-20"), date("2026-10-10")}));
}

TEST(CalendarFile, ALocalHolidayFileReadsWithItsRegion) {
  auto layer = parseLocalHolidayFile(
      "year = 2025\nregion = \"65\"\nholidays = [ { name = \"古尔邦节\", days = [\"2025-06-06\", \"2025-06-09\"] } ]\n",
      "XJ-2025.toml");
  ASSERT_TRUE(layer) << layer.error().detail;
  EXPECT_EQ(layer.value().scope, LayerScope::LOCAL);
  EXPECT_EQ(layer.value().region, "65");
  EXPECT_EQ(layer.value().holidays[0].days, (std::vector<Date>{date("2025-06-06"), date("2025-06-09")}));
}

TEST(CalendarFile, TextThatIsNotTomlIsRefused) {
  EXPECT_TRUE(nationalRefusedNaming("year = [", "not valid TOML"));
}

TEST(CalendarFile, ADateThatIsNotYyyyMmDdIsRefusedByField) {
  const std::string good = readConfig("CN-2026.toml");
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-16\"", "\"2026-2-16\""), "holidays[1].days[1]"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-16\"", "\"2026-02-30\""), "holidays[1].days[1]"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-16\"", "2026-02-16"), "holidays[1].days[1]"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-28\",", "\"28 Feb\","), "workdays[2]"));
}

TEST(CalendarFile, AMakeUpWorkingDayThatIsNotAWeekendDayIsRefused) {
  const std::string good = readConfig("CN-2026.toml");
  // 2026-03-02 is a Monday.
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-28\",", "\"2026-03-02\","), "workdays[2]"));
}

TEST(CalendarFile, ADateOutsideTheFilesYearIsRefused) {
  const std::string good = readConfig("CN-2024.toml");
  // The 2024 New Year block starts on 2023-12-30, but a file holds only its own year's dates.
  auto result = parseNationalCalendarFile(
      replaced(good, "days = [\"2024-01-01\"]", "days = [\"2023-12-30\", \"2023-12-31\", \"2024-01-01\"]"),
      "CN-2024.toml");
  EXPECT_TRUE(refusedNaming(result, "CN-2024.toml: holidays[0].days[0]"));
  EXPECT_TRUE(refusedNaming(
      parseNationalCalendarFile(replaced(good, "\"2024-10-12\",", "\"2025-01-04\","), "CN-2024.toml"),
      "CN-2024.toml: workdays[7]"));
}

TEST(CalendarFile, ADateListedTwiceIsRefused) {
  const std::string good = readConfig("CN-2026.toml");
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-16\"", "\"2026-02-15\""), "holidays[1].days[1]"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-10-02\"", "\"2026-09-25\""), "holidays[6].days[1]"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-28\",", "\"2026-02-14\","), "workdays[2]"));
}

TEST(CalendarFile, ADayOffThatIsAlsoAMakeUpWorkingDayIsRefused) {
  const std::string good = readConfig("CN-2026.toml");
  // 2026-02-21 (Sat) lies inside the Spring Festival block.
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "\"2026-02-28\",", "\"2026-02-21\","), "workdays[2]"));
}

TEST(CalendarFile, MissingWronglyTypedAndUnknownFieldsAreRefusedByName) {
  const std::string good = readConfig("CN-2026.toml");
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "year = 2026", ""), "year"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "year = 2026", "year = \"2026\""), "year"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "year = 2026", "year = 2026.0"), "year"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "year = 2026", "year = 2025"), "holidays[0].days[0]"));
  EXPECT_TRUE(nationalRefusedNaming("year = 2026\nworkdays = []\n", "holidays"));
  EXPECT_TRUE(nationalRefusedNaming("year = 2026\nholidays = []\n", "holidays"));
  EXPECT_TRUE(nationalRefusedNaming("year = 2026\nholidays = \"2026-01-01\"\n", "holidays"));
  EXPECT_TRUE(nationalRefusedNaming("year = 2026\nholidays = [\"2026-01-01\"]\n", "holidays[0]"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "name = \"元旦 New Year's Day\", ", ""), "holidays[0].name"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "name = \"元旦 New Year's Day\"", "name = 1"), "holidays[0].name"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "name = \"元旦 New Year's Day\"", "name = \"\""),
                                    "holidays[0].name"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "days = [\"2026-01-01\", \"2026-01-02\", \"2026-01-03\"]", "days = []"),
                                    "holidays[0].days"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "days = [\"2026-01-01\"", "day = [\"2026-01-01\""),
                                    "holidays[0].day"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "workdays = [", "workday = ["), "workday"));
  EXPECT_TRUE(nationalRefusedNaming(
      "year = 2026\nholidays = [{ name = \"元旦\", days = [\"2026-01-01\"] }]\nworkdays = \"2026-01-04\"\n", "workdays"));
  EXPECT_TRUE(nationalRefusedNaming(replaced(good, "year = 2026", "year = 2026\nregion = \"65\""), "region"));
}

TEST(CalendarFile, ALocalFileMayNotSetMakeUpWorkingDays) {
  const std::string local = "year = 2025\nregion = \"65\"\nholidays = [ { name = \"古尔邦节\", days = [\"2025-06-06\"] } ]\n";
  EXPECT_TRUE(parseLocalHolidayFile(local, "XJ-2025.toml"));
  EXPECT_TRUE(refusedNaming(parseLocalHolidayFile(local + "workdays = [\"2025-06-14\"]\n", "XJ-2025.toml"),
                            "XJ-2025.toml: workdays"));
}

TEST(CalendarFile, ALocalFileNamesItsRegionByDivisionCode) {
  const std::string holidays = "holidays = [ { name = \"古尔邦节\", days = [\"2025-06-06\"] } ]\n";
  EXPECT_TRUE(refusedNaming(parseLocalHolidayFile("year = 2025\n" + holidays, "XJ-2025.toml"), "XJ-2025.toml: region"));
  EXPECT_TRUE(refusedNaming(parseLocalHolidayFile("year = 2025\nregion = 65\n" + holidays, "XJ-2025.toml"),
                            "XJ-2025.toml: region"));
  EXPECT_TRUE(refusedNaming(parseLocalHolidayFile("year = 2025\nregion = \"Xinjiang\"\n" + holidays, "XJ-2025.toml"),
                            "XJ-2025.toml: region"));
  EXPECT_TRUE(refusedNaming(parseLocalHolidayFile("year = 2025\nregion = \"653\"\n" + holidays, "XJ-2025.toml"),
                            "XJ-2025.toml: region"));
  EXPECT_TRUE(parseLocalHolidayFile("year = 2025\nregion = \"654200\"\n" + holidays, "TC-2025.toml"));
}

TEST(CalendarFile, CheckLayerRefusesALayerBuiltByHandLikeAFile) {
  CalendarLayer layer{LayerScope::NATIONAL, "by-hand", "", 2026, {{"春节", {Date{2026, 2, 30}}}}, {}};
  auto checked = checkLayer(layer);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().reason, Reason::MALFORMED_FILE);
  EXPECT_NE(checked.error().detail.find("by-hand: holidays[0].days[0]"), std::string::npos);
  layer.holidays[0].days = {Date{2026, 2, 16}};
  EXPECT_TRUE(checkLayer(layer));
  layer.year = 0;
  EXPECT_FALSE(checkLayer(layer));
}

}  // namespace
}  // namespace hreg::rules
