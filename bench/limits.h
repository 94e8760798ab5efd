#pragma once
// The machine's own limits that benchmark figures are divided by, measured in the same run:
// Ed25519 sign and verify (libsodium, one core and every core), SHA-256 of leaves and of short
// inputs, durable batched LMDB puts, random LMDB reads of stored entries. Shared by the benchmarks.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ledger/crypto/ed25519.h"
#include "ledger/merkle/hash.h"
#include "ledger/store/store.h"

namespace hreg::bench {

using SteadyClock = std::chrono::steady_clock;
inline double seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// rate runs `work(batch)` until `minSeconds` have passed and returns operations per second.
template <class Work>
double rate(Work&& work, std::size_t batch, double minSeconds) {
  std::size_t done = 0;
  auto start = SteadyClock::now();
  do {
    work(batch);
    done += batch;
  } while (seconds(start) < minSeconds);
  return static_cast<double>(done) / seconds(start);
}

inline crypto::KeyPair keyFrom(std::uint8_t b) {
  crypto::Seed s;
  s.fill(b);
  return crypto::KeyPair::fromSeed(s);
}

// Limits holds the machine's limits and measures each again on demand.
class Limits {
 public:
  explicit Limits(const std::filesystem::path& scratch) : store_({scratch / "limit-lmdb"}), message_(300, 0x5a) {
    for (std::size_t i = 0; i < DISTINCT; ++i) {
      Bytes message = message_;
      message[0] = static_cast<std::uint8_t>(i);
      verified_.push_back({message, key_.sign(message)});
    }
  }
  double ed25519Sign(double s = 1.0) {
    return rate([&](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) {
        message_[0] = static_cast<std::uint8_t>(i);
        signature_ = key_.sign(message_);
      }
      message_[0] = 0x5a;
    }, 256, s);
  }
  // ed25519Verify verifies DISTINCT different signatures in turn, as a log's entries are: one
  // signature verified over and over runs about 3.5% faster on this machine kind (libsodium's
  // variable-time verification branches the same way every time, and the CPU learns it), which
  // would flatter the limit. docs/performance.md, "Limits of this machine".
  double ed25519Verify(double s = 0.5) {
    bool ok = true;
    double r = rate([&](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) {
        const auto& [message, signature] = verified_[i % DISTINCT];
        ok = ok && crypto::verify(key_.publicKey(), message, signature);
      }
    }, 256, s);
    if (!ok) fail("the benchmark's signature did not verify");
    return r;
  }
  // ed25519VerifyBothCores: verifications per second with one verifying thread per core.
  double ed25519VerifyBothCores(double s = 1.0) {
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::vector<double> rates(cores);
    std::vector<std::thread> threads;
    for (unsigned c = 0; c < cores; ++c)
      threads.emplace_back([&, c] {
        auto verified = verified_;  // each thread its own copy
        bool ok = true;
        rates[c] = rate([&](std::size_t n) {
          for (std::size_t i = 0; i < n; ++i) {
            const auto& [message, signature] = verified[i % DISTINCT];
            ok = ok && crypto::verify(key_.publicKey(), message, signature);
          }
        }, 256, s);
        if (!ok) rates[c] = 0;
      });
    for (auto& t : threads) t.join();
    double total = 0;
    for (double r : rates) total += r;
    return total;
  }
  double sha256Leaf(double s = 1.0) {
    merkle::Hash h{};
    Bytes leaf = message_;
    return rate([&](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) {
        leaf[1] = h[0];
        h = merkle::leafHash(leaf);
      }
    }, 4096, s);
  }
  // sha256Of: SHA-256 (OpenSSL, one core) of `inputBytes`-byte inputs. 65 to 119 bytes take two
  // compression blocks, like the subject map's inner (65), leaf (81) and chain (65) hashes.
  double sha256Of(std::size_t inputBytes, double s = 1.0) {
    merkle::Hash h{};
    Bytes input(inputBytes, 0x5a);
    return rate([&](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) {
        input[0] = h[0];
        h = crypto::sha256(input);
      }
    }, 4096, s);
  }
  // lmdbPut: durable puts of 300-byte values, 1,000 per committed (fsynced) transaction.
  double lmdbPut(double s = 1.0) {
    return rate([&](std::size_t n) {
      store::AppendBatch batch;
      batch.origin = "limit";
      batch.firstIndex = next_;
      for (std::size_t i = 0; i < n; ++i) batch.entries.push_back(message_);
      next_ += n;
      store_.append(batch);
    }, 1000, s);
  }

 private:
  static constexpr std::size_t DISTINCT = 256;
  crypto::KeyPair key_ = keyFrom(1);
  store::Store store_;
  Bytes message_;
  crypto::Signature signature_;
  std::vector<std::pair<Bytes, crypto::Signature>> verified_;
  std::uint64_t next_ = 0;
};

// lmdbRead: random reads of the entries `store` holds, one read transaction (Snapshot) and one get
// each, on one core, for `duration` seconds.
inline double lmdbRead(const store::Store& store, double duration) {
  std::vector<std::pair<std::string, std::uint64_t>> logs;
  {
    auto snapshot = store.snapshot();
    for (auto& origin : snapshot.origins())
      if (auto state = snapshot.log(origin); state && state->size > 0) logs.emplace_back(origin, state->size);
  }
  std::uint64_t total = 0;
  for (auto& [origin, size] : logs) total += size;
  if (total == 0) fail("no stored entry to read");
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::uint64_t> pick(0, total - 1);
  std::size_t bytes = 0;
  double r = rate([&](std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t k = pick(random);
      std::size_t l = 0;
      while (k >= logs[l].second) k -= logs[l++].second;
      auto snapshot = store.snapshot();
      auto entry = snapshot.entry(logs[l].first, k);
      if (!entry) fail("a stored entry could not be read back");
      bytes += entry->size();
    }
  }, 1024, duration);
  if (bytes == 0) fail("no entry read");
  return r;
}

}  // namespace hreg::bench
