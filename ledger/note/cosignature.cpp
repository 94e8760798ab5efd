#include "ledger/note/cosignature.h"

#include <fmt/format.h>

namespace hreg::note {
namespace {
constexpr std::size_t COSIGNATURE_BYTES = 8 + crypto::SIGNATURE_BYTES;
}

std::string cosignedMessage(std::string_view checkpointBody, std::uint64_t time) {
  return fmt::format("cosignature/v1\ntime {}\n{}", time, checkpointBody);
}

NoteSignature cosign(const SignerKey& signer, std::string_view checkpointBody, Timestamp time) {
  if (signer.type() != KeyType::COSIGNATURE_V1 || time < 0)
    fail("cosign needs a cosignature/v1 key and a time after 1970");
  auto t = static_cast<std::uint64_t>(time);
  auto sig = signer.keyPair().sign(asBytes(cosignedMessage(checkpointBody, t)));
  Bytes payload(8);
  putBigEndian64(t, payload.data());
  payload.insert(payload.end(), sig.begin(), sig.end());
  return NoteSignature{signer.name(), signer.verifier().hash, std::move(payload)};
}

Result<Timestamp> verifyCosignature(const VerifierKey& key, std::string_view checkpointBody, const NoteSignature& sig) {
  if (key.type != KeyType::COSIGNATURE_V1)
    return refuse(Reason::MALFORMED_COSIGNATURE, fmt::format("{} is not a cosignature/v1 key", key.name));
  if (sig.signature.size() != COSIGNATURE_BYTES)
    return refuse(Reason::MALFORMED_COSIGNATURE, fmt::format("a cosignature/v1 signature has {} bytes after the key "
                                                             "hash, not {}", sig.signature.size(), COSIGNATURE_BYTES));
  std::uint64_t time = getBigEndian64(sig.signature.data());
  if (time > static_cast<std::uint64_t>(INT64_MAX))
    return refuse(Reason::MALFORMED_COSIGNATURE, "the cosignature's time does not fit in 63 bits");
  ByteView ed25519(sig.signature.data() + 8, crypto::SIGNATURE_BYTES);
  if (!crypto::verify(ByteView(key.key), asBytes(cosignedMessage(checkpointBody, time)), ed25519))
    return refuse(Reason::BAD_SIGNATURE, fmt::format("the cosignature by {} does not verify", key.name));
  return static_cast<Timestamp>(time);
}

}  // namespace hreg::note
