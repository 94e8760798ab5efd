#include "ledger/map/subject-map.h"

#include <capnp/dynamic.h>
#include <fmt/format.h>

#include <algorithm>

namespace hreg::map {
namespace {

constexpr std::size_t KEY_BITS = 256;
constexpr std::string_view LINE_PREFIX = "hreg-map/v1 ";

bool bit(const Key& key, std::size_t depth) { return (key[depth / 8] >> (7 - depth % 8)) & 1; }

void putU64(std::array<std::uint8_t, 8>& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
}

Hash innerHash(const Hash& left, const Hash& right) {
  static constexpr std::uint8_t INNER = 0x01;
  return crypto::sha256({ByteView(&INNER, 1), left, right});
}

bool samePrefix(const Key& a, const Key& b, std::size_t bits) {
  for (std::size_t i = 0; i < bits; ++i)
    if (bit(a, i) != bit(b, i)) return false;
  return true;
}

}  // namespace

Key subjectKey(std::string_view subject) { return crypto::sha256({asBytes("subject\n"), asBytes(subject)}); }

Key authorityKey() { return crypto::sha256(asBytes("authority\n")); }

Hash chainNext(const Hash& chain, const Hash& leaf) {
  static constexpr std::uint8_t CHAIN = 0x02;
  return crypto::sha256({ByteView(&CHAIN, 1), chain, leaf});
}

Value extend(const Value& value, std::uint64_t index, const Hash& leaf) {
  return Value{value.count + 1, index, chainNext(value.chain, leaf)};
}

Hash leafHash(const Leaf& leaf) {
  static constexpr std::uint8_t LEAF = 0x00;
  std::array<std::uint8_t, 8> count, newest;
  putU64(count, leaf.value.count);
  putU64(newest, leaf.value.newest);
  return crypto::sha256({ByteView(&LEAF, 1), leaf.key, count, newest, leaf.value.chain});
}

Result<std::optional<Value>> verify(const Hash& root, const Key& key, const Proof& proof) {
  const std::size_t depth = proof.siblings.size();
  if (depth > KEY_BITS)
    return refuse(Reason::MALFORMED_PROOF, fmt::format("a map proof of {} siblings (at most {})", depth, KEY_BITS));
  if (proof.terminal && proof.terminal->key != key && !samePrefix(proof.terminal->key, key, depth))
    return refuse(Reason::MALFORMED_PROOF, "the map proof ends at a leaf off the asked key's path");
  Hash at = proof.terminal ? leafHash(*proof.terminal) : EMPTY;
  for (std::size_t d = depth; d-- > 0;)
    at = bit(key, d) ? innerHash(proof.siblings[d], at) : innerHash(at, proof.siblings[d]);
  if (at != root) return refuse(Reason::ROOT_MISMATCH, "the map proof does not lead to the checkpoint's map root");
  if (proof.terminal && proof.terminal->key == key) return std::optional<Value>(proof.terminal->value);
  return std::optional<Value>();
}

// A subtree holds either one leaf (`leaf`, no children) or two or more (children, at least one).
struct SubjectMap::Node {
  std::optional<Leaf> leaf;
  std::unique_ptr<Node> child[2];
  mutable Hash hash{};
  mutable bool fresh = false;  // `hash` is up to date

  const Hash& hashed() const {
    if (!fresh) {
      hash = leaf ? leafHash(*leaf)
                  : innerHash(child[0] ? child[0]->hashed() : EMPTY, child[1] ? child[1]->hashed() : EMPTY);
      fresh = true;
    }
    return hash;
  }
};

SubjectMap::SubjectMap() = default;
SubjectMap::SubjectMap(SubjectMap&&) noexcept = default;
SubjectMap& SubjectMap::operator=(SubjectMap&&) noexcept = default;
SubjectMap::~SubjectMap() = default;

std::optional<Value> SubjectMap::get(const Key& key) const {
  const Node* n = root_.get();
  for (std::size_t d = 0; n != nullptr; ++d) {
    if (n->leaf) return n->leaf->key == key ? std::optional<Value>(n->leaf->value) : std::nullopt;
    n = n->child[bit(key, d)].get();
  }
  return std::nullopt;
}

void SubjectMap::set(const Key& key, const Value& value) {
  if (undo_ != nullptr) undo_->before_.emplace_back(key, get(key));
  std::unique_ptr<Node>* slot = &root_;
  for (std::size_t d = 0;; ++d) {
    Node* n = slot->get();
    if (n == nullptr) {
      *slot = std::make_unique<Node>();
      (*slot)->leaf = Leaf{key, value};
      ++size_;
      return;
    }
    n->fresh = false;
    if (n->leaf) {
      if (n->leaf->key == key) {
        n->leaf->value = value;
        return;
      }
      // Two leaves now share this subtree: push the one held down to where the keys part.
      auto held = std::make_unique<Node>();
      held->leaf = std::move(n->leaf);
      n->leaf.reset();
      n->child[bit(held->leaf->key, d)] = std::move(held);
    }
    slot = &n->child[bit(key, d)];
  }
}

void SubjectMap::erase(const Key& key) {
  if (undo_ != nullptr) undo_->before_.emplace_back(key, get(key));
  // Walk down, then collapse upward: a subtree left with one leaf becomes that leaf.
  std::vector<std::unique_ptr<Node>*> path;
  std::unique_ptr<Node>* slot = &root_;
  for (std::size_t d = 0; *slot != nullptr && !(*slot)->leaf; ++d) {
    path.push_back(slot);
    (*slot)->fresh = false;
    slot = &(*slot)->child[bit(key, d)];
  }
  if (*slot == nullptr || (*slot)->leaf->key != key) return;
  slot->reset();
  --size_;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    Node& n = ***it;
    int children = (n.child[0] != nullptr) + (n.child[1] != nullptr);
    std::unique_ptr<Node>& only = n.child[0] ? n.child[0] : n.child[1];
    if (children == 0) (*it)->reset();
    else if (children == 1 && only->leaf) **it = std::move(only);
    else break;
  }
}

