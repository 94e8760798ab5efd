#include "protocol/core/result.h"

namespace hreg {

std::string_view reasonName(Reason reason) noexcept {
  switch (reason) {
    case Reason::MALFORMED_ENTRY: return "malformed-entry";
    case Reason::MALFORMED_NOTE: return "malformed-note";
    case Reason::MALFORMED_CHECKPOINT: return "malformed-checkpoint";
    case Reason::MALFORMED_COSIGNATURE: return "malformed-cosignature";
    case Reason::MALFORMED_KEY: return "malformed-key";
    case Reason::MALFORMED_PROOF: return "malformed-proof";
    case Reason::MALFORMED_HEX: return "malformed-hex";
    case Reason::BAD_SIGNATURE: return "bad-signature";
    case Reason::UNKNOWN_KEY: return "unknown-key";
    case Reason::NO_TRUSTED_SIGNATURE: return "no-trusted-signature";
    case Reason::WRONG_ORIGIN: return "wrong-origin";
    case Reason::WRONG_INDEX: return "wrong-index";
    case Reason::INDEX_OUT_OF_RANGE: return "index-out-of-range";
    case Reason::ROOT_MISMATCH: return "root-mismatch";
    case Reason::PROOF_WRONG_LENGTH: return "proof-wrong-length";
    case Reason::INCONSISTENT_CHECKPOINT: return "inconsistent-checkpoint";
    case Reason::DUPLICATE_DECISION: return "duplicate-decision";
    case Reason::UNSIGNED_ENTRY: return "unsigned-entry";
    case Reason::CHECKPOINT_KEY_SIGNED: return "checkpoint-key-signed";
    case Reason::STORE_CORRUPT: return "store-corrupt";
    case Reason::SIGNER_UNKNOWN: return "signer-unknown";
    case Reason::SIGNER_REVOKED: return "signer-revoked";
    case Reason::SIGNER_EXPIRED: return "signer-expired";
    case Reason::WRONG_DEPARTMENT: return "wrong-department";
    case Reason::WRONG_ROLE: return "wrong-role";
    case Reason::BELOW_THRESHOLD: return "below-threshold";
    case Reason::NOT_CHARTERED: return "not-chartered";
    case Reason::NOT_A_CHILD: return "not-a-child";
    case Reason::WRONG_LEVEL: return "wrong-level";
    case Reason::ROOT_VERSION: return "root-version";
    case Reason::MALFORMED_FILE: return "malformed-file";
    case Reason::UNKNOWN_SETTING: return "unknown-setting";
    case Reason::POLICY_RELAXED: return "policy-relaxed";
    case Reason::POLICY_VERSION: return "policy-version";
    case Reason::DECISION_TIME: return "decision-time";
    case Reason::PANEL_SIZE: return "panel-size";
    case Reason::POOL_TOO_SMALL: return "pool-too-small";
    case Reason::LIMIT_EXCEEDED: return "limit-exceeded";
    case Reason::WRONG_STAGE: return "wrong-stage";
    case Reason::WINDOW_CLOSED: return "window-closed";
    case Reason::WINDOW_OPEN: return "window-open";
    case Reason::PREREQUISITE_MISSING: return "prerequisite-missing";
    case Reason::OBJECTION_UPHELD: return "objection-upheld";
    case Reason::OBJECTION_PENDING: return "objection-pending";
    case Reason::REAPPLICATION_BANNED: return "reapplication-banned";
    case Reason::DEPARTMENT_NOT_PASSED: return "department-not-passed";
    case Reason::EQUIVOCATION: return "equivocation";
    case Reason::LOG_FROZEN: return "log-frozen";
    case Reason::UNEXPECTED_LOG: return "unexpected-log";
    case Reason::PROTOCOL_ERROR: return "protocol-error";
    case Reason::NODE_NOT_READY: return "node-not-ready";
    case Reason::SUBJECT_MISMATCH: return "subject-mismatch";
    case Reason::WRONG_PASSPHRASE: return "wrong-passphrase";
    case Reason::NOT_ON_PANEL: return "not-on-panel";
    case Reason::DRAW_MISMATCH: return "draw-mismatch";
    case Reason::MAP_MISMATCH: return "map-mismatch";
    case Reason::INCOMPLETE: return "incomplete";
    case Reason::OUT_OF_JURISDICTION: return "out-of-jurisdiction";
    case Reason::CONDITION_NOT_MET: return "condition-not-met";
    case Reason::EXPERT_UNQUALIFIED: return "expert-unqualified";
  }
  return "unknown-reason";
}

}  // namespace hreg
