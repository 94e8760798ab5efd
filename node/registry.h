#pragma once
// What a node knows of the register in a region: every workshop and craftsman whose home code lies
// in the region, with the status its decisions in this node's store give as of a time, its latest
// registration facts, and the policy it was judged under. The node's own store is the source, so
// nothing here is a proof: supervisors' lists (`hreg overdue`) and statistics (`hreg report`) come
// from it; a status to rely on comes with a proof bundle (subject-index.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/rules/lifecycle.h"
#include "ledger/rules/policy.h"
#include "ledger/store/store.h"
#include "node/subject-index.h"
#include "protocol/canonical.h"

namespace hreg::node {

struct SubjectState {
  std::string subject;
  std::string home;                 // the log of the node the subject's code names
  rules::Status status;
  std::optional<Refusal> refused;   // the lifecycle refused the recorded sequence: a finding in itself
  std::string policyVersion;
  // From the newest application, legacy import or confirmation:
  std::string name;
  std::optional<schema::Level> level;  // the level certified or applied for
  std::uint32_t employees = 0;
  std::uint32_t povertyAlleviated = 0;
};

// HeldEntries is a subject's entries in a store, parsed, and where each stands (its log, index and
// leaf hash: what an EntryRef to it holds); the parses own what their readers see.
struct HeldEntries {
  std::vector<protocol::Parsed<schema::Entry>> entries;
  std::vector<rules::DecisionAt> at;  // at[i]: where entries[i] stands
};
// heldEntries reads the entries `index` lists for `subject` from `snapshot`, skipping any the store
// lacks or that do not parse.
[[nodiscard]] HeldEntries heldEntries(const store::Snapshot& snapshot, const SubjectIndex& index,
                                      std::string_view subject);

// Judged is a subject's decisions with where each stands, in the order the lifecycle replays them.
struct Judged {
  std::vector<schema::Decision::Reader> decisions;
  std::vector<rules::DecisionAt> at;  // at[i]: where decisions[i] stands

  void add(schema::Decision::Reader d, rules::DecisionAt where);
  // byTime orders them by header time, keeping the order they were added among equal times.
  void byTime();
};
// judgedAsOf is `held`'s decisions made by `asOf` (header time), by time, log order kept among equal
// times: what registryStates judges. The readers point into `held`.
[[nodiscard]] Judged judgedAsOf(const HeldEntries& held, Timestamp asOf);

// registryStates judges every subject of `region` (a division code prefix; "" for all) held in
// `snapshot`, as of `asOf`, under the policy in force at its home log.
[[nodiscard]] std::vector<SubjectState> registryStates(const store::Snapshot& snapshot, const SubjectIndex& index,
                                                       const rules::PolicyView& policy, std::string_view region,
                                                       Timestamp asOf);

// lifecycleAdmits asks the lifecycle whether `decision` may follow what the store holds about each
// subject it names: it refuses with the lifecycle's reason (WRONG_STAGE, WINDOW_CLOSED,
// REAPPLICATION_BANNED, ...) when the held decisions pass and the held ones with `decision` do not,
// each EntryRef checked against where the held decisions stand (PREREQUISITE_MISSING for a reference
// naming another record than it should, saying which it must name). A
// held history the lifecycle already refuses is a finding for supervisors (`registryStates`), not a
// reason to stop the office's work: it does not block.
[[nodiscard]] Result<void> lifecycleAdmits(const store::Snapshot& snapshot, const SubjectIndex& index,
                                           const rules::PolicyView& policy, schema::Decision::Reader decision,
                                           Timestamp asOf);

// Quarter is "2026Q3": its year and number, the instant it ends, and when its report is due.
struct Quarter {
  int year = 0;
  int number = 0;
};
// parseQuarter reads "YYYYQn" (n 1–4). Refuses MALFORMED_FILE naming the expected form.
[[nodiscard]] Result<Quarter> parseQuarter(std::string_view text);

}  // namespace hreg::node
