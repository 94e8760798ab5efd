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

}  // namespace hreg::log
