#pragma once
// The checks every decision passes before it enters a log, that need nothing but the decision:
// it is well formed, meant for this log, every signature verifies over its signing message, and no
// signature is by the node's own checkpoint key (which signs checkpoints and cosignatures only).
// Who may sign what (authority, policy) is checked on top of this by the trust and rules code.
#include <memory>
#include <string_view>

#include "ledger/crypto/ed25519.h"
#include "ledger/merkle/hash.h"
#include "protocol/canonical.h"
#include "protocol/core/clock.h"

namespace hreg::log {

// decisionHash identifies a decision independently of its signatures: SHA-256 of its signing
// message. A log holds each decision at most once.
[[nodiscard]] merkle::Hash decisionHash(const protocol::SigningMessage& message);

// verifySignatures checks every signature on a signed decision. Refuses UNSIGNED_ENTRY when there
// is none, BAD_SIGNATURE naming the first key whose signature fails.
[[nodiscard]] Result<void> verifySignatures(schema::SignedDecision::Reader signedDecision,
                                            const protocol::SigningMessage& message);

struct CheckedDecision {
  merkle::Hash decisionHash;
};

// checkDecision parses and checks a submitted signed decision for the log `origin` whose checkpoint
// key is `checkpointKey`. Refuses MALFORMED_ENTRY, LIMIT_EXCEEDED, UNSIGNED_ENTRY, WRONG_ORIGIN,
// CHECKPOINT_KEY_SIGNED, BAD_SIGNATURE.
[[nodiscard]] Result<CheckedDecision> checkDecision(schema::SignedDecision::Reader signedDecision,
                                                    std::string_view origin,
                                                    const crypto::PublicKey& checkpointKey);
// checkDecision of a parsed submission: the same checks, with the signing message cut from its
// canonical bytes (protocol::signingMessageOf) instead of re-encoded.
[[nodiscard]] Result<CheckedDecision> checkDecision(const protocol::Parsed<schema::SignedDecision>& parsed,
                                                    std::string_view origin,
                                                    const crypto::PublicKey& checkpointKey);

struct CheckedEntry {
  merkle::Hash leafHash;
  merkle::Hash decisionHash;
  std::size_t signatures = 0;
  Timestamp sequencedAt = 0;
  std::shared_ptr<const protocol::Parsed<schema::Entry>> parsed;  // kept for later checks (admission)
};

// checkEntry checks one entry of a log as it stands in a store or arrives from a peer: canonical
// bytes, its index, its origin, every signature, none by the log's checkpoint key (when given).
// Refuses MALFORMED_ENTRY, WRONG_INDEX, WRONG_ORIGIN, UNSIGNED_ENTRY, BAD_SIGNATURE,
// CHECKPOINT_KEY_SIGNED, each detail naming the index.
[[nodiscard]] Result<CheckedEntry> checkEntry(ByteView entryBytes, std::uint64_t index, std::string_view origin,
                                              const crypto::PublicKey* checkpointKey = nullptr);

}  // namespace hreg::log
