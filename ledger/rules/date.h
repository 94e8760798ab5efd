#pragma once
// Civil dates in China Standard Time (UTC+8), the calendar in which working days and deadlines are
// counted (docs/rules.md, "Working days"). Converts hreg Timestamps (UTC seconds) to the date they fall
// on in Beijing and back. Leaves out every other time zone, and China's daylight saving of 1986–1991.
#include <optional>
#include <string>
#include <string_view>

#include "protocol/core/clock.h"

namespace hreg::rules {

// CST_OFFSET_SECONDS is China Standard Time's offset from UTC: UTC+8 all year.
inline constexpr Timestamp CST_OFFSET_SECONDS = 8 * 3600;

// Date is a day of the Gregorian calendar in China Standard Time, e.g. {2026, 2, 15}.
// Ordered by time. A Date built by hand may be invalid ({2025, 2, 30}); isValid tells.
struct Date {
  int year = 1970;
  int month = 1;  // 1–12
  int day = 1;    // 1–31, within the month
  friend constexpr auto operator<=>(const Date&, const Date&) = default;
};

// isValid says whether `date` exists in the Gregorian calendar, for years 1 to 9999.
[[nodiscard]] bool isValid(Date date) noexcept;

// dateOf is the date in China Standard Time at UTC time `t`: 2025-12-31T16:00:00Z is 2026-01-01.
[[nodiscard]] Date dateOf(Timestamp t) noexcept;

// startOfDay is the UTC time at which `date` begins in China Standard Time (00:00 CST, 16:00 UTC the
// day before). Requires: isValid(date).
[[nodiscard]] Timestamp startOfDay(Date date);

// addDays is the date `days` days after `date` (before it when negative). Requires: isValid(date).
[[nodiscard]] Date addDays(Date date, int days);

// isWeekend says whether `date` is a Saturday or a Sunday. Requires: isValid(date).
[[nodiscard]] bool isWeekend(Date date);

// weekdayName is the English name of the day of the week, "Monday" … "Sunday", for messages.
// Requires: isValid(date).
[[nodiscard]] std::string_view weekdayName(Date date);

// lastDayOfQuarter is the last day of `quarter` (1–4) of `year`: {2025, 4} is 2025-12-31.
// Requires: 1 <= quarter <= 4.
[[nodiscard]] Date lastDayOfQuarter(int year, int quarter);

// parseDate reads exactly "YYYY-MM-DD" (ISO 8601 calendar date, four-digit year, zero-padded month and
// day). Returns nothing for any other text, or for a date that does not exist ("2025-02-29").
[[nodiscard]] std::optional<Date> parseDate(std::string_view text) noexcept;

// formatDate writes "YYYY-MM-DD", the form parseDate reads.
[[nodiscard]] std::string formatDate(Date date);

}  // namespace hreg::rules
