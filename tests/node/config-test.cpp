#include "node/config.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "node/file-clock.h"
#include "tests/support/files.h"
#include "tests/support/temp-dir.h"

namespace hreg::node {
namespace {

using testing::TempDir;

const std::string PARENT_KEY = "hreg.example/1409+95813490+ATqB/NWJ9mch8yjgVkx68usM/dLg5OmZfax3CMPJD+Gx";

// COUNTY is a complete config of the county 忻府区, as docs/operations.md shows it, with every
// optional key set.
const std::string COUNTY = R"([node]
origin = "hreg.example/140902"
data_dir = "store"
checkpoint_key_file = "keys/checkpoint.key"
trust_root = "/etc/hreg/trust-root.toml"
verify_threads = 4

[peer]
listen = "0.0.0.0:7400"

[api]
listen = "[::1]:7401"

[parent]
origin = "hreg.example/1409"
address = "hreg-1409.example.gov.cn:7400"
key = ")" + PARENT_KEY + R"("

[clock]
start = 1767225900

[log]
level = "warn"

[limits]
batch_entries = 512
)";

// Configs are written to a directory of their own, so that relative paths resolve somewhere known.
struct Config : ::testing::Test {
  TempDir dir;
  std::filesystem::path write(const std::string& text, const std::string& name = "node.toml") {
    auto file = dir / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  // expectRefused loads `text` and expects a MALFORMED_FILE naming the file and `key`; it gives the
  // refusal's detail ("" when the config was accepted).
  std::string expectRefused(const std::string& text, const std::string& key) {
    auto file = write(text);
    auto loaded = loadConfig(file);
    EXPECT_FALSE(loaded) << "accepted a config whose " << key << " is wrong";
    if (loaded) return "";
    EXPECT_EQ(loaded.error().reason, Reason::MALFORMED_FILE) << loaded.error().detail;
    EXPECT_NE(loaded.error().detail.find(file.string()), std::string::npos) << loaded.error().detail;
    EXPECT_NE(loaded.error().detail.find(key), std::string::npos) << loaded.error().detail;
    return loaded.error().detail;
  }
  // expectRefusedShowing is expectRefused, and the detail also quotes `shown`: the value as written.
  void expectRefusedShowing(const std::string& text, const std::string& key, const std::string& shown) {
    std::string detail = expectRefused(text, key);
    EXPECT_NE(detail.find(shown), std::string::npos) << "the refusal of " << key << " does not quote " << shown
                                                     << ": " << detail;
  }
  // withClockFile is COUNTY with `[clock] file = "<name>"` instead of its start.
  static std::string withClockFile(const std::string& name) {
    return testing::replaced(COUNTY, "start = 1767225900", "file = \"" + name + "\"");
  }
  // withLimit is COUNTY with `line` added to its [limits].
  static std::string withLimit(const std::string& line) {
    return testing::replaced(COUNTY, "[limits]\n", "[limits]\n" + line + "\n");
  }
};

TEST_F(Config, ACompleteConfigReadsBackWithPathsRelativeToItsFile) {
  auto file = write(COUNTY);
  auto loaded = loadConfig(file);
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const NodeConfig& c = loaded.value();
  EXPECT_EQ(c.file, file);
  EXPECT_EQ(c.origin, "hreg.example/140902");
  EXPECT_EQ(c.dataDir, dir / "store");
  EXPECT_EQ(c.checkpointKeyFile, dir / "keys/checkpoint.key");
  EXPECT_EQ(c.trustRootFile, std::filesystem::path("/etc/hreg/trust-root.toml")) << "absolute paths stay";
  EXPECT_EQ(c.verifyThreads, 4u);
  EXPECT_EQ(c.peerListen.host, "0.0.0.0");
  EXPECT_EQ(c.peerListen.port, 7400);
  EXPECT_EQ(c.apiListen.host, "::1");
  EXPECT_EQ(c.apiListen.port, 7401);
  ASSERT_TRUE(c.parent);
  EXPECT_EQ(c.parent->origin, "hreg.example/1409");
  EXPECT_EQ(c.parent->address.host, "hreg-1409.example.gov.cn");
  EXPECT_EQ(c.parent->address.port, 7400);
  EXPECT_EQ(c.parent->key.toString(), PARENT_KEY);
  EXPECT_EQ(c.clockStart, 1767225900);
  EXPECT_EQ(c.logLevel, "warn");
  EXPECT_EQ(c.batchEntries, 512u);
  EXPECT_FALSE(c.recover);
}

TEST_F(Config, OptionalKeysTakeTheirDefaults) {
  auto loaded = loadConfig(write(R"([node]
origin = "hreg.example/root"
data_dir = "/var/lib/hreg/store"
checkpoint_key_file = "checkpoint.key"
trust_root = "trust-root.toml"
[peer]
listen = "127.0.0.1:7400"
[api]
listen = "127.0.0.1:7401"
)"));
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const NodeConfig& c = loaded.value();
  EXPECT_EQ(c.dataDir, std::filesystem::path("/var/lib/hreg/store"));
  EXPECT_EQ(c.trustRootFile, dir / "trust-root.toml");
  EXPECT_EQ(c.verifyThreads, 2u);
  EXPECT_FALSE(c.parent) << "the root node has no parent";
  EXPECT_FALSE(c.clockStart);
  EXPECT_EQ(c.logLevel, "info");
  EXPECT_EQ(c.batchEntries, 1024u);
}

TEST_F(Config, TheDemoConfigsAndTheirKeysLoad) {
  const auto nodes = std::filesystem::path(HREG_SOURCE_DIR) / "configs" / "demo" / "nodes";
  auto loaded = loadConfig(nodes / "14.toml");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const NodeConfig& c = loaded.value();
  EXPECT_EQ(c.origin, "hreg.example/14");
  EXPECT_EQ(c.checkpointKeyFile, nodes / "../keys/checkpoint-14.key");
  ASSERT_TRUE(c.parent);
  EXPECT_EQ(c.parent->origin, "hreg.example/root");
  EXPECT_EQ(c.parent->key.name, "hreg.example/root");
  EXPECT_EQ(c.clockStart, 1767225900);
  auto key = loadSignerKey(c.checkpointKeyFile);
  ASSERT_TRUE(key) << key.error().detail;
  EXPECT_EQ(key.value().name(), c.origin);
  EXPECT_EQ(key.value().type(), note::KeyType::ED25519);
  auto root = loadConfig(nodes / "root.toml");
  ASSERT_TRUE(root) << root.error().detail;
  EXPECT_FALSE(root.value().parent);
  auto rootKey = loadSignerKey(root.value().checkpointKeyFile);
  ASSERT_TRUE(rootKey);
  EXPECT_EQ(rootKey.value().verifier().toString(), c.parent->key.toString()) << "14 pins the root node's key";
}

TEST_F(Config, AMissingRequiredKeyIsNamed) {
  expectRefused(testing::replaced(COUNTY, "origin = \"hreg.example/140902\"\n", ""), "node.origin");
  expectRefused(testing::replaced(COUNTY, "data_dir = \"store\"\n", ""), "node.data_dir");
  expectRefused(testing::replaced(COUNTY, "checkpoint_key_file = \"keys/checkpoint.key\"\n", ""),
                "node.checkpoint_key_file");
  expectRefused(testing::replaced(COUNTY, "trust_root = \"/etc/hreg/trust-root.toml\"\n", ""), "node.trust_root");
  expectRefused(testing::replaced(COUNTY, "listen = \"0.0.0.0:7400\"\n", ""), "peer.listen");
  expectRefused(testing::replaced(COUNTY, "address = \"hreg-1409.example.gov.cn:7400\"\n", ""), "parent.address");
  expectRefused(testing::replaced(COUNTY, "key = \"" + PARENT_KEY + "\"\n", ""), "parent.key");
}

TEST_F(Config, AnUnknownSectionIsNamed) {
  expectRefused(COUNTY + "\n[nodes]\norigin = \"hreg.example/140902\"\n", "nodes");
  expectRefused("origin = \"hreg.example/140902\"\n" + COUNTY, "origin");
}

TEST_F(Config, AnUnknownKeyIsNamed) {
  expectRefused(testing::replaced(COUNTY, "data_dir", "data_dirr"), "node.data_dirr");
  expectRefused(testing::replaced(COUNTY, "[limits]\n", "[limits]\nmax_frame_bytes = 1024\n"),
                "limits.max_frame_bytes");
}

TEST_F(Config, ABadPortIsNamed) {
  expectRefused(testing::replaced(COUNTY, "0.0.0.0:7400", "0.0.0.0:74000"), "peer.listen");
  expectRefused(testing::replaced(COUNTY, "[::1]:7401", "[::1]:http"), "api.listen");
  expectRefused(testing::replaced(COUNTY, "[::1]:7401", "127.0.0.1"), "api.listen");
  expectRefused(testing::replaced(COUNTY, "hreg-1409.example.gov.cn:7400", "hreg-1409.example.gov.cn:-1"),
                "parent.address");
}

TEST_F(Config, AParentKeyOfAnotherLogIsRefused) {
  const std::string countyKey = "hreg.example/140902+9a7130e3+AX3VgBZmZ2dBupetvWmUhQ3+34Ivznh1UngvkN5I3L5M";
  expectRefused(testing::replaced(COUNTY, PARENT_KEY, countyKey), "parent.key");
  expectRefused(testing::replaced(COUNTY, PARENT_KEY, "not a key"), "parent.key");
}

TEST_F(Config, BadValuesAreNamed) {
  expectRefused(testing::replaced(COUNTY, "start = 1767225900", "start = -1"), "clock.start");
  expectRefused(testing::replaced(COUNTY, "start = 1767225900", "start = \"2026-01-01\""), "clock.start");
  expectRefused(testing::replaced(COUNTY, "level = \"warn\"", "level = \"verbose\""), "log.level");
  expectRefused(testing::replaced(COUNTY, "verify_threads = 4", "verify_threads = 0"), "node.verify_threads");
  expectRefused(testing::replaced(COUNTY, "verify_threads = 4", "verify_threads = 257"), "node.verify_threads");
  expectRefused(testing::replaced(COUNTY, "batch_entries = 512", "batch_entries = 0"), "limits.batch_entries");
  expectRefused(testing::replaced(COUNTY, "origin = \"hreg.example/140902\"", "origin = \"hreg example\""),
                "node.origin");
  expectRefused(testing::replaced(COUNTY, "data_dir = \"store\"", "data_dir = 7"), "node.data_dir");
}

TEST_F(Config, ABooleanIsNotReadAsAWholeNumber) {
  // toml++'s value<std::int64_t>() reads true as 1: one verify thread, a batch of one entry.
  expectRefusedShowing(testing::replaced(COUNTY, "verify_threads = 4", "verify_threads = true"),
                       "node.verify_threads", "true");
  expectRefusedShowing(testing::replaced(COUNTY, "start = 1767225900", "start = true"), "clock.start", "true");
  expectRefusedShowing(testing::replaced(COUNTY, "batch_entries = 512", "batch_entries = true"),
                       "limits.batch_entries", "true");
  expectRefusedShowing(testing::replaced(COUNTY, "verify_threads = 4", "verify_threads = 2.5"),
                       "node.verify_threads", "2.5");
}

// [clock] file (node/file-clock.h): tests and the demo only, read when the config is.

TEST_F(Config, AClockFileHoldingATimeIsReadRelativeToTheConfig) {
  std::ofstream(dir / "clock") << "1767225900\n";
  auto loaded = loadConfig(write(withClockFile("clock")));
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded.value().clockFile, dir / "clock");
  EXPECT_FALSE(loaded.value().clockStart);
  auto clock = FileClock::open(loaded.value().clockFile);
  ASSERT_TRUE(clock) << clock.error().detail;
  EXPECT_EQ(clock.value()->now(), 1767225900);
}

TEST_F(Config, AMissingClockFileIsNamedWithWhatToWriteInIt) {
  std::string detail = expectRefused(withClockFile("clock"), "clock.file");
  EXPECT_NE(detail.find((dir / "clock").string() + ": cannot be read"), std::string::npos) << detail;
  EXPECT_NE(detail.find("UTC seconds"), std::string::npos) << "says what to write: " << detail;
  std::filesystem::create_directory(dir / "elsewhere");
  expectRefused(withClockFile("elsewhere/absent"), "clock.file");
}

TEST_F(Config, AClockFileThatIsADirectoryIsRefused) {
  std::filesystem::create_directory(dir / "clock");
  expectRefusedShowing(withClockFile("clock"), "clock.file", "is a directory");
}

TEST_F(Config, AnUnreadableClockFileIsRefused) {
  std::ofstream(dir / "clock") << "1767225900\n";
  std::filesystem::permissions(dir / "clock", std::filesystem::perms::none);
  if (::geteuid() == 0) {  // root reads it anyway: then it is a good clock file
    EXPECT_TRUE(loadConfig(write(withClockFile("clock"))));
    return;
  }
  expectRefusedShowing(withClockFile("clock"), "clock.file", "cannot be read (Permission denied)");
}

TEST_F(Config, AClockFileWithoutOneTimeIsRefusedQuotingIt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "is empty"},
      {"\n1767225900\n", "no time on its first line"},
      {"tomorrow\n", "'tomorrow'"},
      {"2026-01-01T00:00:00Z\n", "'2026-01-01T00:00:00Z'"},
      {"-5\n", "'-5'"},
      {"1767225900.5\n", "'1767225900.5'"},
      {" 1767225900\n", "' 1767225900'"},
      {"1767225900 1767226000\n", "'1767225900 1767226000'"},
      {"99999999999999999999\n", "'99999999999999999999'"},
      {"\x7f" "ELF\x02" "binary", "'?ELF?binary'"},
  };
  for (const auto& [content, shown] : cases) {
    std::ofstream(dir / "clock", std::ios::binary | std::ios::trunc) << content;
    SCOPED_TRACE(content);
    expectRefusedShowing(withClockFile("clock"), "clock.file", shown);
    auto clock = FileClock::open(dir / "clock");
    ASSERT_FALSE(clock) << "the node's clock read it as " << clock.value()->now();
    EXPECT_EQ(clock.error().reason, Reason::MALFORMED_FILE);
    EXPECT_NE(clock.error().detail.find("clock.file"), std::string::npos) << clock.error().detail;
  }
}

