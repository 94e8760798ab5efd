#pragma once
// C2SP tlog-cosignature, cosignature/v1: a witness's (here: the parent node's) timestamped
// signature of a checkpoint. The signed message is
//   cosignature/v1\ntime <decimal UTC seconds>\n<checkpoint body>
// and the signature line carries base64(4-byte key hash || 8-byte big-endian time || 64-byte
// Ed25519 signature), with the key hash computed for key type 0x04.
#include <string>
#include <string_view>

#include "ledger/note/note.h"
#include "protocol/core/clock.h"

namespace hreg::note {

// cosignedMessage is the byte string a cosigner signs.
[[nodiscard]] std::string cosignedMessage(std::string_view checkpointBody, std::uint64_t time);

// cosign makes the cosignature line of `signer` (type COSIGNATURE_V1) on a checkpoint body.
[[nodiscard]] NoteSignature cosign(const SignerKey& signer, std::string_view checkpointBody, Timestamp time);

// verifyCosignature checks one cosignature by `key` (type COSIGNATURE_V1) and returns its time.
// Refuses MALFORMED_COSIGNATURE for a wrong length or key type, BAD_SIGNATURE when it does not verify.
[[nodiscard]] Result<Timestamp> verifyCosignature(const VerifierKey& key, std::string_view checkpointBody,
                                                  const NoteSignature& sig);

}  // namespace hreg::note
