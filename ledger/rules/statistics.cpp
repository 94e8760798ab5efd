#include "ledger/rules/statistics.h"

#include <algorithm>

#include "ledger/trust/authority.h"

namespace hreg::rules {

bool isCertifiedWorkshop(Stage stage) noexcept { return stage == Stage::CERTIFIED || stage == Stage::RECTIFICATION; }

namespace {

bool isCertifiedCraftsman(Stage stage) {
  return stage == Stage::CRAFTSMAN || stage == Stage::MASTER || stage == Stage::GRAND_MASTER;
}

void countWorkshop(RegisterFigures& f, const SubjectFigures& s) {
  ++f.workshops;
  ++f.workshopsByStage[std::string(stageName(s.stage))];
  if (!isCertifiedWorkshop(s.stage)) return;
  ++f.certifiedWorkshops;
  ++f.certifiedByLevel[s.level ? trust::levelName(*s.level) : "unknown"];
  if (s.pendingUpward) ++f.pendingUpward;
}

void countCraftsman(RegisterFigures& f, const SubjectFigures& s) {
  ++f.craftsmen;
  ++f.craftsmenByStage[std::string(stageName(s.stage))];
  if (!isCertifiedCraftsman(s.stage)) return;
  ++f.certifiedCraftsmen;
  ++f.craftsmenByTier[std::string(stageName(s.stage))];  // the tier is the stage: craftsman, master, grand-master
}

}  // namespace

RegisterFigures countRegister(std::span<const SubjectFigures> subjects) {
  RegisterFigures f;
  for (const SubjectFigures& s : subjects) {
    if (s.stage == Stage::NONE) continue;
    if (s.kind == SubjectKind::CRAFTSMAN) countCraftsman(f, s);
    else countWorkshop(f, s);
  }
  return f;
}

std::size_t statisticsRegionDigits(std::string_view region) noexcept {
  return std::min<std::size_t>(region.size() + 2, 6);
}

}  // namespace hreg::rules
