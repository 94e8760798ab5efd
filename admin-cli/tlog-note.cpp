// `hreg tlog sign | verify | cosign`: C2SP signed notes (ledger/note/note.h), checkpoints and
// cosignature/v1 lines. The note being checked is judged by the ledger: a malformed or badly signed
// note is refused (EXIT_REFUSED); keys and files the user passes are usage errors when they are bad.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "admin-cli/tlog.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"
#include "protocol/core/clock.h"
#include "protocol/limits.h"

namespace hreg::cli::tlog {
namespace {

constexpr std::string_view SIGNATURE_BLOCK = "\n\n\xe2\x80\x94 ";  // blank line, then U+2014 EM DASH, space

// looksSigned: the input ends in a block of signature lines, so it is meant as a signed note.
bool looksSigned(std::string_view input) {
  auto split = input.rfind("\n\n");
  return split != std::string_view::npos && input.substr(split).starts_with(SIGNATURE_BLOCK);
}

bool sameKey(const note::NoteSignature& sig, const note::VerifierKey& key) {
  return sig.name == key.name && sig.hash == key.hash;
}

// replaceSignature drops any signature by the key of `sig` and appends `sig`, as Go's note.Sign
// elides an existing signature by a key that signs again. Refuses LIMIT_EXCEEDED past the limit.
Result<void> replaceSignature(note::Note& n, const note::VerifierKey& key, note::NoteSignature sig) {
  std::erase_if(n.signatures, [&](const note::NoteSignature& s) { return sameKey(s, key); });
  if (n.signatures.size() >= limits::MAX_NOTE_SIGNATURES)
    return refuse(Reason::LIMIT_EXCEEDED, fmt::format("the note already carries {} signatures, the most a note may "
                                                      "have", n.signatures.size()));
  n.signatures.push_back(std::move(sig));
  return outcome::success();
}

Json signerJson(const note::VerifierKey& key) {
  return Json{{"name", key.name}, {"type", keyTypeName(key.type)}, {"keyHash", keyHashHex(key.hash)}};
}

void printNote(const note::Note& n, const note::VerifierKey& signer, bool json, Json extra = Json::object()) {
  std::string text = note::formatNote(n);
  if (!json) {
    fmt::print("{}", text);
    return;
  }
  Json out = {{"note", text}, {"signedBy", signerJson(signer)}};
  for (auto& [k, v] : extra.items()) out[k] = std::move(v);
  printJson(std::move(out));
}

// --- sign -------------------------------------------------------------------------------------------

struct SignOptions {
  std::string keyFile, file;
  bool json = false;
};

// noteToSign reads TEXTFILE as a signed note when it ends in signature lines, else as plain text.
Result<note::Note> noteToSign(const std::string& path) {
  std::string input = readNote(path);
  if (looksSigned(input)) return note::parseNote(input);
  if (auto ok = note::checkNoteText(input); !ok)
    throw UsageError(fmt::format("{}: cannot be signed: {}", displayName(path), ok.error().detail));
  return note::Note{std::move(input), {}};
}

int sign(const SignOptions& o) {
  note::SignerKey key = readSignerKey(o.keyFile);
  if (key.type() != note::KeyType::ED25519)
    throw UsageError(fmt::format("{} holds a cosignature/v1 key; sign needs an Ed25519 note key (type 0x01). "
                                 "Cosign checkpoints with `hreg tlog cosign`", o.keyFile));
  auto n = noteToSign(o.file);
  if (!n) return refused(n.error(), o.json, displayName(o.file));
  note::Note signedNote = std::move(n).value();
  note::Note fresh{signedNote.text, {}};
  note::signNote(fresh, key);
  if (auto ok = replaceSignature(signedNote, key.verifier(), fresh.signatures.back()); !ok)
    return refused(ok.error(), o.json, displayName(o.file));
  printNote(signedNote, key.verifier(), o.json);
  return EXIT_OK;
}

void addSign(CLI::App& tlog) {
  auto o = std::make_shared<SignOptions>();
  auto* cmd = tlog.add_subcommand("sign", "sign a text as a C2SP signed note (Ed25519), or add a signature to a "
                                          "signed note, and print the note");
  cmd->add_option("--key", o->keyFile, "signer key file (PRIVATE+KEY+..., type 0x01)")->required();
  cmd->add_option("TEXTFILE", o->file, "the text (UTF-8, ending in a newline) or a signed note; - reads stdin")
      ->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog sign --key log.key checkpoint.txt > checkpoint.note");
  cmd->callback(runCommand([o] { return sign(*o); }));
}

// --- verify -----------------------------------------------------------------------------------------

struct VerifyOptions {
  std::vector<std::string> keys;
  std::string file;
  bool json = false;
};

// Verified is one trusted key that signed, with the time of its cosignature if it is a cosigner.
struct Verified {
  note::VerifierKey key;
  std::optional<Timestamp> time;
};

std::vector<Verified> withTimes(const note::Note& n, const std::vector<note::VerifierKey>& keys) {
  std::vector<Verified> out;
  for (const note::VerifierKey& key : keys) {
    Verified v{key, std::nullopt};
    if (key.type == note::KeyType::COSIGNATURE_V1)
      for (const note::NoteSignature& sig : n.signatures)
        if (sameKey(sig, key) && !v.time)
          if (auto time = note::verifyCosignature(key, n.text, sig)) v.time = time.value();
    out.push_back(std::move(v));
  }
  return out;
}

std::size_t countIgnored(const note::Note& n, const std::vector<note::VerifierKey>& trusted) {
  std::size_t ignored = 0;
  for (const note::NoteSignature& sig : n.signatures)
    if (std::none_of(trusted.begin(), trusted.end(), [&](const note::VerifierKey& k) { return sameKey(sig, k); }))
      ++ignored;
  return ignored;
}

void printVerified(const note::Note& n, const std::vector<Verified>& verified, std::size_t ignored,
                   const std::optional<note::Checkpoint>& checkpoint, bool json) {
  if (json) {
    Json keys = Json::array();
    for (const Verified& v : verified) {
      Json k = signerJson(v.key);
      k["verifierKey"] = v.key.toString();
      if (v.time) k["time"] = *v.time;
      keys.push_back(std::move(k));
    }
    printJson({{"verified", std::move(keys)}, {"ignoredSignatures", ignored}, {"text", n.text},
               {"checkpoint", checkpoint ? checkpointJson(*checkpoint) : Json(nullptr)}});
    return;
  }
  for (const Verified& v : verified) {
    std::string time = v.time ? fmt::format(", time {}", *v.time) : "";
    fmt::print("verified    {}+{} ({}{})\n", v.key.name, keyHashHex(v.key.hash), keyTypeName(v.key.type), time);
  }
  if (ignored > 0) fmt::print("ignored     {} signature(s) by keys not given with --key\n", ignored);
  if (checkpoint) printCheckpoint(*checkpoint);
}

int verify(const VerifyOptions& o) {
  std::vector<note::VerifierKey> trusted;
  for (const std::string& k : o.keys) trusted.push_back(parseVerifierKey(k, "--key"));
  auto parsed = note::parseNote(readNote(o.file));
  if (!parsed) return refused(parsed.error(), o.json, displayName(o.file));
  const note::Note& n = parsed.value();
  auto verified = note::verifyNote(n, trusted);
  if (!verified) return refused(verified.error(), o.json, displayName(o.file));
  std::optional<note::Checkpoint> checkpoint;
  if (auto c = note::parseCheckpoint(n.text)) checkpoint = std::move(c).value();
  printVerified(n, withTimes(n, verified.value()), countIgnored(n, trusted), checkpoint, o.json);
  return EXIT_OK;
}

void addVerify(CLI::App& tlog) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd = tlog.add_subcommand("verify", "verify a signed note against the keys you trust and print which "
                                            "signed; signatures by other keys are ignored");
  cmd->add_option("--key", o->keys, "a trusted verifier key string (name+hash+base64); repeat for more keys")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("NOTEFILE", o->file, "the signed note; - reads stdin")->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog verify --key \"$(cat log.vkey)\" --key \"$(cat w1.vkey)\" checkpoint.note");
  cmd->callback(runCommand([o] { return verify(*o); }));
}

