#include "ledger/store/store.h"

#include <fmt/format.h>
#include <lmdb.h>

#include <algorithm>
#include <cstring>

namespace hreg::store {
namespace {

void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) throw Fault(Fault::Kind::FAILED, fmt::format("store: {}: {}", what, mdb_strerror(rc)));
}

MDB_val val(ByteView b) { return MDB_val{b.size(), const_cast<std::uint8_t*>(b.data())}; }
MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
ByteView view(const MDB_val& v) { return {static_cast<const std::uint8_t*>(v.mv_data), v.mv_size}; }

// Keys are big-endian so LMDB's byte order is log order.
struct Key {
  std::uint8_t bytes[64];
  std::size_t size = 0;
  Key& u32(std::uint32_t v) {
    for (int i = 3; i >= 0; --i) bytes[size++] = static_cast<std::uint8_t>(v >> (8 * i));
    return *this;
  }
  Key& u64(std::uint64_t v) {
    putBigEndian64(v, bytes + size);
    size += 8;
    return *this;
  }
  Key& u8(std::uint8_t v) {
    bytes[size++] = v;
    return *this;
  }
  Key& raw(ByteView b) {
    std::memcpy(bytes + size, b.data(), b.size());
    size += b.size();
    return *this;
  }
  MDB_val mdb() { return MDB_val{size, bytes}; }
};

// nodeKey is where a subtree hash is stored. The hashes of the six lowest levels are grouped by the
// 64 leaves they cover, so the lower half of a proof (and of an append) reads one or two pages
// instead of six scattered ones; the higher levels, few and shared by every proof, follow apart.
constexpr std::uint8_t GROUPED_LEVELS = 6;
Key nodeKey(std::uint32_t logId, merkle::NodeId id) {
  Key k;
  k.u32(logId);
  if (id.level < GROUPED_LEVELS)
    k.u8(0).u64((id.index << id.level) >> GROUPED_LEVELS).u8(id.level).u64(id.index);
  else
    k.u8(1).u8(id.level).u64(id.index);
  return k;
}

std::uint32_t getU32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// A log's record in the `logs` table: id(4) size(8) root(32) checkpointSize(8).
constexpr std::size_t LOG_RECORD_BYTES = 4 + 8 + 32 + 8;
struct LogRecord {
  std::uint32_t id;
  LogState state;
};

LogRecord decodeLog(const MDB_val& v) {
  if (v.mv_size != LOG_RECORD_BYTES) fail("store: a log record has the wrong length; the store is damaged");
  auto p = static_cast<const std::uint8_t*>(v.mv_data);
  LogRecord r{getU32(p), {}};
  r.state.size = getBigEndian64(p + 4);
  std::memcpy(r.state.root.data(), p + 12, 32);
  r.state.checkpointSize = getBigEndian64(p + 44);
  return r;
}

std::array<std::uint8_t, LOG_RECORD_BYTES> encodeLog(const LogRecord& r) {
  std::array<std::uint8_t, LOG_RECORD_BYTES> out{};
  Key k;
  k.u32(r.id).u64(r.state.size).raw(r.state.root).u64(r.state.checkpointSize);
  std::memcpy(out.data(), k.bytes, LOG_RECORD_BYTES);
  return out;
}

bool get(MDB_txn* txn, MDB_dbi dbi, MDB_val key, MDB_val& out) {
  int rc = mdb_get(txn, dbi, &key, &out);
  if (rc == MDB_NOTFOUND) return false;
  check(rc, "read");
  return true;
}

// MapFull asks writeTxn to grow the map and run the transaction again.
struct MapFull {};

void put(MDB_txn* txn, MDB_dbi dbi, MDB_val key, MDB_val value, unsigned flags = 0) {
  int rc = mdb_put(txn, dbi, &key, &value, flags);
  if (rc == MDB_MAP_FULL) throw MapFull{};
  check(rc, "write");
}

class Cursor {
 public:
  Cursor(MDB_txn* txn, MDB_dbi dbi) { check(mdb_cursor_open(txn, dbi, &cursor_), "open cursor"); }
  ~Cursor() { mdb_cursor_close(cursor_); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  bool seek(MDB_val key, MDB_val& k, MDB_val& v) {
    k = key;
    return step(mdb_cursor_get(cursor_, &k, &v, MDB_SET_RANGE));
  }
  bool next(MDB_val& k, MDB_val& v) { return step(mdb_cursor_get(cursor_, &k, &v, MDB_NEXT)); }
  bool first(MDB_val& k, MDB_val& v) { return step(mdb_cursor_get(cursor_, &k, &v, MDB_FIRST)); }

 private:
  static bool step(int rc) {
    if (rc == MDB_NOTFOUND) return false;
    check(rc, "cursor");
    return true;
  }
  MDB_cursor* cursor_ = nullptr;
};

}  // namespace

