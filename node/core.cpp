#include "node/core.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/log/subject-maps.h"
#include "ledger/merkle/tree.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"
#include "ledger/rules/replay.h"
#include "protocol/canonical.h"

namespace hreg::node {

// Views are rebuilt together: the policy view reads the authority view, the admission both.
struct Core::Views {
  explicit Views(const trust::TrustAnchor& root) : authority(root), policy(authority), admission(authority, policy) {}
  trust::AuthorityView authority;
  rules::PolicyView policy;
  rules::RegistryAdmission admission;
};

// Forwarding is the admission the own log holds: it asks whatever views are current, and counts
// the questions so that a refused replica batch knows whether the views saw part of it.
class Core::Forwarding final : public log::Admission {
 public:
  explicit Forwarding(const std::unique_ptr<Views>& views) : views_(views) {}
  Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision, Timestamp sequencedAt) override {
    ++asked;
    return views_->admission.admit(origin, decision, sequencedAt);
  }
  std::uint64_t asked = 0;

 private:
  const std::unique_ptr<Views>& views_;
};

Core::Core(store::Store& store, note::SignerKey checkpointKey, trust::TrustAnchor root, const Clock& clock,
           unsigned verifyThreads, std::shared_ptr<spdlog::logger> log)
    : store_(store),
      checkpointKey_(std::move(checkpointKey)),
      cosigningKey_(note::SignerKey::fromSeed(checkpointKey_.name(), note::KeyType::COSIGNATURE_V1,
                                              checkpointKey_.keyPair().seed())),
      root_(std::move(root)),
      clock_(clock),
      verifyThreads_(verifyThreads),
      log_(std::move(log)) {
  rebuildViews();
  forwarding_ = std::make_unique<Forwarding>(views_);
  reloadOwnLog();
}

Core::~Core() = default;

const trust::AuthorityView& Core::authority() const { return views_->authority; }

void Core::rebuildViews() {
  auto views = std::make_unique<Views>(root_);
  auto snapshot = store_.snapshot();
  auto report = rules::replay({&snapshot}, views->admission, views->authority);
  for (const auto& [where, refusal] : report.refused)
    log_->error("replay-refused entry={} reason={} detail=\"{}\"", where, reasonName(refusal.reason), refusal.detail);
  log_->info("views-rebuilt logs={} entries={} unchartered={}", report.logs, report.entries, report.unchartered.size());
  views_ = std::move(views);
}

void Core::reloadOwnLog() {
  // Recovery fetched the own log as a replica: its map, kept batch by batch, goes to the own log.
  std::optional<map::SubjectMap> subjects;
  if (auto fetched = replicaMaps_.find(checkpointKey_.name()); fetched != replicaMaps_.end()) {
    subjects = std::move(fetched->second);
    replicaMaps_.erase(fetched);
  }
  ownLog_ = std::make_unique<log::OwnLog>(
      store_, note::SignerKey::fromSeed(checkpointKey_.name(), note::KeyType::ED25519, checkpointKey_.keyPair().seed()),
      clock_, verifyThreads_, forwarding_.get(), std::move(subjects));
}

