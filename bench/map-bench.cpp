// hreg-map-bench: what a log's subject map (ledger/map/subject-map.h) costs, each figure also as a
// ratio to this machine's SHA-256 rate on 96-byte inputs (two compression blocks, like the map's
// 65-byte inner and 81-byte leaf hashes) measured beside it in the same run, and the rebuild from a
// store also as a ratio to the raw LMDB read rate (bench/limits.h).
//   1. In memory, for maps of 10^3 .. 10^6 distinct subjects (one map grown from empty, each size
//      measured when reached): the fill (record each new subject, root every 1,024 entries as a
//      commit group or a replica batch does) and the memory it holds (RSS delta, /proc/self/statm);
//      at that size, one more entry recorded under an Undo (as OwnLog::commitGroup and acceptReplica
//      do) about a new subject or about a subject already held, with the root taken after each entry
//      or once per 1,024; prove (a subject held, a subject absent) and verify.
//   2. From a real store: a log of R findings (R distinct subjects by default) appended through
//      log::OwnLog, then log::subjectMapOf over it, and its parts: the LMDB scan alone, + parsing each
//      entry, + its leaf hash, + its map keys (map::keysOf), the whole rebuild.
// Each figure is the median of 3 slices, each paired with its limit measured next to it.
// Usage: hreg-map-bench [--max-subjects N] [--rebuild-entries R] [--per-subject K] [--json]
// Results: docs/performance.md, "Subject maps (completeness)".
#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "bench/limits.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/log/subject-maps.h"
#include "ledger/map/subject-map.h"
#include "tests/support/temp-dir.h"

namespace hreg::bench {
namespace {

constexpr int SLICES = 3;
constexpr double SLICE_SECONDS = 0.3;
constexpr std::size_t GROUP = 1024;  // entries per commit group and per replica batch

double residentBytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}
double heapBytes() { return static_cast<double>(mallinfo2().uordblks); }

struct Output {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  bool asJson = false;

