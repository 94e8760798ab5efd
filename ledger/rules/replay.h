#pragma once
// Replay: rebuilding the authority and policy views from stored logs, as a node does when it starts
// (and after a failed commit). Every log comes after the log that chartered it, the root log first,
// and each log's entries in index order, so every check sees what it saw when the entry was appended.
#include <string>
#include <vector>

#include "ledger/rules/policy.h"
#include "ledger/store/store.h"

namespace hreg::rules {

struct ReplayReport {
  std::size_t logs = 0;
  std::size_t entries = 0;
  std::vector<std::string> unchartered;  // logs held that no replayed charter names: not replayed
  std::vector<std::pair<std::string, Refusal>> refused;  // "origin#index" and why: a store holds only
                                                         // admitted entries, so each is a finding
};

// replay feeds every log held in `snapshots` (a node's store, or several nodes' stores) through
// `admission`. Entries whose time was checked when they were appended are not checked against a
// clock again. Throws a Fault if a stored entry cannot be read (run whole-log verification).
[[nodiscard]] ReplayReport replay(const std::vector<const store::Snapshot*>& snapshots,
                                  RegistryAdmission& admission, const trust::AuthorityView& authority);

}  // namespace hreg::rules
