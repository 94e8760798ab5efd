#pragma once
// Who may sit in an expert pool 专家库 (001 art. 6(2): "评审专家……均具备副高以上职称或5年以上相关工作经验"):
// every expert of a pool version holds a senior title (副高以上职称) or has at least policy's
// `expert.min-years` years of relevant work. Panels are drawn from the pools (ledger/rules/panel-draw.h),
// so an expert refused here can never be drawn. Leaves out: whether a title recorded is really 副高 or
// above (it is text, checked by the signing approver), the experts' fields, conflicts of interest.
#include <cstdint>
#include <string_view>

#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::rules {

// expertPoolAllowed: every expert of `pool` has a non-empty id, unique in the pool version
// (MALFORMED_ENTRY, naming the expert's position or the id listed twice), and holds a senior title
// (non-empty `seniorTitle`) or at least `minYears` years of relevant work (`yearsOfWork`; policy
// expert.min-years) — otherwise EXPERT_UNQUALIFIED, naming the expert, what it has and what is needed.
// `source` is where the policy's value comes from ("hreg.example/65 v1", "built-in"), named in the
// message when not empty.
[[nodiscard]] Result<void> expertPoolAllowed(schema::ExpertPool::Reader pool, std::int64_t minYears,
                                             std::string_view source = {});

}  // namespace hreg::rules
