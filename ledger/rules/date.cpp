#include "ledger/rules/date.h"

#include <fmt/format.h>

#include <array>
#include <chrono>

#include "protocol/core/result.h"

namespace hreg::rules {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr Timestamp SECONDS_PER_DAY = 86400;

year_month_day civil(Date date) {
  return year_month_day{std::chrono::year{date.year}, std::chrono::month{static_cast<unsigned>(date.month)},
                        std::chrono::day{static_cast<unsigned>(date.day)}};
}

Date fromCivil(year_month_day ymd) {
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

sys_days dayNumber(Date date) {
  if (!isValid(date)) fail(fmt::format("{}-{}-{} is not a date", date.year, date.month, date.day));
  return sys_days{civil(date)};
}

// Floor division, so that times before 1970 land on the right day.
Timestamp floorDiv(Timestamp a, Timestamp b) noexcept { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool digits(std::string_view text) noexcept {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

int number(std::string_view text) noexcept {
  int n = 0;
  for (char c : text) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

bool isValid(Date date) noexcept {
  if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31)
    return false;
  return civil(date).ok();
}

Date dateOf(Timestamp t) noexcept {
  const Timestamp dayCount = floorDiv(t + CST_OFFSET_SECONDS, SECONDS_PER_DAY);
  return fromCivil(year_month_day{sys_days{days{dayCount}}});
}

Timestamp startOfDay(Date date) {
  return Timestamp{dayNumber(date).time_since_epoch().count()} * SECONDS_PER_DAY - CST_OFFSET_SECONDS;
}

Date addDays(Date date, int count) { return fromCivil(year_month_day{dayNumber(date) + days{count}}); }

bool isWeekend(Date date) {
  const std::chrono::weekday weekday{dayNumber(date)};
  return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

std::string_view weekdayName(Date date) {
  static constexpr std::array<std::string_view, 7> NAMES = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                             "Thursday", "Friday", "Saturday"};
  return NAMES[std::chrono::weekday{dayNumber(date)}.c_encoding()];
}

Date lastDayOfQuarter(int year, int quarter) {
  if (quarter < 1 || quarter > 4) fail(fmt::format("quarter {} of {}: a year has quarters 1 to 4", quarter, year));
  const auto lastMonth = std::chrono::month{static_cast<unsigned>(quarter * 3)};
  return fromCivil(year_month_day{std::chrono::year{year} / lastMonth / std::chrono::last});
}

std::optional<Date> parseDate(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  const Date date{number(y), number(m), number(d)};
  if (!isValid(date)) return std::nullopt;
  return date;
}

std::string formatDate(Date date) { return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day); }

}  // namespace hreg::rules