Result<Submitted> Core::submit(ByteView signedDecision) {
  if (!holdReason_.empty()) return refuse(Reason::NODE_NOT_READY, holdReason_);
  if (store_.snapshot().frozen(origin()))
    return refuse(Reason::LOG_FROZEN, "this node's own log has evidence of equivocation (GET /v1/evidence): its "
                                      "checkpoint key signed two histories; appending is stopped until an authority "
                                      "resolves it");
  // The lifecycle's hard rules, against what this node holds about the subject (node/registry.h).
  {
    auto parsed = protocol::parseSignedDecision(signedDecision);
    if (!parsed) return outcome::failure(parsed.error());
    auto snapshot = store_.snapshot();
    subjects_.update(snapshot);
    auto admitted = lifecycleAdmits(snapshot, subjects_, views_->policy, parsed.value().reader().getDecision(),
                                    clock_.now());
    if (!admitted) return outcome::failure(admitted.error());
  }
  const ByteView one[] = {signedDecision};
  log::AppendOutcome outcome;
  try {
    outcome = ownLog_->append(one);
  } catch (const Fault& fault) {
    // The views may have recorded the decision before the commit failed: rebuild them from the store.
    log_->error("append-failed detail=\"{}\"", fault.what());
    rebuildViews();
    throw;
  }
  auto& result = outcome.results.front();
  if (!result) return outcome::failure(result.error());
  Submitted out;
  out.index = result.value().index;
  out.leafHash = result.value().leafHash;
  out.checkpoint = outcome.signedCheckpoint;
  auto snapshot = store_.snapshot();
  out.proof = merkle::inclusionProof(*snapshot.tree(origin()), out.index, outcome.checkpoint.size);
  log_->info("appended index={} size={}", out.index, outcome.checkpoint.size);
  return out;
}

Result<note::VerifierKey> Core::checkpointKeyOf(std::string_view logOrigin) const {
  if (logOrigin == origin()) return checkpointKey_.verifier();
  const Timestamp now = clock_.now();
  const trust::TrustAnchor& anchor = views_->authority.rootAt(now);
  if (logOrigin == anchor.origin) return note::makeVerifierKey(logOrigin, note::KeyType::ED25519, anchor.checkpointKey);
  auto node = views_->authority.nodeAt(logOrigin, now);
  if (!node)
    return refuse(Reason::NOT_CHARTERED, fmt::format("no charter in force names the log '{}' (yet): its charter "
                                                     "may still be on its way down",
                                                     logOrigin));
  return note::makeVerifierKey(logOrigin, note::KeyType::ED25519, node->checkpointKey);
}

int Core::depth(std::string_view logOrigin) const {
  int d = 0;
  std::string at(logOrigin);
  for (auto by = views_->authority.charteredBy(at); by && d < 8; by = views_->authority.charteredBy(at)) {
    at = *by;
    ++d;
  }
  return d;
}

Result<std::vector<note::VerifierKey>> Core::checkpointKeysOf(std::string_view logOrigin) const {
  HREG_TRY(now, checkpointKeyOf(logOrigin));
  std::vector<note::VerifierKey> keys{now};
  for (const crypto::PublicKey& k : views_->authority.checkpointKeysOf(logOrigin))
    if (k != now.key) keys.push_back(note::makeVerifierKey(logOrigin, note::KeyType::ED25519, k).value());
  return keys;
}

bool Core::isAncestor(std::string_view ancestor, std::string_view logOrigin) const {
  std::string at(logOrigin);
  for (int depth = 0; depth < 8; ++depth) {  // root, province, prefecture, county, township
    auto by = views_->authority.charteredBy(at);
    if (!by) return false;
    if (*by == ancestor) return true;
    at = *by;
  }
  return false;
}

std::optional<std::string> Core::childWithKey(const crypto::PublicKey& key) const {
  auto node = views_->authority.nodeWithCheckpointKey(key, clock_.now());
  if (!node || views_->authority.charteredBy(*node) != origin()) return std::nullopt;
  return node;
}

std::optional<Head> Core::head(std::string_view logOrigin) const {
  auto snapshot = store_.snapshot();
  auto state = snapshot.log(logOrigin);
  if (!state) return std::nullopt;
  Head h;
  h.origin = std::string(logOrigin);
  h.size = state->checkpointSize;
  h.root = state->checkpointSize == state->size ? state->root
                                                : merkle::rootHash(*snapshot.tree(logOrigin), state->checkpointSize);
  h.checkpoint = snapshot.checkpoint(logOrigin, state->checkpointSize).value_or("");
  h.cosignatures = snapshot.cosignatures(logOrigin, state->checkpointSize);
  h.frozen = snapshot.frozen(logOrigin);
  return h;
}

