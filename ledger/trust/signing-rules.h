#pragma once
// Signing rules: for each kind of decision, who must sign it. Trust records need the threshold of
// the issuing node's authority keys (or the root's); registry records need officials of named
// departments and roles at a given level. Until policy entries carry these (the rules issue), a
// built-in default table applies; code asks the table, it never spells a department.
#include <cstdint>
#include <map>
#include <string_view>
#include <string>
#include <vector>

#include "protocol/schema/entry.capnp.h"

namespace hreg::trust {

enum class Signers {
  ROOT,        // the trust root's keys, at its threshold (root log only)
  AUTHORITY,   // the node's authority keys, at the charter's threshold
  OFFICIALS,   // officials granted at the node
};

struct SigningRule {
  Signers signers = Signers::OFFICIALS;
  std::vector<schema::Level> levels;          // the node levels that make this kind (empty: any)
  // For OFFICIALS: every listed department must have at least one signer with `role`. The
  // department "*record*" stands for the department the record itself names.
  std::vector<std::string> departments;
  std::string role;
  friend bool operator==(const SigningRule&, const SigningRule&) = default;
};

class SigningRules {
 public:
  // defaults is the built-in table (docs/trust.md, "Signing rules").
  static SigningRules defaults();
  // ruleFor is the rule of a body kind; every kind has one.
  [[nodiscard]] const SigningRule& ruleFor(schema::Body::Which kind) const;
  void set(schema::Body::Which kind, SigningRule rule) { rules_[kind] = std::move(rule); }

 private:
  std::map<schema::Body::Which, SigningRule> rules_;
};

// RuleSource gives the signing rule in force for a kind of decision at a node and time: the rules
// code implements it from policy entries (rules::PolicyView); without one, the default table holds.
class RuleSource {
 public:
  virtual ~RuleSource() = default;
  [[nodiscard]] virtual SigningRule ruleFor(std::string_view origin, schema::Body::Which kind,
                                            std::int64_t time) const = 0;
};

// RECORD_DEPARTMENT in a rule's departments means "the department the record names".
inline constexpr const char* RECORD_DEPARTMENT = "*record*";

}  // namespace hreg::trust
