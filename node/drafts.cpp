#include "node/drafts.h"

#include <algorithm>

#include "node/core.h"
#include "node/registry.h"
#include "protocol/canonical.h"

namespace hreg::node {
namespace {

// Held is a subject's decisions up to the `now` they were read for, each with where it stands, in
// the order registryStates judged them: by time, log order kept among equal times.
struct Held {
  HeldEntries read;                            // owns what the readers see
  std::vector<rules::HeldDecision> decisions;
};

Held heldDecisions(const store::Snapshot& snapshot, const SubjectIndex& index, std::string_view subject, Timestamp now) {
  Held held{heldEntries(snapshot, index, subject), {}};
  const Judged judged = judgedAsOf(held.read, now);
  for (std::size_t i = 0; i < judged.decisions.size(); ++i)
    held.decisions.push_back({judged.decisions[i], judged.at[i].origin, judged.at[i].index, judged.at[i].leafHash});
  return held;
}

bool hasRecordToSign(const SubjectState& s) {
  return std::any_of(s.status.derived.begin(), s.status.derived.end(),
                     [](const rules::Derived& d) { return d.record.has_value(); });
}

}  // namespace

std::vector<DraftedConsequence> draftConsequences(const store::Snapshot& snapshot, const SubjectIndex& index,
                                                  std::span<const SubjectState> states, std::string_view ownOrigin,
                                                  Timestamp now) {
  std::vector<DraftedConsequence> out;
  for (const SubjectState& s : states) {
    if (s.refused || !hasRecordToSign(s)) continue;
    Held held = heldDecisions(snapshot, index, s.subject, now);
    for (const rules::Derived& d : s.status.derived) {
      if (!d.record) continue;
      auto draft = rules::draftConsequence(s.subject, d, held.decisions, now);
      if (!draft) {
        out.push_back({s.subject, s.name, d, std::nullopt, draft.error()});
        continue;
      }
      if (draft.value().origin != ownOrigin) continue;  // another office's to record
      out.push_back({s.subject, s.name, d, std::move(draft).value(), std::nullopt});
    }
  }
  return out;
}

std::vector<trust::OfficialGrant> mustSign(const trust::SigningRule& rule, std::span<const trust::OfficialGrant> officials,
                                           Timestamp time) {
  std::vector<trust::OfficialGrant> out;
  if (rule.signers != trust::Signers::OFFICIALS) return out;
  for (const trust::OfficialGrant& g : officials) {
    const bool named = std::find(rule.departments.begin(), rule.departments.end(), g.department) != rule.departments.end();
    const bool hasRole = std::find(g.roles.begin(), g.roles.end(), rule.role) != g.roles.end();
    const bool inForce = g.validFrom <= time && (g.validUntil == 0 || time < g.validUntil) &&
                         (!g.revokedAt || time < *g.revokedAt);
    if (named && hasRole && inForce) out.push_back(g);
  }
  return out;
}

// Core::consequenceDrafts lives here, beside what it calls, rather than in core.cpp: the register of
// the region as registry() judges it, then the drafts of this node's log.
std::vector<DraftedConsequence> Core::consequenceDrafts(std::string_view region, Timestamp now) {
  std::vector<SubjectState> states = registry(region, now);  // brings subjects_ up to the store
  return draftConsequences(store_.snapshot(), subjects_, states, origin(), now);
}

}  // namespace hreg::node