std::vector<Head> Core::heads() const {
  std::vector<Head> out;
  for (const std::string& o : store_.snapshot().origins())
    if (auto h = head(o)) out.push_back(std::move(*h));
  return out;
}

Result<Batch> Core::serve(std::string_view logOrigin, std::uint64_t from, std::uint32_t limit,
                          std::uint32_t hardLimit, std::size_t maxBytes) const {
  Batch batch;
  batch.snapshot = std::make_shared<store::Snapshot>(store_.snapshot());
  const store::Snapshot& snapshot = *batch.snapshot;
  auto state = snapshot.log(logOrigin);
  if (!state || from >= state->checkpointSize)
    return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("no checkpoint of '{}' beyond size {} is held", logOrigin,
                                                          from));
  // End at the largest checkpoint within `limit`, else at the first one beyond it.
  std::uint64_t end = 0;
  auto within = snapshot.checkpointSizes(logOrigin, from + 1, std::min(from + limit, state->checkpointSize));
  if (!within.empty()) {
    end = within.back();
  } else {
    auto beyond = snapshot.checkpointSizes(logOrigin, from + 1, std::min(from + hardLimit, state->checkpointSize));
    if (beyond.empty())
      return refuse(Reason::LIMIT_EXCEEDED, fmt::format("no checkpoint of '{}' within {} entries of {}", logOrigin,
                                                        hardLimit, from));
    end = beyond.front();
  }
  batch.from = from;
  batch.entries.reserve(end - from);
  snapshot.forEachEntry(logOrigin, from, end, [&](std::uint64_t, ByteView bytes) {
    batch.entries.push_back(bytes);
    return true;
  });
  // A batch must fit in one frame: end at an earlier checkpoint if these entries are too many bytes.
  std::size_t bytes = 0;
  std::uint64_t fits = from;
  for (std::size_t i = 0; i < batch.entries.size() && bytes + batch.entries[i].size() + 16 <= maxBytes; ++i) {
    bytes += batch.entries[i].size() + 16;
    fits = from + i + 1;
  }
  if (fits < end) {
    auto sizes = snapshot.checkpointSizes(logOrigin, from + 1, fits);
    if (sizes.empty())
      return refuse(Reason::LIMIT_EXCEEDED, fmt::format("the entries of '{}' from {} to its next checkpoint exceed "
                                                        "{} bytes", logOrigin, from, maxBytes));
    end = sizes.back();
    batch.entries.resize(end - from);
  }
  batch.checkpoint = snapshot.checkpoint(logOrigin, end).value();
  batch.cosignatures = snapshot.cosignatures(logOrigin, end);
  return batch;
}

const map::SubjectMap& Core::subjectMap(const std::string& origin) {
  return origin == this->origin() ? ownLog_->subjectMap() : replicaMap(origin);
}

map::SubjectMap& Core::replicaMap(const std::string& origin) {
  auto it = replicaMaps_.find(origin);
  if (it == replicaMaps_.end()) {
    auto snapshot = store_.snapshot();
    std::uint64_t size = snapshot.log(origin) ? snapshot.log(origin)->size : 0;
    it = replicaMaps_.emplace(origin, log::subjectMapOf(snapshot, origin, size)).first;
  }
  return it->second;
}

namespace {

bool sameKeys(std::span<const note::VerifierKey> a, std::span<const note::VerifierKey> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const note::VerifierKey& x, const note::VerifierKey& y) {
    return x.name == y.name && x.key == y.key;
  });
}

}  // namespace

