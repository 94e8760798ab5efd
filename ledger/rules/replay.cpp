#include "ledger/rules/replay.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "protocol/canonical.h"

namespace hreg::rules {

ReplayReport replay(const std::vector<const store::Snapshot*>& snapshots, RegistryAdmission& admission,
                    const trust::AuthorityView& authority) {
  std::map<std::string, const store::Snapshot*> holders;  // origin -> a snapshot holding it
  for (const store::Snapshot* s : snapshots)
    for (const std::string& origin : s->origins()) holders.emplace(origin, s);
  ReplayReport report;
  std::set<std::string> done;
  auto replayLog = [&](const std::string& origin) {
    const store::Snapshot& snapshot = *holders.at(origin);
    auto state = snapshot.log(origin);
    snapshot.forEachEntry(origin, 0, state->size, [&](std::uint64_t index, ByteView bytes) {
      auto parsed = protocol::parseEntry(bytes);
      if (!parsed) fail(fmt::format("entry {} of {} is unreadable: {}", index, origin, parsed.error().detail));
      if (auto ok = admission.admit(origin, parsed.value().reader().getSigned()); !ok)
        report.refused.emplace_back(fmt::format("{}#{}", origin, index), ok.error());
      ++report.entries;
      return true;
    });
    done.insert(origin);
    ++report.logs;
  };
  // The root log first (any root version's origin), then every log whose charterer is done.
  for (const auto& [origin, snapshot] : holders)
    if (origin == authority.rootAt(0).origin || origin == authority.rootAt(INT64_MAX).origin) replayLog(origin);
  for (bool progress = true; progress;) {
    progress = false;
    for (const auto& [origin, snapshot] : holders) {
      if (done.count(origin)) continue;
      auto by = authority.charteredBy(origin);
      if (by && (done.count(*by) || !holders.count(*by))) {
        replayLog(origin);
        progress = true;
      }
    }
  }
  for (const auto& [origin, snapshot] : holders)
    if (!done.count(origin)) report.unchartered.push_back(origin);
  return report;
}

}  // namespace hreg::rules
