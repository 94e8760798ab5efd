#include "ledger/rules/quarterly-report.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ledger/rules/date.h"

namespace hreg::rules {
namespace {

bool isQuarter(schema::QuarterlyReport::Reader report, Quarter quarter) {
  return report.getYear() == quarter.year && report.getQuarter() == quarter.number;
}

// codeOf is the division code that ends a log's origin ("hreg.example/430524" -> "430524"), or "".
std::string codeOf(std::string_view origin) {
  const std::size_t slash = origin.rfind('/');
  std::string_view code = slash == std::string_view::npos ? origin : origin.substr(slash + 1);
  if (code.empty() || code.find_first_not_of("0123456789") != std::string_view::npos) return "";
  return std::string(code);
}

void add(RegionFigures& to, schema::QuarterlyReport::Reader report) {
  for (auto row : report.getRows()) {
    ++to.workshops;
    to.jobs += row.getJobs();
    to.povertyAlleviatedWorkers += row.getPovertyAlleviatedWorkers();
    to.revenue += row.getRevenue();
    to.wagesPaid += row.getWagesPaid();
  }
}

}  // namespace

Deadline reportDeadline(Quarter quarter, int workingDays, const Calendar& calendar) {
  return calendar.deadlineAfter(lastDayOfQuarter(quarter.year, quarter.number), workingDays);
}

Result<void> quarterlyReportAllowed(schema::QuarterlyReport::Reader report, Timestamp at) {
  const int number = report.getQuarter();
  if (number < 1 || number > 4)
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("quarter {} of {}: a year has quarters 1 to 4", number,
                                                       report.getYear()));
  const Date last = lastDayOfQuarter(report.getYear(), number);
  if (dateOf(at) <= last)
    return refuse(Reason::WINDOW_OPEN, fmt::format("{}Q{} ends with {}: report its figures after it ends",
                                                   report.getYear(), number, formatDate(last)));
  return outcome::success();
}

ReportStatus reportStatus(std::span<const ReportEntry> reports, std::string_view origin, Quarter quarter,
                          int workingDays, const Calendar& calendar, Timestamp asOf) {
  ReportStatus s;
  s.origin = std::string(origin);
  s.deadline = DeadlineStatus{"quarterly-report", reportDeadline(quarter, workingDays, calendar), true, false, false};
  for (const ReportEntry& e : reports) {
    const Timestamp t = e.decision.getHeader().getTime();
    if (e.origin != origin || t > asOf || !e.decision.getBody().isQuarterlyReport()) continue;
    if (!isQuarter(e.decision.getBody().getQuarterlyReport(), quarter)) continue;
    if (!s.reportedAt || t < *s.reportedAt) s.reportedAt = t;
  }
  const Timestamp ends = s.deadline.deadline.endsAt;
  if (s.reportedAt) {
    s.deadline.met = *s.reportedAt < ends;
    s.deadline.overdue = !s.deadline.met;
  } else {
    s.deadline.overdue = asOf >= ends;
  }
  return s;
}

Result<QuarterAggregate> aggregateQuarter(std::span<const ReportEntry> reports, std::span<const std::string> expected,
                                          Quarter quarter, std::size_t regionDigits, int workingDays,
                                          const Calendar& calendar, Timestamp asOf) {
  // Each county's latest report of the quarter, by its place in the county's log.
  std::map<std::string, const ReportEntry*> latest;
  for (const ReportEntry& e : reports) {
    if (e.decision.getHeader().getTime() > asOf || !e.decision.getBody().isQuarterlyReport()) continue;
    if (!isQuarter(e.decision.getBody().getQuarterlyReport(), quarter)) continue;
    const ReportEntry*& kept = latest[e.origin];
    if (kept == nullptr || e.index > kept->index) kept = &e;
  }
  QuarterAggregate out;
  out.quarter = quarter;
  std::set<std::string> counties(expected.begin(), expected.end());
  for (const auto& [origin, entry] : latest) counties.insert(origin);
  for (const std::string& origin : counties)
    out.counties.push_back(reportStatus(reports, origin, quarter, workingDays, calendar, asOf));

  std::map<std::string, RegionFigures> regions;
  for (const auto& [origin, entry] : latest) {
    const std::string code = codeOf(origin);
    if (code.size() < regionDigits)
      return refuse(Reason::MALFORMED_ENTRY, fmt::format("{} ends in no division code of at least {} digits: its "
                                                         "report cannot be placed in a region", origin, regionDigits));
    auto report = entry->decision.getBody().getQuarterlyReport();
    std::set<std::string> subjects;
    for (auto row : report.getRows())
      if (!subjects.insert(row.getSubject().cStr()).second)
        return refuse(Reason::MALFORMED_ENTRY, fmt::format("{} #{}: {} is reported twice in {}Q{}", origin,
                                                           entry->index, row.getSubject().cStr(), quarter.year,
                                                           quarter.number));
    const std::string region = code.substr(0, regionDigits);
    RegionFigures& r = regions[region];
    r.region = region;
    ++r.countiesReporting;
    add(r, report);
    ++out.total.countiesReporting;
    add(out.total, report);
  }
  for (const ReportStatus& s : out.counties)
    if (s.reportedAt && s.deadline.overdue) {
      const std::string code = codeOf(s.origin);
      ++out.total.lateReports;
      if (code.size() >= regionDigits) ++regions[code.substr(0, regionDigits)].lateReports;
    }
  for (auto& [code, figures] : regions) out.regions.push_back(std::move(figures));
  return out;
}

}  // namespace hreg::rules
