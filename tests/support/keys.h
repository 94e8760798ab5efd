#pragma once
// Test keys derived from a label, so every run and every test file names the same key the same way.
#include <string>

#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"

namespace hreg::testing {

// labelledKey is the Ed25519 key whose seed is SHA-256 of `label`.
inline crypto::KeyPair labelledKey(const std::string& label) {
  auto h = crypto::sha256(asBytes(label));
  crypto::Seed seed;
  std::copy(h.begin(), h.end(), seed.begin());
  return crypto::KeyPair::fromSeed(seed);
}

}  // namespace hreg::testing
