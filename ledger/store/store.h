#pragma once
// The node's store: one LMDB environment holding the node's own log and its replicas of other logs
// (entries, complete-subtree hashes, every checkpoint seen, cosignatures received), and an index of
// decisions already logged. The only code that names mdb_*; layout in docs/formats.md, "Store".
//
// Guarantees: an append is one write transaction, so after a crash at any instant each log is
// exactly at a committed checkpoint. A Snapshot is one read transaction: it sees one committed state
// of everything, and other processes may read the same directory concurrently (LMDB's lock file).
// The store checks positions, not meaning: hashing, signatures and authority are the caller's
// (ledger/log) and are re-checked by whole-log verification.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/tree.h"
#include "protocol/core/bytes.h"
#include "protocol/core/clock.h"
#include "protocol/core/result.h"

struct MDB_env;
struct MDB_txn;

namespace hreg::store {

namespace detail {
struct Tables;  // the LMDB table handles, private to store.cpp
}

struct Options {
  std::filesystem::path directory;  // created if missing (unless readOnly)
  bool readOnly = false;
  // mapSize bounds the store's size; LMDB reserves address space, not disk. Grown on demand.
  std::size_t mapSize = std::size_t{64} << 30;
};

// LogState is what the store holds of one log.
struct LogState {
  std::uint64_t size = 0;
  merkle::Hash root{};
  std::uint64_t checkpointSize = 0;  // size of the newest stored checkpoint
};

// DecisionRef says where a decision already stands.
struct DecisionRef {
  std::string origin;
  std::uint64_t index;
};

// Evidence of equivocation: two checkpoints of one log, both signed by its key, that cannot both be
// true. While a log has evidence it is frozen at the last checkpoint held before it.
struct Evidence {
  std::string origin;
  std::string held;         // the signed checkpoint the store held (or one it holds)
  std::string conflicting;  // the signed checkpoint that contradicts it
  Timestamp detectedAt = 0;
  std::string detail;       // how they conflict
};

// AppendBatch is one atomic append to one log. The caller computed the leaf hashes, the new
// complete-subtree hashes (merkle::Frontier::append) and the new root, and signed `checkpoint`.
struct AppendBatch {
  std::string origin;
  std::uint64_t firstIndex = 0;                // must equal the log's stored size
  std::vector<Bytes> entries;                  // canonical entry bytes, in log order
  std::vector<merkle::StoredHash> nodes;       // new complete-subtree hashes, leaves included
  merkle::Hash newRoot{};
  std::string checkpoint;                      // signed note of (origin, firstIndex + entries.size(), newRoot)
  std::vector<merkle::Hash> decisionHashes;    // one per entry, or empty: indexed for findDecision
};

class Store;

// Snapshot is a consistent read-only view; ByteViews it returns live as long as it does.
class Snapshot {
 public:
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  Snapshot(Snapshot&& other) noexcept;
  ~Snapshot();

  [[nodiscard]] std::optional<LogState> log(std::string_view origin) const;
  [[nodiscard]] std::vector<std::string> origins() const;
  // entry is the canonical bytes of entry `index`, or nullopt when the log is shorter.
  [[nodiscard]] std::optional<ByteView> entry(std::string_view origin, std::uint64_t index) const;
  // forEachEntry visits entries [from, to) in order; the callback returns false to stop.
  void forEachEntry(std::string_view origin, std::uint64_t from, std::uint64_t to,
                    const std::function<bool(std::uint64_t, ByteView)>& visit) const;
  // checkpoint is the signed note stored for `size`, if any.
  [[nodiscard]] std::optional<std::string> checkpoint(std::string_view origin, std::uint64_t size) const;
  // cosignatures are the signature lines stored for the checkpoint of `size`.
  [[nodiscard]] std::vector<std::string> cosignatures(std::string_view origin, std::uint64_t size) const;
  // checkpointSizes are the sizes of the checkpoints stored for `origin` in [from, to], ascending.
  [[nodiscard]] std::vector<std::uint64_t> checkpointSizes(std::string_view origin, std::uint64_t from,
                                                           std::uint64_t to) const;
  // evidence is every equivocation recorded, or those of one log; a log with evidence is frozen.
  [[nodiscard]] std::vector<Evidence> evidence(std::string_view origin = {}) const;
  [[nodiscard]] bool frozen(std::string_view origin) const;
  [[nodiscard]] std::optional<DecisionRef> findDecision(const merkle::Hash& decisionHash) const;
  // tree is a HashReader over one log's stored subtree hashes, valid while the snapshot is.
  [[nodiscard]] std::unique_ptr<merkle::HashReader> tree(std::string_view origin) const;

 private:
  friend class Store;
  Snapshot(const Store& store, MDB_txn* txn) : store_(&store), txn_(txn) {}
  const Store* store_;
  MDB_txn* txn_;
};

class Store {
 public:
  // Store opens (or creates) the store in options.directory. Throws Fault when the directory
  // cannot be opened, is not an hreg store, or has a newer format version.
  explicit Store(const Options& options);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  [[nodiscard]] Snapshot snapshot() const;

  // append commits one batch atomically (see AppendBatch). Throws Fault if firstIndex is not the
  // stored size (a second writer raced us) or the disk fails; nothing is then written.
  LogState append(const AppendBatch& batch);

  // addCheckpoint stores a further signed checkpoint for a size the log already holds (e.g. the
  // same tree re-signed). Requires size <= the stored size.
  void addCheckpoint(std::string_view origin, std::uint64_t size, std::string_view note);

  // addCosignature stores a cosignature line for (origin, size), keyed by its key name and hash;
  // a second line for the same key replaces the first. Returns false, writing nothing, when that
  // very line is already stored.
  bool addCosignature(std::string_view origin, std::uint64_t size, std::string_view keyName, std::uint32_t keyHash,
                      std::string_view line);

  // addEvidence records an equivocation; from then on the log is frozen (Snapshot::frozen).
  void addEvidence(const Evidence& evidence);

  // copyTo writes a consistent copy of the store to an empty directory while it keeps serving.
  void copyTo(const std::filesystem::path& directory) const;

  // FORMAT_VERSION is the on-disk layout version; see docs/operations.md for upgrades.
  static constexpr std::uint32_t FORMAT_VERSION = 1;

 private:
  friend class Snapshot;
  template <class F>
  void writeTxn(F&& body);
  MDB_env* env_ = nullptr;
  std::unique_ptr<detail::Tables> tables_;
  std::size_t mapSize_;
};

}  // namespace hreg::store
