#pragma once
// C2SP signed-note: a UTF-8 text ending in a newline, a blank line, then signature lines
//   — <key name> <base64(4-byte key hash || signature)>
// (U+2014 EM DASH, a space, the name, a space, the base64). Example (the spec's own):
//   This is an example message.
//
//   — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=
// The only code that writes or parses note text. Verification trusts nothing in the note itself:
// the caller names the keys it trusts, and signatures by other keys are carried but ignored.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/note/key.h"

namespace hreg::note {

struct NoteSignature {
  std::string name;
  KeyHash hash;
  Bytes signature;  // what follows the key hash: 64 bytes for Ed25519, 72 for cosignature/v1
};

struct Note {
  std::string text;  // ends with '\n'
  std::vector<NoteSignature> signatures;
};

// checkNoteText refuses (MALFORMED_NOTE) text that is not UTF-8, holds control characters other
// than '\n', or does not end with '\n'.
[[nodiscard]] Result<void> checkNoteText(std::string_view text);

// parseNote splits a signed note into its text and signature lines, checking the grammar only
// (no signature is verified). Refuses with MALFORMED_NOTE naming the bad line, LIMIT_EXCEEDED
// beyond limits::MAX_NOTE_BYTES or MAX_NOTE_SIGNATURES.
[[nodiscard]] Result<Note> parseNote(std::string_view message);

// formatNote writes the note as text, signatures in order.
[[nodiscard]] std::string formatNote(const Note& note);

// signNote adds an Ed25519 (type 0x01) signature by `signer` over the note's text.
// Requires signer.type() == KeyType::ED25519 and valid text.
void signNote(Note& note, const SignerKey& signer);

// verifyNote checks every signature made by a key in `trusted` and returns those keys.
// Cosignature/v1 keys are checked as tlog-cosignature says (the text is a checkpoint body).
// Refuses BAD_SIGNATURE if a trusted key's signature fails, NO_TRUSTED_SIGNATURE when no trusted key signed.
[[nodiscard]] Result<std::vector<VerifierKey>> verifyNote(const Note& note, std::span<const VerifierKey> trusted);

}  // namespace hreg::note
