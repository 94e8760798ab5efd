#pragma once
// The quarterly report 季报 (002 §5: "每季度结束后5个工作日内，填写非遗扶贫就业工坊季度信息表"; 003 §10:
// provinces compile statistics): when a county's report of a quarter is due, whether it came in time —
// a supervisory deadline: a late report is accepted and marked overdue, a missing one is overdue from
// time alone — and the province's figures by region and quarter, a pure function of the reports, so
// that every node holding the same logs publishes the same figures. Leaves out: checking a report's
// rows against the workshops the county has certified.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/rules/calendar.h"
#include "ledger/rules/lifecycle.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::rules {

// Quarter is a quarter of a year: {2026, 3} is July to September 2026.
struct Quarter {
  int year = 0;
  int number = 0;  // 1–4
  friend bool operator==(const Quarter&, const Quarter&) = default;
};

// reportDeadline: a report of `quarter` is due by the end of the `workingDays`-th working day after the
// quarter's last day (policy quarterly-report.working-days). Requires: 1 <= quarter.number <= 4.
[[nodiscard]] Deadline reportDeadline(Quarter quarter, int workingDays, const Calendar& calendar);

// quarterlyReportAllowed: a report recorded at `at` names a quarter 1–4 (MALFORMED_ENTRY) that has
// ended (WINDOW_OPEN: the figures of a running quarter are not known yet).
[[nodiscard]] Result<void> quarterlyReportAllowed(schema::QuarterlyReport::Reader report, Timestamp at);

// ReportEntry is a quarterly report where it stands: its log (a county's, "hreg.example/430524") and
// index there. The decision's header time is when it was reported.
struct ReportEntry {
  std::string origin;
  std::uint64_t index = 0;
  schema::Decision::Reader decision;
};

// ReportStatus is one county's report of a quarter as of a time.
struct ReportStatus {
  std::string origin;
  std::optional<Timestamp> reportedAt;  // its first report of the quarter; none: none yet
  DeadlineStatus deadline;              // what "quarterly-report", supervisory
};

// reportStatus judges `origin`'s report of `quarter` among `reports` (any logs, any quarters) as of
// `asOf`: met when its first report of the quarter was recorded before the deadline's end; overdue
// when it came later (accepted all the same), or when none came and asOf is at or after that end.
// Reports recorded after asOf are not counted.
[[nodiscard]] ReportStatus reportStatus(std::span<const ReportEntry> reports, std::string_view origin, Quarter quarter,
                                        int workingDays, const Calendar& calendar, Timestamp asOf);

// RegionFigures: the sums of one region's rows, from each county's latest report of the quarter.
struct RegionFigures {
  std::string region;                  // the division code prefix, e.g. "4331"; "" for the total
  std::uint32_t countiesReporting = 0;
  std::uint32_t lateReports = 0;       // counties whose first report of the quarter was overdue
  std::uint32_t workshops = 0;         // rows
  std::uint64_t jobs = 0;
  std::uint64_t povertyAlleviatedWorkers = 0;
  std::int64_t revenue = 0;            // fen
  std::int64_t wagesPaid = 0;          // fen
  friend bool operator==(const RegionFigures&, const RegionFigures&) = default;
};

// QuarterAggregate: the province's figures of a quarter (002 §5 按季汇总并公布各地).
struct QuarterAggregate {
  Quarter quarter;
  std::vector<RegionFigures> regions;  // sorted by region code
  RegionFigures total;
  std::vector<ReportStatus> counties;  // every expected or reporting county, sorted by origin
};

// aggregateQuarter sums, for `quarter`, each county's latest report (the highest index in its log; a
// later report corrects an earlier one), grouped by the first `regionDigits` digits of the county's
// code (4: by prefecture; 2: by province), recorded no later than `asOf`. `expected` names the
// counties' logs that owe a report, so that a missing one shows overdue. The answer depends on the
// set of reports only, not on their order: every node holding the same logs gives the same figures.
// Refuses MALFORMED_ENTRY for a report that names a subject twice, or a log whose origin ends in no
// division code of at least `regionDigits` digits.
[[nodiscard]] Result<QuarterAggregate> aggregateQuarter(std::span<const ReportEntry> reports,
                                                        std::span<const std::string> expected, Quarter quarter,
                                                        std::size_t regionDigits, int workingDays,
                                                        const Calendar& calendar, Timestamp asOf);

}  // namespace hreg::rules
