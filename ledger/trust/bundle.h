#pragma once
// Verification from anchors alone: given only the trust root, extracts of some logs (entries with
// their inclusion proofs, and a signed checkpoint of each log), decide whether one decision is
// authentic (in its log, under a checkpoint signed by that log's chartered key, with signatures that
// verify) and authorized (its signers were entitled to make it, at its time, by the charters and
// grants in the extracts). Nothing else is trusted: not the node that sent the bundle, not its clock.
// Completeness (that no revocation was left out) is not proven here; see docs/trust.md.
#include <functional>
#include <string>
#include <vector>

#include "ledger/merkle/hash.h"
#include "ledger/note/checkpoint.h"
#include "ledger/store/store.h"
#include "ledger/trust/authority.h"

namespace hreg::trust {

struct ProvenEntry {
  std::uint64_t index = 0;
  Bytes entry;                       // canonical entry bytes
  std::vector<merkle::Hash> proof;   // inclusion proof against the extract's checkpoint
};

struct LogExtract {
  std::string origin;
  std::string checkpoint;            // signed note
  std::vector<ProvenEntry> entries;  // in index order
};

struct Bundle {
  std::vector<LogExtract> logs;      // the root log's first is customary, not required
  std::string origin;                // the decision in question: its log ...
  std::uint64_t index = 0;           // ... and its index there
};

struct Verdict {
  note::Checkpoint checkpoint;       // the checkpoint the decision is proven under
  Timestamp decidedAt = 0;
  Result<void> authorized = outcome::success();  // the entitlement check, with its reason if refused
  std::vector<OfficialGrant> signers;            // officials among the signers, as the view knows them
};

// verifyBundle checks `bundle` from `root` alone. Refuses when the decision is not authentic:
// NOT_CHARTERED (a log whose key no extract charters), BAD_SIGNATURE / NO_TRUSTED_SIGNATURE (a
// checkpoint or an entry's signature), ROOT_MISMATCH / PROOF_WRONG_LENGTH (an inclusion proof),
// WRONG_INDEX, WRONG_ORIGIN, MALFORMED_ENTRY, INDEX_OUT_OF_RANGE (the decision is not in the bundle).
// An authentic decision whose signers were not entitled gives a Verdict with `authorized` refused.
[[nodiscard]] Result<Verdict> verifyBundle(const TrustAnchor& root, const Bundle& bundle);

// ExtractEntry is one authentic entry of an extract, as verifyExtracts visits it.
struct ExtractEntry {
  const LogExtract& log;
  const ProvenEntry& proven;
  const note::Checkpoint& checkpoint;        // the log's checkpoint the entry is proven under
  schema::SignedDecision::Reader decision;   // valid during the visit
  const Result<void>& admitted;              // what the admission said of it
};

// Admit decides an authentic entry's entitlement, and records it when it is entitled: the authority
// view's admit, or a registry admission that also keeps policy.
using Admit = std::function<Result<void>(std::string_view origin, schema::SignedDecision::Reader decision)>;

// verifyExtracts checks every extract from `root` alone: each log's checkpoint is signed by the key
// the trust root or a charter met earlier names (the root log first, then each log after the one
// chartering it), each entry is in its log under that checkpoint with valid signatures, and each is
// fed in log order to `admit`, whose answer `visit` sees with the entry. `view` is the authority
// view `admit` records into: charters met there name the next logs' keys. Refuses as verifyBundle
// does when an entry is not authentic; an unentitled entry is only reported to `visit`.
[[nodiscard]] Result<void> verifyExtracts(const TrustAnchor& root, const std::vector<LogExtract>& logs,
                                          const AuthorityView& view, const Admit& admit,
                                          const std::function<void(const ExtractEntry&)>& visit);

// extractLog makes the extract of `indexes` of the log `origin` in `snapshot`, proven against its
// newest checkpoint. Requires every index below that checkpoint's size.
[[nodiscard]] LogExtract extractLog(const store::Snapshot& snapshot, std::string_view origin,
                                    std::span<const std::uint64_t> indexes);

}  // namespace hreg::trust
