#pragma once
// The records this node's officials must sign because time alone decided something (docs/rules.md,
// "Automatic consequences"): for every subject of a region whose status derives a revocation made
// final or a cancellation that nobody has recorded yet, and whose responsible log is this node's own,
// the record drafted (rules::draftConsequence), dated now, with who must sign it under the policy in
// force here. GET /v1/drafts serves them and `hreg drafts` writes them as decision files. The node's
// own store is the source, as for `hreg overdue`: the node judges the signed record again when it is
// submitted.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ledger/rules/consequence-draft.h"
#include "ledger/store/store.h"
#include "ledger/trust/authority.h"
#include "ledger/trust/signing-rules.h"
#include "node/registry.h"
#include "node/subject-index.h"

namespace hreg::node {

// DraftedConsequence is one consequence of time, derived and not recorded, drafted for this node.
struct DraftedConsequence {
  std::string subject;
  std::string name;                   // the subject's name, as the register knows it
  rules::Derived derived;             // what time decided, and when
  std::optional<rules::ConsequenceDraft> draft;  // none: it could not be drafted (`refused` says why)
  std::optional<Refusal> refused;
};

// draftConsequences drafts, dated `now`, the record of every derived consequence of `states` (the
// register of a region as of `now`, registryStates) whose responsible log is `ownOrigin`; consequences
// another office records are left out. The subjects' decisions are read back from `snapshot` at the
// positions `index` gives, in the order the status judged them (time order, up to `now`). A
// consequence that cannot be drafted (rules::draftConsequence refused) is kept with its refusal.
[[nodiscard]] std::vector<DraftedConsequence> draftConsequences(const store::Snapshot& snapshot,
                                                                const SubjectIndex& index,
                                                                std::span<const SubjectState> states,
                                                                std::string_view ownOrigin, Timestamp now);

// mustSign are the grants of `officials` that can give `rule` a signature at `time`: a department the
// rule names, with its role, in force then and not revoked. Empty for rules signed by authority or
// root keys.
[[nodiscard]] std::vector<trust::OfficialGrant> mustSign(const trust::SigningRule& rule,
                                                         std::span<const trust::OfficialGrant> officials,
                                                         Timestamp time);

}  // namespace hreg::node
