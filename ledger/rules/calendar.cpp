#include "ledger/rules/calendar.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <utility>

namespace hreg::rules {
namespace {

auto malformed(const CalendarLayer& layer, std::string_view field, const std::string& what) {
  return refuse(Reason::MALFORMED_FILE, fmt::format("{}: {}: {}", layer.source, field, what));
}

bool isDivisionCode(std::string_view code) {
  if (code.size() != 2 && code.size() != 4 && code.size() != 6 && code.size() != 9) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A date a layer lists must exist, lie in the layer's year, and be listed once. `seen` maps each date
// listed so far to the field that listed it.
Result<void> checkListedDate(const CalendarLayer& layer, const std::string& field, Date date,
                             std::map<Date, std::string>& seen) {
  if (!isValid(date))
    return malformed(layer, field, fmt::format("{}-{}-{} is not a date", date.year, date.month, date.day));
  if (date.year != layer.year)
    return malformed(layer, field, fmt::format("{} is not in {}; a layer holds only dates of its own year",
                                               formatDate(date), layer.year));
  auto [at, inserted] = seen.emplace(date, field);
  if (!inserted)
    return malformed(layer, field, fmt::format("{} is listed twice (also at {})", formatDate(date), at->second));
  return outcome::success();
}

Result<void> checkHolidays(const CalendarLayer& layer, std::map<Date, std::string>& seen) {
  if (layer.holidays.empty()) return malformed(layer, "holidays", "empty; list every holiday block of the year");
  for (std::size_t b = 0; b < layer.holidays.size(); ++b) {
    const HolidayBlock& block = layer.holidays[b];
    if (block.name.empty()) return malformed(layer, fmt::format("holidays[{}].name", b), "empty; name the holiday");
    if (block.days.empty())
      return malformed(layer, fmt::format("holidays[{}].days", b),
                       fmt::format("empty; list every day off of {}", block.name));
    for (std::size_t d = 0; d < block.days.size(); ++d) {
      auto checked = checkListedDate(layer, fmt::format("holidays[{}].days[{}]", b, d), block.days[d], seen);
      if (!checked) return checked;
    }
  }
  return outcome::success();
}

Result<void> checkWorkdays(const CalendarLayer& layer, std::map<Date, std::string>& seen) {
  if (layer.scope == LayerScope::LOCAL && !layer.workdays.empty())
    return malformed(layer, "workdays",
                     "a local layer only adds days off; it cannot make a weekend a working day "
                     "(docs/rules.md, \"Working days\")");
  for (std::size_t w = 0; w < layer.workdays.size(); ++w) {
    const std::string field = fmt::format("workdays[{}]", w);
    const Date date = layer.workdays[w];
    const auto earlier = seen.find(date);
    if (earlier != seen.end() && earlier->second.starts_with("holidays"))
      return malformed(layer, field, fmt::format("{} is also a day off at {}; a date is one or the other",
                                                 formatDate(date), earlier->second));
    auto checked = checkListedDate(layer, field, date, seen);
    if (!checked) return checked;
    if (!isWeekend(date))
      return malformed(layer, field, fmt::format("{} is a {}; a make-up working day is a Saturday or Sunday",
                                                 formatDate(date), weekdayName(date)));
  }
  return outcome::success();
}

void requireDate(std::string_view function, Date date) {
  if (!isValid(date)) fail(fmt::format("{}: {}-{}-{} is not a date", function, date.year, date.month, date.day));
}

std::string layerName(const CalendarLayer& layer) {
  if (layer.scope == LayerScope::NATIONAL) return fmt::format("the national calendar of {}", layer.year);
  return fmt::format("the local holidays of region {} in {}", layer.region, layer.year);
}

}  // namespace

Result<void> checkLayer(const CalendarLayer& layer) {
  if (layer.year < 1 || layer.year > 9999)
    return malformed(layer, "year", fmt::format("{} is not a year from 1 to 9999", layer.year));
  if (layer.scope == LayerScope::NATIONAL && !layer.region.empty())
    return malformed(layer, "region", "a national layer names no region");
  if (layer.scope == LayerScope::LOCAL && !isDivisionCode(layer.region))
    return malformed(layer, "region",
                     fmt::format("'{}' is not a division code (2, 4, 6 or 9 digits, GB/T 2260)", layer.region));
  std::map<Date, std::string> seen;
  auto holidays = checkHolidays(layer, seen);
  if (!holidays) return holidays;
  return checkWorkdays(layer, seen);
}

std::string describeCoverage(const Coverage& coverage) {
  if (coverage.published()) return "published calendars";
  const bool one = coverage.uncoveredYears.size() == 1;
  return fmt::format("weekends alone for {}: no national calendar is published for {}",
                     fmt::join(coverage.uncoveredYears, ", "), one ? "it" : "them");
}

Result<Calendar> Calendar::fromLayers(std::vector<CalendarLayer> layers) {
  Calendar calendar;
  std::map<std::pair<std::string, int>, std::string> sourceOf;  // (region, year) -> source; "" is national
  for (const CalendarLayer& layer : layers) {
    auto checked = checkLayer(layer);
    if (!checked) return checked.error();
    auto [at, inserted] = sourceOf.emplace(std::pair{layer.region, layer.year}, layer.source);
    if (!inserted)
      return refuse(Reason::MALFORMED_FILE, fmt::format("{} and {} both hold {}; keep one", at->second,
                                                        layer.source, layerName(layer)));
    if (layer.scope == LayerScope::NATIONAL) {
      calendar.publishedYears_.insert(layer.year);
      calendar.makeUpWorkdays_.insert(layer.workdays.begin(), layer.workdays.end());
    }
    for (const HolidayBlock& block : layer.holidays) calendar.daysOff_.insert(block.days.begin(), block.days.end());
  }
  calendar.layers_ = std::move(layers);
  return calendar;
}

bool Calendar::working(Date date) const {
  if (daysOff_.contains(date)) return false;
  return makeUpWorkdays_.contains(date) || !isWeekend(date);
}

void Calendar::noteYear(Coverage& coverage, int year) const {
  if (isPublished(year)) return;
  auto& years = coverage.uncoveredYears;
  auto at = std::lower_bound(years.begin(), years.end(), year);
  if (at == years.end() || *at != year) years.insert(at, year);
}

WorkingDayAnswer Calendar::isWorkingDay(Date date) const {
  requireDate("isWorkingDay", date);
  WorkingDayAnswer answer;
  answer.working = working(date);
  noteYear(answer.coverage, date.year);
  return answer;
}

DateAnswer Calendar::nthWorkingDayAfter(Date date, int n) const {
  requireDate("nthWorkingDayAfter", date);
  if (n < 0) fail(fmt::format("nthWorkingDayAfter({}, {}): n must not be negative", formatDate(date), n));
  DateAnswer answer{date, {}};
  // Ends: every published or local year is finite, and beyond them five days in seven are working days.
  for (int counted = 0; counted < n;) {
    answer.date = addDays(answer.date, 1);
    noteYear(answer.coverage, answer.date.year);
    if (working(answer.date)) ++counted;
  }
  return answer;
}

CountAnswer Calendar::workingDaysBetween(Date from, Date to) const {
  requireDate("workingDaysBetween", from);
  requireDate("workingDaysBetween", to);
  CountAnswer answer;
  for (Date day = from; day < to;) {
    day = addDays(day, 1);
    noteYear(answer.coverage, day.year);
    if (working(day)) ++answer.workingDays;
  }
  return answer;
}

Deadline Calendar::deadlineAfter(Date start, int n) const {
  DateAnswer last = nthWorkingDayAfter(start, n);
  return Deadline{last.date, startOfDay(addDays(last.date, 1)), std::move(last.coverage)};
}

Deadline Calendar::deadlineAfter(Timestamp at, int n) const { return deadlineAfter(dateOf(at), n); }

}  // namespace hreg::rules
