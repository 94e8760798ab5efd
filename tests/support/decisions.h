#pragma once
// Test and benchmark fixtures: signed decisions of officials, made with real keys.
#include <string>
#include <vector>

#include "ledger/crypto/ed25519.h"
#include "ledger/log/signing.h"
#include "protocol/canonical.h"
#include "protocol/core/clock.h"

namespace hreg::testing {

// grantDecision is a signed Grant of `official`'s key for `origin`, signed by `signers` in order.
inline Bytes grantDecision(const std::string& origin, Timestamp time, const crypto::PublicKey& official,
                           const std::string& person, const std::vector<const crypto::KeyPair*>& signers) {
  return log::signedDecision(origin, time, [&](schema::Body::Builder body) {
    auto grant = body.initGrant();
    grant.setPerson(person);
    grant.setDepartment("culture");
    grant.initRoles(1).set(0, "reviewer");
    grant.setKey(capnp::Data::Reader(official.data(), official.size()));
    grant.setValidFrom(time);
  }, signers);
}

}  // namespace hreg::testing
