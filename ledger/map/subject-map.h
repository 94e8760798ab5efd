#pragma once
// A log's subject map (docs/formats.md, "Subject maps"): a sparse Merkle tree from each subject an
// entry of the log is about (and from the log's authority records) to the newest such entry and a
// hash chain over all of them. Its root is committed in every checkpoint of the log, so a proof from
// the map says exactly which entries a bundle must hold: a node cannot leave a revocation out.
// The map is a function of the log's entries alone; any auditor recomputes it.
#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/hash.h"
#include "ledger/note/checkpoint.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::map {

using merkle::Hash;
using Key = merkle::Hash;

// subjectKey is SHA-256("subject\n" || identifier); authorityKey is SHA-256("authority\n"), the key
// of the log's authority records.
[[nodiscard]] Key subjectKey(std::string_view subject);
[[nodiscard]] Key authorityKey();

struct Value {
  std::uint64_t count = 0;   // entries under the key
  std::uint64_t newest = 0;  // index of the newest of them
  Hash chain{};              // chain_k = SHA-256(0x02 || chain_{k-1} || leaf hash of the k-th)
  friend bool operator==(const Value&, const Value&) = default;
};

// chainNext is the chain after one more entry whose RFC 9162 leaf hash is `leaf`.
[[nodiscard]] Hash chainNext(const Hash& chain, const Hash& leaf);
// extend is `value` after entry `index`, whose leaf hash is `leaf`.
[[nodiscard]] Value extend(const Value& value, std::uint64_t index, const Hash& leaf);

struct Leaf {
  Key key{};
  Value value;
  friend bool operator==(const Leaf&, const Leaf&) = default;
};

// leafHash is SHA-256(0x00 || key || count u64 BE || newest u64 BE || chain).
[[nodiscard]] Hash leafHash(const Leaf& leaf);

// The root of the empty map, and of every empty subtree: 32 zero bytes.
inline constexpr Hash EMPTY{};

// Proof is a key's path from the root: sibling hashes top-down and where the path ends.
struct Proof {
  std::vector<Hash> siblings;
  std::optional<Leaf> terminal;  // nullopt: an empty subtree
};

// verify checks `proof` for `key` against `root`: the key's value, or nullopt when the map does not
// hold the key. Refuses MALFORMED_PROOF (more than 256 siblings, a terminal off the key's path) and
// ROOT_MISMATCH.
[[nodiscard]] Result<std::optional<Value>> verify(const Hash& root, const Key& key, const Proof& proof);

// SubjectMap is one log's map in memory, hashed lazily: set marks a path, root rehashes it.
class SubjectMap {
 public:
  SubjectMap();
  SubjectMap(SubjectMap&&) noexcept;
  SubjectMap& operator=(SubjectMap&&) noexcept;
  ~SubjectMap();

  [[nodiscard]] std::optional<Value> get(const Key& key) const;
  void set(const Key& key, const Value& value);
  void erase(const Key& key);
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] Hash root() const;
  [[nodiscard]] Proof prove(const Key& key) const;

  // record adds entry `index` (leaf hash `leaf`) under each of `keys`: what appending it does.
  void record(std::span<const Key> keys, std::uint64_t index, const Hash& leaf);

  // Undo remembers the values the keys had before the records made while it lives, and puts them
  // back when dropped without keep(): a batch that is refused or fails to commit leaves no trace.
  class Undo {
   public:
    explicit Undo(SubjectMap& map) : map_(&map) { map.undo_ = this; }
    Undo(const Undo&) = delete;
    Undo& operator=(const Undo&) = delete;
    ~Undo();
    void keep() noexcept { kept_ = true; }

   private:
    friend class SubjectMap;
    SubjectMap* map_;
    std::vector<std::pair<Key, std::optional<Value>>> before_;
    bool kept_ = false;
  };

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::size_t size_ = 0;
  Undo* undo_ = nullptr;
};

// keysOf are the map keys of a decision: the subject keys of the subjects it is about (once each)
// and the authority key when it is an authority record.
[[nodiscard]] std::vector<Key> keysOf(schema::Body::Reader body);

// subjectsOf is the subjects a record is about: its `subject`, or its `subjects` (a notice, a panel
// draw); none for trust, policy and pool records. Found by reflection, so every record kind that has
// such a field counts, present or added later.
[[nodiscard]] std::vector<std::string> subjectsOf(schema::Body::Reader body);

// isAuthorityRecord: a record a verifier needs to judge others (trust root, charters, grants, their
// revocations, policy).
[[nodiscard]] bool isAuthorityRecord(schema::Body::Which kind) noexcept;

// The checkpoint line: "hreg-map/v1 <base64 root>", a checkpoint's one extension line.
[[nodiscard]] std::string checkpointLine(const Hash& root);
// rootOf is the map root a checkpoint commits to. Refuses MAP_MISMATCH when it carries none.
[[nodiscard]] Result<Hash> rootOf(const note::Checkpoint& checkpoint);
// checkpointWith is the checkpoint (origin, size, tree root) committing to `mapRoot`.
[[nodiscard]] note::Checkpoint checkpointWith(std::string origin, std::uint64_t size, const Hash& treeRoot,
                                              const Hash& mapRoot);

}  // namespace hreg::map
