// hreg-bench: the ledger's figures, each as a ratio to a limit of this machine measured in the same run.
//   limits:  Ed25519 sign and verify per second on one core (libsodium), SHA-256 leaf hashing,
//            durable batched LMDB puts
//   figures: ingest of officials' pre-signed entries (verify, hash, store, group commit), on one and on
//            two verifying threads; whole-log verification; inclusion proof generation + verification
//            on a 1,000,000-entry tree
// Usage: hreg-bench [--entries N] [--proof-tree N] [--json]. Results: docs/performance.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "ledger/log/audit.h"
#include "ledger/log/own-log.h"
#include "ledger/merkle/proof.h"
#include "tests/support/decisions.h"
#include "tests/support/temp-dir.h"

namespace hreg::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// rate runs `work(n)` until at least `minSeconds` have passed and returns operations per second.
template <class Work>
double rate(Work&& work, std::size_t batch, double minSeconds = 1.0) {
  std::size_t done = 0;
  auto start = Clock::now();
  do {
    work(batch);
    done += batch;
  } while (seconds(start) < minSeconds);
  return static_cast<double>(done) / seconds(start);
}

struct Report {
  nlohmann::json json = nlohmann::json::object();
  bool asJson = false;
  void limit(const std::string& key, const std::string& what, double value, const std::string& unit) {
    json["limits"][key] = value;
    if (!asJson) fmt::print("  {:<52} {:>12.0f} {}\n", what, value, unit);
  }
  void figure(const std::string& key, const std::string& what, double value, const std::string& unit,
              const std::string& limitKey, double target) {
    double ratio = value / json["limits"][limitKey].get<double>();
    json["figures"][key] = {{"value", value}, {"unit", unit}, {"ratio", ratio}, {"of", limitKey}, {"target", target}};
    if (!asJson)
      fmt::print("  {:<52} {:>12.0f} {}  = {:.2f}x {} (target >= {:.2f}x)\n", what, value, unit, ratio, limitKey,
                 target);
  }
};

crypto::KeyPair keyFrom(std::uint8_t b) {
  crypto::Seed s;
  s.fill(b);
  return crypto::KeyPair::fromSeed(s);
}

void measureLimits(Report& report, const std::filesystem::path& scratch) {
  auto key = keyFrom(1);
  Bytes message(300, 0x5a);
  auto sig = key.sign(message);
  report.limit("ed25519_sign", "Ed25519 signatures per second, one core", rate([&](std::size_t n) {
                 for (std::size_t i = 0; i < n; ++i) {
                   message[0] = static_cast<std::uint8_t>(i);
                   sig = key.sign(message);
                 }
               }, 256), "/s");
  message[0] = 0;
  sig = key.sign(message);
  bool ok = true;
  report.limit("ed25519_verify", "Ed25519 verifications per second, one core", rate([&](std::size_t n) {
                 for (std::size_t i = 0; i < n; ++i) ok = ok && crypto::verify(key.publicKey(), message, sig);
               }, 256), "/s");
  if (!ok) fail("benchmark signature did not verify");
  merkle::Hash h{};
  report.limit("sha256_leaf", "SHA-256 leaf hashes per second (300-byte leaves)", rate([&](std::size_t n) {
                 for (std::size_t i = 0; i < n; ++i) {
                   message[1] = h[0];
                   h = merkle::leafHash(message);
                 }
               }, 4096), "/s");
  // Durable batched puts: 1,000 entries of 300 bytes per committed (fsynced) transaction.
  store::Store store({scratch / "limit-lmdb"});
  std::uint64_t next = 0;
  report.limit("lmdb_put", "LMDB durable puts per second (batches of 1,000)", rate([&](std::size_t n) {
                 store::AppendBatch batch;
                 batch.origin = "bench";
                 batch.firstIndex = next;
                 for (std::size_t i = 0; i < n; ++i) batch.entries.push_back(message);
                 next += n;
                 store.append(batch);
               }, 1000), "/s");
}

std::vector<Bytes> presign(const std::string& origin, std::size_t count) {
  auto official = keyFrom(2);
  std::vector<Bytes> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(testing::grantDecision(origin, 1'780'000'000, official.publicKey(),
                                         fmt::format("official {}", i), {&official}));
  return out;
}

