#include "node/statistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <vector>

#include "ledger/rules/date.h"
#include "ledger/rules/quarterly-report.h"
#include "ledger/rules/statistics.h"
#include "protocol/canonical.h"

namespace hreg::node {
namespace {
using nlohmann::json;

// codeOf is the division code that ends a log's origin ("hreg.example/140902" -> "140902"), or "" when
// it ends in none (the root log).
std::string codeOf(std::string_view origin) {
  const std::size_t slash = origin.rfind('/');
  std::string_view code = slash == std::string_view::npos ? origin : origin.substr(slash + 1);
  if (code.empty() || code.find_first_not_of("0123456789") != std::string_view::npos) return "";
  return std::string(code);
}

// countyOf is the log of the county a subject's home log lies in ("…/140902001" -> "…/140902"), which
// reports its workshops each quarter; "" above the counties.
std::string countyOf(std::string_view home) {
  const std::string code = codeOf(home);
  if (code.size() < 6) return "";
  return std::string(home.substr(0, home.size() - code.size())) + code.substr(0, 6);
}

Timestamp endOfPeriod(Period p) {
  const rules::Date last = p.quarter == 0 ? rules::Date{p.year, 12, 31} : rules::lastDayOfQuarter(p.year, p.quarter);
  return rules::startOfDay(rules::addDays(last, 1)) - 1;
}

std::string periodName(Period p) { return p.quarter == 0 ? fmt::format("{}", p.year) : fmt::format("{}Q{}", p.year, p.quarter); }

// Register: the subjects' figures, the counties that owe a report (those holding a certified workshop)
// and the subjects whose records the lifecycle refuses (not counted).
struct Register {
  std::vector<rules::SubjectFigures> subjects;
  std::set<std::string> countiesOwing;
  json refused = json::array();
};

Register readRegister(const std::vector<SubjectState>& states) {
  Register out;
  for (const SubjectState& s : states) {
    if (s.refused) {
      out.refused.push_back({{"subject", s.subject}, {"reason", reasonName(s.refused->reason)}});
      continue;
    }
    const rules::Status& status = s.status;
    out.subjects.push_back({status.kind, status.stage, status.level ? status.level : s.level, status.pending.has_value()});
    if (status.kind == rules::SubjectKind::WORKSHOP && rules::isCertifiedWorkshop(status.stage))
      if (std::string county = countyOf(s.home); !county.empty()) out.countiesOwing.insert(county);
  }
  return out;
}

// HeldReports are the quarterly reports in the logs of `region`, up to each log's newest checkpoint
// (what every node holding the log holds), parsed once.
struct HeldReports {
  std::vector<protocol::Parsed<schema::Entry>> entries;
  std::vector<rules::ReportEntry> reports;
};

HeldReports heldReports(const store::Snapshot& snapshot, std::string_view region) {
  HeldReports out;
  std::vector<std::pair<std::string, std::uint64_t>> where;
  for (const std::string& origin : snapshot.origins()) {
    const std::string code = codeOf(origin);
    auto log = snapshot.log(origin);
    if (code.empty() || !code.starts_with(region) || !log) continue;
    snapshot.forEachEntry(origin, 0, log->checkpointSize, [&](std::uint64_t index, ByteView bytes) {
      auto parsed = protocol::parseEntry(bytes);
      if (!parsed) throw Fault(Fault::Kind::FAILED, fmt::format("{} #{} cannot be read: {}", origin, index,
                                                                parsed.error().detail));
      if (parsed.value().reader().getSigned().getDecision().getBody().isQuarterlyReport()) {
        out.entries.push_back(std::move(parsed.value()));
        where.emplace_back(origin, index);
      }
      return true;
    });
  }
  for (std::size_t i = 0; i < out.entries.size(); ++i)  // the readers once the entries no longer move
    out.reports.push_back({where[i].first, where[i].second, out.entries[i].reader().getSigned().getDecision()});
  return out;
}

json figuresJson(const rules::RegionFigures& f) {
  return {{"region", f.region},   {"countiesReporting", f.countiesReporting},
          {"lateReports", f.lateReports}, {"workshops", f.workshops},
          {"jobs", f.jobs},       {"povertyAlleviatedWorkers", f.povertyAlleviatedWorkers},
          {"revenue", f.revenue}, {"wagesPaid", f.wagesPaid}};
}

// quarterJson sums the reports of one quarter, judged under the policy and calendar in force at the
// region's office at the quarter's end.
json quarterJson(Core& core, const HeldReports& held, const std::vector<std::string>& owing, std::string_view region,
                 const std::string& regionOrigin, rules::Quarter quarter) {
  const Timestamp end = endOfPeriod({quarter.year, quarter.number});
  const rules::EffectivePolicy policy = core.policyAt(regionOrigin, end);
  auto calendar = policy.calendar();
  const int workingDays = static_cast<int>(policy.integer("quarterly-report.working-days"));
  json out = {{"quarter", periodName({quarter.year, quarter.number})}, {"policyVersion", policy.version()}};
  if (!calendar) {
    out["refused"] = {{"reason", reasonName(calendar.error().reason)}, {"detail", calendar.error().detail}};
    return out;
  }
  const rules::Deadline due = rules::reportDeadline(quarter, workingDays, calendar.value());
  out["reportDue"] = rules::formatDate(due.lastDay);
  out["calendar"] = rules::describeCoverage(due.coverage);
  // Every report held counts, even one dated minutes ahead of this node's clock (decision.max-future-minutes):
  // what the logs hold decides, not which node is asked.
  Timestamp asOf = core.clock().now();
  for (const rules::ReportEntry& e : held.reports) asOf = std::max(asOf, e.decision.getHeader().getTime());
  auto aggregate = rules::aggregateQuarter(held.reports, owing, quarter, rules::statisticsRegionDigits(region),
                                           workingDays, calendar.value(), asOf);
  if (!aggregate) {
    out["refused"] = {{"reason", reasonName(aggregate.error().reason)}, {"detail", aggregate.error().detail}};
    return out;
  }
  json counties = json::array(), regions = json::array();
  for (const rules::ReportStatus& c : aggregate.value().counties)
    counties.push_back({{"origin", c.origin}, {"reportedAt", c.reportedAt ? json(*c.reportedAt) : json(nullptr)},
                        {"met", c.deadline.met}, {"overdue", c.deadline.overdue}});
  for (const rules::RegionFigures& r : aggregate.value().regions) regions.push_back(figuresJson(r));
  out["counties"] = counties;
  out["regions"] = regions;
  out["total"] = figuresJson(aggregate.value().total);
  return out;
}

json registerJson(const rules::RegisterFigures& f) {
  return {{"workshops", {{"total", f.workshops}, {"byStage", f.workshopsByStage}, {"certified", f.certifiedWorkshops},
                         {"certifiedByLevel", f.certifiedByLevel}, {"pendingUpward", f.pendingUpward}}},
          {"craftsmen", {{"total", f.craftsmen}, {"byStage", f.craftsmenByStage}, {"certified", f.certifiedCraftsmen},
                         {"certifiedByTier", f.craftsmenByTier}}}};
}

// regionOriginOf is the log of the region's own office among those held, whose policy judges the
// region's reports; the root log for all regions, or when the region's office is not held.
std::string regionOriginOf(const store::Snapshot& snapshot, std::string_view region, const std::string& root) {
  for (const std::string& origin : snapshot.origins())
    if (!region.empty() && codeOf(origin) == region) return origin;
  return root;
}

}  // namespace

Result<Period> parsePeriod(const std::optional<std::string>& quarter, const std::optional<std::string>& year) {
  if (quarter.has_value() == year.has_value())
    return refuse(Reason::MALFORMED_FILE, "ask for one period: quarter=2026Q3 or year=2026");
  if (quarter) {
    HREG_TRY(q, parseQuarter(*quarter));
    return Period{q.year, q.number};
  }
  int y = 0;
  auto [end, ec] = std::from_chars(year->data(), year->data() + year->size(), y);
  if (year->size() != 4 || ec != std::errc{} || end != year->data() + year->size() || y < 2000)
    return refuse(Reason::MALFORMED_FILE, fmt::format("'{}' is not a year: write it as 2026", *year));
  return Period{y, 0};
}

json statistics(Core& core, std::string_view region, Period period) {
  const Timestamp asOf = endOfPeriod(period);
  const Register reg = readRegister(core.registry(region, asOf));
  const store::Snapshot snapshot = core.snapshot();
  const HeldReports held = heldReports(snapshot, region);
  const std::string regionOrigin = regionOriginOf(snapshot, region, core.trustRoot().origin);
  const std::vector<std::string> owing(reg.countiesOwing.begin(), reg.countiesOwing.end());
  const rules::RegisterFigures figures = rules::countRegister(reg.subjects);
  json quarters = json::array();
  for (int q = period.quarter == 0 ? 1 : period.quarter; q <= (period.quarter == 0 ? 4 : period.quarter); ++q)
    quarters.push_back(quarterJson(core, held, owing, region, regionOrigin, rules::Quarter{period.year, q}));
  json out = registerJson(figures);
  out["region"] = std::string(region);
  out["period"] = periodName(period);
  out["asOf"] = asOf;
  out["policyVersion"] = core.policyAt(regionOrigin, asOf).version();
  out["subjects"] = figures.workshops + figures.craftsmen + reg.refused.size();
  out["refused"] = reg.refused;
  out["quarters"] = quarters;
  return out;
}

}  // namespace hreg::node