TEST_F(Config, AClockFileMayEndItsTimeWithSpacesOrACarriageReturn) {
  for (const std::string content : {"1767225900", "1767225900 \n", "1767225900\r\n", "1767225900\nlater lines\n"}) {
    std::ofstream(dir / "clock", std::ios::binary | std::ios::trunc) << content;
    auto loaded = loadConfig(write(withClockFile("clock")));
    EXPECT_TRUE(loaded) << loaded.error().detail;
  }
}

// [limits]

TEST_F(Config, TheApiRateLimitReadsBack) {
  auto loaded = loadConfig(write(withLimit("api_requests_per_second = 0.5\napi_burst = 3")));
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded.value().apiRequestsPerSecond, 0.5) << "a decimal rate: one request every two seconds";
  EXPECT_EQ(loaded.value().apiBurst, 3);
  auto lifted = loadConfig(write(withLimit("api_requests_per_second = 0")));
  ASSERT_TRUE(lifted) << lifted.error().detail;
  EXPECT_EQ(lifted.value().apiRequestsPerSecond, 0) << "0 lifts the limit";
  EXPECT_EQ(lifted.value().apiBurst, 200) << "the default";
  auto whole = loadConfig(write(withLimit("api_burst = 3.0")));
  ASSERT_TRUE(whole) << whole.error().detail;
  EXPECT_EQ(whole.value().apiBurst, 3) << "a float without a fraction is a whole number";
  auto bounds = loadConfig(write(withLimit("api_requests_per_second = 1000000\napi_burst = 1000000")));
  ASSERT_TRUE(bounds) << bounds.error().detail;
  auto one = loadConfig(write(withLimit("api_burst = 1")));
  ASSERT_TRUE(one) << one.error().detail;
  EXPECT_EQ(one.value().apiBurst, 1);
}

