#pragma once
// Keys and sizes shared by crash-writer and crash-test.
#include "ledger/note/key.h"

namespace hreg::testing {

inline constexpr std::size_t CRASH_BATCH = 16;
inline constexpr const char* CRASH_ORIGIN = "hreg.example/140902";

inline note::SignerKey crashCheckpointKey() {
  crypto::Seed seed;
  seed.fill(7);
  return note::SignerKey::fromSeed(CRASH_ORIGIN, note::KeyType::ED25519, seed);
}

inline crypto::KeyPair crashOfficialKey() {
  crypto::Seed seed;
  seed.fill(9);
  return crypto::KeyPair::fromSeed(seed);
}

}  // namespace hreg::testing
