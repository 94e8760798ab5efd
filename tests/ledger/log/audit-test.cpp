#include "ledger/log/audit.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "ledger/log/own-log.h"
#include "tests/support/decisions.h"
#include "tests/support/temp-dir.h"

namespace hreg::log {
namespace {

constexpr const char* ORIGIN = "hreg.example/654201";

note::SignerKey checkpointKey() {
  return note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{4});
}

// writeLog makes a store with `n` entries and returns the bytes of entry `keep`.
Bytes writeLog(const std::filesystem::path& dir, int n, std::uint64_t keep) {
  store::Store store({dir});
  FakeClock clock(1'780'000'000);
  OwnLog log(store, checkpointKey(), clock);
  crypto::Seed s;
  s.fill(5);
  auto official = crypto::KeyPair::fromSeed(s);
  std::vector<Bytes> decisions;
  for (int i = 0; i < n; ++i)
    decisions.push_back(testing::grantDecision(ORIGIN, clock.now(), official.publicKey(),
                                               "official " + std::to_string(i), {&official}));
  std::vector<ByteView> views(decisions.begin(), decisions.end());
  log.append(std::span(views).first(static_cast<std::size_t>(n / 2)));
  log.append(std::span(views).subspan(static_cast<std::size_t>(n / 2)));
  auto entry = store.snapshot().entry(ORIGIN, keep);
  return Bytes(entry->begin(), entry->end());
}

Result<AuditReport> audit(const std::filesystem::path& dir) {
  store::Store store({dir});
  return verifyLog(store.snapshot(), ORIGIN, checkpointKey().verifier(), 2);
}

Bytes readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(b.data()),
                                                              static_cast<std::streamsize>(b.size()));
}

TEST(Audit, AnIntactLogVerifies) {
  testing::TempDir dir;
  writeLog(dir.path(), 40, 0);
  auto report = audit(dir.path());
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report.value().entries, 40u);
  EXPECT_EQ(report.value().signatures, 40u);
  EXPECT_EQ(report.value().checkpoint.size, 40u);
}

// Progress is reported in whole steps of PROGRESS_STEP entries, in order, ending with (total, total).
TEST(Audit, ProgressCountsEveryEntryOnceAndEndsAtTheTotal) {
  testing::TempDir dir;
  const int n = static_cast<int>(PROGRESS_STEP) + 100;
  writeLog(dir.path(), n, 0);
  store::Store store({dir.path()});
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  auto report = verifyLog(store.snapshot(), ORIGIN, checkpointKey().verifier(), 2,
                          [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); });
  ASSERT_TRUE(report) << report.error().detail;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], std::pair(PROGRESS_STEP, std::uint64_t(n)));
  EXPECT_EQ(calls[1], std::pair(std::uint64_t(n), std::uint64_t(n)));
}

TEST(Audit, TheWrongCheckpointKeyIsRefused) {
  testing::TempDir dir;
  writeLog(dir.path(), 4, 0);
  store::Store store({dir.path()});
  auto other = note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, crypto::Seed{9}).verifier();
  EXPECT_EQ(verifyLog(store.snapshot(), ORIGIN, other, 1).error().reason, Reason::NO_TRUSTED_SIGNATURE);
  EXPECT_EQ(verifyLog(store.snapshot(), "hreg.example/none", other, 1).error().reason, Reason::INDEX_OUT_OF_RANGE);
}

// Every byte of a stored entry, flipped in the store file itself, is caught by verification.
TEST(Audit, AByteFlippedInAStoredEntryIsDetected) {
  testing::TempDir dir;
  Bytes entry = writeLog(dir / "log", 24, 13);
  const Bytes original = readFile(dir / "log" / "data.mdb");
  auto at = std::search(original.begin(), original.end(), entry.begin(), entry.end());
  ASSERT_NE(at, original.end());
  std::size_t offset = static_cast<std::size_t>(at - original.begin());
  for (std::size_t i = 0; i < entry.size(); ++i) {
    Bytes damaged = original;
    damaged[offset + i] ^= 0x01;
    writeFile(dir / "log" / "data.mdb", damaged);
    auto report = audit(dir / "log");
    EXPECT_FALSE(report) << "flip at byte " << i << " of the entry went unnoticed";
  }
}

TEST(Audit, AByteFlippedInAStoredHashOrCheckpointIsDetected) {
  testing::TempDir dir;
  writeLog(dir / "log", 24, 0);
  Bytes root, checkpointText;
  {
    store::Store store({dir / "log"});
    auto snap = store.snapshot();
    auto h = snap.tree(ORIGIN)->readHash({3, 1});  // the subtree over leaves 8..15
    root.assign(h.begin(), h.end());
    auto cp = *snap.checkpoint(ORIGIN, 24);
    checkpointText.assign(cp.begin(), cp.end());
  }
  const Bytes original = readFile(dir / "log" / "data.mdb");
  for (const Bytes* needle : {&root, &checkpointText}) {
    auto at = std::search(original.begin(), original.end(), needle->begin(), needle->end());
    ASSERT_NE(at, original.end());
    std::size_t offset = static_cast<std::size_t>(at - original.begin());
    for (std::size_t i = 0; i < needle->size(); i += 3) {
      Bytes damaged = original;
      damaged[offset + i] ^= 0x20;
      writeFile(dir / "log" / "data.mdb", damaged);
      EXPECT_FALSE(audit(dir / "log")) << "flip at byte " << i << " went unnoticed";
    }
  }
}

}  // namespace
}  // namespace hreg::log
