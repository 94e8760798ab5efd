#pragma once
// The settings a policy may hold (docs/rules.md, "Policy"): every key hreg knows, its type, which way
// is stricter, and the built-in value that applies until a policy sets it. Code reads settings by
// key from a resolved policy (policy.h) and never spells their values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/trust/signing-rules.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::rules {

enum class SettingType { INTEGER, TEXTS, SIGNING_RULE, CALENDAR };

// Stricter says which change of a setting tightens the rules, so a lower level may make it only
// where a higher level marked the setting mandatory.
enum class Stricter {
  HIGHER,    // a larger number is stricter (a minimum condition, a period that protects the public)
  LOWER,     // a smaller number is stricter (a deadline on officials, an evaluation cycle)
  SUPERSET,  // more entries are stricter (departments; a signing rule's departments)
  NONE,      // no order: a lower level may not change a mandatory setting at all
};

// CalendarYearSetting is one year of a calendar layer carried in policy.
struct CalendarYearSetting {
  int year = 0;
  std::vector<std::string> holidays;  // "YYYY-MM-DD"
  std::vector<std::string> workdays;  // national layers only
  friend bool operator==(const CalendarYearSetting&, const CalendarYearSetting&) = default;
};

using SettingValue = std::variant<std::int64_t, std::vector<std::string>, trust::SigningRule,
                                  std::vector<CalendarYearSetting>>;

struct SettingSpec {
  std::string key;
  SettingType type;
  Stricter stricter;
  SettingValue builtin;     // applies until a policy sets the key
  std::string meaning;      // for docs and messages
};

// settingSpec is the spec of a key: the fixed settings, and "signing.<kind>" for every Body kind
// (e.g. "signing.jointReviewFinding"). nullopt for a key hreg does not know.
[[nodiscard]] std::optional<SettingSpec> settingSpec(std::string_view key);

// settingSpecs lists the fixed settings (without the signing rules), for docs and tests.
[[nodiscard]] const std::vector<SettingSpec>& settingSpecs();

// signingKey is the key of the signing rule of a Body kind, e.g. "signing.jointReviewFinding".
[[nodiscard]] std::string signingKey(schema::Body::Which kind);

// atLeastAsStrict: may `refined` replace `base` for a setting that is stricter as `stricter` says?
[[nodiscard]] bool atLeastAsStrict(const SettingValue& refined, const SettingValue& base, Stricter stricter);

// describe writes a value for messages: "5", "[culture, hrss]", "officials of [culture] as reviewer".
[[nodiscard]] std::string describe(const SettingValue& value);

}  // namespace hreg::rules
