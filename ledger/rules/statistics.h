#pragma once
// The register's statistics of a region (000 §4(2) 统计台账; 002 §5 按季汇总并公布各地; 003 §10): how many
// workshops stand at each stage and are certified at each level, how many rural craftsmen stand at each
// stage and are certified at each tier — counted from the subjects' statuses as the lifecycle replays
// them — and, beside them, the quarterly reports' figures (quarterly-report.h, aggregateQuarter). A pure
// function of what it is given, independent of its order, so that every node holding the same logs
// publishes the same figures. Leaves out: reading the logs (the node does) and money beyond the reports.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "ledger/rules/lifecycle.h"

namespace hreg::rules {

// SubjectFigures is what the register counts of one subject: its stage as of the period's end, the
// level it is certified at, and whether a procedure toward a higher level is pending.
struct SubjectFigures {
  SubjectKind kind = SubjectKind::WORKSHOP;
  Stage stage = Stage::NONE;
  std::optional<schema::Level> level;
  bool pendingUpward = false;
};

// RegisterFigures: the counts of a region's register. Maps are keyed by stageName / level / tier names.
struct RegisterFigures {
  std::uint32_t workshops = 0;                             // with anything recorded
  std::map<std::string, std::uint32_t> workshopsByStage;
  std::uint32_t certifiedWorkshops = 0;                    // certified or under rectification
  std::map<std::string, std::uint32_t> certifiedByLevel;   // "county", "prefecture", …; "unknown" without one
  std::uint32_t pendingUpward = 0;                         // certified, recommended to a higher level
  std::uint32_t craftsmen = 0;
  std::map<std::string, std::uint32_t> craftsmenByStage;
  std::uint32_t certifiedCraftsmen = 0;                    // craftsman, master or grand master
  std::map<std::string, std::uint32_t> craftsmenByTier;    // "craftsman", "master", "grand-master"
  friend bool operator==(const RegisterFigures&, const RegisterFigures&) = default;
};

// countRegister counts `subjects`; a subject with nothing recorded (stage none) is not counted.
[[nodiscard]] RegisterFigures countRegister(std::span<const SubjectFigures> subjects);

// isCertifiedWorkshop: a workshop stage at which it holds its certification (certified, rectification).
[[nodiscard]] bool isCertifiedWorkshop(Stage stage) noexcept;

// statisticsRegionDigits is how many digits of a county's code group a region's quarterly figures: the
// level below the region asked (provinces for all, prefectures for a province, counties below), and a
// county's own code at most, since counties report.
[[nodiscard]] std::size_t statisticsRegionDigits(std::string_view region) noexcept;

}  // namespace hreg::rules
