#pragma once
// Calendar files: one year of the national working-day calendar (configs/calendar/CN-2026.toml) or of a
// region's local holidays, as TOML. A national file, as the State Council's notice publishes it:
//   year = 2026
//   holidays = [
//     { name = "春节 Spring Festival", days = ["2026-02-15", "2026-02-16", …, "2026-02-23"] },  # every day off
//   ]
//   workdays = ["2026-02-14", "2026-02-28"]  # make-up working days 调休上班, Saturdays or Sundays
// A local file has `region` (the publishing region's GB/T 2260 code, "65" for Xinjiang) instead of
// `workdays`: a local layer only adds days off. Dates are strings "YYYY-MM-DD" in the file's year.
// Reading files from disk is the caller's (main's) job; these functions take the text.
#include <string_view>

#include "ledger/rules/calendar.h"

namespace hreg::rules {

// parseNationalCalendarFile reads one year of the State Council's calendar. `fileName` names the file
// in refusals. Refuses MALFORMED_FILE naming the file, the field and what is wrong: not TOML, a field
// missing, of the wrong type or unknown, a date that is not "YYYY-MM-DD", and everything checkLayer
// refuses (a date outside the file's year, a date listed twice, a make-up working day that is not a
// Saturday or Sunday, a day off also listed as a working day).
[[nodiscard]] Result<CalendarLayer> parseNationalCalendarFile(std::string_view text, std::string_view fileName);

// parseLocalHolidayFile reads one year of a region's local holidays (fields year, region, holidays).
// Refuses MALFORMED_FILE as parseNationalCalendarFile does, and for a `workdays` field.
[[nodiscard]] Result<CalendarLayer> parseLocalHolidayFile(std::string_view text, std::string_view fileName);

}  // namespace hreg::rules