// --- cosign -----------------------------------------------------------------------------------------

struct CosignOptions {
  std::string keyFile, file;
  Timestamp time = 0;
  CLI::Option* timeFlag = nullptr;
  bool json = false;
};

int cosign(const CosignOptions& o, const Clock& clock) {
  note::SignerKey key = readSignerKey(o.keyFile);
  if (key.type() != note::KeyType::COSIGNATURE_V1)
    throw UsageError(fmt::format("{} holds an Ed25519 note key; cosign needs a cosignature/v1 key (type 0x04): "
                                 "make one with `hreg tlog key generate NAME --cosigner`", o.keyFile));
  Timestamp time = o.timeFlag->count() > 0 ? o.time : clock.now();
  auto parsed = note::parseNote(readNote(o.file));
  if (!parsed) return refused(parsed.error(), o.json, displayName(o.file));
  note::Note n = std::move(parsed).value();
  if (auto checkpoint = note::parseCheckpoint(n.text); !checkpoint)
    return refused(checkpoint.error(), o.json, displayName(o.file));
  if (auto ok = replaceSignature(n, key.verifier(), note::cosign(key, n.text, time)); !ok)
    return refused(ok.error(), o.json, displayName(o.file));
  printNote(n, key.verifier(), o.json, {{"time", time}});
  return EXIT_OK;
}

void addCosign(CLI::App& tlog) {
  auto o = std::make_shared<CosignOptions>();
  auto* cmd = tlog.add_subcommand("cosign", "add a C2SP cosignature/v1 line to a signed checkpoint and print the "
                                            "note (it does not check the log's signature: verify first)");
  cmd->add_option("--key", o->keyFile, "cosigner key file (PRIVATE+KEY+..., type 0x04)")->required();
  o->timeFlag = cmd->add_option("--time", o->time, "the cosignature's time in Unix seconds (default: now)")
                    ->check(unsignedNumber());
  cmd->add_option("NOTEFILE", o->file, "the signed checkpoint; - reads stdin")->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog cosign --key w1.key checkpoint.note > cosigned.note");
  cmd->callback(runCommand([o] {
    SystemClock clock;  // the only clock of this command: "now" comes in from here
    return cosign(*o, clock);
  }));
}

}  // namespace

void addNoteCommands(CLI::App& tlog) {
  addSign(tlog);
  addVerify(tlog);
  addCosign(tlog);
}

}  // namespace hreg::cli::tlog
