#pragma once
// Replicas: another office's log as this node holds it. A replica grows only by batches that end at
// a checkpoint signed by that log's own key, whose entries all verify (shape, position, origin,
// signatures, and the caller's admission: who may sign what), and whose leaves extend the held tree
// to exactly the signed root. Each batch is one store transaction, so a replica is always at a
// signed checkpoint. Checkpoints that contradict what is held are evidence of equivocation.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/log/admission.h"
#include "ledger/log/decision.h"
#include "ledger/map/subject-map.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/key.h"
#include "ledger/store/store.h"

namespace hreg::log {

// verifyCheckpoint parses a signed checkpoint note and checks it is signed by `key` and names
// `origin`. Refuses MALFORMED_NOTE, MALFORMED_CHECKPOINT, BAD_SIGNATURE, NO_TRUSTED_SIGNATURE,
// WRONG_ORIGIN.
[[nodiscard]] Result<note::Checkpoint> verifyCheckpoint(std::string_view signedNote, const note::VerifierKey& key,
                                                        std::string_view origin);
// verifyCheckpoint with any of `keys` (a log's current and earlier checkpoint keys).
[[nodiscard]] Result<note::Checkpoint> verifyCheckpoint(std::string_view signedNote,
                                                        std::span<const note::VerifierKey> keys,
                                                        std::string_view origin);

// ReplicaBatch is entries [from, from + entries.size()) of the log `origin`, and the signed
// checkpoint of size from + entries.size() they must produce.
struct ReplicaBatch {
  std::string origin;
  std::uint64_t from = 0;
  std::span<const ByteView> entries;
  std::string checkpoint;
};

struct ReplicaOptions {
  unsigned verifyThreads = 1;
  Admission* admission = nullptr;  // asked in log order, with each entry's own sequencedAt
  Timestamp now = 0;               // the receiving node's clock ...
  Timestamp maxClockSkew = 600;    // ... which no entry's sequencedAt may lead by more than this
  // The replica's subject map at the held size, kept by the caller across batches; recomputed from
  // the store for this batch when null. Left as it was when the batch is refused.
  map::SubjectMap* map = nullptr;
};

// CheckedBatch is a replica batch checked on its own, before anything held is consulted: its
// checkpoint's signature and origin, and each entry's shape, position, origin and signatures. That
// is nearly all of the work and needs no store, so a node checks the next batch of a log on other
// threads while it commits this one (node/peer-session.cpp).
struct CheckedBatch {
  note::Checkpoint checkpoint;
  std::vector<CheckedEntry> entries;  // entries[i] is batch.entries[i]
};

// checkReplica checks a batch against the log's checkpoint keys (`logKeys`: the key of now first,
// which no entry may be signed by), on `verifyThreads` threads. Thread-safe: it reads only its
// arguments. Refuses NOT_CHARTERED (no key), the refusals of verifyCheckpoint and log::checkEntry,
// and WRONG_INDEX (the batch does not end at its checkpoint's size).
[[nodiscard]] Result<CheckedBatch> checkReplica(const ReplicaBatch& batch, std::span<const note::VerifierKey> logKeys,
                                                unsigned verifyThreads);

// commitReplica appends a batch that checkReplica passed (`checked`, from the same `batch`) in one
// store transaction, after the checks that need what is held: position, sequencing times,
// duplicates, the signed root, the subject map and the admission. Refusals as acceptReplica's.
[[nodiscard]] Result<note::Checkpoint> commitReplica(store::Store& store, const ReplicaBatch& batch,
                                                     const CheckedBatch& checked, const ReplicaOptions& options);

// acceptReplica verifies a batch against the log's checkpoint key and appends it in one store
// transaction, with its checkpoint. Returns the new checkpoint. Refuses, writing nothing:
// LOG_FROZEN (the log has evidence of equivocation), WRONG_INDEX (the batch does not start at the
// held size, or does not end at its checkpoint's size), the refusals of verifyCheckpoint and
// log::checkEntry, DECISION_TIME (an entry sequenced before its predecessor or ahead of our clock),
// DUPLICATE_DECISION, ROOT_MISMATCH (the entries do not produce the signed root: a corrupt relay,
// or a log that forked from what is held), MAP_MISMATCH (the checkpoint commits to no subject map,
// or to another than the entries give: the log's node signed a false map), and the admission's
// refusals. If the admission refused,
// it may already have recorded earlier entries of the batch: rebuild it from the store.
[[nodiscard]] Result<note::Checkpoint> acceptReplica(store::Store& store, const ReplicaBatch& batch,
                                                     const note::VerifierKey& logKey, const ReplicaOptions& options);
// acceptReplica whose checkpoint may be signed by any of `logKeys`: the log's key now first (no
// entry may be signed by it), then earlier keys of replaced charters, so that checkpoints signed
// before a key rotation can still be fetched.
[[nodiscard]] Result<note::Checkpoint> acceptReplica(store::Store& store, const ReplicaBatch& batch,
                                                     std::span<const note::VerifierKey> logKeys,
                                                     const ReplicaOptions& options);

// Comparison is how a verified checkpoint stands against what a store holds of its log.
struct Comparison {
  enum class Kind {
    UNKNOWN,   // the store holds nothing of this log
    SAME,      // the held tree at that size has that root (and a checkpoint stored of it the same map)
    AHEAD,     // larger than what is held: to be fetched and checked
    BEHIND,    // smaller, and the held tree's prefix of that size has that root
    CONFLICT,  // same size and another root or subject map, or the held prefix disagrees: see `evidence`
  } kind = Kind::UNKNOWN;
  std::optional<store::Evidence> evidence;
};

// compareCheckpoint compares `checkpoint` (already verified, from `signedNote`) with the store.
[[nodiscard]] Comparison compareCheckpoint(const store::Snapshot& snapshot, const note::Checkpoint& checkpoint,
                                           std::string_view signedNote, Timestamp now);

}  // namespace hreg::log
