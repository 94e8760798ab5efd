// End to end, 002 (湘文旅非遗〔2020〕27号, Hunan): existing employment workshops brought in by a decision
// (§3(2) 加挂非遗扶贫就业工坊牌子), and the quarterly report (§5 季报): each county reports within 5
// working days after the quarter; a late report is accepted and marked overdue, a missing one shows
// overdue from time alone; the province aggregates by region and quarter, the same at every node.
#include "ledger/rules/quarterly-report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;

constexpr int WORKING_DAYS = 5;  // policy quarterly-report.working-days
constexpr Quarter Q1{2026, 1};   // ends Tuesday 31 March; 清明节 4–6 April: due 1, 2, 3, 7, 8 April

constexpr const char* JISHOU = "hreg.example/433101";   // 湘西州 吉首市
constexpr const char* LUXI = "hreg.example/433122";     // 湘西州 泸溪县
constexpr const char* HECHENG = "hreg.example/431202";  // 怀化市 鹤城区
constexpr const char* LONGHUI = "hreg.example/430524";  // 邵阳市 隆回县

struct Row {
  const char* subject;
  std::uint32_t jobs, alleviated;
  std::int64_t revenue, wages;
};

// Reports holds quarterly reports as they stand in the counties' logs.
class Reports {
 public:
  Reports& add(const char* origin, std::uint64_t index, Timestamp t, Quarter q, std::vector<Row> rows) {
    auto message = std::make_unique<capnp::MallocMessageBuilder>();
    auto decision = message->initRoot<schema::Decision>();
    decision.initHeader().setOrigin(origin);
    decision.getHeader().setTime(t);
    auto report = decision.initBody().initQuarterlyReport();
    report.setYear(static_cast<std::uint16_t>(q.year));
    report.setQuarter(static_cast<std::uint8_t>(q.number));
    auto list = report.initRows(static_cast<unsigned>(rows.size()));
    for (unsigned i = 0; i < rows.size(); ++i) {
      list[i].setSubject(rows[i].subject);
      list[i].setJobs(rows[i].jobs);
      list[i].setPovertyAlleviatedWorkers(rows[i].alleviated);
      list[i].setRevenue(rows[i].revenue);
      list[i].setWagesPaid(rows[i].wages);
    }
    entries_.push_back({origin, index, decision.asReader()});
    messages_.push_back(std::move(message));
    return *this;
  }
  std::span<const ReportEntry> all() const { return entries_; }
  std::vector<ReportEntry> reversed() const { return {entries_.rbegin(), entries_.rend()}; }

 private:
  std::vector<std::unique_ptr<capnp::MallocMessageBuilder>> messages_;
  std::vector<ReportEntry> entries_;
};

// Q1 2026: Jishou in time, Luxi a day late, Hecheng in time and corrected later, Longhui not at all.
Reports firstQuarter() {
  Reports r;
  r.add(JISHOU, 41, at("2026-04-03"), Q1, {{"433101-W-0001", 32, 18, 41'000'00, 12'600'00},
                                           {"433101-W-0002", 15, 9, 9'800'00, 5'400'00}});
  r.add(LUXI, 17, at("2026-04-09", 9), Q1, {{"433122-W-0001", 21, 14, 12'000'00, 7'100'00}});
  r.add(HECHENG, 8, at("2026-04-07"), Q1, {{"431202-W-0001", 10, 4, 3'000'00, 2'000'00}});
  r.add(HECHENG, 9, at("2026-04-15"), Q1, {{"431202-W-0001", 12, 5, 3'500'00, 2'400'00}});  // correction
  r.add(JISHOU, 29, at("2026-01-08"), Quarter{2025, 4}, {{"433101-W-0001", 30, 17, 39'000'00, 12'000'00}});
  return r;
}

const std::vector<std::string> EXPECTED{JISHOU, LUXI, HECHENG, LONGHUI};