TEST_F(Config, ABadApiRequestsPerSecondIsNamedQuotingTheValue) {
  const std::string key = "limits.api_requests_per_second";
  expectRefusedShowing(withLimit("api_requests_per_second = -1"), key, "is -1");
  expectRefusedShowing(withLimit("api_requests_per_second = -0.5"), key, "is -0.5");
  expectRefusedShowing(withLimit("api_requests_per_second = 1000001"), key, "is 1000001");
  expectRefusedShowing(withLimit("api_requests_per_second = \"20\""), key, "'20'");
  expectRefusedShowing(withLimit("api_requests_per_second = \"20/s\""), key, "'20/s'");
  expectRefusedShowing(withLimit("api_requests_per_second = true"), key, "is true");
  expectRefusedShowing(withLimit("api_requests_per_second = nan"), key, "is nan");
  expectRefusedShowing(withLimit("api_requests_per_second = inf"), key, "is inf");
  expectRefused(withLimit("api_requests_per_second = [20]"), key);
  expectRefused(withLimit("api_requests_per_second = { rate = 20 }"), key);
}

TEST_F(Config, ABadApiBurstIsNamedQuotingTheValue) {
  const std::string key = "limits.api_burst";
  std::string zero = expectRefused(withLimit("api_burst = 0"), key);
  EXPECT_NE(zero.find("api_requests_per_second = 0"), std::string::npos) << "says how to lift the limit: " << zero;
  expectRefusedShowing(withLimit("api_burst = -5"), key, "is -5");
  expectRefusedShowing(withLimit("api_burst = 0.5"), key, "is 0.5");
  expectRefusedShowing(withLimit("api_burst = 2.5"), key, "is 2.5");
  expectRefusedShowing(withLimit("api_burst = 1000001"), key, "is 1000001");
  expectRefusedShowing(withLimit("api_burst = \"200\""), key, "'200'");
  expectRefusedShowing(withLimit("api_burst = false"), key, "is false");
  expectRefusedShowing(withLimit("api_burst = nan"), key, "is nan");
  expectRefused(withLimit("api_burst = 1979-05-27"), key);
}