namespace detail {
struct Tables {
  MDB_dbi meta, logs, entries, nodes, checkpoints, cosignatures, decisions;
  MDB_dbi evidence = 0;  // 0: a read-only open of a store written before evidence existed
};
}  // namespace detail

namespace {

std::optional<LogRecord> findLog(MDB_txn* txn, const detail::Tables& t, std::string_view origin) {
  MDB_val v;
  if (!get(txn, t.logs, val(origin), v)) return std::nullopt;
  return decodeLog(v);
}

class TreeReader final : public merkle::HashReader {
 public:
  TreeReader(MDB_txn* txn, MDB_dbi nodes, std::uint32_t id) : txn_(txn), nodes_(nodes), id_(id) {}
  merkle::Hash readHash(merkle::NodeId node) const override {
    Key k = nodeKey(id_, node);
    MDB_val v;
    if (!get(txn_, nodes_, k.mdb(), v) || v.mv_size != merkle::HASH_BYTES)
      fail(fmt::format("store: the hash of subtree (level {}, index {}) is missing; the store is damaged", node.level,
                       node.index));
    merkle::Hash h;
    std::memcpy(h.data(), v.mv_data, h.size());
    return h;
  }

 private:
  MDB_txn* txn_;
  MDB_dbi nodes_;
  std::uint32_t id_;
};

// An empty tree reader for logs the store does not hold yet.
class EmptyReader final : public merkle::HashReader {
 public:
  merkle::Hash readHash(merkle::NodeId) const override { fail("store: no such log"); }
};

}  // namespace

Store::Store(const Options& options) : tables_(std::make_unique<detail::Tables>()), mapSize_(options.mapSize) {
  if (!options.readOnly) std::filesystem::create_directories(options.directory);
  check(mdb_env_create(&env_), "create environment");
  try {
    check(mdb_env_set_maxdbs(env_, 16), "set table count");
    check(mdb_env_set_mapsize(env_, mapSize_), "set map size");
    // MDB_NOTLS: read transactions are not tied to threads (Asio may resume a handler elsewhere).
    unsigned flags = MDB_NOTLS | (options.readOnly ? MDB_RDONLY : 0u);
    int rc = mdb_env_open(env_, options.directory.c_str(), flags, 0640);
    if (rc != MDB_SUCCESS)
      fail(fmt::format("cannot open the store in {}: {}; check the path and its permissions",
                       options.directory.string(), mdb_strerror(rc)));
    MDB_txn* txn;
    check(mdb_txn_begin(env_, nullptr, options.readOnly ? MDB_RDONLY : 0u, &txn), "begin");
    unsigned create = options.readOnly ? 0u : MDB_CREATE;
    auto open = [&](const char* name, MDB_dbi& dbi) {
      int orc = mdb_dbi_open(txn, name, create, &dbi);
      if (orc != MDB_SUCCESS) {
        mdb_txn_abort(txn);
        fail(fmt::format("{} is not an hreg store (table {}: {})", options.directory.string(), name,
                         mdb_strerror(orc)));
      }
    };
    open("meta", tables_->meta);
    open("logs", tables_->logs);
    open("entries", tables_->entries);
    open("nodes", tables_->nodes);
    open("checkpoints", tables_->checkpoints);
    open("cosignatures", tables_->cosignatures);
    open("decisions", tables_->decisions);
    if (int erc = mdb_dbi_open(txn, "evidence", create, &tables_->evidence); erc != MDB_SUCCESS) {
      if (!(options.readOnly && erc == MDB_NOTFOUND)) {
        mdb_txn_abort(txn);
        fail(fmt::format("{}: cannot open table evidence: {}", options.directory.string(), mdb_strerror(erc)));
      }
      tables_->evidence = 0;
    }
    MDB_val v;
    if (get(txn, tables_->meta, val(std::string_view("format")), v)) {
      std::uint32_t format = v.mv_size == 4 ? getU32(static_cast<const std::uint8_t*>(v.mv_data)) : 0;
      if (format != FORMAT_VERSION) {
        mdb_txn_abort(txn);
        fail(fmt::format("the store in {} has format version {}; this hreg reads version {}. See "
                         "docs/operations.md, \"Upgrading the store\"", options.directory.string(), format,
                         FORMAT_VERSION));
      }
    } else if (!options.readOnly) {
      Key k;
      k.u32(FORMAT_VERSION);
      put(txn, tables_->meta, val(std::string_view("format")), k.mdb());
    }
    check(mdb_txn_commit(txn), "commit");
  } catch (...) {
    mdb_env_close(env_);
    throw;
  }
}

