#pragma once
// A log's subject map as the log's code keeps it: recorded entry by entry as entries are appended
// or replicated, recomputed from a store by auditors and at start (ledger/map/subject-map.h).
#include <string_view>

#include "ledger/map/subject-map.h"
#include "ledger/store/store.h"
#include "protocol/canonical.h"

namespace hreg::log {

// recordEntry records entry `index` of a log, whose leaf hash is `leaf`, under the keys of its decision.
void recordEntry(map::SubjectMap& map, std::uint64_t index, schema::Entry::Reader entry, const merkle::Hash& leaf);

// subjectMapOf recomputes the subject map of entries [0, size) of the log `origin`. Throws Fault
// when a stored entry is not a canonical entry (the store is damaged: run `hreg tlog verify-store`).
[[nodiscard]] map::SubjectMap subjectMapOf(const store::Snapshot& snapshot, std::string_view origin,
                                           std::uint64_t size);

}  // namespace hreg::log