Result<Received> Core::receive(const log::ReplicaBatch& batch, std::span<const std::string> cosignatures, bool cosign,
                               const Result<log::CheckedBatch>* prechecked,
                               std::span<const note::VerifierKey> precheckedWith) {
  HREG_TRY(keys, checkpointKeysOf(batch.origin));
  // A charter that came in meanwhile may have changed the log's keys: then the check is redone.
  if (prechecked != nullptr && !sameKeys(keys, precheckedWith)) prechecked = nullptr;
  log::ReplicaOptions options;
  options.verifyThreads = verifyThreads_;
  options.admission = forwarding_.get();
  options.now = clock_.now();
  const std::uint64_t askedBefore = forwarding_->asked;
  Result<note::Checkpoint> accepted = refuse(Reason::MALFORMED_ENTRY, "not checked");
  try {
    options.map = &replicaMap(batch.origin);  // recomputed from the store the first time: may find damage
    if (prechecked == nullptr) {
      accepted = log::acceptReplica(store_, batch, keys, options);
    } else if (!*prechecked) {
      accepted = outcome::failure(prechecked->error());
    } else {
      accepted = log::commitReplica(store_, batch, prechecked->value(), options);
    }
  } catch (const Fault& fault) {
    log_->error("replica-commit-failed origin={} detail=\"{}\"", batch.origin, fault.what());
    rebuildViews();
    throw;
  }
  if (!accepted) {
    // The views may have recorded the first entries of a batch they then refused.
    if (forwarding_->asked != askedBefore) rebuildViews();
    if (accepted.error().reason == Reason::MAP_MISMATCH) keepFalseMap(batch, accepted.error().detail);
    return outcome::failure(accepted.error());
  }
  Received out{accepted.value(), std::nullopt};
  addCosignatures(batch.origin, out.checkpoint.size, cosignatures);
  if (cosign) {
    auto line = note::formatNote(note::Note{"", {note::cosign(cosigningKey_, out.checkpoint.body(), clock_.now())}});
    line.erase(0, 1);  // formatNote writes the blank line that separates text and signatures
    addCosignatures(batch.origin, out.checkpoint.size, std::span<const std::string>(&line, 1));
    out.cosignature = line;
  }
  log_->info("replica-accepted origin={} size={} entries={}", batch.origin, out.checkpoint.size, batch.entries.size());
  return out;
}

void Core::keepFalseMap(const log::ReplicaBatch& batch, const std::string& detail) {
  // Only a checkpoint that carries a map line says something false; one without says nothing.
  auto parsed = note::parseNote(batch.checkpoint);
  if (!parsed) return;
  auto checkpoint = note::parseCheckpoint(parsed.value().text);
  if (!checkpoint || !map::rootOf(checkpoint.value())) return;
  store::Evidence evidence;
  evidence.origin = batch.origin;
  auto snapshot = store_.snapshot();
  if (auto held = snapshot.log(batch.origin)) evidence.held = snapshot.checkpoint(batch.origin, held->checkpointSize).value_or("");
  evidence.conflicting = batch.checkpoint;
  evidence.detectedAt = clock_.now();
  evidence.detail = fmt::format("a checkpoint signed by the log's key commits to a subject map its entries do not give "
                                "({})", detail);
  store_.addEvidence(evidence);
  log_->critical("false-subject-map origin={} size={} action=frozen", batch.origin, checkpoint.value().size);
}

Result<log::Comparison::Kind> Core::witness(std::string_view signedNote) {
  HREG_TRY(parsed, note::parseNote(signedNote));
  HREG_TRY(claimed, note::parseCheckpoint(parsed.text));
  HREG_TRY(keys, checkpointKeysOf(claimed.origin));
  HREG_TRY(checkpoint, log::verifyCheckpoint(signedNote, keys, claimed.origin));
  auto snapshot = store_.snapshot();
  auto comparison = log::compareCheckpoint(snapshot, checkpoint, signedNote, clock_.now());
  switch (comparison.kind) {
    case log::Comparison::Kind::UNKNOWN:
      return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("this node holds no replica of '{}'", checkpoint.origin));
    case log::Comparison::Kind::CONFLICT: {
      store_.addEvidence(*comparison.evidence);
      log_->critical("equivocation origin={} size={} detail=\"{}\" action=frozen", checkpoint.origin, checkpoint.size,
                     comparison.evidence->detail);
      return refuse(Reason::EQUIVOCATION, fmt::format("{}: {}; the log is frozen at its last good checkpoint and the "
                                                      "evidence kept (GET /v1/evidence)",
                                                      checkpoint.origin, comparison.evidence->detail));
    }
    default:
      return comparison.kind;
  }
}