double ingest(const std::filesystem::path& dir, const std::vector<Bytes>& decisions, unsigned threads,
              const std::string& origin) {
  store::Store store({dir});
  FakeClock clock(1'780'000'000);
  crypto::Seed seed;
  seed.fill(3);
  log::OwnLog own(store, note::SignerKey::fromSeed(origin, note::KeyType::ED25519, seed), clock, threads);
  std::vector<ByteView> views(decisions.begin(), decisions.end());
  auto start = Clock::now();
  auto outcome = own.append(views);  // committed in groups of OwnLog::COMMIT_GROUP, pipelined
  double r = static_cast<double>(views.size()) / seconds(start);
  for (auto& result : outcome.results)
    if (!result) fail("benchmark entry refused: " + result.error().detail);
  return r;
}

void measureLedger(Report& report, const std::filesystem::path& scratch, std::size_t entries) {
  const std::string origin = "hreg.example/140902";
  if (!report.asJson) fmt::print("  (pre-signing {} entries...)\n", entries);
  auto decisions = presign(origin, entries);
  report.figure("ingest_1", "ingest of pre-signed entries, 1 verifying thread",
                ingest(scratch / "ingest-1", decisions, 1, origin), "entries/s", "ed25519_verify", 0.9);
  report.figure("ingest_2", "ingest of pre-signed entries, 2 verifying threads",
                ingest(scratch / "ingest-2", decisions, 2, origin), "entries/s", "ed25519_verify", 1.5);
  store::Store store({scratch / "ingest-2"});
  crypto::Seed seed;
  seed.fill(3);
  auto key = note::SignerKey::fromSeed(origin, note::KeyType::ED25519, seed).verifier();
  for (unsigned threads : {1u, 2u}) {
    auto start = Clock::now();
    auto result = log::verifyLog(store.snapshot(), origin, key, threads);
    double r = static_cast<double>(entries) / seconds(start);
    if (!result) fail("benchmark log did not verify: " + result.error().detail);
    report.figure(fmt::format("verify_log_{}", threads), fmt::format("whole-log verification, {} thread(s)", threads),
                  r, "entries/s", "ed25519_verify", 0.9);
  }
}

void measureProofs(Report& report, const std::filesystem::path& scratch, std::uint64_t treeSize) {
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
  std::uint64_t index = 12345;
  auto snapshot = store.snapshot();
  auto tree = snapshot.tree("proofs");
  merkle::Prover prover(*tree, treeSize);  // what a node serving proofs at its newest checkpoint holds
  bool ok = true;
  double r = rate([&](std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      index = (index * 6364136223846793005ULL + 1442695040888963407ULL) % treeSize;
      auto proof = prover.inclusionProof(index);
      ok = ok && merkle::verifyInclusion(merkle::leafHash(*snapshot.entry("proofs", index)), index, treeSize, proof,
                                         root).has_value();
    }
  }, 1000);
  if (!ok) fail("a benchmark proof did not verify");
  report.json["limits"]["proof_target"] = 100'000.0;
  report.figure("inclusion_proofs", fmt::format("inclusion proof generation + verification, {} entries", treeSize), r,
                "proofs/s", "proof_target", 1.0);
}

}  // namespace
}  // namespace hreg::bench

int main(int argc, char** argv) {
  using namespace hreg;
  bench::Report report;
  std::size_t entries = 20'000;
  std::uint64_t proofTree = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--json") report.asJson = true;
    else if (arg == "--entries" && i + 1 < argc) entries = std::stoul(argv[++i]);
    else if (arg == "--proof-tree" && i + 1 < argc) proofTree = std::stoull(argv[++i]);
    else {
      fmt::print(stderr, "usage: hreg-bench [--entries N] [--proof-tree N] [--json]\n");
      return 2;
    }
  }
  testing::TempDir scratch;
  report.json["machine"] = {{"cores", std::thread::hardware_concurrency()}};
  report.json["entries"] = entries;
  if (!report.asJson) fmt::print("hreg-bench: limits of this machine\n");
  bench::measureLimits(report, scratch.path());
  if (!report.asJson) fmt::print("hreg-bench: ledger figures (ratio to the limit named)\n");
  bench::measureLedger(report, scratch.path(), entries);
  bench::measureProofs(report, scratch.path(), proofTree);
  if (report.asJson) fmt::print("{}\n", report.json.dump(2));
  return 0;
}
