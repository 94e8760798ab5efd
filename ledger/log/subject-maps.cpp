#include "ledger/log/subject-maps.h"

#include <fmt/format.h>

namespace hreg::log {

void recordEntry(map::SubjectMap& map, std::uint64_t index, schema::Entry::Reader entry, const merkle::Hash& leaf) {
  std::vector<map::Key> keys = map::keysOf(entry.getSigned().getDecision().getBody());
  map.record(keys, index, leaf);
}

map::SubjectMap subjectMapOf(const store::Snapshot& snapshot, std::string_view origin, std::uint64_t size) {
  map::SubjectMap map;
  snapshot.forEachEntry(origin, 0, size, [&](std::uint64_t index, ByteView bytes) {
    auto parsed = protocol::parseEntry(bytes);
    if (!parsed)
      throw Fault(Fault::Kind::FAILED, fmt::format("entry {} of {} in the store is not a canonical entry ({}); run "
                                                   "`hreg tlog verify-store`", index, origin, parsed.error().detail));
    recordEntry(map, index, parsed.value().reader(), merkle::leafHash(bytes));
    return true;
  });
  return map;
}

}  // namespace hreg::log
