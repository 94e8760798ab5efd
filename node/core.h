#pragma once
// The core of one node, without the network: its store, its own log, its replicas of other logs, and
// the views (authority, policy) every entry is judged by. Sessions and the API call it; it never
// calls them. Everything it knows comes from its constructor (no process-global state), so many
// cores can live in one process (the national-scale simulation) as well as one per daemon.
// Not thread-safe: the node calls it from one thread (its io_context's).
#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ledger/log/own-log.h"
#include "ledger/log/replica.h"
#include "ledger/note/key.h"
#include "ledger/rules/policy.h"
#include "ledger/store/store.h"
#include "ledger/trust/authority.h"
#include "node/drafts.h"
#include "node/registry.h"
#include "node/subject-index.h"
#include "protocol/core/clock.h"

namespace hreg::node {

struct Submitted {
  std::uint64_t index = 0;
  merkle::Hash leafHash{};
  std::string checkpoint;              // the signed checkpoint the proof is against
  std::vector<merkle::Hash> proof;     // inclusion proof of `index` in it
};

// Head is the newest checkpoint held of one log, with the cosignatures held on it.
struct Head {
  std::string origin;
  std::uint64_t size = 0;
  merkle::Hash root{};
  std::string checkpoint;              // signed note
  std::vector<std::string> cosignatures;  // "— name base64\n" lines
  bool frozen = false;
};

// Batch is what a sender serves for a Fetch: entries ending exactly at one of its checkpoints.
struct Batch {
  std::uint64_t from = 0;
  std::vector<ByteView> entries;       // valid while `snapshot` lives
  std::string checkpoint;
  std::vector<std::string> cosignatures;
  std::shared_ptr<store::Snapshot> snapshot;
};

// Received is the outcome of a verified, committed replica batch.
struct Received {
  note::Checkpoint checkpoint;
  std::optional<std::string> cosignature;  // ours, when we cosign what we received
};

class Core {
 public:
  // Core opens the node's log in `store` (creating it) and rebuilds its views from everything held.
  Core(store::Store& store, note::SignerKey checkpointKey, trust::TrustAnchor root, const Clock& clock,
       unsigned verifyThreads, std::shared_ptr<spdlog::logger> log);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  const std::string& origin() const noexcept { return ownLog_->origin(); }
  const Clock& clock() const noexcept { return clock_; }
  const note::SignerKey& checkpointKey() const noexcept { return checkpointKey_; }
  // trustRoot is the trust root this node was configured with: what it checks lookups' answers from.
  const trust::TrustAnchor& trustRoot() const noexcept { return root_; }
  const trust::AuthorityView& authority() const;

  // submit appends one officials' signed decision (canonical SignedDecision bytes) to the own log.
  [[nodiscard]] Result<Submitted> submit(ByteView signedDecision);

  // appendMany appends many signed decisions at once (log::OwnLog::append): imports and benchmarks.
  [[nodiscard]] log::AppendOutcome appendMany(std::span<const ByteView> signedDecisions) {
    return ownLog_->append(signedDecisions);
  }

  // checkpointKeyOf is the key that signs the checkpoints of `origin` now: ours, the trust root's
  // root log key, or the key of the charter in force. Refuses NOT_CHARTERED.
  [[nodiscard]] Result<note::VerifierKey> checkpointKeyOf(std::string_view origin) const;
  // checkpointKeysOf is the key of now first, then the earlier keys of replaced charters: a
  // checkpoint signed before a key rotation still verifies (docs/operations.md, key rotation).
  [[nodiscard]] Result<std::vector<note::VerifierKey>> checkpointKeysOf(std::string_view origin) const;
  // isAncestor: `ancestor` chartered `origin`, or chartered one of its charterers (strict).
  [[nodiscard]] bool isAncestor(std::string_view ancestor, std::string_view origin) const;
  // depth is how many charters lie above `origin` (0 for the root log, 4 for a township).
  [[nodiscard]] int depth(std::string_view origin) const;
  // holdReason is why submissions are held, or "".
  const std::string& holdReason() const { return holdReason_; }
  // childWithKey is the origin of a node this node charters, in force now, whose checkpoint key is `key`.
  [[nodiscard]] std::optional<std::string> childWithKey(const crypto::PublicKey& key) const;

  // heads are the newest checkpoints of the logs held, or of those `select` keeps.
  [[nodiscard]] std::vector<Head> heads() const;
  [[nodiscard]] std::optional<Head> head(std::string_view origin) const;
  // serve answers a Fetch: entries of `origin` from `from`, at most `limit` unless the next stored
  // checkpoint lies further (then up to it, if within `hardLimit`), and never more than `maxBytes` of
  // entries. Refuses INDEX_OUT_OF_RANGE, LIMIT_EXCEEDED.
  [[nodiscard]] Result<Batch> serve(std::string_view origin, std::uint64_t from, std::uint32_t limit,
                                    std::uint32_t hardLimit, std::size_t maxBytes) const;

