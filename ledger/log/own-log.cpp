#include "ledger/log/own-log.h"

#include <fmt/format.h>

#include <optional>
#include <set>

#include "ledger/log/decision.h"
#include "ledger/log/parallel.h"
#include "ledger/note/note.h"

namespace hreg::log {

std::string signCheckpoint(const note::Checkpoint& checkpoint, const note::SignerKey& key) {
  note::Note n{checkpoint.body(), {}};
  note::signNote(n, key);
  return note::formatNote(n);
}

OwnLog::OwnLog(store::Store& store, note::SignerKey checkpointKey, const Clock& clock, unsigned verifyThreads)
    : store_(store), checkpointKey_(std::move(checkpointKey)), clock_(clock), verifyThreads_(verifyThreads) {
  if (checkpointKey_.type() != note::KeyType::ED25519) fail("a log's checkpoint key must be an Ed25519 note key");
  auto snapshot = store_.snapshot();
  if (auto state = snapshot.log(origin())) {
    frontier_ = merkle::Frontier::load(*snapshot.tree(origin()), state->size);
    if (frontier_.root() != state->root)
      fail(fmt::format("the stored tree of {} does not match its root; run `hreg tlog verify-store`", origin()));
    return;
  }
  note::Checkpoint empty{origin(), 0, merkle::emptyRoot(), {}};
  store::AppendBatch batch{origin(), 0, {}, {}, empty.root, signCheckpoint(empty, checkpointKey_), {}};
  store_.append(batch);
}

AppendOutcome OwnLog::append(std::span<const ByteView> signedDecisions) {
  const std::size_t n = signedDecisions.size();
  std::vector<std::optional<protocol::Parsed<schema::SignedDecision>>> parsed(n);
  std::vector<Result<CheckedDecision>> checked(n, refuse(Reason::MALFORMED_ENTRY, "not checked"));
  const crypto::PublicKey& ownKey = checkpointKey_.keyPair().publicKey();
  parallelFor(n, verifyThreads_, [&](std::size_t i) {
    auto p = protocol::parseSignedDecision(signedDecisions[i]);
    if (!p) {
      checked[i] = p.error();
      return;
    }
    checked[i] = checkDecision(p.value().reader(), origin(), ownKey);
    parsed[i].emplace(std::move(p).value());
  });

  AppendOutcome outcome;
  store::AppendBatch batch;
  batch.origin = origin();
  batch.firstIndex = frontier_.size();
  merkle::Frontier next = frontier_;
  std::optional<store::Snapshot> snapshot = store_.snapshot();
  std::set<merkle::Hash> inBatch;
  const Timestamp now = clock_.now();
  for (std::size_t i = 0; i < n; ++i) {
    if (!checked[i]) {
      outcome.results.emplace_back(checked[i].error());
      continue;
    }
    const merkle::Hash& dh = checked[i].value().decisionHash;
    if (auto existing = snapshot->findDecision(dh); existing || inBatch.count(dh)) {
      outcome.results.emplace_back(refuse(
          Reason::DUPLICATE_DECISION,
          existing ? fmt::format("this decision is already entry {} of {}", existing->index, existing->origin)
                   : std::string("this decision appears twice in one submission")));
      continue;
    }
    inBatch.insert(dh);
    std::uint64_t index = next.size();
    Bytes bytes = protocol::encodeEntry(index, now, parsed[i]->reader());
    merkle::Hash leaf = merkle::leafHash(bytes);
    next.append(leaf, batch.nodes);
    batch.entries.push_back(std::move(bytes));
    batch.decisionHashes.push_back(dh);
    outcome.results.emplace_back(Appended{index, leaf});
  }
  outcome.checkpoint = note::Checkpoint{origin(), next.size(), next.root(), {}};
  if (batch.entries.empty()) {
    outcome.signedCheckpoint = snapshot->checkpoint(origin(), next.size()).value_or("");
    return outcome;
  }
  batch.newRoot = outcome.checkpoint.root;
  batch.checkpoint = signCheckpoint(outcome.checkpoint, checkpointKey_);
  outcome.signedCheckpoint = batch.checkpoint;
  snapshot.reset();      // no read transaction outlives its use
  store_.append(batch);  // one durable transaction; a crash before it returns leaves the old checkpoint
  frontier_ = std::move(next);
  return outcome;
}

}  // namespace hreg::log
