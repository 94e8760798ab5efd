#include "ledger/note/key.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/note/text.h"

namespace hreg::note {
namespace {

constexpr std::string_view PRIVATE_PREFIX = "PRIVATE+KEY+";

// splitPlus splits at the first two '+' only: names hold no '+', but base64 keys may (Go's chop).
std::vector<std::string_view> splitPlus(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || (text[i] == '+' && parts.size() < 2)) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

Result<KeyType> keyType(std::uint8_t byte) {
  if (byte == static_cast<std::uint8_t>(KeyType::ED25519)) return KeyType::ED25519;
  if (byte == static_cast<std::uint8_t>(KeyType::COSIGNATURE_V1)) return KeyType::COSIGNATURE_V1;
  return refuse(Reason::MALFORMED_KEY, fmt::format("key type 0x{:02x} is not supported; hreg reads Ed25519 (0x01) "
                                                   "and cosignature/v1 (0x04) keys", byte));
}

// parseNamedKey reads name+hash+base64(type||32 bytes), shared by verifier and signer strings.
struct NamedKey {
  std::string name;
  KeyType type;
  KeyHash hash;
  std::array<std::uint8_t, 32> material;
};

Result<NamedKey> parseNamedKey(std::string_view text, std::string_view what) {
  auto parts = splitPlus(text);
  if (parts.size() != 3)
    return refuse(Reason::MALFORMED_KEY, fmt::format("a {} has three '+'-separated parts (name, key hash, key); "
                                                     "this one has {}", what, parts.size()));
  NamedKey k;
  k.name = std::string(parts[0]);
  if (!validKeyName(k.name))
    return refuse(Reason::MALFORMED_KEY, fmt::format("the key name '{}' is empty or holds '+' or whitespace", k.name));
  auto hashBytes = parts[1].size() == 8 ? fromHex(parts[1]) : std::nullopt;
  if (!hashBytes || toHex(*hashBytes) != parts[1])
    return refuse(Reason::MALFORMED_KEY, fmt::format("the key hash '{}' is not 8 lowercase hex digits", parts[1]));
  k.hash = readKeyHash(hashBytes->data());
  auto raw = fromBase64(parts[2]);
  if (!raw || raw->empty())
    return refuse(Reason::MALFORMED_KEY, fmt::format("the key part of the {} is not valid base64", what));
  HREG_TRY(type, keyType((*raw)[0]));
  k.type = type;
  if (raw->size() != 33)
    return refuse(Reason::MALFORMED_KEY, fmt::format("the {} holds {} key bytes; Ed25519 needs 32", what,
                                                     raw->size() - 1));
  std::copy(raw->begin() + 1, raw->end(), k.material.begin());
  return k;
}

}  // namespace

KeyHash keyHash(std::string_view name, KeyType type, const crypto::PublicKey& key) {
  const std::uint8_t sep[] = {'\n', static_cast<std::uint8_t>(type)};
  auto h = crypto::sha256({asBytes(name), ByteView(sep), ByteView(key)});
  return KeyHash{h[0]} << 24 | KeyHash{h[1]} << 16 | KeyHash{h[2]} << 8 | KeyHash{h[3]};
}

bool validKeyName(std::string_view name) {
  return !name.empty() && name.find('+') == std::string_view::npos && validUtf8(name) && !containsSpace(name);
}

std::string VerifierKey::toString() const {
  Bytes raw{static_cast<std::uint8_t>(type)};
  raw.insert(raw.end(), key.begin(), key.end());
  return fmt::format("{}+{:08x}+{}", name, hash, toBase64(raw));
}

Result<VerifierKey> makeVerifierKey(std::string_view name, KeyType type, const crypto::PublicKey& key) {
  if (!validKeyName(name))
    return refuse(Reason::MALFORMED_KEY, fmt::format("the key name '{}' is empty or holds '+' or whitespace", name));
  return VerifierKey{std::string(name), type, key, keyHash(name, type, key)};
}

Result<VerifierKey> parseVerifierKey(std::string_view text) {
  if (text.starts_with(PRIVATE_PREFIX))
    return refuse(Reason::MALFORMED_KEY, "this is a private signer key, not a verifier key; never share it, and "
                                         "print the verifier with `hreg tlog key verifier`");
  HREG_TRY(k, parseNamedKey(text, "verifier key"));
  VerifierKey v{k.name, k.type, k.material, keyHash(k.name, k.type, k.material)};
  if (v.hash != k.hash)
    return refuse(Reason::MALFORMED_KEY, fmt::format("the key hash {:08x} does not match the name and key (they hash "
                                                     "to {:08x}); the key string was altered", k.hash, v.hash));
  return v;
}

SignerKey SignerKey::generate(std::string name, KeyType type) {
  if (!validKeyName(name)) fail(fmt::format("the key name '{}' is empty or holds '+' or whitespace", name));
  return SignerKey(std::move(name), type, crypto::KeyPair::generate());
}

SignerKey SignerKey::fromSeed(std::string name, KeyType type, const crypto::Seed& seed) {
  if (!validKeyName(name)) fail(fmt::format("the key name '{}' is empty or holds '+' or whitespace", name));
  return SignerKey(std::move(name), type, crypto::KeyPair::fromSeed(seed));
}

Result<SignerKey> SignerKey::parse(std::string_view text) {
  if (!text.starts_with(PRIVATE_PREFIX))
    return refuse(Reason::MALFORMED_KEY, "a signer key starts with PRIVATE+KEY+");
  HREG_TRY(k, parseNamedKey(text.substr(PRIVATE_PREFIX.size()), "signer key"));
  SignerKey signer(k.name, k.type, crypto::KeyPair::fromSeed(k.material));
  if (signer.verifier().hash != k.hash)
    return refuse(Reason::MALFORMED_KEY, fmt::format("the signer key's hash {:08x} does not match its name and key; "
                                                     "the key string was altered", k.hash));
  return signer;
}

VerifierKey SignerKey::verifier() const {
  return VerifierKey{name_, type_, pair_.publicKey(), keyHash(name_, type_, pair_.publicKey())};
}

std::string SignerKey::toString() const {
  auto seed = pair_.seed();
  Bytes raw{static_cast<std::uint8_t>(type_)};
  raw.insert(raw.end(), seed.begin(), seed.end());
  return fmt::format("{}{}+{:08x}+{}", PRIVATE_PREFIX, name_, verifier().hash, toBase64(raw));
}

}  // namespace hreg::note
