#include "ledger/rules/calendar-file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <toml++/toml.h>

namespace hreg::rules {
namespace {

// File names which fields a file of each scope may hold.
constexpr std::array<std::string_view, 3> NATIONAL_FIELDS = {"year", "holidays", "workdays"};
constexpr std::array<std::string_view, 3> LOCAL_FIELDS = {"year", "region", "holidays"};
constexpr std::array<std::string_view, 2> BLOCK_FIELDS = {"name", "days"};

struct FileReader {
  std::string_view fileName;

  auto malformed(std::string_view field, const std::string& what, const toml::node& at) const {
    return refuse(Reason::MALFORMED_FILE,
                  fmt::format("{}: {}: {} (line {})", fileName, field, what, at.source().begin.line));
  }
  auto missing(std::string_view field, std::string_view what) const {
    return refuse(Reason::MALFORMED_FILE, fmt::format("{}: {}: missing; {}", fileName, field, what));
  }

  template <std::size_t N>
  Result<void> onlyFields(const toml::table& table, std::string_view prefix,
                          const std::array<std::string_view, N>& allowed, std::string_view what) const {
    for (auto&& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      if (prefix.empty() && key.str() == "workdays")
        return malformed("workdays", "a local layer only adds days off; it cannot make a weekend a working day", value);
      return malformed(fmt::format("{}{}", prefix, key.str()),
                       fmt::format("not a field of {} ({})", what, fmt::join(allowed, ", ")), value);
    }
    return outcome::success();
  }

  Result<Date> date(const toml::node& node, const std::string& field) const {
    const auto text = node.value_exact<std::string>();
    if (!text) return malformed(field, "not a string \"YYYY-MM-DD\"", node);
    const auto parsed = parseDate(*text);
    if (!parsed) return malformed(field, fmt::format("'{}' is not a date YYYY-MM-DD", *text), node);
    return *parsed;
  }

  Result<std::vector<Date>> dates(const toml::node& node, const std::string& field) const {
    const toml::array* list = node.as_array();
    if (!list) return malformed(field, "not an array of dates \"YYYY-MM-DD\"", node);
    std::vector<Date> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      HREG_TRY(day, date(*list->get(i), fmt::format("{}[{}]", field, i)));
      out.push_back(day);
    }
    return out;
  }

  Result<HolidayBlock> block(const toml::node& node, std::size_t index) const {
    const std::string field = fmt::format("holidays[{}]", index);
    const toml::table* table = node.as_table();
    if (!table) return malformed(field, "not a table { name = \"…\", days = [\"YYYY-MM-DD\", …] }", node);
    auto known = onlyFields(*table, field + ".", BLOCK_FIELDS, "a holiday");
    if (!known) return known.error();
    HolidayBlock out;
    const toml::node* name = table->get("name");
    if (!name) return missing(field + ".name", "name the holiday");
    if (!name->is_string()) return malformed(field + ".name", "not a string", *name);
    out.name = name->value_exact<std::string>().value_or("");
    const toml::node* days = table->get("days");
    if (!days) return missing(field + ".days", "list every day off of the holiday");
    HREG_TRY(listed, dates(*days, field + ".days"));
    out.days = std::move(listed);
    return out;
  }

  Result<CalendarLayer> layer(std::string_view text, LayerScope scope) const {
    toml::table table;
    try {
      table = toml::parse(text, fileName);
    } catch (const toml::parse_error& e) {
      return refuse(Reason::MALFORMED_FILE, fmt::format("{}: not valid TOML: {} (line {})", fileName, e.description(),
                                                        e.source().begin.line));
    }
    const bool national = scope == LayerScope::NATIONAL;
    auto known = national ? onlyFields(table, "", NATIONAL_FIELDS, "a national calendar file")
                          : onlyFields(table, "", LOCAL_FIELDS, "a local holiday file");
    if (!known) return known.error();

    CalendarLayer out;
    out.scope = scope;
    out.source = std::string(fileName);
    const toml::node* year = table.get("year");
    if (!year) return missing("year", "give the year the file is for");
    const auto yearValue = year->value_exact<std::int64_t>();
    if (!yearValue || *yearValue < 1 || *yearValue > 9999) return malformed("year", "not a year from 1 to 9999", *year);
    out.year = static_cast<int>(*yearValue);

    if (!national) {
      const toml::node* region = table.get("region");
      if (!region) return missing("region", "give the GB/T 2260 code of the region that publishes these holidays");
      if (!region->is_string()) return malformed("region", "not a string of digits, e.g. \"65\"", *region);
      out.region = region->value_exact<std::string>().value_or("");
    }

    const toml::node* holidays = table.get("holidays");
    if (!holidays) return missing("holidays", "list every holiday block of the year");
    const toml::array* blocks = holidays->as_array();
    if (!blocks) return malformed("holidays", "not an array of { name, days } tables", *holidays);
    for (std::size_t i = 0; i < blocks->size(); ++i) {
      HREG_TRY(holiday, block(*blocks->get(i), i));
      out.holidays.push_back(std::move(holiday));
    }

    if (const toml::node* workdays = table.get("workdays")) {
      HREG_TRY(listed, dates(*workdays, "workdays"));
      out.workdays = std::move(listed);
    }
    auto checked = checkLayer(out);
    if (!checked) return checked.error();
    return out;
  }
};

}  // namespace

Result<CalendarLayer> parseNationalCalendarFile(std::string_view text, std::string_view fileName) {
  return FileReader{fileName}.layer(text, LayerScope::NATIONAL);
}

Result<CalendarLayer> parseLocalHolidayFile(std::string_view text, std::string_view fileName) {
  return FileReader{fileName}.layer(text, LayerScope::LOCAL);
}

}  // namespace hreg::rules
