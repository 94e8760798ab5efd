#pragma once
// Whole-log verification, as an auditor does it: read every entry of a log from a store snapshot,
// check its shape, position and origin, verify every signature, recompute every leaf hash and every
// stored subtree hash, the root and the subject map, and check every stored signed checkpoint
// against them. Nothing the store
// says is trusted except the bytes of the entries and the checkpoint key the caller names.
#include <cstdint>
#include <functional>
#include <string_view>

#include "ledger/note/checkpoint.h"
#include "ledger/note/key.h"
#include "ledger/store/store.h"

namespace hreg::log {

struct AuditReport {
  std::uint64_t entries = 0;
  std::uint64_t signatures = 0;
  note::Checkpoint checkpoint;  // the newest signed checkpoint, verified
};

// AuditProgress is told how many of a log's entries have had their signatures checked, of how many;
// it is called from the verifying threads (one call at a time), every PROGRESS_STEP entries and at the end.
using AuditProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;
inline constexpr std::uint64_t PROGRESS_STEP = 1 << 14;

// verifyLog checks the log `origin` in `snapshot` against `checkpointKey`, on `threads` threads.
// Refuses with the first problem found, at the lowest index: INDEX_OUT_OF_RANGE (no such log),
// MALFORMED_ENTRY, WRONG_INDEX, WRONG_ORIGIN, BAD_SIGNATURE, UNSIGNED_ENTRY, STORE_CORRUPT (a
// stored hash or root that the entries do not produce), MALFORMED_CHECKPOINT, BAD_SIGNATURE or
// NO_TRUSTED_SIGNATURE (checkpoint), ROOT_MISMATCH (checkpoint and entries disagree), MAP_MISMATCH
// (a checkpoint commits to no subject map, or to another than the entries give).
[[nodiscard]] Result<AuditReport> verifyLog(const store::Snapshot& snapshot, std::string_view origin,
                                            const note::VerifierKey& checkpointKey, unsigned threads = 1,
                                            const AuditProgress& progress = {});

}  // namespace hreg::log