TEST_F(Config, ABadBatchEntriesIsNamedQuotingTheValue) {
  const std::string key = "limits.batch_entries";
  expectRefusedShowing(testing::replaced(COUNTY, "batch_entries = 512", "batch_entries = -1"), key, "is -1");
  expectRefusedShowing(testing::replaced(COUNTY, "batch_entries = 512", "batch_entries = 65537"), key, "is 65537");
  expectRefusedShowing(testing::replaced(COUNTY, "batch_entries = 512", "batch_entries = 512.5"), key, "is 512.5");
  expectRefusedShowing(testing::replaced(COUNTY, "batch_entries = 512", "batch_entries = \"512\""), key, "'512'");
}

TEST_F(Config, AnUnknownLimitIsNamedWithTheKeysThatAre) {
  for (const std::string line : {"api_burts = 10", "api_rate = 20", "requests_per_second = 20", "API_BURST = 10"}) {
    std::string detail = expectRefused(withLimit(line), "limits." + line.substr(0, line.find(' ')));
    for (const char* known : {"batch_entries", "api_requests_per_second", "api_burst"})
      EXPECT_NE(detail.find(known), std::string::npos) << "does not list " << known << ": " << detail;
  }
  std::string detail = expectRefused(COUNTY + "api_burst = 10\n[limit]\napi_burst = 10\n", "limit");
  EXPECT_NE(detail.find("limits"), std::string::npos) << "names the sections that are: " << detail;
}

