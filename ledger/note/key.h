#pragma once
// Note keys of C2SP signed-note: verifier key strings, signer key strings, and key hashes.
//   verifier key:  <name>+<hex key hash>+<base64(type || public key)>
//                  e.g. example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k
//   signer key:    PRIVATE+KEY+<name>+<hex key hash>+<base64(type || Ed25519 seed)>  (golang.org/x/mod/sumdb/note)
//   key hash:      first 4 bytes of SHA-256(name || "\n" || type || public key), big-endian
// Two key types exist: 0x01 Ed25519 signatures over the note text, and 0x04 cosignature/v1
// (C2SP tlog-cosignature) over a timestamped message. Other types are refused.
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/crypto/ed25519.h"
#include "protocol/core/result.h"

namespace hreg::note {

enum class KeyType : std::uint8_t { ED25519 = 0x01, COSIGNATURE_V1 = 0x04 };
using KeyHash = std::uint32_t;

// keyHash is the 4-byte identifier that signature lines carry to name their key.
[[nodiscard]] KeyHash keyHash(std::string_view name, KeyType type, const crypto::PublicKey& key);

// validKeyName: non-empty UTF-8 with no '+' and no whitespace, as signed-note requires.
[[nodiscard]] bool validKeyName(std::string_view name);

struct VerifierKey {
  std::string name;
  KeyType type;
  crypto::PublicKey key;
  KeyHash hash;

  // toString is the standard verifier key string.
  [[nodiscard]] std::string toString() const;
};

// makeVerifierKey names a public key; refuses MALFORMED_KEY for an invalid name.
[[nodiscard]] Result<VerifierKey> makeVerifierKey(std::string_view name, KeyType type, const crypto::PublicKey& key);

// parseVerifierKey reads a verifier key string. Refuses with MALFORMED_KEY naming the bad part:
// the name, the hash (8 lowercase hex digits that must match the key), the type, or the key length.
[[nodiscard]] Result<VerifierKey> parseVerifierKey(std::string_view text);

// SignerKey is a named private key that signs notes (type 0x01) or cosigns checkpoints (type 0x04).
class SignerKey {
 public:
  // generate and fromSeed throw a Fault for an invalid name (check it first with validKeyName).
  static SignerKey generate(std::string name, KeyType type);
  static SignerKey fromSeed(std::string name, KeyType type, const crypto::Seed& seed);
  // parse reads PRIVATE+KEY+name+hash+base64(type||seed). Refuses MALFORMED_KEY.
  [[nodiscard]] static Result<SignerKey> parse(std::string_view text);

  const std::string& name() const noexcept { return name_; }
  KeyType type() const noexcept { return type_; }
  const crypto::KeyPair& keyPair() const noexcept { return pair_; }
  [[nodiscard]] VerifierKey verifier() const;
  // toString is the signer key string; it holds the secret.
  [[nodiscard]] std::string toString() const;

 private:
  SignerKey(std::string name, KeyType type, crypto::KeyPair pair)
      : name_(std::move(name)), type_(type), pair_(std::move(pair)) {}
  std::string name_;
  KeyType type_;
  crypto::KeyPair pair_;
};

}  // namespace hreg::note