Store::~Store() { mdb_env_close(env_); }

template <class F>
void Store::writeTxn(F&& body) {
  for (int attempt = 0;; ++attempt) {
    MDB_txn* txn;
    check(mdb_txn_begin(env_, nullptr, 0, &txn), "begin write");
    int rc;
    try {
      body(txn);
      rc = mdb_txn_commit(txn);  // durable on return: LMDB syncs the data and meta pages
    } catch (const MapFull&) {
      mdb_txn_abort(txn);
      rc = MDB_MAP_FULL;
    } catch (...) {
      mdb_txn_abort(txn);
      throw;
    }
    if (rc == MDB_MAP_FULL && attempt < 8) {  // grow the map and run the whole body again
      mapSize_ *= 2;
      check(mdb_env_set_mapsize(env_, mapSize_), "grow map");
      continue;
    }
    check(rc, "commit");
    return;
  }
}

Snapshot Store::snapshot() const {
  MDB_txn* txn;
  check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "begin read");
  return Snapshot(*this, txn);
}

LogState Store::append(const AppendBatch& batch) {
  if (!batch.decisionHashes.empty() && batch.decisionHashes.size() != batch.entries.size())
    fail("store: append needs one decision hash per entry, or none");
  LogState result;
  writeTxn([&](MDB_txn* txn) {
    const detail::Tables& t = *tables_;
    auto record = findLog(txn, t, batch.origin);
    if (!record) {
      MDB_val v;
      std::uint32_t next = 0;
      if (get(txn, t.meta, val(std::string_view("next-log-id")), v) && v.mv_size == 4)
        next = getU32(static_cast<const std::uint8_t*>(v.mv_data));
      record = LogRecord{next, {0, merkle::emptyRoot(), 0}};
      Key k;
      k.u32(next + 1);
      put(txn, t.meta, val(std::string_view("next-log-id")), k.mdb());
    }
    if (record->state.size != batch.firstIndex)
      fail(fmt::format("store: append to {} at {} but the log holds {} entries (another writer?)", batch.origin,
                       batch.firstIndex, record->state.size));
    std::uint32_t id = record->id;
    for (std::size_t i = 0; i < batch.entries.size(); ++i) {
      Key k;
      k.u32(id).u64(batch.firstIndex + i);
      put(txn, t.entries, k.mdb(), val(ByteView(batch.entries[i])));
      if (!batch.decisionHashes.empty()) {
        Bytes ref(8);
        putBigEndian64(batch.firstIndex + i, ref.data());
        ref.insert(ref.end(), batch.origin.begin(), batch.origin.end());
        put(txn, t.decisions, val(ByteView(batch.decisionHashes[i])), val(ByteView(ref)));
      }
    }
    for (const merkle::StoredHash& node : batch.nodes) {
      Key k = nodeKey(id, node.id);
      put(txn, t.nodes, k.mdb(), val(ByteView(node.hash)));
    }
    std::uint64_t newSize = batch.firstIndex + batch.entries.size();
    if (!batch.checkpoint.empty()) {
      Key k;
      k.u32(id).u64(newSize);
      put(txn, t.checkpoints, k.mdb(), val(std::string_view(batch.checkpoint)));
      record->state.checkpointSize = newSize;
    }
    record->state.size = newSize;
    record->state.root = batch.newRoot;
    auto encoded = encodeLog(*record);
    put(txn, t.logs, val(std::string_view(batch.origin)), val(ByteView(encoded)));
    result = record->state;
    // A crash before the commit that follows leaves the store exactly as before this batch.
  });
  return result;
}

void Store::addCheckpoint(std::string_view origin, std::uint64_t size, std::string_view note) {
  writeTxn([&](MDB_txn* txn) {
    auto record = findLog(txn, *tables_, origin);
    if (!record || size > record->state.size)
      fail(fmt::format("store: no entries of {} up to size {} to attach a checkpoint to", origin, size));
    Key k;
    k.u32(record->id).u64(size);
    put(txn, tables_->checkpoints, k.mdb(), val(note));
    if (size > record->state.checkpointSize) {
      record->state.checkpointSize = size;
      auto encoded = encodeLog(*record);
      put(txn, tables_->logs, val(origin), val(ByteView(encoded)));
    }
  });
}

