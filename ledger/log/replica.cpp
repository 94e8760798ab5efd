#include "ledger/log/replica.h"

#include <fmt/format.h>

#include <mutex>
#include <set>

#include "ledger/log/decision.h"
#include "ledger/log/parallel.h"
#include "ledger/log/subject-maps.h"
#include "ledger/merkle/tree.h"
#include "ledger/note/note.h"
#include "protocol/canonical.h"

namespace hreg::log {

Result<note::Checkpoint> verifyCheckpoint(std::string_view signedNote, const note::VerifierKey& key,
                                          std::string_view origin) {
  return verifyCheckpoint(signedNote, std::span<const note::VerifierKey>(&key, 1), origin);
}

Result<note::Checkpoint> verifyCheckpoint(std::string_view signedNote, std::span<const note::VerifierKey> keys,
                                          std::string_view origin) {
  HREG_TRY(parsed, note::parseNote(signedNote));
  HREG_TRY(note::verifyNote(parsed, keys));
  HREG_TRY(checkpoint, note::parseCheckpoint(parsed.text));
  if (checkpoint.origin != origin)
    return refuse(Reason::WRONG_ORIGIN, fmt::format("the checkpoint is of log '{}', not '{}'", checkpoint.origin, origin));
  return checkpoint;
}

Result<note::Checkpoint> acceptReplica(store::Store& store, const ReplicaBatch& batch, const note::VerifierKey& logKey,
                                       const ReplicaOptions& options) {
  return acceptReplica(store, batch, std::span<const note::VerifierKey>(&logKey, 1), options);
}

Result<note::Checkpoint> acceptReplica(store::Store& store, const ReplicaBatch& batch,
                                       std::span<const note::VerifierKey> logKeys, const ReplicaOptions& options) {
  HREG_TRY(checked, checkReplica(batch, logKeys, options.verifyThreads));
  return commitReplica(store, batch, checked, options);
}

Result<CheckedBatch> checkReplica(const ReplicaBatch& batch, std::span<const note::VerifierKey> logKeys,
                                  unsigned verifyThreads) {
  if (logKeys.empty()) return refuse(Reason::NOT_CHARTERED, fmt::format("no checkpoint key is known for {}", batch.origin));
  const note::VerifierKey& logKey = logKeys.front();
  HREG_TRY(checkpoint, verifyCheckpoint(batch.checkpoint, logKeys, batch.origin));
  const std::uint64_t end = batch.from + batch.entries.size();
  if (batch.entries.empty() || checkpoint.size != end)
    return refuse(Reason::WRONG_INDEX, fmt::format("a batch of {} entries from {} must end at its checkpoint's size "
                                                   "{}", batch.entries.size(), batch.from, checkpoint.size));
  // Check every entry on its own, in parallel: the expensive part (signatures).
  std::vector<std::optional<CheckedEntry>> checked(batch.entries.size());
  std::mutex firstMutex;
  std::optional<std::pair<std::size_t, Refusal>> first;
  parallelFor(batch.entries.size(), verifyThreads, [&](std::size_t i) {
    auto c = checkEntry(batch.entries[i], batch.from + i, batch.origin, &logKey.key);
    if (c) {
      checked[i] = std::move(c).value();
      return;
    }
    std::lock_guard lock(firstMutex);
    if (!first || first->first > i) first.emplace(i, c.error());
  });
  if (first) return outcome::failure(first->second);
  CheckedBatch out{std::move(checkpoint), {}};
  out.entries.reserve(checked.size());
  for (auto& c : checked) out.entries.push_back(std::move(*c));
  return out;
}

Result<note::Checkpoint> commitReplica(store::Store& store, const ReplicaBatch& batch, const CheckedBatch& checkedBatch,
                                       const ReplicaOptions& options) {
  const note::Checkpoint& checkpoint = checkedBatch.checkpoint;
  const std::vector<CheckedEntry>& checked = checkedBatch.entries;
  const std::uint64_t end = batch.from + batch.entries.size();
  if (checked.size() != batch.entries.size() || checkpoint.size != end || checkpoint.origin != batch.origin)
    return refuse(Reason::WRONG_INDEX, fmt::format("the checked batch of {} is not the batch of {} from {}",
                                                   checkpoint.origin, batch.origin, batch.from));
  store::AppendBatch append;
  append.origin = batch.origin;
  append.firstIndex = batch.from;
  append.checkpoint = batch.checkpoint;
  {
    auto snapshot = store.snapshot();
    if (snapshot.frozen(batch.origin))
      return refuse(Reason::LOG_FROZEN, fmt::format("{} is frozen at its last good checkpoint: evidence of "
                                                    "equivocation is held (GET /v1/evidence)", batch.origin));
    auto held = snapshot.log(batch.origin).value_or(store::LogState{0, merkle::emptyRoot(), 0});
    if (held.size != batch.from)
      return refuse(Reason::WRONG_INDEX, fmt::format("a batch of {} from {}, but {} entries are held", batch.origin,
                                                     batch.from, held.size));
    // Sequencing times never go back, and never lead our clock by more than the skew allowed.
    Timestamp previous = 0;
    if (held.size > 0)
      if (auto last = snapshot.entry(batch.origin, held.size - 1))
        previous = protocol::parseEntry(*last).value().reader().getSequencedAt();
    std::set<merkle::Hash> inBatch;
    for (std::size_t i = 0; i < checked.size(); ++i) {
      const CheckedEntry& c = checked[i];
      if (c.sequencedAt < previous || c.sequencedAt > options.now + options.maxClockSkew)
        return refuse(Reason::DECISION_TIME,
                      fmt::format("entry {} of {} was sequenced at {}, {}", batch.from + i, batch.origin,
                                  formatUtc(c.sequencedAt),
                                  c.sequencedAt < previous ? "before the entry it follows"
                                                           : "ahead of this node's clock"));
      previous = c.sequencedAt;
      if (snapshot.findDecision(c.decisionHash) || !inBatch.insert(c.decisionHash).second)
        return refuse(Reason::DUPLICATE_DECISION,
                      fmt::format("entry {} of {} repeats a decision already logged", batch.from + i, batch.origin));
    }
    // The leaves must extend the held tree to exactly the signed root.
    auto tree = snapshot.tree(batch.origin);
    merkle::Frontier frontier = merkle::Frontier::load(*tree, held.size);
    for (const auto& c : checked) frontier.append(c.leafHash, append.nodes);
    append.newRoot = frontier.root();
    if (append.newRoot != checkpoint.root)
      return refuse(Reason::ROOT_MISMATCH,
                    fmt::format("entries {}..{} of {} do not produce the root its key signed for size {}: a corrupt "
                                "relay, or a log that forked from the {} entries held",
                                batch.from, end - 1, batch.origin, end, held.size));
  }
  // The checkpoint's subject map must be the one these entries give: its parent cosigns nothing else.
  HREG_TRY(mapRoot, map::rootOf(checkpoint));
  std::optional<map::SubjectMap> built;
  if (options.map == nullptr) built.emplace(subjectMapOf(store.snapshot(), batch.origin, batch.from));
  map::SubjectMap& subjects = options.map != nullptr ? *options.map : *built;
  map::SubjectMap::Undo undo(subjects);
  for (std::size_t i = 0; i < batch.entries.size(); ++i)
    recordEntry(subjects, batch.from + i, checked[i].parsed->reader(), checked[i].leafHash);
  if (subjects.root() != mapRoot)
    return refuse(Reason::MAP_MISMATCH,
                  fmt::format("the checkpoint of {} at size {} commits to a subject map its entries do not give: "
                              "its node signed a false map (keep the checkpoint as evidence; do not cosign it)",
                              batch.origin, end));
  // Only now, with everything else proven, ask who may sign what, in log order.
  if (options.admission != nullptr)
    for (std::size_t i = 0; i < batch.entries.size(); ++i) {
      auto entry = checked[i].parsed->reader();
      if (auto ok = options.admission->admit(batch.origin, entry.getSigned(), entry.getSequencedAt()); !ok)
        return refuse(ok.error().reason,
                      fmt::format("entry {} of {}: {}", batch.from + i, batch.origin, ok.error().detail));
    }
  append.entries.reserve(batch.entries.size());
  append.decisionHashes.reserve(batch.entries.size());
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    append.entries.emplace_back(batch.entries[i].begin(), batch.entries[i].end());
    append.decisionHashes.push_back(checked[i].decisionHash);
  }
  store.append(append);
  undo.keep();
  return checkpoint;
}

