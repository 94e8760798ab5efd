#include "ledger/note/note.h"

#include <fmt/format.h>

#include "ledger/note/cosignature.h"
#include "ledger/note/text.h"
#include "protocol/limits.h"

namespace hreg::note {
namespace {

constexpr std::string_view SIGNATURE_PREFIX = "\xe2\x80\x94 ";  // U+2014 EM DASH, space

Result<NoteSignature> parseSignatureLine(std::string_view line, std::size_t number) {
  if (!line.starts_with(SIGNATURE_PREFIX))
    return refuse(Reason::MALFORMED_NOTE, fmt::format("signature line {} does not start with an em dash (U+2014) and "
                                                      "a space", number));
  line.remove_prefix(SIGNATURE_PREFIX.size());
  auto space = line.find(' ');
  if (space == std::string_view::npos)
    return refuse(Reason::MALFORMED_NOTE, fmt::format("signature line {} has no space between name and signature",
                                                      number));
  std::string_view name = line.substr(0, space), encoded = line.substr(space + 1);
  if (!validKeyName(name))
    return refuse(Reason::MALFORMED_NOTE, fmt::format("signature line {} names an invalid key '{}'", number, name));
  auto raw = fromBase64(encoded);
  if (!raw || raw->size() < 5)
    return refuse(Reason::MALFORMED_NOTE, fmt::format("signature line {} by {} is not base64 of a key hash and a "
                                                      "signature", number, name));
  return NoteSignature{std::string(name), readKeyHash(raw->data()), Bytes(raw->begin() + 4, raw->end())};
}

bool verifyOne(const VerifierKey& key, std::string_view text, const NoteSignature& sig) {
  switch (key.type) {
    case KeyType::ED25519:
      return crypto::verify(ByteView(key.key), asBytes(text), ByteView(sig.signature));
    case KeyType::COSIGNATURE_V1:
      return verifyCosignature(key, text, sig).has_value();
  }
  return false;
}

}  // namespace

Result<void> checkNoteText(std::string_view text) {
  if (text.size() > limits::MAX_NOTE_BYTES)
    return refuse(Reason::LIMIT_EXCEEDED, fmt::format("a note of {} bytes is over the limit of {}", text.size(),
                                                      limits::MAX_NOTE_BYTES));
  if (!validUtf8(text)) return refuse(Reason::MALFORMED_NOTE, "the note text is not valid UTF-8");
  if (containsControl(text))
    return refuse(Reason::MALFORMED_NOTE, "the note text holds a control character other than newline");
  if (text.empty() || text.back() != '\n')
    return refuse(Reason::MALFORMED_NOTE, "the note text must end with a newline");
  return outcome::success();
}

Result<Note> parseNote(std::string_view message) {
  if (message.size() > limits::MAX_NOTE_BYTES)
    return refuse(Reason::LIMIT_EXCEEDED, fmt::format("a note of {} bytes is over the limit of {}", message.size(),
                                                      limits::MAX_NOTE_BYTES));
  if (!validUtf8(message)) return refuse(Reason::MALFORMED_NOTE, "the note is not valid UTF-8");
  if (containsControl(message))
    return refuse(Reason::MALFORMED_NOTE, "the note holds a control character other than newline");
  auto split = message.rfind("\n\n");
  if (split == std::string_view::npos)
    return refuse(Reason::MALFORMED_NOTE, "no blank line separates the text from the signatures");
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view rest = message.substr(split + 2);
  if (rest.empty() || rest.back() != '\n')
    return refuse(Reason::MALFORMED_NOTE, "a note ends with at least one signature line and a final newline");
  rest.remove_suffix(1);
  std::size_t number = 0;
  while (true) {
    ++number;
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    if (number > limits::MAX_NOTE_SIGNATURES)
      return refuse(Reason::LIMIT_EXCEEDED, fmt::format("more than {} signatures on one note",
                                                        limits::MAX_NOTE_SIGNATURES));
    HREG_TRY(sig, parseSignatureLine(line, number));
    note.signatures.push_back(std::move(sig));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return note;
}

std::string formatNote(const Note& note) {
  std::string out = note.text;
  out.push_back('\n');
  for (const NoteSignature& s : note.signatures) {
    Bytes raw(4);
    writeKeyHash(s.hash, raw.data());
    raw.insert(raw.end(), s.signature.begin(), s.signature.end());
    out += fmt::format("{}{} {}\n", SIGNATURE_PREFIX, s.name, toBase64(raw));
  }
  return out;
}

void signNote(Note& note, const SignerKey& signer) {
  if (signer.type() != KeyType::ED25519) fail("signNote needs an Ed25519 note key; use cosign() for cosignatures");
  if (auto ok = checkNoteText(note.text); !ok) fail("signNote: " + ok.error().detail);
  auto sig = signer.keyPair().sign(asBytes(note.text));
  note.signatures.push_back({signer.name(), signer.verifier().hash, Bytes(sig.begin(), sig.end())});
}

Result<std::vector<VerifierKey>> verifyNote(const Note& note, std::span<const VerifierKey> trusted) {
  HREG_TRY(checkNoteText(note.text));
  std::vector<VerifierKey> verified;
  for (const NoteSignature& sig : note.signatures) {
    for (const VerifierKey& key : trusted) {
      if (key.name != sig.name || key.hash != sig.hash) continue;
      if (!verifyOne(key, note.text, sig))
        return refuse(Reason::BAD_SIGNATURE, fmt::format("the signature by {} ({:08x}) does not verify: the note was "
                                                         "altered or the signature forged", key.name, key.hash));
      bool seen = false;
      for (const VerifierKey& v : verified) seen = seen || (v.name == key.name && v.hash == key.hash);
      if (!seen) verified.push_back(key);
    }
  }
  if (verified.empty())
    return refuse(Reason::NO_TRUSTED_SIGNATURE, "no signature on the note is by a key you trust; check the verifier "
                                                "keys you passed");
  return verified;
}

}  // namespace hreg::note