bool Store::addCosignature(std::string_view origin, std::uint64_t size, std::string_view keyName,
                           std::uint32_t keyHash, std::string_view line) {
  {
    auto snapshot = this->snapshot();
    for (const std::string& held : snapshot.cosignatures(origin, size))
      if (held == line) return false;
  }
  writeTxn([&](MDB_txn* txn) {
    auto record = findLog(txn, *tables_, origin);
    if (!record || size > record->state.size)
      fail(fmt::format("store: no checkpoint of {} at size {} to attach a cosignature to", origin, size));
    Key k;
    k.u32(record->id).u64(size).u32(keyHash).raw(asBytes(keyName.substr(0, 40)));
    put(txn, tables_->cosignatures, k.mdb(), val(line));
  });
  return true;
}

namespace {

// Evidence records: key origin || 0x00 || u64 detectedAt || u32 sequence; value: three strings
// (held, conflicting, detail), each as a u64 length and its bytes.
void putString(Bytes& out, std::string_view s) {
  std::uint8_t len[8];
  putBigEndian64(s.size(), len);
  out.insert(out.end(), len, len + 8);
  out.insert(out.end(), s.begin(), s.end());
}

std::string takeString(ByteView& in) {
  if (in.size() < 8) fail("store: an evidence record is damaged");
  std::uint64_t n = getBigEndian64(in.data());
  if (in.size() - 8 < n) fail("store: an evidence record is damaged");
  std::string s(asChars(in.subspan(8, n)));
  in = in.subspan(8 + n);
  return s;
}

}  // namespace

void Store::addEvidence(const Evidence& evidence) {
  writeTxn([&](MDB_txn* txn) {
    Bytes key(evidence.origin.begin(), evidence.origin.end());
    key.push_back(0);
    std::uint8_t t[8];
    putBigEndian64(static_cast<std::uint64_t>(evidence.detectedAt), t);
    key.insert(key.end(), t, t + 8);
    // A sequence number keeps two findings of the same second apart.
    Cursor c(txn, tables_->evidence);
    std::uint32_t sequence = 0;
    MDB_val k, v;
    for (bool ok = c.seek(val(ByteView(key)), k, v); ok; ok = c.next(k, v)) {
      auto found = view(k);
      if (found.size() != key.size() + 4 || !std::equal(key.begin(), key.end(), found.begin())) break;
      sequence = getU32(found.data() + key.size()) + 1;
    }
    for (int i = 3; i >= 0; --i) key.push_back(static_cast<std::uint8_t>(sequence >> (8 * i)));
    Bytes value;
    putString(value, evidence.held);
    putString(value, evidence.conflicting);
    putString(value, evidence.detail);
    put(txn, tables_->evidence, val(ByteView(key)), val(ByteView(value)));
  });
}

void Store::copyTo(const std::filesystem::path& directory) const {
  std::filesystem::create_directories(directory);
  check(mdb_env_copy2(env_, directory.c_str(), MDB_CP_COMPACT), "copy");
}

Snapshot::Snapshot(Snapshot&& other) noexcept : store_(other.store_), txn_(other.txn_) { other.txn_ = nullptr; }

Snapshot::~Snapshot() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
}

std::optional<LogState> Snapshot::log(std::string_view origin) const {
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record) return std::nullopt;
  return record->state;
}

std::vector<std::string> Snapshot::origins() const {
  std::vector<std::string> out;
  Cursor c(txn_, store_->tables_->logs);
  MDB_val k, v;
  for (bool ok = c.first(k, v); ok; ok = c.next(k, v)) out.emplace_back(asChars(view(k)));
  return out;
}

std::optional<ByteView> Snapshot::entry(std::string_view origin, std::uint64_t index) const {
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record || index >= record->state.size) return std::nullopt;
  Key k;
  k.u32(record->id).u64(index);
  MDB_val v;
  if (!get(txn_, store_->tables_->entries, k.mdb(), v))
    fail(fmt::format("store: entry {} of {} is missing; the store is damaged", index, origin));
  return view(v);
}

