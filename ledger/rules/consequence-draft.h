#pragma once
// Drafts of the records that time alone makes due (docs/rules.md, "Automatic consequences"). When
// status() derives a consequence with a record to sign — a proposed revocation made final because the
// appeal window closed unused, a certification cancelled after the missed confirmation years — the
// responsible office's node drafts that record for its officials, so that the log comes to say what
// the status already derived. A draft is an unsigned SignedDecision in canonical bytes, exactly what
// `hreg draft` writes into a decision file. Leaves out what only the officials know: whether the
// plaque was recovered and where the record was published stay false and empty.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ledger/merkle/hash.h"
#include "ledger/rules/lifecycle.h"
#include "protocol/core/bytes.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::rules {

// HeldDecision is one decision about a subject with where it is held, so a draft can name it by an
// EntryRef (its log, index and leaf hash).
struct HeldDecision {
  schema::Decision::Reader decision;
  std::string origin;
  std::uint64_t index = 0;
  merkle::Hash leafHash{};
};

// ConsequenceDraft is the record a derived consequence asks for, drafted.
struct ConsequenceDraft {
  std::string origin;          // the responsible log: the one holding the decision the record acts on
  schema::Body::Which kind;    // the record: revocation or cancellation
  Bytes signedDecision;        // canonical SignedDecision bytes, no signatures yet
};

// draftConsequence drafts the record `derived` asks for about `subject`, dated `time`. `decisions`
// are the subject's decisions in the order status() judged them (time order), the ones that derived
// it. The record acts on the latest decision that started what time ended, and the office whose log
// holds that decision records it (its origin is the draft's):
//   revocation-final: a Revocation of the latest RevocationProposal, with its ground and no appeal
//     decision (none came in time);
//   cancellation: a Cancellation of the latest Certification or LegacyImport, naming the missed years
//     (those after the later of its year and the last year confirmed, up to the year before
//     `derived.at`) and the confirmation of the last year confirmed, if any.
// The record's time should be the drafting time: the lifecycle dates its effect at `derived.at`
// whenever it is recorded (takesEffectAt), and the admission refuses decisions older than
// decision.max-age-days. Requires: derived.record. Refuses PREREQUISITE_MISSING when `decisions`
// hold no decision the record can act on, MALFORMED_ENTRY for a kind this function cannot draft.
[[nodiscard]] Result<ConsequenceDraft> draftConsequence(std::string_view subject, const Derived& derived,
                                                        std::span<const HeldDecision> decisions, Timestamp time);

}  // namespace hreg::rules
