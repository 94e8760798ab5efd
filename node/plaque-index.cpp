#include "node/plaque-index.h"

#include <fmt/format.h>

#include <algorithm>

#include "protocol/canonical.h"
#include "protocol/core/result.h"

namespace hreg::node {

std::string plaqueOf(schema::Body::Reader body) {
  if (body.isCertification() && body.getCertification().hasPlaque()) return body.getCertification().getPlaque().cStr();
  if (body.isLegacyImport() && body.getLegacyImport().hasPlaque()) return body.getLegacyImport().getPlaque().cStr();
  return "";
}

void PlaqueIndex::update(const store::Snapshot& snapshot) {
  for (const std::string& origin : snapshot.origins()) {
    auto state = snapshot.log(origin);
    if (!state) continue;
    std::uint64_t& indexed = indexed_[origin];
    if (state->checkpointSize <= indexed) continue;
    snapshot.forEachEntry(origin, indexed, state->checkpointSize, [&](std::uint64_t index, ByteView bytes) {
      auto parsed = protocol::parseEntry(bytes);
      if (!parsed) fail(fmt::format("entry {} of {} in the store cannot be read ({}); run hreg tlog audit on the store",
                                    index, origin, parsed.error().detail));
      auto decision = parsed.value().reader().getSigned().getDecision();
      auto body = decision.getBody();
      if (std::string plaque = plaqueOf(body); !plaque.empty()) {
        auto subjects = rules::subjectsOf(body);
        if (!subjects.empty()) add(plaque, {subjects.front(), {origin, index}, decision.getHeader().getTime()});
      }
      return true;
    });
    indexed = state->checkpointSize;
  }
}

void PlaqueIndex::add(const std::string& plaque, PlaqueNaming naming) { byPlaque_[plaque].push_back(std::move(naming)); }

std::optional<PlaqueResolution> PlaqueIndex::resolve(std::string_view plaque) const {
  auto found = byPlaque_.find(plaque);
  if (found == byPlaque_.end() || found->second.empty()) return std::nullopt;
  std::vector<PlaqueNaming> namings = found->second;
  // Newest first by decision time; a tie by log and index, so every node that holds the same records
  // resolves the number alike.
  std::sort(namings.begin(), namings.end(), [](const PlaqueNaming& a, const PlaqueNaming& b) {
    if (a.decidedAt != b.decidedAt) return a.decidedAt > b.decidedAt;
    if (a.at.origin != b.at.origin) return a.at.origin > b.at.origin;
    return a.at.index > b.at.index;
  });
  PlaqueResolution out;
  out.plaque = std::string(plaque);
  out.newest = std::move(namings.front());
  out.earlier.assign(std::make_move_iterator(namings.begin() + 1), std::make_move_iterator(namings.end()));
  return out;
}

}  // namespace hreg::node