void Snapshot::forEachEntry(std::string_view origin, std::uint64_t from, std::uint64_t to,
                            const std::function<bool(std::uint64_t, ByteView)>& visit) const {
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record) return;
  to = std::min(to, record->state.size);
  if (from >= to) return;
  Cursor c(txn_, store_->tables_->entries);
  Key start;
  start.u32(record->id).u64(from);
  MDB_val k, v;
  std::uint64_t expected = from;
  for (bool ok = c.seek(start.mdb(), k, v); ok && expected < to; ok = c.next(k, v), ++expected) {
    auto key = view(k);
    if (key.size() != 12 || getU32(key.data()) != record->id || getBigEndian64(key.data() + 4) != expected)
      fail(fmt::format("store: entry {} of {} is missing; the store is damaged", expected, origin));
    if (!visit(expected, view(v))) return;
  }
  if (expected < to) fail(fmt::format("store: entry {} of {} is missing; the store is damaged", expected, origin));
}

std::optional<std::string> Snapshot::checkpoint(std::string_view origin, std::uint64_t size) const {
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record) return std::nullopt;
  Key k;
  k.u32(record->id).u64(size);
  MDB_val v;
  if (!get(txn_, store_->tables_->checkpoints, k.mdb(), v)) return std::nullopt;
  return std::string(asChars(view(v)));
}

std::vector<std::string> Snapshot::cosignatures(std::string_view origin, std::uint64_t size) const {
  std::vector<std::string> out;
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record) return out;
  Key prefix;
  prefix.u32(record->id).u64(size);
  Cursor c(txn_, store_->tables_->cosignatures);
  MDB_val k, v;
  for (bool ok = c.seek(prefix.mdb(), k, v); ok; ok = c.next(k, v)) {
    auto key = view(k);
    if (key.size() < prefix.size || std::memcmp(key.data(), prefix.bytes, prefix.size) != 0) break;
    out.emplace_back(asChars(view(v)));
  }
  return out;
}

std::vector<std::uint64_t> Snapshot::checkpointSizes(std::string_view origin, std::uint64_t from,
                                                     std::uint64_t to) const {
  std::vector<std::uint64_t> out;
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record || from > to) return out;
  Key start;
  start.u32(record->id).u64(from);
  Cursor c(txn_, store_->tables_->checkpoints);
  MDB_val k, v;
  for (bool ok = c.seek(start.mdb(), k, v); ok; ok = c.next(k, v)) {
    auto key = view(k);
    if (key.size() != 12 || getU32(key.data()) != record->id) break;
    std::uint64_t size = getBigEndian64(key.data() + 4);
    if (size > to) break;
    out.push_back(size);
  }
  return out;
}

std::vector<Evidence> Snapshot::evidence(std::string_view origin) const {
  std::vector<Evidence> out;
  if (store_->tables_->evidence == 0) return out;
  Cursor c(txn_, store_->tables_->evidence);
  Bytes prefix(origin.begin(), origin.end());
  if (!origin.empty()) prefix.push_back(0);
  MDB_val k, v;
  bool ok = origin.empty() ? c.first(k, v) : c.seek(val(ByteView(prefix)), k, v);
  for (; ok; ok = c.next(k, v)) {
    auto key = view(k);
    if (key.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), key.begin())) break;
    auto zero = std::find(key.begin(), key.end(), std::uint8_t{0});
    if (zero == key.end() || key.end() - zero != 13) fail("store: an evidence key is damaged");
    Evidence e;
    e.origin.assign(key.begin(), zero);
    e.detectedAt = static_cast<Timestamp>(getBigEndian64(&*zero + 1));
    ByteView rest = view(v);
    e.held = takeString(rest);
    e.conflicting = takeString(rest);
    e.detail = takeString(rest);
    out.push_back(std::move(e));
  }
  return out;
}

bool Snapshot::frozen(std::string_view origin) const { return !origin.empty() && !evidence(origin).empty(); }

std::optional<DecisionRef> Snapshot::findDecision(const merkle::Hash& decisionHash) const {
  MDB_val v;
  if (!get(txn_, store_->tables_->decisions, val(ByteView(decisionHash)), v)) return std::nullopt;
  auto b = view(v);
  if (b.size() < 8) fail("store: a decision reference is damaged");
  return DecisionRef{std::string(asChars(b.subspan(8))), getBigEndian64(b.data())};
}

std::unique_ptr<merkle::HashReader> Snapshot::tree(std::string_view origin) const {
  auto record = findLog(txn_, *store_->tables_, origin);
  if (!record) return std::make_unique<EmptyReader>();
  return std::make_unique<TreeReader>(txn_, store_->tables_->nodes, record->id);
}

}  // namespace hreg::store
