#pragma once
// Ed25519 (RFC 8032) signatures through libsodium: the only code that names crypto_sign_*.
// A KeyPair owns its secret and wipes it on destruction; public keys and signatures are values.
#include <array>
#include <cstdint>

#include "protocol/core/bytes.h"

namespace hreg::crypto {

inline constexpr std::size_t PUBLIC_KEY_BYTES = 32;
inline constexpr std::size_t SEED_BYTES = 32;
inline constexpr std::size_t SIGNATURE_BYTES = 64;

using PublicKey = std::array<std::uint8_t, PUBLIC_KEY_BYTES>;
using Seed = std::array<std::uint8_t, SEED_BYTES>;
using Signature = std::array<std::uint8_t, SIGNATURE_BYTES>;

class KeyPair {
 public:
  // generate makes a key from the operating system's randomness.
  static KeyPair generate();
  // fromSeed derives the key deterministically (RFC 8032 private key = seed).
  static KeyPair fromSeed(const Seed& seed);

  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  KeyPair(KeyPair&& other) noexcept;
  KeyPair& operator=(KeyPair&& other) noexcept;
  ~KeyPair();

  const PublicKey& publicKey() const noexcept { return publicKey_; }
  Seed seed() const;
  [[nodiscard]] Signature sign(ByteView message) const;

 private:
  KeyPair() = default;
  PublicKey publicKey_{};
  std::array<std::uint8_t, 64> secret_{};  // libsodium's seed || public key
};

// verify checks an Ed25519 signature; false for any bad key, signature or message.
[[nodiscard]] bool verify(const PublicKey& key, ByteView message, const Signature& signature) noexcept;
[[nodiscard]] bool verify(ByteView key, ByteView message, ByteView signature) noexcept;

// randomBytes fills `out` from the operating system's randomness.
void randomBytes(std::span<std::uint8_t> out);

}  // namespace hreg::crypto
