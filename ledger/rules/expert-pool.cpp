#include "ledger/rules/expert-pool.h"

#include <map>
#include <string>

#include <fmt/format.h>

namespace hreg::rules {

Result<void> expertPoolAllowed(schema::ExpertPool::Reader pool, std::int64_t minYears, std::string_view source) {
  const std::string setting =
      source.empty() ? std::string("policy expert.min-years") : fmt::format("policy expert.min-years, {}", source);
  std::map<std::string, unsigned, std::less<>> positionOfExpert;  // id -> its first position (1-based)
  unsigned position = 0;
  for (auto expert : pool.getExperts()) {
    ++position;
    const std::string id = expert.getId().cStr();
    if (id.empty())
      return refuse(Reason::MALFORMED_ENTRY,
                    fmt::format("expert {} of the pool (version {}) has no id: give each expert its pool id, "
                                "e.g. 6542-E-0017",
                                position, pool.getVersion()));
    if (auto [at, inserted] = positionOfExpert.emplace(id, position); !inserted)
      return refuse(Reason::MALFORMED_ENTRY,
                    fmt::format("expert {} is listed twice in the pool (version {}), at {} and {}: each expert "
                                "is listed once",
                                id, pool.getVersion(), at->second, position));
    if (expert.getSeniorTitle().size() > 0) continue;
    const std::int64_t years = expert.getYearsOfWork();
    if (years >= minYears) continue;
    return refuse(Reason::EXPERT_UNQUALIFIED,
                  fmt::format("expert {} has no senior title and {} year{} of relevant work: 001 art. 6(2) needs a "
                              "senior title (副高以上) or {} years ({}); take the expert out of the pool or record "
                              "the title",
                              id, years, years == 1 ? "" : "s", minYears, setting));
  }
  return outcome::success();
}

}  // namespace hreg::rules
