#include "ledger/trust/signing-rules.h"

#include "protocol/core/result.h"

namespace hreg::trust {

SigningRules SigningRules::defaults() {
  using W = schema::Body::Which;
  using L = schema::Level;
  SigningRules r;
  r.set(W::TRUST_ROOT, {Signers::ROOT, {}, {}, {}});
  r.set(W::CHARTER, {Signers::AUTHORITY, {}, {}, {}});
  r.set(W::CHARTER_REVOCATION, {Signers::AUTHORITY, {}, {}, {}});
  r.set(W::GRANT, {Signers::AUTHORITY, {}, {}, {}});
  r.set(W::GRANT_REVOCATION, {Signers::AUTHORITY, {}, {}, {}});
  // Policy is published by a level's leaders (its authority keys), in its own log.
  r.set(W::POLICY, {Signers::AUTHORITY, {}, {}, {}});
  // 乡镇初审: the township's culture and tourism reviewer (000 §2(5)).
  r.set(W::PRELIMINARY_REVIEW, {Signers::OFFICIALS, {L::TOWNSHIP}, {"culture"}, "reviewer"});
  // 联合评审: each department's finding is signed by a reviewer of that department (000 §2(5)).
  r.set(W::JOINT_REVIEW_FINDING, {Signers::OFFICIALS, {L::COUNTY}, {RECORD_DEPARTMENT}, "reviewer"});
  return r;
}

const SigningRule& SigningRules::ruleFor(schema::Body::Which kind) const {
  auto it = rules_.find(kind);
  if (it == rules_.end()) fail("no signing rule for a record kind; add it to SigningRules::defaults()");
  return it->second;
}

}  // namespace hreg::trust
