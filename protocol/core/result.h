#pragma once
// Refusals are values, faults are exceptions (docs/architecture.md, "Errors").
// A Refusal is an answer the registry exists to give: a bad signature, a proof that does not match,
// a malformed note. A Fault is logistical (a bug, a full disk, a lost peer) and is thrown.
// This is the only header that names Boost.Outcome.
#include <boost/outcome.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace hreg {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

// Reason is every refusal hreg gives. Each value has a stable kebab-case name (reasonName) used on the
// wire, in --json output, in logs and in tests; never renumber or rename one.
enum class Reason {
  MALFORMED_ENTRY,         // entry bytes are not a canonical Cap'n Proto SignedEntry
  MALFORMED_NOTE,          // a signed note's text or signature lines break the C2SP grammar
  MALFORMED_CHECKPOINT,    // a checkpoint body breaks C2SP tlog-checkpoint
  MALFORMED_COSIGNATURE,   // a cosignature line breaks C2SP tlog-cosignature
  MALFORMED_KEY,           // a verifier or signer key string cannot be parsed
  MALFORMED_PROOF,         // a proof has the wrong shape (hash length, count)
  MALFORMED_HEX,           // input that should be hex is not
  BAD_SIGNATURE,           // a signature does not verify under the named key
  UNKNOWN_KEY,             // no trusted key carries that name and key hash
  NO_TRUSTED_SIGNATURE,    // a note carries no signature by any key the caller trusts
  WRONG_ORIGIN,            // an entry or checkpoint belongs to another log
  WRONG_INDEX,             // an entry's header names another position than where it stands
  INDEX_OUT_OF_RANGE,      // a leaf index or tree size beyond what exists
  ROOT_MISMATCH,           // a recomputed root differs from the one claimed
  PROOF_WRONG_LENGTH,      // a proof has too many or too few hashes for (index, size)
  INCONSISTENT_CHECKPOINT, // two checkpoints of one log that cannot both be true
  DUPLICATE_DECISION,      // the same signed decision is already in the log
  UNSIGNED_ENTRY,          // an entry with no signature at all
  CHECKPOINT_KEY_SIGNED,   // a node's online checkpoint key signed a decision
  STORE_CORRUPT,           // stored bytes do not hash to what the tree says
  LIMIT_EXCEEDED,          // input larger than a documented limit
  SIGNER_UNKNOWN,          // a signer's key is not an official (or authority) of the node at that time
  SIGNER_REVOKED,          // a signer's grant was revoked before the decision's time
  SIGNER_EXPIRED,          // a signer's grant was not yet valid, or no longer valid, at the decision's time
  WRONG_DEPARTMENT,        // the signers lack an official of a department the signing rule requires
  WRONG_ROLE,              // a signer lacks the role the signing rule requires
  BELOW_THRESHOLD,         // fewer authority (or root) keys signed than the threshold
  NOT_CHARTERED,           // the log's node, or a node named, is not chartered at that time
  NOT_A_CHILD,             // a charter names a code that is not a direct child of the issuing node
  WRONG_LEVEL,             // a record kind this node's level does not make
  ROOT_VERSION,            // a trust root rotation that is not the next version
  MALFORMED_FILE,          // a file (trust root, federation description) breaks its format
  UNKNOWN_SETTING,         // a policy names a setting hreg does not know, or gives it the wrong type
  POLICY_RELAXED,          // a policy relaxes a setting a level above made mandatory
  POLICY_VERSION,          // a policy version that is not the next one of its node
  DECISION_TIME,           // a decision dated too far ahead of, or too long before, its arrival in the log
  PANEL_SIZE,              // an expert panel of an even size, or smaller than policy's minimum
  POOL_TOO_SMALL,          // an expert pool with fewer eligible experts than the panel needs
  WRONG_STAGE,             // a record the lifecycle's transition table does not allow at the subject's stage
  WINDOW_CLOSED,           // an objection or appeal received after its window closed
  WINDOW_OPEN,             // an act that must wait for a window (notice, appeal, confirmation years) to close
  PREREQUISITE_MISSING,    // a certification without a passed joint review or without a notice
  OBJECTION_UPHELD,        // a certification after an objection to it was upheld
  OBJECTION_PENDING,       // a certification while an objection is still being verified
  REAPPLICATION_BANNED,    // an application within the reapplication ban after a revocation
  DEPARTMENT_NOT_PASSED,   // a passing joint review result without a pass finding from every required department
  EQUIVOCATION,            // two checkpoints of one log, both signed by its key, that cannot both be true
  LOG_FROZEN,              // a log frozen at its last good checkpoint after equivocation
  UNEXPECTED_LOG,          // a peer sent a log it has no business sending (outside its subtree or ancestry)
  PROTOCOL_ERROR,          // a peer message out of order, malformed or oversized
  NODE_NOT_READY,          // the node cannot take this now (recovering its log, shutting down): retry later
  SUBJECT_MISMATCH,        // a lookup's answer lists an entry not about the subject, or leaves one out
  WRONG_PASSPHRASE,        // a passphrase does not open an official's key file (or the sealed key was altered)
  NOT_ON_PANEL,            // an expert score or recusal naming an expert who is not on the subject's panel
  DRAW_MISMATCH,           // a panel draw whose experts are not what its method gives from its seed and pool
  MAP_MISMATCH,            // a checkpoint commits to no subject map, or to another than its log's entries give
  INCOMPLETE,              // a bundle leaves out an entry or a log that the subject maps say it must hold
  OUT_OF_JURISDICTION,     // a decision about a subject outside the log's division (not its home or above)
  CONDITION_NOT_MET,       // a certification of a workshop whose stated facts fall below policy's minimum conditions
  EXPERT_UNQUALIFIED,      // an expert pool listing an expert with neither a senior title nor policy's years of work
};

// reasonName is the stable string of a Reason, e.g. "bad-signature".
std::string_view reasonName(Reason reason) noexcept;

struct Refusal {
  Reason reason;
  std::string detail;  // what is wrong, and what to do about it
};

template <class T>
using Result = outcome::result<T, Refusal, outcome::policy::terminate>;

inline auto refuse(Reason reason, std::string detail) {
  return outcome::failure(Refusal{reason, std::move(detail)});
}

// HREG_TRY(name, expr) binds the value of a Result or returns its refusal.
#define HREG_TRY BOOST_OUTCOME_TRY

// Fault is a logistical failure. Kind tells the catcher whether to retry.
class Fault : public std::runtime_error {
 public:
  enum class Kind { FAILED, OVERLOADED, DISCONNECTED };
  Fault(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

[[noreturn]] inline void fail(const std::string& what) { throw Fault(Fault::Kind::FAILED, what); }

}  // namespace hreg
