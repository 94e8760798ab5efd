// `hreg tlog verify-store`, run as a subprocess on a store written by an OwnLog (ledger/log/own-log.h).
#include "admin-cli/commands.h"

#include <gtest/gtest.h>

#include "ledger/log/own-log.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/support/decisions.h"

namespace hreg::testing {
namespace {

using cli::EXIT_OK;
using cli::EXIT_REFUSED;
using cli::EXIT_USAGE;

constexpr const char* ORIGIN = "hreg.example/140902";

note::SignerKey checkpointKey() {
  crypto::Seed seed;
  seed.fill(7);
  return note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, seed);
}

// writeLog makes a store in `dir` holding `n` signed grants in the log ORIGIN.
void writeLog(const std::filesystem::path& dir, int n) {
  store::Store store({dir});
  FakeClock clock(1'780'000'000);
  log::OwnLog log(store, checkpointKey(), clock);
  crypto::Seed seed;
  seed.fill(8);
  auto official = crypto::KeyPair::fromSeed(seed);
  std::vector<Bytes> decisions;
  for (int i = 0; i < n; ++i)
    decisions.push_back(grantDecision(ORIGIN, clock.now(), official.publicKey(), "official " + std::to_string(i),
                                      {&official}));
  std::vector<ByteView> views(decisions.begin(), decisions.end());
  log.append(views);
}

class TlogStore : public ::testing::Test {
 protected:
  void SetUp() override { writeLog(cli.path("store"), 70); }
  CliResult verifyStore(const std::string& dir, const std::string& origin, const std::string& vkey) {
    return cli.run({"tlog", "verify-store", dir, "--origin", origin, "--key", vkey, "--threads", "2", "--json"});
  }
  Cli cli;
  std::string key = checkpointKey().verifier().toString();
  std::string store = cli.path("store").string();
};

TEST_F(TlogStore, AnIntactLogVerifies) {
  CliResult r = verifyStore(store, ORIGIN, key);
  ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
  auto j = r.json();
  EXPECT_EQ(j["origin"], ORIGIN);
  EXPECT_EQ(j["entries"], 70);
  EXPECT_EQ(j["signatures"], 70);
  EXPECT_EQ(j["checkpoint"]["origin"], ORIGIN);
  EXPECT_EQ(j["checkpoint"]["treeSize"], 70);
  EXPECT_EQ(j["checkpoint"]["root"].get<std::string>().size(), 64u);
  CliResult text = cli.run({"tlog", "verify-store", store, "--origin", ORIGIN, "--key", key});
  EXPECT_EQ(text.exitCode, EXIT_OK) << text.err;
  EXPECT_NE(text.out.find("entries     70\n"), std::string::npos) << text.out;
}

TEST_F(TlogStore, TheWrongKeyOrAnUnknownLogIsRefused) {
  crypto::Seed other;
  other.fill(9);
  auto wrong = note::SignerKey::fromSeed(ORIGIN, note::KeyType::ED25519, other).verifier().toString();
  CliResult r = verifyStore(store, ORIGIN, wrong);
  EXPECT_EQ(r.exitCode, EXIT_REFUSED);
  EXPECT_EQ(r.json()["reason"], "no-trusted-signature");
  CliResult unknown = verifyStore(store, "hreg.example/none", key);
  EXPECT_EQ(unknown.exitCode, EXIT_REFUSED);
  EXPECT_EQ(unknown.json()["reason"], "index-out-of-range");
  EXPECT_NE(unknown.err.find(ORIGIN), std::string::npos) << "lists the logs the store holds: " << unknown.err;
}

TEST_F(TlogStore, AMissingOrForeignDirectoryOrABadKeyIsAUsageError) {
  EXPECT_EQ(verifyStore(cli.path("nowhere").string(), ORIGIN, key).exitCode, EXIT_USAGE);
  std::filesystem::create_directory(cli.path("empty"));
  EXPECT_EQ(verifyStore(cli.path("empty").string(), ORIGIN, key).exitCode, EXIT_USAGE);
  EXPECT_EQ(verifyStore(store, ORIGIN, key.substr(1)).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "verify-store", store, "--origin", ORIGIN, "--key", key, "--threads", "0"}).exitCode,
            EXIT_USAGE);
}

TEST_F(TlogStore, HelpShowsAnExample) {
  CliResult r = cli.run({"tlog", "verify-store", "--help"});
  EXPECT_EQ(r.exitCode, EXIT_OK);
  EXPECT_NE(r.out.find("Example: hreg tlog verify-store"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace hreg::testing