  // figure records operations per second in slices, each beside its SHA-256 (and LMDB read) limit.
  void figure(nlohmann::ordered_json& at, const std::string& key, const std::string& what,
              const std::vector<double>& perSecond, const std::vector<double>& sha,
              const std::vector<double>& lmdb = {}) {
    std::vector<double> ratios, lmdbRatios;
    for (std::size_t i = 0; i < perSecond.size(); ++i) ratios.push_back(perSecond[i] / sha[i]);
    for (std::size_t i = 0; i < lmdb.size(); ++i) lmdbRatios.push_back(perSecond[i] / lmdb[i]);
    const double rate = median(perSecond), ratio = median(ratios);
    auto& f = at[key] = {{"per_second", rate}, {"microseconds", 1e6 / rate}, {"ratio_to_sha256_96", ratio},
                         {"sha256_per_op", 1 / ratio}, {"ratios", ratios}};
    if (!lmdb.empty()) {
      f["ratio_to_lmdb_read"] = median(lmdbRatios);
      f["lmdb_reads_per_op"] = 1 / median(lmdbRatios);
    }
    if (asJson) return;
    fmt::print("    {:<52} {:>9.0f}/s {:>7.2f} µs  {:.3f}x sha256 ({:.1f} hashes)", what, rate, 1e6 / rate, ratio,
               1 / ratio);
    if (!lmdb.empty()) fmt::print("  {:.3f}x LMDB read ({:.2f} reads)", median(lmdbRatios), 1 / median(lmdbRatios));
    fmt::print("\n");
  }
};

// sliced measures `work(n)` (n operations) in SLICES slices of about SLICE_SECONDS of its own time,
// the SHA-256 limit measured just before each; `timed` returns the seconds it counted.
template <class Work>
void sliced(Limits& limits, std::vector<double>& perSecond, std::vector<double>& sha, Work&& work) {
  for (int s = 0; s < SLICES; ++s) {
    sha.push_back(limits.sha256Of(96, 0.2));
    double spent = 0;
    std::size_t done = 0;
    while (spent < SLICE_SECONDS) {
      auto [n, seconds] = work();
      done += n;
      spent += seconds;
    }
    perSecond.push_back(static_cast<double>(done) / spent);
  }
}

std::vector<map::Key> subjectKeys(std::size_t from, std::size_t to) {
  std::vector<map::Key> keys;
  keys.reserve(to - from);
  for (std::size_t i = from; i < to; ++i) keys.push_back(map::subjectKey(fmt::format("140902-W-{:07}", i)));
  return keys;
}

void measureInMemory(Output& out, Limits& limits, std::size_t maxSubjects) {
  std::vector<std::size_t> sizes;
  for (std::size_t n = 1000; n <= maxSubjects; n *= 10) sizes.push_back(n);
  const std::vector<map::Key> keys = subjectKeys(0, maxSubjects);
  const std::vector<map::Key> fresh = subjectKeys(maxSubjects, maxSubjects + 65536);  // never held
  std::mt19937_64 random(11);
  malloc_trim(0);
  const double rss0 = residentBytes(), heap0 = heapBytes();
  map::SubjectMap m;
  std::uint64_t index = 0;
  double fillSeconds = 0;
  std::vector<double> fillSha;
  std::size_t held = 0;
  for (std::size_t n : sizes) {
    auto& at = out.json["in_memory"][std::to_string(n)];
    if (!out.asJson) fmt::print("  map of {} distinct subjects\n", n);
    // The fill from `held` to n subjects, root every GROUP entries; its limit is the mean of the
    // SHA-256 rates measured before and after each part of it.
    fillSha.push_back(limits.sha256Of(96, 0.2));
    auto start = SteadyClock::now();
    for (; held < n; ++held) {
      m.record(std::span(&keys[held], 1), index++, keys[held]);
      if ((held + 1) % GROUP == 0) (void)m.root();
    }
    (void)m.root();
    fillSeconds += seconds(start);
    fillSha.push_back(limits.sha256Of(96, 0.2));
    const double rss = residentBytes() - rss0, heap = heapBytes() - heap0;
    const double fillRate = static_cast<double>(n) / fillSeconds;
    double sha = 0;
    for (double r : fillSha) sha += r / static_cast<double>(fillSha.size());
    at["fill"] = {{"per_second", fillRate}, {"microseconds", 1e6 / fillRate}, {"ratio_to_sha256_96", fillRate / sha},
                  {"sha256_per_op", sha / fillRate}};
    at["memory"] = {{"rss_bytes", rss}, {"rss_bytes_per_subject", rss / static_cast<double>(n)},
                    {"heap_bytes_per_subject", heap / static_cast<double>(n)}};
    if (!out.asJson)
      fmt::print("    {:<52} {:>9.0f}/s {:>7.2f} µs  {:.3f}x sha256 ({:.1f} hashes)\n"
                 "    {:<52} {:>9.0f} B (heap {:.0f} B)\n",
                 fmt::format("fill from empty, root per {} (per entry)", GROUP), fillRate, 1e6 / fillRate,
                 fillRate / sha, sha / fillRate, "memory per subject (RSS delta)", rss / static_cast<double>(n),
                 heap / static_cast<double>(n));

    // One more entry at this size, under an Undo that is then dropped (outside the time counted),
    // so the map stays at n subjects.
    auto oneMore = [&](const std::string& key, const std::string& what, bool newSubject, std::size_t rootEvery) {
      std::vector<double> rates, shas;
      std::size_t f = 0;
      sliced(limits, rates, shas, [&]() -> std::pair<std::size_t, double> {
        std::vector<const map::Key*> batch;
        for (std::size_t i = 0; i < GROUP; ++i)
          batch.push_back(newSubject ? &fresh[f++ % fresh.size()] : &keys[random() % n]);
        double spent;
        {
          map::SubjectMap::Undo undo(m);
          auto t = SteadyClock::now();
          for (std::size_t i = 0; i < GROUP; ++i) {
            m.record(std::span(batch[i], 1), index + i, *batch[i]);
            if ((i + 1) % rootEvery == 0) (void)m.root();
          }
          spent = seconds(t);
        }
        (void)m.root();  // rehash what the undo touched, outside the time counted
        return {GROUP, spent};
      });
      out.figure(at, key, what, rates, shas);
    };
    oneMore("new_subject_root_each", "record a new subject + root, per entry", true, 1);
    oneMore("new_subject_root_per_group", fmt::format("record a new subject, root per {}", GROUP), true, GROUP);
    oneMore("held_subject_root_each", "record a held subject + root, per entry", false, 1);
    oneMore("held_subject_root_per_group", fmt::format("record a held subject, root per {}", GROUP), false, GROUP);

    // Proofs.
    double siblings = 0, absentSiblings = 0;
    for (std::size_t i = 0; i < 1000; ++i) {
      siblings += static_cast<double>(m.prove(keys[random() % n]).siblings.size());
      absentSiblings += static_cast<double>(m.prove(fresh[i]).siblings.size());
    }
    siblings /= 1000, absentSiblings /= 1000;
    std::vector<double> rates, shas;
    sliced(limits, rates, shas, [&]() -> std::pair<std::size_t, double> {
      std::size_t got = 0;
      auto t = SteadyClock::now();
      for (std::size_t i = 0; i < 256; ++i) got += m.prove(keys[random() % n]).siblings.size();
      if (got == 0 && n > 1) fail("a proof without siblings");
      return {256, seconds(t)};
    });
    out.figure(at, "prove_held", "prove a held subject", rates, shas);
    rates.clear(), shas.clear();
    std::size_t a = 0;
    sliced(limits, rates, shas, [&]() -> std::pair<std::size_t, double> {
      auto t = SteadyClock::now();
      for (std::size_t i = 0; i < 256; ++i) (void)m.prove(fresh[a++ % fresh.size()]);
      return {256, seconds(t)};
    });
    out.figure(at, "prove_absent", "prove a subject absent", rates, shas);
    std::vector<std::pair<map::Key, map::Proof>> proofs;
    for (std::size_t i = 0; i < 256; ++i) {
      const map::Key& k = keys[random() % n];
      proofs.emplace_back(k, m.prove(k));
    }
    const map::Hash root = m.root();
    rates.clear(), shas.clear();
    sliced(limits, rates, shas, [&]() -> std::pair<std::size_t, double> {
      bool ok = true;
      auto t = SteadyClock::now();
      for (auto& [k, p] : proofs) ok = ok && map::verify(root, k, p).has_value();
      double spent = seconds(t);
      if (!ok) fail("a map proof did not verify");
      return {proofs.size(), spent};
    });
    out.figure(at, "verify", "verify a proof of a held subject", rates, shas);
    // In a bundle's JSON a sibling is 64 hex digits, quoted, and a comma (rules/subject.cpp proofJson).
    at["proof_siblings_held"] = siblings;
    at["proof_siblings_absent"] = absentSiblings;
    if (!out.asJson)
      fmt::print("    {:<52} {:>9.1f} held, {:.1f} absent (≈ {:.0f} and {:.0f} JSON bytes of siblings)\n",
                 "siblings per proof", siblings, absentSiblings, siblings * 67, absentSiblings * 67);
  }
}

// findings are `count` joint-review findings signed by one official, `perSubject` about each subject.
std::vector<Bytes> findings(std::size_t count, std::size_t perSubject) {
  auto official = keyFrom(2);
  std::vector<Bytes> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(log::signedDecision("hreg.example/140902", 1'780'000'000, [&](schema::Body::Builder body) {
      auto f = body.initJointReviewFinding();
      f.setSubject(fmt::format("140902-W-{:07}", i / perSubject));
      f.setDepartment("culture");
      f.setOutcome(schema::ReviewOutcome::PASS);
      f.setNotes(fmt::format("bench finding {:07}", i));  // no two alike
    }, {&official}));
  return out;
}

