#pragma once
// Admission is what a log asks, in log order, before it appends a decision whose signatures verify:
// may these signers make this decision here and now? The trust code answers it (trust::AuthorityView)
// and remembers the effect of what it admits, so a grant admitted earlier in the same submission
// entitles its official to sign later in it.
#include <string_view>

#include "protocol/core/clock.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::log {

class Admission {
 public:
  virtual ~Admission() = default;
  // admit refuses with the reason, or accepts and records the decision's effect. `sequencedAt` is
  // the appending node's clock, against which the decision's own date is judged.
  [[nodiscard]] virtual Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision,
                                           Timestamp sequencedAt) = 0;
};

}  // namespace hreg::log