  // receive verifies and commits a replica batch (log::acceptReplica with this node's views), keeps
  // the cosignatures that came with it (each verified), and cosigns the new checkpoint if `cosign`.
  // A batch whose signed checkpoint commits to a false subject map is refused MAP_MISMATCH and the
  // checkpoint kept as evidence: the log is frozen.
  // `prechecked`, when given, is log::checkReplica's verdict on the same batch, reached on another
  // thread against `precheckedWith` (checkpointKeysOf the log then): used when those are still the
  // log's keys, else the batch is checked again here.
  [[nodiscard]] Result<Received> receive(const log::ReplicaBatch& batch, std::span<const std::string> cosignatures,
                                         bool cosign, const Result<log::CheckedBatch>* prechecked = nullptr,
                                         std::span<const note::VerifierKey> precheckedWith = {});
  // witness checks a signed checkpoint of a held log against what is held: SAME, AHEAD or BEHIND, or
  // refuses EQUIVOCATION after recording the evidence (the log is then frozen). Also refuses
  // NOT_CHARTERED, INDEX_OUT_OF_RANGE (a log not held) and the note's refusals.
  [[nodiscard]] Result<log::Comparison::Kind> witness(std::string_view signedNote);
  // addCosignatures keeps the valid cosignature lines on the checkpoint of `origin` at `size`, which
  // must be held; returns how many were new or replaced. Invalid ones are logged and dropped.
  std::size_t addCosignatures(std::string_view origin, std::uint64_t size, std::span<const std::string> lines);
  // cosignatureTime is the timestamp of a cosignature line, if it is one.
  [[nodiscard]] static std::optional<Timestamp> cosignatureTime(std::string_view line);

  // reloadOwnLog re-reads the own log after entries of it came back from the parent (recovery).
  void reloadOwnLog();
  // holdSubmissions refuses submissions (with `why`) until called with an empty reason: while the
  // own log may be behind the parent's copy of it, appending would fork it.
  void holdSubmissions(std::string why) { holdReason_ = std::move(why); }
  bool submissionsHeld() const { return !holdReason_.empty(); }

  [[nodiscard]] std::vector<store::Evidence> evidence() const;

  // subjectBundle is the proof bundle of what this node holds about a workshop or craftsman: empty
  // `decisions` when it holds nothing about it.
  [[nodiscard]] rules::SubjectBundle subjectBundle(std::string_view subject);
  // registry is every subject of `region` this node holds, judged as of `asOf` (registry.h).
  [[nodiscard]] std::vector<SubjectState> registry(std::string_view region, Timestamp asOf);
  // consequenceDrafts are the records time alone made due in `region` that this node's own log must
  // hold, drafted and dated `now` for its officials to sign (drafts.h; defined in node/drafts.cpp).
  [[nodiscard]] std::vector<DraftedConsequence> consequenceDrafts(std::string_view region, Timestamp now);
  // policyAt is the policy in force at the node of `origin` at `time`.
  [[nodiscard]] rules::EffectivePolicy policyAt(std::string_view origin, Timestamp time) const;
  // officials are the grants the authority view holds for the node of `origin`, revoked ones included.
  [[nodiscard]] std::vector<trust::OfficialGrant> officials(std::string_view origin) const;
  [[nodiscard]] store::Snapshot snapshot() const { return store_.snapshot(); }
  // subjectMap is the subject map of a held log at its held size: the own log's, or a replica's
  // (recomputed from the store the first time it is needed, then kept by receive).
  [[nodiscard]] const map::SubjectMap& subjectMap(const std::string& origin);

 private:
  struct Views;
  class Forwarding;
  void rebuildViews();
  map::SubjectMap& replicaMap(const std::string& origin);
  // keepFalseMap keeps a signed checkpoint whose subject map its entries do not give as evidence
  // (the log is then frozen), as an equivocation is kept.
  void keepFalseMap(const log::ReplicaBatch& batch, const std::string& detail);

  store::Store& store_;
  note::SignerKey checkpointKey_;
  note::SignerKey cosigningKey_;
  trust::TrustAnchor root_;
  const Clock& clock_;
  unsigned verifyThreads_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<Views> views_;
  std::unique_ptr<Forwarding> forwarding_;  // the admission the own log asks; forwards to views_
  std::unique_ptr<log::OwnLog> ownLog_;
  std::string holdReason_;
  SubjectIndex subjects_;
  std::map<std::string, map::SubjectMap, std::less<>> replicaMaps_;
};

}  // namespace hreg::node
