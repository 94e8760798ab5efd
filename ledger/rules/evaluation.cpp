#include "ledger/rules/evaluation.h"

#include <fmt/format.h>

#include "ledger/rules/date.h"

namespace hreg::rules {

Deadline evaluationDeadline(Timestamp from, int cycleYears) {
  const Date start = dateOf(from);
  Date due{start.year + cycleYears, start.month, start.day};
  if (!isValid(due)) due = Date{due.year, 3, 1};  // from 29 February into a common year
  // Due by the end of the day before the anniversary: an evaluation on the anniversary is a day late.
  return Deadline{addDays(due, -1), startOfDay(due), Coverage{}};
}

Deadline rectificationDeadline(Timestamp deadline) { return Deadline{dateOf(deadline - 1), deadline, Coverage{}}; }

Result<void> rectificationOrderAllowed(Timestamp deadline, Timestamp at) {
  if (deadline == 0)
    return refuse(Reason::MALFORMED_ENTRY, "a rectification order without a deadline: 限期整改 sets the last day "
                                           "allowed; write it as the end of that day (deadline)");
  if (deadline <= at)
    return refuse(Reason::MALFORMED_ENTRY,
                  fmt::format("a rectification order of {} whose deadline ended on {}: set a deadline after the order",
                              formatDate(dateOf(at)), formatDate(dateOf(deadline - 1))));
  return outcome::success();
}

Result<void> revocationGroundAllowed(int ground, const std::optional<Rectification>& rectification, Timestamp at) {
  if (ground < 1 || ground > 10)
    return refuse(Reason::MALFORMED_ENTRY,
                  fmt::format("ground {}: a revocation names one of the grounds 1–10 of 001 art. 10", ground));
  if (ground != RECTIFICATION_GROUND) return outcome::success();
  if (!rectification)
    return refuse(Reason::PREREQUISITE_MISSING, "ground 9 (rectification not achieved by its deadline) but no "
                                                "rectification was ordered since the certification: order one first");
  if (rectification->achievedAt)
    return refuse(Reason::PREREQUISITE_MISSING,
                  fmt::format("ground 9, but the rectification was found achieved on {}: propose another ground, "
                              "or order a new rectification", formatDate(dateOf(*rectification->achievedAt))));
  if (at < rectification->deadline)
    return refuse(Reason::WINDOW_OPEN,
                  fmt::format("ground 9, but the rectification's deadline runs until the end of {}: the workshop may "
                              "still rectify; propose after it ends", formatDate(dateOf(rectification->deadline - 1))));
  return outcome::success();
}

}  // namespace hreg::rules
