#include "ledger/log/signing.h"

namespace hreg::log {

Bytes addSignature(schema::SignedDecision::Reader signedDecision, const crypto::KeyPair& key) {
  auto signature = key.sign(protocol::signingMessage(signedDecision.getDecision()).bytes());
  capnp::MallocMessageBuilder builder;
  auto out = builder.initRoot<schema::SignedDecision>();
  out.setDecision(signedDecision.getDecision());
  auto old = signedDecision.getSignatures();
  auto sigs = out.initSignatures(old.size() + 1);
  for (unsigned i = 0; i < old.size(); ++i) sigs.setWithCaveats(i, old[i]);
  const auto& pk = key.publicKey();
  sigs[old.size()].setKeyId(capnp::Data::Reader(pk.data(), pk.size()));
  sigs[old.size()].setSignature(capnp::Data::Reader(signature.data(), signature.size()));
  return protocol::canonicalBytes(out.asReader());
}

Bytes signedDecision(std::string_view origin, Timestamp time, const FillBody& fill,
                     const std::vector<const crypto::KeyPair*>& signers) {
  capnp::MallocMessageBuilder builder;
  auto draft = builder.initRoot<schema::SignedDecision>();
  auto header = draft.initDecision().initHeader();
  header.setOrigin(capnp::Text::Reader(origin.data(), origin.size()));
  header.setTime(time);
  fill(draft.getDecision().initBody());
  Bytes bytes = protocol::canonicalBytes(draft.asReader());
  for (const crypto::KeyPair* key : signers)
    bytes = addSignature(protocol::parseSignedDecision(bytes).value().reader(), *key);
  return bytes;
}

}  // namespace hreg::log