Comparison compareCheckpoint(const store::Snapshot& snapshot, const note::Checkpoint& checkpoint,
                             std::string_view signedNote, Timestamp now) {
  auto held = snapshot.log(checkpoint.origin);
  if (!held) return {Comparison::Kind::UNKNOWN, std::nullopt};
  if (checkpoint.size > held->size) return {Comparison::Kind::AHEAD, std::nullopt};
  merkle::Hash root = checkpoint.size == held->size ? held->root : merkle::rootHash(*snapshot.tree(checkpoint.origin),
                                                                                    checkpoint.size);
  std::optional<std::string> same = snapshot.checkpoint(checkpoint.origin, checkpoint.size);
  bool sameMap = true;  // a stored checkpoint of this size commits to the same subject map
  if (same)
    if (auto parsed = note::parseNote(*same))
      if (auto body = note::parseCheckpoint(parsed.value().text))
        sameMap = body.value().extensions == checkpoint.extensions;
  if (root == checkpoint.root && sameMap)
    return {checkpoint.size == held->size ? Comparison::Kind::SAME : Comparison::Kind::BEHIND, std::nullopt};
  store::Evidence evidence;
  evidence.origin = checkpoint.origin;
  evidence.conflicting = std::string(signedNote);
  evidence.detectedAt = now;
  if (same && root == checkpoint.root) {
    evidence.held = *same;
    evidence.detail = fmt::format("two checkpoints of size {} signed by the log's key, with one tree and different "
                                  "subject maps", checkpoint.size);
  } else if (same) {
    evidence.held = *same;
    evidence.detail = fmt::format("two checkpoints of size {} signed by the log's key, with different roots",
                                  checkpoint.size);
  } else {
    evidence.held = snapshot.checkpoint(checkpoint.origin, held->checkpointSize).value_or("");
    evidence.detail = fmt::format("the log's key signed size {} with a root that is not the root of the first {} "
                                  "entries held under its checkpoint of size {}",
                                  checkpoint.size, checkpoint.size, held->checkpointSize);
  }
  return {Comparison::Kind::CONFLICT, std::move(evidence)};
}

}  // namespace hreg::log
