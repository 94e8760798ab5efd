#include "ledger/log/audit.h"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <optional>

#include "ledger/log/decision.h"
#include "ledger/log/parallel.h"
#include "ledger/map/subject-map.h"
#include "ledger/merkle/tree.h"
#include "ledger/log/replica.h"
#include "protocol/canonical.h"

namespace hreg::log {
namespace {

// readStored is the stored hash of a subtree, or nullopt when the store lacks it.
std::optional<merkle::Hash> readStored(const merkle::HashReader& tree, merkle::NodeId id) {
  try {
    return tree.readHash(id);
  } catch (const Fault&) {  // a missing hash is what this audit exists to report
    return std::nullopt;
  }
}

// checkStoredCheckpoint checks the checkpoint stored for the frontier's size, if there is one.
Result<void> checkStoredCheckpoint(const store::Snapshot& snapshot, std::string_view origin,
                                   const merkle::Frontier& frontier, const map::SubjectMap& subjects,
                                   const note::VerifierKey& checkpointKey, std::optional<note::Checkpoint>& newest) {
  auto signedNote = snapshot.checkpoint(origin, frontier.size());
  if (!signedNote) return outcome::success();
  auto checkpoint = verifyCheckpoint(*signedNote, checkpointKey, origin);
  if (!checkpoint)
    return refuse(checkpoint.error().reason,
                  fmt::format("the checkpoint stored for size {}: {}", frontier.size(), checkpoint.error().detail));
  if (checkpoint.value().size != frontier.size() || checkpoint.value().root != frontier.root())
    return refuse(Reason::ROOT_MISMATCH, fmt::format("the signed checkpoint stored for size {} does not match the "
                                                     "entries", frontier.size()));
  HREG_TRY(mapRoot, map::rootOf(checkpoint.value()));
  if (mapRoot != subjects.root())
    return refuse(Reason::MAP_MISMATCH, fmt::format("the signed checkpoint stored for size {} commits to a subject map "
                                                    "the entries do not give", frontier.size()));
  newest = checkpoint.value();
  return outcome::success();
}

}  // namespace

Result<AuditReport> verifyLog(const store::Snapshot& snapshot, std::string_view origin,
                              const note::VerifierKey& checkpointKey, unsigned threads,
                              const AuditProgress& progress) {
  auto state = snapshot.log(origin);
  if (!state) return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("the store holds no log '{}'", origin));

  std::vector<ByteView> entries;
  entries.reserve(state->size);
  snapshot.forEachEntry(origin, 0, state->size, [&](std::uint64_t, ByteView bytes) {
    entries.push_back(bytes);
    return true;
  });

  std::vector<merkle::Hash> leaves(entries.size());
  std::vector<std::vector<map::Key>> keys(entries.size());
  std::atomic<std::uint64_t> signatures{0};
  std::mutex firstMutex;
  std::optional<std::pair<std::uint64_t, Refusal>> first;
  std::atomic<std::uint64_t> done{0};
  std::mutex progressMutex;
  parallelFor(entries.size(), threads, [&](std::size_t i) {
    auto checked = checkEntry(entries[i], i, origin);
    if (progress) {
      std::uint64_t n = ++done;
      if (n % PROGRESS_STEP == 0 || n == entries.size()) {
        std::lock_guard lock(progressMutex);
        progress(n, entries.size());
      }
    }
    if (checked) {
      leaves[i] = checked.value().leafHash;
      keys[i] = map::keysOf(checked.value().parsed->reader().getSigned().getDecision().getBody());
      signatures += checked.value().signatures;
      return;
    }
    std::lock_guard lock(firstMutex);
    if (!first || first->first > i) first.emplace(i, checked.error());
  });
  if (first) return outcome::failure(first->second);

  // Recompute the tree: every stored subtree hash must be the one the entries produce, and every
  // stored checkpoint must be signed by the log's key and name the root of its size.
  auto tree = snapshot.tree(origin);
  merkle::Frontier frontier;
  std::vector<merkle::StoredHash> writes;
  map::SubjectMap subjects;
  std::optional<note::Checkpoint> newest;
  const std::vector<std::uint64_t> checkpointed = snapshot.checkpointSizes(origin, 0, state->size);
  auto nextCheckpoint = checkpointed.begin();
  auto atCheckpoint = [&]() -> Result<void> {  // checks the stored checkpoint of the frontier's size, if any
    if (nextCheckpoint == checkpointed.end() || *nextCheckpoint != frontier.size()) return outcome::success();
    ++nextCheckpoint;
    return checkStoredCheckpoint(snapshot, origin, frontier, subjects, checkpointKey, newest);
  };
  HREG_TRY(atCheckpoint());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    writes.clear();
    frontier.append(leaves[i], writes);
    subjects.record(keys[i], i, leaves[i]);
    for (const merkle::StoredHash& w : writes)
      if (auto stored = readStored(*tree, w.id); !stored || *stored != w.hash)
        return refuse(Reason::STORE_CORRUPT, fmt::format("the stored hash of subtree (level {}, index {}) is {} the "
                                                         "one the entries produce; restore from a backup or "
                                                         "re-replicate", w.id.level, w.id.index,
                                                         stored ? "not" : "missing, not"));
    HREG_TRY(atCheckpoint());
  }
  if (frontier.root() != state->root)
    return refuse(Reason::STORE_CORRUPT, "the stored root is not the root of the stored entries");
  if (!newest || newest->size != state->checkpointSize)
    return refuse(Reason::STORE_CORRUPT, fmt::format("no valid checkpoint stored for size {}", state->checkpointSize));
  auto checkpoint = *newest;
  return AuditReport{state->size, signatures.load(), checkpoint};
}

}  // namespace hreg::log
