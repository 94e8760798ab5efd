#pragma once
// The statistics a node publishes for a region and a quarter or a year (GET /v1/report, `hreg report`;
// 002 §5 按季汇总并公布各地, 003 §10): the register counted from its subjects' statuses as of the period's
// end (rules::countRegister) and, for each quarter of the period, the quarterly reports held from the
// region's counties summed by region below it (rules::aggregateQuarter). Everything in the answer comes
// from the logs the node holds, nothing from the node itself, so two nodes holding the same logs answer
// with the same bytes; only whether a missing report is overdue depends on when it is asked. No proof:
// the figures are the node's own reading of its store (registry.h).
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/core.h"

namespace hreg::node {

// Period is a quarter of a year, or the whole year (quarter 0).
struct Period {
  int year = 0;
  int quarter = 0;  // 1–4; 0: the year
};

// parsePeriod reads `quarter` ("2026Q3") or `year` ("2026"), exactly one of them. Refuses MALFORMED_FILE
// naming the forms expected.
[[nodiscard]] Result<Period> parsePeriod(const std::optional<std::string>& quarter, const std::optional<std::string>& year);

// statistics is the answer of GET /v1/report for `region` (a division code prefix; "" for all) and
// `period`, as docs/openapi.yaml's Report describes it. Throws Fault if a stored entry cannot be read.
[[nodiscard]] nlohmann::json statistics(Core& core, std::string_view region, Period period);

}  // namespace hreg::node