TEST_F(Config, BoundaryValuesAreAccepted) {
  auto text = testing::replaced(COUNTY, "verify_threads = 4", "verify_threads = 256");
  text = testing::replaced(text, "batch_entries = 512", "batch_entries = 65536");
  text = testing::replaced(text, "start = 1767225900", "start = 0");
  text = testing::replaced(text, "0.0.0.0:7400", "0.0.0.0:65535");
  auto loaded = loadConfig(write(text));
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded.value().verifyThreads, 256u);
  EXPECT_EQ(loaded.value().batchEntries, 65536u);
  EXPECT_EQ(loaded.value().clockStart, 0);
  EXPECT_EQ(loaded.value().peerListen.port, 65535);
}

TEST_F(Config, ATomlSyntaxErrorNamesTheFileAndLine) {
  auto file = write("[node]\norigin = \"unterminated\n");
  auto loaded = loadConfig(file);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().reason, Reason::MALFORMED_FILE);
  EXPECT_NE(loaded.error().detail.find(file.string() + ":2:"), std::string::npos) << loaded.error().detail;
}

TEST_F(Config, AMissingFileIsNamed) {
  auto loaded = loadConfig(dir / "absent.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().reason, Reason::MALFORMED_FILE);
  EXPECT_NE(loaded.error().detail.find((dir / "absent.toml").string()), std::string::npos);
}

// loadSignerKey

TEST_F(Config, ASignerKeyFileMayOpenWithComments) {
  auto key = note::SignerKey::fromSeed("hreg.example/140902", note::KeyType::ED25519, crypto::Seed{7});
  auto file = write("# the checkpoint key of 忻府区\n\n# keep it secret\n" + key.toString() + "\n", "checkpoint.key");
  auto loaded = loadSignerKey(file);
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded.value().toString(), key.toString());
}

