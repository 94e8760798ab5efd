// hreg-bench: the ledger's figures, each as a ratio to a limit of this machine measured in the same run.
//   limits:  Ed25519 sign and verify per second on one core (libsodium), SHA-256 leaf hashing,
//            durable batched LMDB puts
//   figures: ingest of officials' pre-signed entries (verify, hash, store, group commit) on one and on
//            two verifying threads; whole-log verification; inclusion proof generation + verification
//            on a 1,000,000-entry log
// A virtual machine's speed drifts from second to second, so each figure is measured in several
// slices, each paired with its limit measured next to it in time, and the median ratio is reported.
// Usage: hreg-bench [--entries N] [--proof-tree N] [--json]. Results: docs/performance.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "ledger/log/audit.h"
#include "ledger/log/own-log.h"
#include "ledger/merkle/cache.h"
#include "ledger/merkle/proof.h"
#include "tests/support/decisions.h"
#include "tests/support/temp-dir.h"
#include "bench/limits.h"

namespace hreg::bench {
namespace {

constexpr int REPEATS = 3;

struct Report {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  bool asJson = false;

  void limit(const std::string& key, const std::string& what, double value, const std::string& unit) {
    json["limits"][key] = value;
    if (!asJson) fmt::print("  {:<58} {:>10.0f} {}\n", what, value, unit);
  }
  // figure records the median of paired (value, limit) measurements.
  void figure(const std::string& key, const std::string& what, const std::vector<double>& values,
              const std::vector<double>& limits, const std::string& unit, const std::string& limitKey, double target) {
    std::vector<double> ratios;
    for (std::size_t i = 0; i < values.size(); ++i) ratios.push_back(values[i] / limits[i]);
    double ratio = median(ratios), value = median(values);
    json["figures"][key] = {{"value", value}, {"unit", unit}, {"ratio", ratio}, {"of", limitKey},
                            {"target", target}, {"ratios", ratios}};
    if (!asJson)
      fmt::print("  {:<58} {:>10.0f} {:<10} {:.2f}x {} (target {:.2f}x)\n", what, value, unit, ratio, limitKey, target);
  }
};

std::vector<Bytes> presign(const std::string& origin, std::size_t count) {
  auto official = keyFrom(2);
  std::vector<Bytes> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(testing::grantDecision(origin, 1'780'000'000, official.publicKey(), fmt::format("official {}", i),
                                         {&official}));
  return out;
}

note::SignerKey checkpointKey(const std::string& origin) {
  crypto::Seed seed;
  seed.fill(3);
  return note::SignerKey::fromSeed(origin, note::KeyType::ED25519, seed);
}

// ingest appends `decisions` in chunks of six commit groups, measuring the verify limit for a moment
// before each chunk, and returns (value, limit) pairs, one per chunk.
void ingest(const std::filesystem::path& dir, const std::vector<Bytes>& decisions, unsigned threads,
            const std::string& origin, Limits& limits, std::vector<double>& values, std::vector<double>& limitValues) {
  store::Store store({dir});
  FakeClock clock(1'780'000'000);
  log::OwnLog own(store, checkpointKey(origin), clock, threads);
  std::vector<ByteView> views(decisions.begin(), decisions.end());
  const std::size_t chunk = 6 * log::OwnLog::COMMIT_GROUP;
  for (std::size_t at = 0; at + chunk <= views.size(); at += chunk) {
    limitValues.push_back(limits.ed25519Verify(0.3));
    auto start = SteadyClock::now();
    auto outcome = own.append(std::span(views).subspan(at, chunk));  // pipelined group commits
    values.push_back(static_cast<double>(chunk) / seconds(start));
    for (auto& result : outcome.results)
      if (!result) fail("a benchmark entry was refused: " + result.error().detail);
  }
}

void measureLedger(Report& report, Limits& limits, const testing::TempDir& scratch, std::size_t entries) {
  const std::string origin = "hreg.example/140902";
  auto decisions = presign(origin, entries);
  for (unsigned threads : {1u, 2u}) {
    std::vector<double> values, verifyLimits;
    ingest(scratch / fmt::format("ingest-{}", threads), decisions, threads, origin, limits, values, verifyLimits);
    report.figure(fmt::format("ingest_{}", threads),
                  fmt::format("ingest of pre-signed entries, {} verifying thread{}", threads, threads > 1 ? "s" : ""),
                  values, verifyLimits, "entries/s", "ed25519_verify", threads == 1 ? 0.9 : 1.5);
  }
  store::Store store({scratch / "ingest-1"});
  auto key = checkpointKey(origin).verifier();
  for (unsigned threads : {1u, 2u}) {
    std::vector<double> values, verifyLimits;
    for (int i = 0; i < REPEATS; ++i) {
      double before = limits.ed25519Verify(0.3);
      auto start = SteadyClock::now();
      auto result = log::verifyLog(store.snapshot(), origin, key, threads);
      values.push_back(static_cast<double>(decisions.size() / (6 * log::OwnLog::COMMIT_GROUP) *
                                           (6 * log::OwnLog::COMMIT_GROUP)) / seconds(start));
      verifyLimits.push_back((before + limits.ed25519Verify(0.3)) / 2);
      if (!result) fail("the benchmark log did not verify: " + result.error().detail);
    }
    report.figure(fmt::format("verify_log_{}", threads),
                  fmt::format("whole-log verification, {} thread{}", threads, threads > 1 ? "s" : ""), values,
                  verifyLimits, "entries/s", "ed25519_verify", 0.9);
  }
}

void measureProofs(Report& report, const testing::TempDir& scratch, std::uint64_t treeSize) {
  store::Store store({scratch / "proofs"});
  merkle::Frontier frontier;
  Bytes leaf(300, 0x33);
  for (std::uint64_t at = 0; at < treeSize;) {
    store::AppendBatch batch;
    batch.origin = "proofs";
    batch.firstIndex = at;
    for (std::size_t i = 0; i < 50'000 && at < treeSize; ++i, ++at) {
      putBigEndian64(at, leaf.data());
      frontier.append(merkle::leafHash(leaf), batch.nodes);
      batch.entries.push_back(leaf);
    }
    batch.newRoot = frontier.root();
    store.append(batch);
  }
  const merkle::Hash root = frontier.root();
  auto snapshot = store.snapshot();
  auto stored = snapshot.tree("proofs");
  merkle::CachedReader tree(*stored);       // what a node serving proofs keeps per log
  merkle::Prover prover(tree, treeSize);    // ... and per checkpoint it serves
  std::uint64_t index = 12345;
  bool ok = true;
  std::vector<double> values, targets;
  for (int i = 0; i < REPEATS; ++i) {
    values.push_back(rate([&](std::size_t n) {
      for (std::size_t k = 0; k < n; ++k) {
        index = (index * 6364136223846793005ULL + 1442695040888963407ULL) % treeSize;
        auto proof = prover.inclusionProof(index);
        auto leafHash = merkle::leafHash(*snapshot.entry("proofs", index));
        ok = ok && merkle::verifyInclusion(leafHash, index, treeSize, proof, root).has_value();
      }
    }, 1000, 1.0));
    targets.push_back(100'000.0);
  }
  if (!ok) fail("a benchmark proof did not verify");
  report.json["limits"]["proof_target"] = 100'000.0;
  report.figure("inclusion_proofs", fmt::format("inclusion proof generation + verification, {} entries", treeSize),
                values, targets, "proofs/s", "proof_target", 1.0);
}

}  // namespace
}  // namespace hreg::bench

int main(int argc, char** argv) {
  using namespace hreg;
  bench::Report report;
  std::size_t entries = 36'864;  // six slices of six commit groups
  std::uint64_t proofTree = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--json") {
      report.asJson = true;
    } else if (arg == "--entries" && i + 1 < argc) {
      entries = std::stoul(argv[++i]);
    } else if (arg == "--proof-tree" && i + 1 < argc) {
      proofTree = std::stoull(argv[++i]);
    } else {
      fmt::print(stderr, "usage: hreg-bench [--entries N] [--proof-tree N] [--json]\n");
      return 2;
    }
  }
  testing::TempDir scratch;
  bench::Limits limits(scratch.path());
  report.json["machine"] = {{"cores", std::thread::hardware_concurrency()}};
  report.json["entries"] = entries;
  if (!report.asJson) fmt::print("hreg-bench: limits of this machine\n");
  report.limit("ed25519_sign", "Ed25519 signatures per second, one core", limits.ed25519Sign(), "/s");
  report.limit("ed25519_verify", "Ed25519 verifications per second, one core", limits.ed25519Verify(1.0), "/s");
  report.limit("ed25519_verify_all_cores", "Ed25519 verifications per second, all cores",
               limits.ed25519VerifyBothCores(), "/s");
  report.limit("sha256_leaf", "SHA-256 leaf hashes per second (300-byte leaves)", limits.sha256Leaf(), "/s");
  report.limit("lmdb_put", "LMDB durable puts per second (1,000 per commit)", limits.lmdbPut(), "/s");
  if (!report.asJson)
    fmt::print("hreg-bench: ledger figures (median of slices, each a ratio to its limit measured beside it)\n");
  bench::measureLedger(report, limits, scratch, entries);
  bench::measureProofs(report, scratch, proofTree);
  if (report.asJson) fmt::print("{}\n", report.json.dump(2));
  return 0;
}
