#pragma once
// Policy as data (docs/rules.md, "Policy"): each level publishes policy entries in its own log; a
// node's policy at a time is the built-in settings, overridden by the root's policy in force then,
// then its province's, and so on down to its own. A level may refine any setting; where a level
// above marked one mandatory, only in the stricter direction (settings.h). Every decision is judged
// under the policy in force at its node on its date, and that policy's version names each level's
// policy version that went into it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/log/admission.h"
#include "ledger/rules/calendar.h"
#include "ledger/rules/settings.h"
#include "ledger/trust/authority.h"

namespace hreg::rules {

// ResolvedSetting is a setting's value at a node, and where it comes from.
struct ResolvedSetting {
  SettingValue value;
  bool mandatory = false;
  std::string source;  // "built-in", or the origin and version of the policy that set it: "hreg.example/65 v2"
  std::string origin;  // the log of the policy that set it; empty for built-in
};

// EffectivePolicy is the policy in force at one node and time.
class EffectivePolicy {
 public:
  [[nodiscard]] const ResolvedSetting& setting(std::string_view key) const;
  [[nodiscard]] std::int64_t integer(std::string_view key) const;
  [[nodiscard]] const std::vector<std::string>& texts(std::string_view key) const;
  [[nodiscard]] trust::SigningRule signingRule(schema::Body::Which kind) const;
  // version names the policy version of every level that contributed, root first, e.g.
  // "hreg.example/root v1, hreg.example/65 v2"; "built-in" when no level has published one.
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  // calendar builds the working-day calendar from the calendar settings.
  [[nodiscard]] Result<Calendar> calendar() const;

 private:
  friend class PolicyView;
  std::map<std::string, ResolvedSetting, std::less<>> settings_;
  // The signing rules in force: the built-in table with the signing.* settings over it, made once
  // per policy (every admitted decision asks it).
  trust::SigningRules signing_;
  std::string version_ = "built-in";
};

// PolicyView holds the policy entries of a chain of logs and resolves the policy of any node at any
// time. Chains are found through the authority view (who chartered whom).
class PolicyView final : public trust::RuleSource {
 public:
  explicit PolicyView(const trust::AuthorityView& authority) : authority_(authority) {}

  // check refuses a policy entry of the log `origin` that names an unknown setting or a wrong type
  // (UNKNOWN_SETTING), is not the node's next version or goes back in time (POLICY_VERSION), sets the
  // national calendar below the root (WRONG_LEVEL), or relaxes a setting a level above made
  // mandatory, as in force at the policy's effective time (POLICY_RELAXED). Other kinds pass.
  [[nodiscard]] Result<void> check(std::string_view origin, schema::SignedDecision::Reader decision) const;
  // record keeps an accepted policy entry. Requires: check() accepted it.
  void record(std::string_view origin, schema::SignedDecision::Reader decision);

  // at is the policy in force at the node of `origin` at `time`.
  [[nodiscard]] EffectivePolicy at(std::string_view origin, Timestamp time) const;
  // cachedAt is at() without the copy, remembered per node until the chain or a version in force
  // along it changes: every decision asks for its signing rule, and resolving copies every setting.
  // The reference holds until the next cachedAt or record: read what is needed, then let it go.
  [[nodiscard]] const EffectivePolicy& cachedAt(std::string_view origin, Timestamp time) const;
  [[nodiscard]] trust::SigningRule ruleFor(std::string_view origin, schema::Body::Which kind,
                                           std::int64_t time) const override;

 private:
  struct Published {
    std::uint32_t version;
    Timestamp effective;
    std::map<std::string, std::pair<SettingValue, bool>, std::less<>> settings;  // value, mandatory
  };
  std::vector<std::string> chainOf(std::string_view origin, Timestamp time) const;
  EffectivePolicy resolve(const std::vector<std::string>& chain, Timestamp time) const;

  const trust::AuthorityView& authority_;
  std::map<std::string, std::vector<Published>, std::less<>> published_;
  struct Cached {
    std::vector<std::pair<std::string, std::uint32_t>> inForce;  // the chain, with the version in force at each
    EffectivePolicy policy;
  };
  mutable std::map<std::string, Cached, std::less<>> cache_;
};

// RegistryAdmission is what an office's log asks before appending: the authority view (may these
// signers make it?) and the policy view (is a policy entry a lawful refinement?), both recording
// what they accept. The authority view takes its signing rules from the policy view.
class RegistryAdmission final : public log::Admission {
 public:
  RegistryAdmission(trust::AuthorityView& authority, PolicyView& policy) : authority_(authority), policy_(policy) {
    authority_.useRules(&policy_);
  }
  // admit also refuses a decision dated after the node's clock allows, or older than policy lets a
  // decision travel to its log (DECISION_TIME): together they bound back-dating by any key; and an
  // expert pool listing an unqualified expert (EXPERT_UNQUALIFIED, expert-pool.h).
  [[nodiscard]] Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision,
                                   Timestamp sequencedAt) override;
  // admit with the decision's own date as the node's clock: for replaying entries whose time was
  // checked when they were appended.
  [[nodiscard]] Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision);

 private:
  trust::AuthorityView& authority_;
  PolicyView& policy_;
};

}  // namespace hreg::rules