TEST_F(Config, ASignerKeyFileWithoutAKeyIsRefusedNamingTheFile) {
  auto garbage = write("# a key\nPRIVATE+KEY+nonsense\n", "garbage.key");
  auto loaded = loadSignerKey(garbage);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().reason, Reason::MALFORMED_KEY);
  EXPECT_NE(loaded.error().detail.find(garbage.string()), std::string::npos);
  auto empty = write("# only a comment\n", "empty.key");
  EXPECT_EQ(loadSignerKey(empty).error().reason, Reason::MALFORMED_KEY);
  auto verifier = write(PARENT_KEY + "\n", "verifier.key");
  EXPECT_EQ(loadSignerKey(verifier).error().reason, Reason::MALFORMED_KEY) << "a verifier key is not a signer key";
  EXPECT_EQ(loadSignerKey(dir / "absent.key").error().reason, Reason::MALFORMED_FILE);
}

// parseEndpoint

TEST(Endpoint, IPv4AndHostNamesAndBracketedIPv6Parse) {
  auto v4 = parseEndpoint("127.0.0.1:7400");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4.value().host, "127.0.0.1");
  EXPECT_EQ(v4.value().port, 7400);
  EXPECT_EQ(v4.value().toString(), "127.0.0.1:7400");

  auto v6 = parseEndpoint("[2001:db8::1]:443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6.value().host, "2001:db8::1");
  EXPECT_EQ(v6.value().port, 443);
  EXPECT_EQ(v6.value().toString(), "[2001:db8::1]:443") << "brackets come back";

  auto any6 = parseEndpoint("[::]:0");
  ASSERT_TRUE(any6);
  EXPECT_EQ(any6.value().host, "::");
  EXPECT_EQ(any6.value().port, 0);

  auto name = parseEndpoint("hreg-1409.example.gov.cn:65535");
  ASSERT_TRUE(name);
  EXPECT_EQ(name.value().host, "hreg-1409.example.gov.cn");
  EXPECT_EQ(name.value().port, 65535);
}

TEST(Endpoint, AMissingOrBadPortIsRefused) {
  for (const char* text : {"127.0.0.1", "127.0.0.1:", ":7400", "[::1]", "[::1]:", "127.0.0.1:65536",
                           "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1:80x", "127.0.0.1:http", "127.0.0.1: 80",
                           "127.0.0.1:99999999999999999999", ""}) {
    auto parsed = parseEndpoint(text);
    ASSERT_FALSE(parsed) << "'" << text << "' was read as " << parsed.value().toString();
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_FILE) << text;
  }
}

TEST(Endpoint, AHostThatIsNeitherIPv4NorANameNorBracketedIPv6IsRefused) {
  // An IPv6 address must be bracketed, so a colon or a bracket left in the host means the text is
  // something else, e.g. an IPv6 address without its port ("::1" would otherwise be host ":", port 1).
  for (const char* text : {"::1", "fe80::1", "fe80::1:7400", "[]:7400", "[::1:7400", "[::1]x:7400", "a]:7400"}) {
    auto parsed = parseEndpoint(text);
    ASSERT_FALSE(parsed) << "'" << text << "' was read as host '" << parsed.value().host << "', port "
                         << parsed.value().port;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_FILE) << text;
  }
}

}  // namespace
}  // namespace hreg::node
