#include "ledger/crypto/ed25519.h"

#include <sodium.h>

#include <cstring>

#include "protocol/core/result.h"

namespace hreg::crypto {
namespace {

void ensureSodium() {
  // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
  static const int ready = sodium_init();
  if (ready < 0) fail("libsodium could not initialise");
}

}  // namespace

KeyPair KeyPair::generate() {
  Seed seed;
  randomBytes(seed);
  KeyPair pair = fromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

KeyPair KeyPair::fromSeed(const Seed& seed) {
  ensureSodium();
  KeyPair pair;
  crypto_sign_seed_keypair(pair.publicKey_.data(), pair.secret_.data(), seed.data());
  return pair;
}

KeyPair::KeyPair(KeyPair&& other) noexcept : publicKey_(other.publicKey_), secret_(other.secret_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

KeyPair& KeyPair::operator=(KeyPair&& other) noexcept {
  publicKey_ = other.publicKey_;
  secret_ = other.secret_;
  sodium_memzero(other.secret_.data(), other.secret_.size());
  return *this;
}

KeyPair::~KeyPair() { sodium_memzero(secret_.data(), secret_.size()); }

Seed KeyPair::seed() const {
  Seed seed;
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_.data());
  return seed;
}

Signature KeyPair::sign(ByteView message) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool verify(const PublicKey& key, ByteView message, const Signature& signature) noexcept {
  ensureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

bool verify(ByteView key, ByteView message, ByteView signature) noexcept {
  if (key.size() != PUBLIC_KEY_BYTES || signature.size() != SIGNATURE_BYTES) return false;
  ensureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

void randomBytes(std::span<std::uint8_t> out) {
  ensureSodium();
  randombytes_buf(out.data(), out.size());
}

}  // namespace hreg::crypto
