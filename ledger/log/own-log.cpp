#include "ledger/log/own-log.h"

#include <fmt/format.h>

#include <future>
#include <optional>
#include <set>

#include "ledger/log/decision.h"
#include "ledger/log/parallel.h"
#include "ledger/log/subject-maps.h"
#include "ledger/note/note.h"

namespace hreg::log {

std::string signCheckpoint(const note::Checkpoint& checkpoint, const note::SignerKey& key) {
  note::Note n{checkpoint.body(), {}};
  note::signNote(n, key);
  return note::formatNote(n);
}

OwnLog::OwnLog(store::Store& store, note::SignerKey checkpointKey, const Clock& clock, unsigned verifyThreads,
               Admission* admission, std::optional<map::SubjectMap> subjects)
    : store_(store),
      checkpointKey_(std::move(checkpointKey)),
      clock_(clock),
      verifyThreads_(verifyThreads),
      admission_(admission) {
  if (checkpointKey_.type() != note::KeyType::ED25519) fail("a log's checkpoint key must be an Ed25519 note key");
  auto snapshot = store_.snapshot();
  if (auto state = snapshot.log(origin())) {
    frontier_ = merkle::Frontier::load(*snapshot.tree(origin()), state->size);
    if (frontier_.root() != state->root)
      fail(fmt::format("the stored tree of {} does not match its root; run `hreg tlog verify-store`", origin()));
    map_ = subjects ? std::move(*subjects) : subjectMapOf(snapshot, origin(), state->size);
    return;
  }
  note::Checkpoint empty = map::checkpointWith(origin(), 0, merkle::emptyRoot(), map_.root());
  store::AppendBatch batch{origin(), 0, {}, {}, empty.root, signCheckpoint(empty, checkpointKey_), {}};
  store_.append(batch);
}

// Checked is a submitted decision after stage one: parsed, and checked or refused.
struct OwnLog::Checked {
  std::optional<protocol::Parsed<schema::SignedDecision>> parsed;
  Result<CheckedDecision> check = refuse(Reason::MALFORMED_ENTRY, "not checked");
};

std::vector<OwnLog::Checked> OwnLog::checkGroup(std::span<const ByteView> group) const {
  std::vector<Checked> out(group.size());
  const crypto::PublicKey& ownKey = checkpointKey_.keyPair().publicKey();
  parallelFor(group.size(), verifyThreads_, [&](std::size_t i) {
    auto p = protocol::parseSignedDecision(group[i]);
    if (!p) {
      out[i].check = p.error();
      return;
    }
    out[i].check = checkDecision(p.value(), origin(), ownKey);
    out[i].parsed.emplace(std::move(p).value());
  });
  return out;
}

void OwnLog::commitGroup(std::vector<Checked>& group, Timestamp now, std::set<merkle::Hash>& inCall,
                         AppendOutcome& outcome) {
  store::AppendBatch batch;
  batch.origin = origin();
  batch.firstIndex = frontier_.size();
  merkle::Frontier next = frontier_;
  map::SubjectMap::Undo undo(map_);  // a refused or failed commit leaves the map as it was
  {
    auto snapshot = store_.snapshot();  // released before the write below
    for (Checked& c : group) {
      if (!c.check) {
        outcome.results.emplace_back(c.check.error());
        continue;
      }
      const merkle::Hash& dh = c.check.value().decisionHash;
      if (auto existing = snapshot.findDecision(dh); existing || inCall.count(dh)) {
        outcome.results.emplace_back(refuse(
            Reason::DUPLICATE_DECISION,
            existing ? fmt::format("this decision is already entry {} of {}", existing->index, existing->origin)
                     : std::string("this decision appears twice in one submission")));
        continue;
      }
      if (admission_ != nullptr)
        if (auto admitted = admission_->admit(origin(), c.parsed->reader(), now); !admitted) {
          outcome.results.emplace_back(admitted.error());
          continue;
        }
      inCall.insert(dh);
      std::uint64_t index = next.size();
      Bytes bytes = protocol::encodeEntryOf(index, now, c.parsed->bytes(), c.parsed->reader());
      merkle::Hash leaf = merkle::leafHash(bytes);
      next.append(leaf, batch.nodes);
      map_.record(map::keysOf(c.parsed->reader().getDecision().getBody()), index, leaf);
      batch.entries.push_back(std::move(bytes));
      batch.decisionHashes.push_back(dh);
      outcome.results.emplace_back(Appended{index, leaf});
    }
  }
  if (batch.entries.empty()) return;
  note::Checkpoint checkpoint = map::checkpointWith(origin(), next.size(), next.root(), map_.root());
  batch.newRoot = checkpoint.root;
  batch.checkpoint = signCheckpoint(checkpoint, checkpointKey_);
  store_.append(batch);  // one durable transaction; a crash before it returns leaves the previous checkpoint
  undo.keep();
  frontier_ = std::move(next);
  outcome.checkpoint = std::move(checkpoint);
  outcome.signedCheckpoint = std::move(batch.checkpoint);
}

AppendOutcome OwnLog::append(std::span<const ByteView> signedDecisions) {
  AppendOutcome outcome;
  outcome.results.reserve(signedDecisions.size());
  outcome.checkpoint = map::checkpointWith(origin(), frontier_.size(), frontier_.root(), map_.root());
  outcome.signedCheckpoint = store_.snapshot().checkpoint(origin(), frontier_.size()).value_or("");
  const Timestamp now = clock_.now();
  std::set<merkle::Hash> inCall;
  // Two stages: while group k is encoded, hashed and committed on a second thread, group k + 1 is
  // parsed and its signatures verified here. Groups commit in order, each with its own checkpoint.
  std::vector<Checked> checking, committing;
  std::future<void> commit;
  for (std::size_t at = 0; at < signedDecisions.size(); at += COMMIT_GROUP) {
    checking = checkGroup(signedDecisions.subspan(at, std::min(COMMIT_GROUP, signedDecisions.size() - at)));
    if (commit.valid()) commit.get();  // rethrows a failed commit; later groups are then not written
    committing = std::move(checking);
    commit = std::async(std::launch::async, [&] { commitGroup(committing, now, inCall, outcome); });
  }
  if (commit.valid()) commit.get();
  return outcome;
}

}  // namespace hreg::log