std::optional<Timestamp> Core::cosignatureTime(std::string_view line) {
  auto parsed = note::parseNote(fmt::format("x\n\n{}", line));
  if (!parsed || parsed.value().signatures.size() != 1) return std::nullopt;
  const Bytes& sig = parsed.value().signatures.front().signature;
  if (sig.size() != 8 + crypto::SIGNATURE_BYTES) return std::nullopt;
  return static_cast<Timestamp>(getBigEndian64(sig.data()));
}

std::size_t Core::addCosignatures(std::string_view logOrigin, std::uint64_t size, std::span<const std::string> lines) {
  if (lines.empty()) return 0;
  auto snapshot = store_.snapshot();
  auto state = snapshot.log(logOrigin);
  auto signedNote = snapshot.checkpoint(logOrigin, size);
  if (!state || !signedNote) return 0;
  auto body = note::parseNote(*signedNote).value().text;
  auto held = snapshot.cosignatures(logOrigin, size);
  std::size_t added = 0;
  for (const std::string& line : lines) {
    if (std::find(held.begin(), held.end(), line.ends_with('\n') ? line : line + "\n") != held.end()) continue;
    auto parsed = note::parseNote(fmt::format("{}\n{}", body, line));
    if (!parsed || parsed.value().signatures.size() != 1) {
      log_->warn("cosignature-dropped origin={} size={} reason=malformed", logOrigin, size);
      continue;
    }
    const note::NoteSignature& sig = parsed.value().signatures.front();
    auto signerKey = checkpointKeyOf(sig.name);
    auto verifier = signerKey ? note::makeVerifierKey(sig.name, note::KeyType::COSIGNATURE_V1, signerKey.value().key)
                              : Result<note::VerifierKey>(outcome::failure(signerKey.error()));
    auto verified = verifier ? note::verifyCosignature(verifier.value(), body, sig)
                             : Result<Timestamp>(outcome::failure(verifier.error()));
    if (!verified) {
      log_->warn("cosignature-dropped origin={} size={} cosigner={} reason={} detail=\"{}\"", logOrigin, size, sig.name,
                 reasonName(verified.error().reason), verified.error().detail);
      continue;
    }
    std::string stored = line.ends_with('\n') ? line : line + "\n";
    if (store_.addCosignature(logOrigin, size, sig.name, sig.hash, stored)) ++added;
  }
  return added;
}

std::vector<store::Evidence> Core::evidence() const { return store_.snapshot().evidence(); }

rules::SubjectBundle Core::subjectBundle(std::string_view subject) {
  auto snapshot = store_.snapshot();
  subjects_.update(snapshot);
  rules::SubjectBundle bundle =
      subjects_.bundle(snapshot, authority(), root_.origin, subject,
                       [this](const std::string& origin) -> const map::SubjectMap& { return subjectMap(origin); });
  bundle.answeredBy = origin();
  bundle.answeredAt = clock_.now();
  return bundle;
}

std::vector<SubjectState> Core::registry(std::string_view region, Timestamp asOf) {
  auto snapshot = store_.snapshot();
  subjects_.update(snapshot);
  return registryStates(snapshot, subjects_, views_->policy, region, asOf);
}

rules::EffectivePolicy Core::policyAt(std::string_view origin, Timestamp time) const {
  return views_->policy.at(origin, time);
}

std::vector<trust::OfficialGrant> Core::officials(std::string_view origin) const {
  return authority().officialsOf(origin);
}

}  // namespace hreg::node
