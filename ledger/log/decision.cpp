#include "ledger/log/decision.h"

#include <fmt/format.h>

#include <algorithm>

namespace hreg::log {

merkle::Hash decisionHash(const protocol::SigningMessage& message) { return crypto::sha256(message.bytes()); }

Result<void> verifySignatures(schema::SignedDecision::Reader signedDecision, const protocol::SigningMessage& message) {
  auto signatures = signedDecision.getSignatures();
  if (signatures.size() == 0)
    return refuse(Reason::UNSIGNED_ENTRY, "the decision carries no signature; officials sign it with `hreg sign`");
  for (auto sig : signatures) {
    auto key = sig.getKeyId();
    auto bytes = sig.getSignature();
    if (!crypto::verify(ByteView(key.begin(), key.size()), message.bytes(), ByteView(bytes.begin(), bytes.size())))
      return refuse(Reason::BAD_SIGNATURE, fmt::format("the signature by key {} does not verify: the decision was "
                                                       "altered after signing, or the signature is forged",
                                                       toHex(ByteView(key.begin(), key.size()))));
  }
  return outcome::success();
}

namespace {

// check's `canonical` is the decision's canonical SignedDecision (entry == false) or Entry (entry ==
// true) bytes, to cut the signing message from; nullptr: re-encode it.
Result<CheckedDecision> check(schema::SignedDecision::Reader signedDecision, std::string_view origin,
                              const crypto::PublicKey& checkpointKey, const ByteView* canonical, bool entry = false) {
  try {
    HREG_TRY(protocol::checkSignatureShapes(signedDecision.getSignatures()));
    auto decision = signedDecision.getDecision();
    std::string_view decisionOrigin(decision.getHeader().getOrigin().cStr());
    if (decisionOrigin != origin)
      return refuse(Reason::WRONG_ORIGIN, fmt::format("the decision is for log '{}', not '{}'; submit it to the "
                                                      "node of that office", decisionOrigin, origin));
    for (auto sig : signedDecision.getSignatures()) {
      auto key = sig.getKeyId();
      if (std::equal(key.begin(), key.end(), checkpointKey.begin(), checkpointKey.end()))
        return refuse(Reason::CHECKPOINT_KEY_SIGNED, "the node's checkpoint key signed this decision; that key signs "
                                                     "checkpoints only, decisions are signed by officials");
    }
    auto message = canonical == nullptr ? protocol::signingMessage(decision)
                   : entry              ? protocol::signingMessageOfEntry(*canonical, decision)
                                        : protocol::signingMessageOf(*canonical, decision);
    HREG_TRY(verifySignatures(signedDecision, message));
    return CheckedDecision{decisionHash(message)};
  } catch (const kj::Exception& e) {
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("unreadable decision: {}", e.getDescription().cStr()));
  }
}

}  // namespace

Result<CheckedDecision> checkDecision(schema::SignedDecision::Reader signedDecision, std::string_view origin,
                                      const crypto::PublicKey& checkpointKey) {
  return check(signedDecision, origin, checkpointKey, nullptr);
}

Result<CheckedDecision> checkDecision(const protocol::Parsed<schema::SignedDecision>& parsed, std::string_view origin,
                                      const crypto::PublicKey& checkpointKey) {
  ByteView bytes = parsed.bytes();
  return check(parsed.reader(), origin, checkpointKey, &bytes);
}

Result<CheckedEntry> checkEntry(ByteView entryBytes, std::uint64_t index, std::string_view origin,
                                const crypto::PublicKey* checkpointKey) {
  auto parsed = protocol::parseEntry(entryBytes);
  if (!parsed) return refuse(parsed.error().reason, fmt::format("entry {}: {}", index, parsed.error().detail));
  try {
    auto entry = parsed.value().reader();
    if (entry.getIndex() != index)
      return refuse(Reason::WRONG_INDEX, fmt::format("entry {} says it is entry {}", index, entry.getIndex()));
    static constexpr crypto::PublicKey NO_KEY{};
    auto checked = check(entry.getSigned(), origin, checkpointKey != nullptr ? *checkpointKey : NO_KEY, &entryBytes,
                         true);
    if (!checked) return refuse(checked.error().reason, fmt::format("entry {}: {}", index, checked.error().detail));
    CheckedEntry out{merkle::leafHash(entryBytes), checked.value().decisionHash,
                     std::size_t{entry.getSigned().getSignatures().size()}, entry.getSequencedAt(), nullptr};
    out.parsed = std::make_shared<const protocol::Parsed<schema::Entry>>(std::move(parsed).value());
    return out;
  } catch (const kj::Exception& e) {
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("entry {} is unreadable: {}", index, e.getDescription().cStr()));
  }
}

}  // namespace hreg::log