TEST(Seed002Hunan, AnEmploymentWorkshopIsBroughtInByDecisionNotReApplication) {
  Records r("hreg.example/433101", "433101-W-0001");
  r.legacyImport(at("2026-03-02"), Level::COUNTY, "湘文旅非遗〔2020〕27号");
  LifecyclePolicy policy;
  auto s = status(r.all(), policy, published(), at("2026-03-03"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
  r.application(at("2026-03-10"));
  expectRefused(status(r.all(), policy, published(), at("2026-03-11")), Reason::WRONG_STAGE, "certified");
}

TEST(Seed002Hunan, TheReportOfTheFirstQuarterIsDueAfterQingming) {
  EXPECT_EQ(reportDeadline(Q1, WORKING_DAYS, published()).lastDay, (Date{2026, 4, 8}));
  EXPECT_EQ(reportDeadline(Quarter{2025, 4}, WORKING_DAYS, published()).lastDay, (Date{2026, 1, 8}));
}

TEST(Seed002Hunan, ALateReportIsAcceptedButMarkedOverdue) {
  Reports r = firstQuarter();
  ReportStatus luxi = reportStatus(r.all(), LUXI, Q1, WORKING_DAYS, published(), at("2026-04-10"));
  ASSERT_TRUE(luxi.reportedAt);
  EXPECT_TRUE(luxi.deadline.supervisory);
  EXPECT_FALSE(luxi.deadline.met);
  EXPECT_TRUE(luxi.deadline.overdue);
  ReportStatus jishou = reportStatus(r.all(), JISHOU, Q1, WORKING_DAYS, published(), at("2026-04-10"));
  EXPECT_TRUE(jishou.deadline.met);
  EXPECT_FALSE(jishou.deadline.overdue);
  // The first report decides timeliness; Hecheng's correction after the deadline does not make it late.
  ReportStatus hecheng = reportStatus(r.all(), HECHENG, Q1, WORKING_DAYS, published(), at("2026-04-20"));
  EXPECT_EQ(hecheng.reportedAt, at("2026-04-07"));
  EXPECT_TRUE(hecheng.deadline.met);
}

TEST(Seed002Hunan, AMissingReportIsOverdueFromTimeAlone) {
  Reports r = firstQuarter();
  ReportStatus due = reportStatus(r.all(), LONGHUI, Q1, WORKING_DAYS, published(), at("2026-04-08", 23));
  EXPECT_FALSE(due.reportedAt);
  EXPECT_FALSE(due.deadline.overdue);
  ReportStatus missing = reportStatus(r.all(), LONGHUI, Q1, WORKING_DAYS, published(), at("2026-04-09", 0));
  EXPECT_TRUE(missing.deadline.overdue);
  EXPECT_FALSE(missing.deadline.met);
}

TEST(Seed002Hunan, RefusesAReportOfAQuarterNotEndedOrNotAQuarter) {
  Reports r;
  r.add(JISHOU, 50, at("2026-06-30"), Quarter{2026, 2}, {});
  r.add(JISHOU, 51, at("2026-07-02"), Quarter{2026, 5}, {});
  expectRefused(quarterlyReportAllowed(r.all()[0].decision.getBody().getQuarterlyReport(), at("2026-06-30")),
                Reason::WINDOW_OPEN, "2026-06-30");
  EXPECT_TRUE(quarterlyReportAllowed(r.all()[0].decision.getBody().getQuarterlyReport(), at("2026-07-01")));
  expectRefused(quarterlyReportAllowed(r.all()[1].decision.getBody().getQuarterlyReport(), at("2026-07-02")),
                Reason::MALFORMED_ENTRY, "quarter 5");
}

TEST(Seed002Hunan, TheProvinceAggregatesByRegionFromEachCountysLatestReport) {
  Reports r = firstQuarter();
  auto aggregate = aggregateQuarter(r.all(), EXPECTED, Q1, 4, WORKING_DAYS, published(), at("2026-04-20"));
  ASSERT_TRUE(aggregate) << aggregate.error().detail;
  const QuarterAggregate& a = aggregate.value();
  ASSERT_EQ(a.regions.size(), 2u);  // 邵阳 4305 did not report
  EXPECT_EQ(a.regions[0], (RegionFigures{"4312", 1, 0, 1, 12, 5, 3'500'00, 2'400'00}));  // the correction counts
  EXPECT_EQ(a.regions[1], (RegionFigures{"4331", 2, 1, 3, 68, 41, 62'800'00, 25'100'00}));
  EXPECT_EQ(a.total, (RegionFigures{"", 3, 1, 4, 80, 46, 66'300'00, 27'500'00}));
  ASSERT_EQ(a.counties.size(), 4u);
  EXPECT_EQ(a.counties[0].origin, LONGHUI);
  EXPECT_TRUE(a.counties[0].deadline.overdue);
  EXPECT_FALSE(a.counties[0].reportedAt);

  auto province = aggregateQuarter(r.all(), EXPECTED, Q1, 2, WORKING_DAYS, published(), at("2026-04-20"));
  ASSERT_TRUE(province);
  ASSERT_EQ(province.value().regions.size(), 1u);
  EXPECT_EQ(province.value().regions[0].region, "43");
  EXPECT_EQ(province.value().regions[0].jobs, 80u);
}

TEST(Seed002Hunan, EveryNodeHoldingTheSameReportsGivesTheSameFigures) {
  Reports r = firstQuarter();
  auto here = aggregateQuarter(r.all(), EXPECTED, Q1, 4, WORKING_DAYS, published(), at("2026-04-20"));
  std::vector<ReportEntry> elsewhere = r.reversed();
  std::vector<std::string> expected(EXPECTED.rbegin(), EXPECTED.rend());
  auto there = aggregateQuarter(elsewhere, expected, Q1, 4, WORKING_DAYS, published(), at("2026-04-20"));
  ASSERT_TRUE(here);
  ASSERT_TRUE(there);
  EXPECT_EQ(here.value().regions, there.value().regions);
  EXPECT_EQ(here.value().total, there.value().total);
  ASSERT_EQ(here.value().counties.size(), there.value().counties.size());
  for (std::size_t i = 0; i < here.value().counties.size(); ++i)
    EXPECT_EQ(here.value().counties[i].origin, there.value().counties[i].origin);
  // As of before Hecheng's correction, its first report counts.
  auto before = aggregateQuarter(r.all(), EXPECTED, Q1, 4, WORKING_DAYS, published(), at("2026-04-10"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before.value().regions[0].jobs, 10u);
}

TEST(Seed002Hunan, RefusesAReportThatNamesAWorkshopTwice) {
  Reports r;
  r.add(JISHOU, 60, at("2026-04-03"), Q1, {{"433101-W-0001", 1, 1, 1, 1}, {"433101-W-0001", 2, 2, 2, 2}});
  expectRefused(aggregateQuarter(r.all(), EXPECTED, Q1, 4, WORKING_DAYS, published(), at("2026-04-20")),
                Reason::MALFORMED_ENTRY, "hreg.example/433101 #60: 433101-W-0001 is reported twice in 2026Q1");
}

// The province places each report by the division code its log's origin ends in: a log whose origin
// ends in no code of the region's digits (here "hreg.example/43", a province, for a 4-digit region)
// cannot be placed, and the aggregate is refused naming it rather than counted nowhere.
TEST(Seed002Hunan, RefusesAReportFromALogWithoutTheRegionsDivisionCode) {
  Reports r;
  r.add(JISHOU, 60, at("2026-04-03"), Q1, {{"433101-W-0001", 1, 1, 1, 1}});
  r.add("hreg.example/43", 7, at("2026-04-03"), Q1, {{"433101-W-0002", 1, 1, 1, 1}});
  expectRefused(aggregateQuarter(r.all(), EXPECTED, Q1, 4, WORKING_DAYS, published(), at("2026-04-20")),
                Reason::MALFORMED_ENTRY,
                "hreg.example/43 ends in no division code of at least 4 digits: its report cannot be placed in a region");
  EXPECT_TRUE(aggregateQuarter(r.all(), EXPECTED, Q1, 2, WORKING_DAYS, published(), at("2026-04-20")))
      << "two digits place it in the province";
}

}  // namespace
}  // namespace hreg::rules
