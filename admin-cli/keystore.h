#pragma once
// Officials' keystores: an official's Ed25519 signing key in a file sealed with a passphrase, and the
// passphrase itself (from a file, the environment or the terminal). The seed is sealed with
// XChaCha20-Poly1305 under a key derived from the passphrase by Argon2id; the label, the public key and
// the KDF parameters stay readable but are bound to the seal as associated data. Format: docs/formats.md,
// "Officials' key files"; a file, as `hreg keygen` writes it (hex shortened here):
//   hreg-key v1
//   label 140902 culture 张三
//   public 3e3e810060379d2303bdfe530e1be58d5ad27bc547f8d82ec6286a61de4699a6
//   kdf argon2id13 ops=2 mem=67108864 salt=9f2c…(32 hex digits)
//   sealed 5d1e…(48 hex digits of nonce, then 96 of ciphertext and tag)
// Left out: changing a passphrase in place (import the key again under a new file), and hardware tokens.
#include <filesystem>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "ledger/crypto/ed25519.h"
#include "protocol/core/result.h"

namespace hreg::cli {

// KEY_FILE_MAGIC is the first line of every key file; the number after it is the format's version.
inline constexpr std::string_view KEY_FILE_MAGIC = "hreg-key v1";
// MAX_LABEL_BYTES bounds a label: a division code, a department and a name fit many times over, and a
// key file stays one small screenful that `key show` can print whole.
inline constexpr std::size_t MAX_LABEL_BYTES = 200;
// MAX_PASSPHRASE_BYTES bounds a passphrase read from a file, the environment or the terminal, so that a
// wrong --passphrase-file (an image, a log) is refused rather than hashed.
inline constexpr std::size_t MAX_PASSPHRASE_BYTES = 1024;

// PassphraseOptions says where a passphrase comes from; readPassphrase tries them in this order.
struct PassphraseOptions {
  std::string file;                          // --passphrase-file: the first line of the file
  std::string envName = "HREG_PASSPHRASE";   // the environment variable, if set (even to "")
  bool prompt = true;                        // else ask on /dev/tty without echo
};

// addPassphraseOptions adds --passphrase-file to `command`, filling `options.file`.
void addPassphraseOptions(CLI::App& command, PassphraseOptions& options);

// readPassphrase is the passphrase from the first source of `options` that is there. On the terminal it
// shows `prompt`, and with `confirm` (a new key) asks twice. Throws tlog::UsageError (EXIT_USAGE) when
// the file is unreadable, the passphrase is longer than MAX_PASSPHRASE_BYTES, the two answers differ,
// or there is nowhere to ask (no terminal, or prompt = false): the message names the other sources.
// The caller wipes the returned string (sodium_memzero) when done with it.
[[nodiscard]] std::string readPassphrase(const PassphraseOptions& options, std::string_view prompt, bool confirm);

// KeyFile is what a key file shows without its passphrase.
struct KeyFile {
  std::string label;           // who holds the key, e.g. "140902 culture 张三"
  crypto::PublicKey publicKey;  // the key id officials' grants name (as 64 hex digits)
};

// readKeyFileHeader reads the label and public key of a key file; no passphrase is needed. Throws
// tlog::UsageError naming the file when it is missing, unreadable or malformed. It does not check that
// the public key is the sealed key's: only openKeyFile can.
[[nodiscard]] KeyFile readKeyFileHeader(const std::filesystem::path& path);

// openKeyFile unseals the key of a key file with `passphrase`. Refuses WRONG_PASSPHRASE when the seal
// does not open (a wrong passphrase, or a file whose sealed part, label, public key or KDF parameters were
// altered: the two cannot be told apart), MALFORMED_FILE when the file breaks the format, asks for KDF
// work beyond hreg's limits, or seals a key other than its public key. Throws tlog::UsageError when the
// file is missing or unreadable, a Fault when memory for the KDF cannot be had.
[[nodiscard]] Result<crypto::KeyPair> openKeyFile(const std::filesystem::path& path, std::string_view passphrase);

// writeKeyFile seals `key` with `passphrase` into a new file `path` (mode 0600, never overwritten).
// Requires a non-empty passphrase. Throws tlog::UsageError for an existing file, a bad label (empty,
// longer than MAX_LABEL_BYTES, not UTF-8, or holding control characters) or an empty passphrase; a
// Fault when the disk fails (no partial file is left).
void writeKeyFile(const std::filesystem::path& path, const crypto::KeyPair& key, std::string_view label,
                  std::string_view passphrase);

}  // namespace hreg::cli
