#pragma once
// Officials' signatures on a decision: what `hreg sign` does, minus the keystore and the prompt.
#include "ledger/crypto/ed25519.h"
#include "protocol/canonical.h"

namespace hreg::log {

// addSignature returns the canonical bytes of `signedDecision` with one more signature, by `key`,
// over the decision's signing message. Existing signatures are kept in order.
[[nodiscard]] Bytes addSignature(schema::SignedDecision::Reader signedDecision, const crypto::KeyPair& key);

}  // namespace hreg::log