void measureRebuild(Output& out, Limits& limits, const testing::TempDir& scratch, std::size_t entries,
                    std::size_t perSubject) {
  const std::string origin = "hreg.example/140902";
  store::Store store({scratch / "rebuild"});
  {
    if (!out.asJson) fmt::print("  rebuild: signing and appending {} findings ({} per subject)...\n", entries, perSubject);
    auto decisions = findings(entries, perSubject);
    crypto::Seed seed;
    seed.fill(3);
    FakeClock clock(1'780'000'000);
    log::OwnLog own(store, note::SignerKey::fromSeed(origin, note::KeyType::ED25519, seed), clock, 2);
    std::vector<ByteView> views(decisions.begin(), decisions.end());
    for (auto& r : own.append(views).results)
      if (!r) fail("a benchmark finding was refused: " + r.error().detail);
  }
  auto& at = out.json["rebuild"];
  at["entries"] = entries;
  at["entries_per_subject"] = perSubject;
  const std::uint64_t size = store.snapshot().log(origin)->size;
  // Each part's rate in entries per second, beside both limits.
  auto part = [&](const std::string& key, const std::string& what, auto&& visit) {
    std::vector<double> rates, shas, reads;
    for (int s = 0; s < SLICES; ++s) {
      reads.push_back(lmdbRead(store, 0.2));
      shas.push_back(limits.sha256Of(96, 0.2));
      auto snapshot = store.snapshot();
      std::size_t passes = 0;
      auto t = SteadyClock::now();
      do {
        visit(snapshot);
        ++passes;
      } while (seconds(t) < 0.2);  // a small log: several passes
      rates.push_back(static_cast<double>(size * passes) / seconds(t));
    }
    out.figure(at, key, what, rates, shas, reads);
  };
  std::size_t sink = 0;
  part("scan", "LMDB scan of the entries (forEachEntry)", [&](const store::Snapshot& snapshot) {
    snapshot.forEachEntry(origin, 0, size, [&](std::uint64_t, ByteView bytes) {
      sink += bytes.size();
      return true;
    });
  });
  part("scan_parse", "+ parse each entry (protocol::parseEntry)", [&](const store::Snapshot& snapshot) {
    snapshot.forEachEntry(origin, 0, size, [&](std::uint64_t, ByteView bytes) {
      sink += protocol::parseEntry(bytes).has_value();
      return true;
    });
  });
  part("scan_parse_leaf", "+ its leaf hash", [&](const store::Snapshot& snapshot) {
    snapshot.forEachEntry(origin, 0, size, [&](std::uint64_t, ByteView bytes) {
      auto parsed = protocol::parseEntry(bytes);
      sink += parsed.has_value() + merkle::leafHash(bytes)[0];
      return true;
    });
  });
  part("scan_parse_leaf_keys", "+ its map keys (map::keysOf)", [&](const store::Snapshot& snapshot) {
    snapshot.forEachEntry(origin, 0, size, [&](std::uint64_t, ByteView bytes) {
      auto parsed = protocol::parseEntry(bytes);
      sink += merkle::leafHash(bytes)[0] +
              map::keysOf(parsed.value().reader().getSigned().getDecision().getBody()).size();
      return true;
    });
  });
  malloc_trim(0);
  const double rss0 = residentBytes();
  part("subject_map_of", "log::subjectMapOf, the whole rebuild", [&](const store::Snapshot& snapshot) {
    auto m = log::subjectMapOf(snapshot, origin, size);
    sink += m.size();
  });
  malloc_trim(0);
  {
    auto m = log::subjectMapOf(store.snapshot(), origin, size);
    at["map_rss_bytes"] = residentBytes() - rss0;
    at["subjects"] = m.size();
    if (!out.asJson)
      fmt::print("    {:<52} {:>9.0f} B for {} keys\n", "the rebuilt map's memory (RSS delta)", residentBytes() - rss0,
                 m.size());
  }
  if (sink == 0) fail("nothing was read");
}

}  // namespace
}  // namespace hreg::bench

