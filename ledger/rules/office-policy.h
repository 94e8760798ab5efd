#pragma once
// OfficePolicy: the part of the policy in force at an office that its officials need offline, while a
// decision file passes from desk to desk with no network: who must sign each kind of record, the
// periods counted in working days, and the working-day calendar to count them on. A node gives it
// with its list of officials (GET /v1/officials, "policy"); `hreg show` and `hreg sign` read it from
// the saved answer (docs/formats.md, "Office policy"). It is the node's word, not a proof: the node
// judges the decision again under the policy in force when it is submitted.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "ledger/rules/calendar.h"
#include "ledger/rules/policy.h"
#include "ledger/trust/signing-rules.h"

namespace hreg::rules {

// OFFICE_PERIODS are the settings of the periods a decision opens, in working days.
inline constexpr const char* OFFICE_PERIODS[] = {"notice.working-days", "objection.verification-working-days",
                                                 "appeal.working-days", "appeal.review-working-days",
                                                 "quarterly-report.working-days"};

struct OfficePolicy {
  std::string version;  // EffectivePolicy::version(), e.g. "hreg.example/root v1"
  std::map<schema::Body::Which, trust::SigningRule> signing;
  std::map<std::string, std::int64_t> periods;  // OFFICE_PERIODS
  Calendar calendar;
};

// officePolicyJson is `policy`'s OfficePolicy as JSON:
//   {"version": ..., "signing": {"joint-review-result": {"signers": "officials", "levels": ["county"],
//    "departments": [...], "role": "reviewer"}, ...}, "periods": {"notice.working-days": 5, ...},
//    "calendar": [{"scope": "national", "region": "", "year": 2026, "holidays": [{"name": ..., "days":
//    ["2026-01-01", ...]}], "workdays": [...]}, ...]}
[[nodiscard]] nlohmann::json officePolicyJson(const EffectivePolicy& policy);

// officePolicyFromJson reads it back. Refuses MALFORMED_FILE naming the field.
[[nodiscard]] Result<OfficePolicy> officePolicyFromJson(const nlohmann::json& j);

}  // namespace hreg::rules