Hash SubjectMap::root() const { return root_ ? root_->hashed() : EMPTY; }

Proof SubjectMap::prove(const Key& key) const {
  Proof proof;
  const Node* n = root_.get();
  for (std::size_t d = 0; n != nullptr; ++d) {
    if (n->leaf) {
      proof.terminal = n->leaf;
      break;
    }
    const Node* sibling = n->child[!bit(key, d)].get();
    proof.siblings.push_back(sibling ? sibling->hashed() : EMPTY);
    n = n->child[bit(key, d)].get();
  }
  return proof;
}

void SubjectMap::record(std::span<const Key> keys, std::uint64_t index, const Hash& leaf) {
  for (const Key& k : keys) set(k, extend(get(k).value_or(Value{}), index, leaf));
}

SubjectMap::Undo::~Undo() {
  map_->undo_ = nullptr;
  if (kept_) return;
  for (auto it = before_.rbegin(); it != before_.rend(); ++it) {
    if (it->second) map_->set(it->first, *it->second);
    else map_->erase(it->first);
  }
}

std::vector<std::string> subjectsOf(schema::Body::Reader body) {
  std::vector<std::string> out;
  capnp::DynamicStruct::Reader dynamic = body;
  KJ_IF_MAYBE (field, dynamic.which()) {
    if (field->getType().which() != capnp::schema::Type::STRUCT) return out;
    auto record = dynamic.get(*field).as<capnp::DynamicStruct>();
    auto schema = record.getSchema();
    KJ_IF_MAYBE (subject, schema.findFieldByName("subject")) {
      if (subject->getType().isText()) {
        std::string s = record.get(*subject).as<capnp::Text>().cStr();
        if (!s.empty()) out.push_back(std::move(s));
      }
    }
    KJ_IF_MAYBE (subjects, schema.findFieldByName("subjects")) {
      if (subjects->getType().isList() && subjects->getType().asList().getElementType().isText())
        for (auto s : record.get(*subjects).as<capnp::DynamicList>()) out.emplace_back(s.as<capnp::Text>().cStr());
    }
  }
  return out;
}

bool isAuthorityRecord(schema::Body::Which kind) noexcept {
  using W = schema::Body::Which;
  return kind == W::TRUST_ROOT || kind == W::CHARTER || kind == W::CHARTER_REVOCATION || kind == W::GRANT ||
         kind == W::GRANT_REVOCATION || kind == W::POLICY;
}

std::vector<Key> keysOf(schema::Body::Reader body) {
  std::vector<Key> keys;
  for (const std::string& s : subjectsOf(body)) keys.push_back(subjectKey(s));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (isAuthorityRecord(body.which())) keys.push_back(authorityKey());
  return keys;
}

std::string checkpointLine(const Hash& root) { return fmt::format("{}{}", LINE_PREFIX, toBase64(root)); }

Result<Hash> rootOf(const note::Checkpoint& checkpoint) {
  if (checkpoint.extensions.size() != 1 || !checkpoint.extensions.front().starts_with(LINE_PREFIX))
    return refuse(Reason::MAP_MISMATCH, fmt::format("the checkpoint of {} at size {} commits to no subject map (its one "
                                                    "extension line must be \"{}<base64 root>\")",
                                                    checkpoint.origin, checkpoint.size, LINE_PREFIX));
  auto bytes = fromBase64(std::string_view(checkpoint.extensions.front()).substr(LINE_PREFIX.size()));
  if (!bytes || bytes->size() != merkle::HASH_BYTES)
    return refuse(Reason::MAP_MISMATCH, fmt::format("the subject map line of {} at size {} is not 32 bytes of base64",
                                                    checkpoint.origin, checkpoint.size));
  Hash root;
  std::copy(bytes->begin(), bytes->end(), root.begin());
  return root;
}

note::Checkpoint checkpointWith(std::string origin, std::uint64_t size, const Hash& treeRoot, const Hash& mapRoot) {
  return note::Checkpoint{std::move(origin), size, treeRoot, {checkpointLine(mapRoot)}};
}

}  // namespace hreg::map
