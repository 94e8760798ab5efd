#pragma once
// An office's own log: the append path of officials' signed decisions. Each call to append checks
// the decisions (in parallel), gives the accepted ones consecutive indexes, and commits them with a
// newly signed checkpoint in one store transaction (group commit): a crash leaves the log at the
// previous checkpoint or the new one, never in between. Refused decisions leave no trace.
// Large submissions are split into commit groups and pipelined: one group's signatures are verified
// while the previous group is committed. One OwnLog per log and per process writes; readers use
// store snapshots.
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "ledger/log/admission.h"
#include "ledger/map/subject-map.h"
#include "ledger/merkle/tree.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/key.h"
#include "ledger/store/store.h"
#include "protocol/core/clock.h"

namespace hreg::log {

struct Appended {
  std::uint64_t index;
  merkle::Hash leafHash;
};

struct AppendOutcome {
  std::vector<Result<Appended>> results;  // one per submitted decision, in order
  note::Checkpoint checkpoint;            // the tree after this append
  std::string signedCheckpoint;           // its signed note
};

class OwnLog {
 public:
  // OwnLog opens the log whose origin is the checkpoint key's name, creating it (with a signed
  // checkpoint of the empty tree) if the store does not hold it, and recomputes its subject map. `verifyThreads` threads check
  // signatures. Requires an Ed25519 note key.
  // `admission`, when given, decides who may sign what (trust::AuthorityView); without it only
  // signatures are checked. If a commit fails with a Fault, the admission has already recorded that
  // group's decisions: rebuild it from the store before appending again.
  // `subjects`, when given, is the stored log's subject map, already computed by the caller (a node
  // that fetched its own log back from its parent); otherwise it is recomputed from the store.
  OwnLog(store::Store& store, note::SignerKey checkpointKey, const Clock& clock, unsigned verifyThreads = 1,
         Admission* admission = nullptr, std::optional<map::SubjectMap> subjects = std::nullopt);
  OwnLog(const OwnLog&) = delete;
  OwnLog& operator=(const OwnLog&) = delete;

  const std::string& origin() const noexcept { return checkpointKey_.name(); }
  std::uint64_t size() const noexcept { return frontier_.size(); }
  note::VerifierKey verifierKey() const { return checkpointKey_.verifier(); }
  // mapRoot is the root of the log's subject map, which every checkpoint it signs commits to.
  merkle::Hash mapRoot() const { return map_.root(); }
  const map::SubjectMap& subjectMap() const noexcept { return map_; }

  // append checks and appends signed decisions (canonical SignedDecision bytes). Each refused one
  // gets its refusal: MALFORMED_ENTRY, LIMIT_EXCEEDED, UNSIGNED_ENTRY, WRONG_ORIGIN,
  // CHECKPOINT_KEY_SIGNED, BAD_SIGNATURE, DUPLICATE_DECISION, and the admission's refusals. Throws
  // Fault if the store fails.
  AppendOutcome append(std::span<const ByteView> signedDecisions);

  // COMMIT_GROUP is how many decisions share one durable commit and checkpoint: large enough that
  // the commit's fsync is a small part of the work, small enough to keep the pipeline busy.
  static constexpr std::size_t COMMIT_GROUP = 1024;

 private:
  struct Checked;
  std::vector<Checked> checkGroup(std::span<const ByteView> group) const;
  void commitGroup(std::vector<Checked>& group, Timestamp now, std::set<merkle::Hash>& inCall,
                   AppendOutcome& outcome);

  store::Store& store_;
  note::SignerKey checkpointKey_;
  const Clock& clock_;
  unsigned verifyThreads_;
  Admission* admission_;
  merkle::Frontier frontier_;
  map::SubjectMap map_;
};

// signCheckpoint makes the signed note of a checkpoint with an Ed25519 note key.
[[nodiscard]] std::string signCheckpoint(const note::Checkpoint& checkpoint, const note::SignerKey& key);

}  // namespace hreg::log
