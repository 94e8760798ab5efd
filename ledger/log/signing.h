#pragma once
// Officials' signatures on a decision: what `hreg sign` does, minus the keystore and the prompt.
#include <functional>
#include <string_view>
#include <vector>

#include "ledger/crypto/ed25519.h"
#include "protocol/canonical.h"
#include "protocol/core/clock.h"

namespace hreg::log {

// addSignature returns the canonical bytes of `signedDecision` with one more signature, by `key`,
// over the decision's signing message. Existing signatures are kept in order.
[[nodiscard]] Bytes addSignature(schema::SignedDecision::Reader signedDecision, const crypto::KeyPair& key);

// FillBody writes a decision's record into its body.
using FillBody = std::function<void(schema::Body::Builder)>;

// signedDecision drafts the decision for the log `origin` at `time`, its body written by `fill`,
// and has `signers` sign it in order; it returns the canonical SignedDecision bytes. With no signers it
// is the unsigned draft officials sign (`hreg draft`, the node's drafts).
[[nodiscard]] Bytes signedDecision(std::string_view origin, Timestamp time, const FillBody& fill,
                                   const std::vector<const crypto::KeyPair*>& signers);

}  // namespace hreg::log
