#pragma once
// The evaluation 绩效评估 of a certified workshop and the rectification 限期整改 a poor one is ordered
// to make (000 §4(2): "每2年…进行一次绩效评估…限期进行整改"; 001 art. 9(4), art. 10(9)): when the next
// evaluation is due, what a rectification order must set, and when ground 9 of 001 art. 10
// ("限期整改达不到要求的") may be proposed. Both deadlines are supervisory: a late evaluation or result is
// accepted and marked overdue by status() (lifecycle.h). Leaves out: an evaluation's grades and
// criteria, which are policy ids the registry records without judging.
#include <optional>

#include "ledger/rules/calendar.h"
#include "protocol/core/result.h"

namespace hreg::rules {

// evaluationDeadline: the evaluation of a workshop certified (or last evaluated) at `from` is due every
// `cycleYears` (policy evaluation.cycle-years): by the end of the day before the same calendar day that
// many years later; from 29 February, by the end of 28 February. The years are calendar years, not
// working days, so the answer rests on no published calendar (its coverage is empty).
// Requires: cycleYears >= 1.
[[nodiscard]] Deadline evaluationDeadline(Timestamp from, int cycleYears);

// rectificationDeadline is the period a rectification order sets: its own `deadline`, the UTC second
// at which its last day ends in Beijing (docs/rules.md, "Conventions").
[[nodiscard]] Deadline rectificationDeadline(Timestamp deadline);

// rectificationOrderAllowed: an order made at `at` sets a deadline after it (MALFORMED_ENTRY: none, or
// one already past). The seeds leave the length of 限期 to the order, so policy sets none.
[[nodiscard]] Result<void> rectificationOrderAllowed(Timestamp deadline, Timestamp at);

// Rectification: the newest rectification ordered since the subject was last certified.
struct Rectification {
  Timestamp deadline = 0;               // the order's deadline
  std::optional<Timestamp> achievedAt;  // when a passing result found it achieved
};

// RECTIFICATION_GROUND is ground 9 of 001 art. 10 (docs/domain.md): rectification not achieved by its deadline.
inline constexpr int RECTIFICATION_GROUND = 9;

// revocationGroundAllowed: a revocation proposal at `at` names a ground 1–10 of 001 art. 10
// (MALFORMED_ENTRY). Ground 9 needs a rectification ordered (PREREQUISITE_MISSING), not found achieved
// (PREREQUISITE_MISSING, naming when it was), whose deadline has passed (WINDOW_OPEN: until then the
// workshop may still rectify, even after a failed check). The other grounds rest on facts outside the
// register, which the proposal's reasons and evidence carry.
[[nodiscard]] Result<void> revocationGroundAllowed(int ground, const std::optional<Rectification>& rectification,
                                                   Timestamp at);

}  // namespace hreg::rules