int main(int argc, char** argv) {
  using namespace hreg;
  bench::Output out;
  std::size_t maxSubjects = 1'000'000, rebuildEntries = 100'000, perSubject = 1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--json") out.asJson = true;
    else if (arg == "--max-subjects" && i + 1 < argc) maxSubjects = std::stoul(argv[++i]);
    else if (arg == "--rebuild-entries" && i + 1 < argc) rebuildEntries = std::stoul(argv[++i]);
    else if (arg == "--per-subject" && i + 1 < argc) perSubject = std::max<std::size_t>(1, std::stoul(argv[++i]));
    else {
      fmt::print(stderr, "usage: hreg-map-bench [--max-subjects N] [--rebuild-entries R] [--per-subject K] [--json]\n");
      return 2;
    }
  }
  try {
    testing::TempDir scratch;
    bench::Limits limits(scratch.path());
    const double sha = limits.sha256Of(96), leaf = limits.sha256Leaf();
    out.json["machine"] = {{"cores", std::thread::hardware_concurrency()}};
    out.json["limits"] = {{"sha256_96", sha}, {"sha256_leaf", leaf}};
    if (!out.asJson)
      fmt::print("hreg-map-bench: SHA-256 of 96-byte inputs {:.0f}/s, leaf hashes (300 bytes) {:.0f}/s, one core\n"
                 "(each figure: the median of {} slices, each beside the SHA-256 rate measured next to it)\n",
                 sha, leaf, bench::SLICES);
    bench::measureInMemory(out, limits, maxSubjects);
    if (rebuildEntries > 0) bench::measureRebuild(out, limits, scratch, rebuildEntries, perSubject);
    if (out.asJson) fmt::print("{}\n", out.json.dump(2));
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "hreg-map-bench: {}\n", e.what());
    return 3;
  }
}
