#include "ledger/trust/bundle.h"

#include <fmt/format.h>
#include <kj/exception.h>

#include <set>

#include "ledger/log/decision.h"
#include "ledger/merkle/proof.h"
#include "ledger/merkle/tree.h"
#include "ledger/note/note.h"

namespace hreg::trust {
namespace {

// checkpointKeys are the keys that may have signed the log's checkpoints: the root's, or those of
// every charter of the node that the view has seen.
std::vector<note::VerifierKey> checkpointKeys(const TrustAnchor& root, std::string_view origin,
                                              const std::vector<PublicKey>& charterKeys) {
  std::vector<note::VerifierKey> keys;
  if (origin == root.origin)
    keys.push_back(note::makeVerifierKey(origin, note::KeyType::ED25519, root.checkpointKey).value());
  for (const PublicKey& k : charterKeys)
    if (auto v = note::makeVerifierKey(origin, note::KeyType::ED25519, k)) keys.push_back(v.value());
  return keys;
}

Result<note::Checkpoint> verifyCheckpoint(const LogExtract& log, std::span<const note::VerifierKey> keys) {
  HREG_TRY(n, note::parseNote(log.checkpoint));
  HREG_TRY(note::verifyNote(n, keys));
  HREG_TRY(checkpoint, note::parseCheckpoint(n.text));
  if (checkpoint.origin != log.origin)
    return refuse(Reason::WRONG_ORIGIN, fmt::format("the checkpoint given for {} is of {}", log.origin,
                                                    checkpoint.origin));
  return checkpoint;
}

}  // namespace

Result<void> verifyExtracts(const TrustAnchor& root, const std::vector<LogExtract>& logs, const AuthorityView& view,
                            const Admit& admit, const std::function<void(const ExtractEntry&)>& visit) {
  std::set<std::size_t> done;
  while (done.size() < logs.size()) {
    bool progress = false;
    for (std::size_t i = 0; i < logs.size(); ++i) {
      const LogExtract& log = logs[i];
      if (done.count(i)) continue;
      std::vector<PublicKey> chartered = view.checkpointKeysOf(log.origin);
      if (log.origin != root.origin && chartered.empty()) continue;
      auto keys = checkpointKeys(root, log.origin, chartered);
      auto checkpoint = verifyCheckpoint(log, keys);
      if (!checkpoint)
        return refuse(checkpoint.error().reason, fmt::format("the checkpoint of {}: {}", log.origin,
                                                             checkpoint.error().detail));
      for (const ProvenEntry& proven : log.entries) {
        auto where = [&](const Refusal& r) {
          return Refusal{r.reason, fmt::format("entry {} of {}: {}", proven.index, log.origin, r.detail)};
        };
        auto parsed = protocol::parseEntry(proven.entry);
        if (!parsed) return outcome::failure(where(parsed.error()));
        auto entry = parsed.value().reader();
        if (entry.getIndex() != proven.index)
          return outcome::failure(where({Reason::WRONG_INDEX, fmt::format("it says it is entry {}", entry.getIndex())}));
        if (auto ok = merkle::verifyInclusion(merkle::leafHash(proven.entry), proven.index, checkpoint.value().size,
                                              proven.proof, checkpoint.value().root); !ok)
          return outcome::failure(where(ok.error()));
        auto signedDecision = entry.getSigned();
        try {
          if (std::string_view(signedDecision.getDecision().getHeader().getOrigin().cStr()) != log.origin)
            return outcome::failure(where({Reason::WRONG_ORIGIN, "the decision names another log"}));
          auto message = protocol::signingMessage(signedDecision.getDecision());
          if (auto ok = log::verifySignatures(signedDecision, message); !ok) return outcome::failure(where(ok.error()));
        } catch (const kj::Exception& e) {
          return outcome::failure(where({Reason::MALFORMED_ENTRY, e.getDescription().cStr()}));
        }
        Result<void> admitted = admit(log.origin, signedDecision);
        visit(ExtractEntry{log, proven, checkpoint.value(), signedDecision, admitted});
      }
      done.insert(i);
      progress = true;
    }
    if (!progress) {
      std::string missing;
      for (std::size_t i = 0; i < logs.size(); ++i)
        if (!done.count(i)) missing += (missing.empty() ? "" : ", ") + logs[i].origin;
      return refuse(Reason::NOT_CHARTERED, fmt::format("no extract in the bundle charters the log(s) {}; include "
                                                       "the parent's charter entry", missing));
    }
  }
  return outcome::success();
}

Result<Verdict> verifyBundle(const TrustAnchor& root, const Bundle& bundle) {
  AuthorityView view(root);
  std::optional<Verdict> verdict;
  auto admit = [&](std::string_view origin, schema::SignedDecision::Reader decision) {
    return view.admit(origin, decision);
  };
  HREG_TRY(verifyExtracts(root, bundle.logs, view, admit, [&](const ExtractEntry& e) {
    if (e.log.origin != bundle.origin || e.proven.index != bundle.index) return;
    Verdict v;
    v.checkpoint = e.checkpoint;
    v.decidedAt = e.decision.getDecision().getHeader().getTime();
    v.authorized = e.admitted;
    for (auto sig : e.decision.getSignatures()) {
      PublicKey key;
      auto id = sig.getKeyId();
      std::copy(id.begin(), id.end(), key.begin());
      if (auto g = view.officialAt(e.log.origin, key, v.decidedAt)) v.signers.push_back(g.value());
    }
    verdict = std::move(v);
  }));
  // A revocation appended after the decision, but effective before the decision's date, still makes
  // it unauthorized: check the signers again with everything the bundle holds.
  if (verdict && verdict->authorized) {
    auto signedDecision = std::find_if(bundle.logs.begin(), bundle.logs.end(), [&](const LogExtract& l) {
      return l.origin == bundle.origin;
    });
    for (const ProvenEntry& proven : signedDecision->entries) {
      if (proven.index != bundle.index) continue;
      auto parsed = protocol::parseEntry(proven.entry).value();
      auto kind = parsed.reader().getSigned().getDecision().getBody().which();
      if (SigningRules::defaults().ruleFor(kind).signers != Signers::OFFICIALS) break;
      for (auto sig : parsed.reader().getSigned().getSignatures()) {
        PublicKey key;
        auto id = sig.getKeyId();
        std::copy(id.begin(), id.end(), key.begin());
        if (auto official = view.officialAt(bundle.origin, key, verdict->decidedAt); !official) {
          verdict->authorized = outcome::failure(official.error());
          break;
        }
      }
    }
  }
  if (!verdict)
    return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("the bundle holds no entry {} of {}", bundle.index,
                                                          bundle.origin));
  return std::move(*verdict);
}

LogExtract extractLog(const store::Snapshot& snapshot, std::string_view origin, std::span<const std::uint64_t> indexes) {
  auto state = snapshot.log(origin);
  if (!state) fail(fmt::format("the store holds no log {}", origin));
  LogExtract out{std::string(origin), snapshot.checkpoint(origin, state->checkpointSize).value_or(""), {}};
  auto tree = snapshot.tree(origin);
  merkle::Prover prover(*tree, state->checkpointSize);
  for (std::uint64_t index : indexes) {
    auto entry = snapshot.entry(origin, index);
    if (!entry || index >= state->checkpointSize) fail(fmt::format("{} has no entry {} under its checkpoint", origin, index));
    out.entries.push_back({index, Bytes(entry->begin(), entry->end()), prover.inclusionProof(index)});
  }
  return out;
}

}  // namespace hreg::trust
