// Tests of admin-cli/keystore.h: key files sealed and opened in-process, and `hreg keygen`, `hreg key
// show` and `hreg key import` run as an official would, from files, the environment and a terminal.
#include "admin-cli/keystore.h"

#include <poll.h>
#include <pty.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "admin-cli/demo-federation.h"
#include "admin-cli/tlog-input.h"
#include "protocol/core/bytes.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/admin-cli/run-on-terminal.h"

namespace hreg::cli {
namespace {

using testing::Cli;
using testing::readText;
using testing::TempDir;
using testing::writeText;

const std::string LABEL = "140902 culture 张三";
const std::string DEMO_SEED_FILE = std::string(HREG_SOURCE_DIR) + "/configs/demo/keys/official-140902-culture.key";

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// withLine is a key file's text with line `index` (0-based) replaced.
std::string withLine(const std::string& text, std::size_t index, const std::string& line) {
  auto lines = linesOf(text);
  lines.at(index) = line;
  return joinLines(lines);
}

// flipHexDigit changes one hex digit of line `index` at `position` past its field name.
std::string flipHexDigit(const std::string& text, std::size_t index, std::size_t position) {
  auto lines = linesOf(text);
  char& c = lines.at(index).at(lines[index].find(' ') + 1 + position);
  c = c == '0' ? '1' : '0';
  return joinLines(lines);
}

mode_t modeOf(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// --- key files in-process ---------------------------------------------------------------------------

class KeyFileTest : public ::testing::Test {
 protected:
  std::filesystem::path written(const std::string& name, const std::string& passphrase = "correct horse") {
    writeKeyFile(dir_ / name, key_, LABEL, passphrase);
    return dir_ / name;
  }
  // reason is why `text`, written to a key file, does not open with "correct horse".
  Reason reasonFor(const std::string& text) {
    auto path = dir_ / "altered.key";
    writeText(path, text);
    auto opened = openKeyFile(path, "correct horse");
    EXPECT_FALSE(opened.has_value()) << text;
    return opened ? Reason::MALFORMED_ENTRY : opened.error().reason;
  }

  TempDir dir_;
  crypto::KeyPair key_ = crypto::KeyPair::generate();
};

TEST_F(KeyFileTest, TheRightPassphraseOpensTheKeyThatWasSealed) {
  auto path = written("zhang.key");
  auto opened = openKeyFile(path, "correct horse");
  ASSERT_TRUE(opened.has_value()) << opened.error().detail;
  EXPECT_EQ(opened.value().publicKey(), key_.publicKey());
  EXPECT_EQ(opened.value().seed(), key_.seed());
  KeyFile header = readKeyFileHeader(path);
  EXPECT_EQ(header.label, LABEL);
  EXPECT_EQ(header.publicKey, key_.publicKey());
}

TEST_F(KeyFileTest, TheExampleOfDocsFormatsOpensWithItsPassphrase) {
  const std::string example =
      "hreg-key v1\n"
      "label 140902 culture 张三\n"
      "public 64042e317e6bb5747246ada50b133d41bb13535c307b527866e5b741b6879579\n"
      "kdf argon2id13 ops=2 mem=67108864 salt=caf42fea832093089d0a26b62e87d709\n"
      "sealed 8f95a22992cfaf03cf314433a9d2a7d1289d29cc331140391455af09a3c7d8ab484af7212a11e0"
      "8d023df41d42d928da0a93105809fbfc97b1557617e60b71d9beccdb104ba5a98d\n";
  ASSERT_NE(readText(std::filesystem::path(HREG_SOURCE_DIR) / "docs/formats.md").find(example), std::string::npos)
      << "docs/formats.md no longer shows this example";
  writeText(dir_ / "example.key", example);
  auto opened = openKeyFile(dir_ / "example.key", "secret");
  ASSERT_TRUE(opened.has_value()) << opened.error().detail;
  EXPECT_EQ(toHex(opened.value().publicKey()), "64042e317e6bb5747246ada50b133d41bb13535c307b527866e5b741b6879579");
  EXPECT_EQ(readKeyFileHeader(dir_ / "example.key").label, LABEL);
}

TEST_F(KeyFileTest, AWrongPassphraseIsRefusedAsWrongPassphrase) {
  auto opened = openKeyFile(written("zhang.key"), "correct horse.");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().reason, Reason::WRONG_PASSPHRASE);
  EXPECT_EQ(reasonName(Reason::WRONG_PASSPHRASE), "wrong-passphrase");
}

TEST_F(KeyFileTest, TheFileHasTheDocumentedFiveLinesAndTheInteractiveKdfLimits) {
  auto lines = linesOf(readText(written("zhang.key")));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "hreg-key v1");
  EXPECT_EQ(lines[1], "label " + LABEL);
  EXPECT_EQ(lines[2], "public " + toHex(key_.publicKey()));
  EXPECT_TRUE(lines[3].starts_with("kdf argon2id13 ops=2 mem=67108864 salt=")) << lines[3];
  EXPECT_EQ(lines[3].size(), std::string("kdf argon2id13 ops=2 mem=67108864 salt=").size() + 32);
  EXPECT_EQ(lines[4].size(), std::string("sealed ").size() + 2 * (24 + 32 + 16));
  EXPECT_EQ(lines[4].find(toHex(key_.seed())), std::string::npos) << "the seed is in the clear";
}

TEST_F(KeyFileTest, EachFileHasItsOwnSaltAndNonce) {
  auto a = linesOf(readText(written("a.key")));
  auto b = linesOf(readText(written("b.key")));
  EXPECT_NE(a[3], b[3]);
  EXPECT_NE(a[4].substr(0, 7 + 48), b[4].substr(0, 7 + 48));
}

TEST_F(KeyFileTest, IsCreatedWithModeExactly0600WhateverTheUmask) {
  mode_t old = ::umask(0);
  auto path = written("zhang.key");
  ::umask(old);
  EXPECT_EQ(modeOf(path), 0600u);
}

TEST_F(KeyFileTest, NeverOverwritesAFile) {
  auto path = written("zhang.key");
  std::string before = readText(path);
  EXPECT_THROW(writeKeyFile(path, crypto::KeyPair::generate(), "someone else", "other"), tlog::UsageError);
  EXPECT_EQ(readText(path), before);
}

TEST_F(KeyFileTest, RefusesBadLabelsAndAnEmptyPassphrase) {
  EXPECT_THROW(writeKeyFile(dir_ / "a.key", key_, "", "pw"), tlog::UsageError);
  EXPECT_THROW(writeKeyFile(dir_ / "a.key", key_, "two\nlines", "pw"), tlog::UsageError);
  EXPECT_THROW(writeKeyFile(dir_ / "a.key", key_, "tab\there", "pw"), tlog::UsageError);
  EXPECT_THROW(writeKeyFile(dir_ / "a.key", key_, std::string(MAX_LABEL_BYTES + 1, 'x'), "pw"), tlog::UsageError);
  EXPECT_THROW(writeKeyFile(dir_ / "a.key", key_, "bad \xff utf-8", "pw"), tlog::UsageError);
  EXPECT_THROW(writeKeyFile(dir_ / "a.key", key_, LABEL, ""), tlog::UsageError);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "a.key"));
}

TEST_F(KeyFileTest, AnyChangedByteOfTheSealIsRefusedNotOpenedAsAnotherKey) {
  std::string text = readText(written("zhang.key"));
  for (std::size_t position : {0u, 47u, 48u, 100u, 143u})  // nonce, ciphertext, tag
    EXPECT_EQ(reasonFor(flipHexDigit(text, 4, position)), Reason::WRONG_PASSPHRASE) << position;
}

TEST_F(KeyFileTest, TheLabelPublicKeyAndKdfParametersAreBoundToTheSeal) {
  std::string text = readText(written("zhang.key"));
  EXPECT_EQ(reasonFor(withLine(text, 1, "label 140902 culture 李四")), Reason::WRONG_PASSPHRASE);
  crypto::KeyPair other = crypto::KeyPair::generate();
  EXPECT_EQ(reasonFor(withLine(text, 2, "public " + toHex(other.publicKey()))), Reason::WRONG_PASSPHRASE);
  EXPECT_EQ(reasonFor(flipHexDigit(text, 3, std::string("argon2id13 ops=2 mem=67108864 salt=").size())),
            Reason::WRONG_PASSPHRASE);
  std::string kdf = linesOf(text)[3];
  EXPECT_EQ(reasonFor(withLine(text, 3, std::string(kdf).replace(kdf.find("ops=2"), 5, "ops=3"))),
            Reason::WRONG_PASSPHRASE);
  // The header still shows the true key: nothing in it was believed.
  EXPECT_EQ(readKeyFileHeader(dir_ / "zhang.key").publicKey, key_.publicKey());
}

TEST_F(KeyFileTest, AFileSealingAnotherKeyThanItsPublicKeyIsMalformed) {
  // Made by hand, as only an attacker or a bug would: the seal is valid, the public key is not its key.
  crypto::KeyPair shown = crypto::KeyPair::generate();
  std::array<std::uint8_t, 16> salt{};
  std::string header = fmt::format("hreg-key v1\nlabel {}\npublic {}\nkdf argon2id13 ops=1 mem=8192 salt={}\n",
                                   LABEL, toHex(shown.publicKey()), toHex(salt));
  std::array<std::uint8_t, 32> sealKey{};
  ASSERT_EQ(crypto_pwhash(sealKey.data(), sealKey.size(), "correct horse", 13, salt.data(), 1, 8192,
                          crypto_pwhash_ALG_ARGON2ID13), 0);
  std::array<std::uint8_t, 24 + 32 + 16> sealed{};
  crypto::Seed seed = key_.seed();
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + 24, nullptr, seed.data(), seed.size(),
                                             asBytes(header).data(), header.size(), nullptr, sealed.data(),
                                             sealKey.data());
  std::string text = header + "sealed " + toHex(sealed) + "\n";
  EXPECT_EQ(reasonFor(text), Reason::MALFORMED_FILE);
  // The same file with its true public key opens: the test's sealing is the format's.
  std::string honest = fmt::format("hreg-key v1\nlabel {}\npublic {}\nkdf argon2id13 ops=1 mem=8192 salt={}\n",
                                   LABEL, toHex(key_.publicKey()), toHex(salt));
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + 24, nullptr, seed.data(), seed.size(),
                                             asBytes(honest).data(), honest.size(), nullptr, sealed.data(),
                                             sealKey.data());
  writeText(dir_ / "honest.key", honest + "sealed " + toHex(sealed) + "\n");
  auto opened = openKeyFile(dir_ / "honest.key", "correct horse");
  ASSERT_TRUE(opened.has_value()) << opened.error().detail;
  EXPECT_EQ(opened.value().publicKey(), key_.publicKey());
}

TEST_F(KeyFileTest, KdfWorkBeyondTheLimitsIsRefusedBeforeAnyIsDone) {
  std::string text = readText(written("zhang.key"));
  std::string kdf = linesOf(text)[3];
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(reasonFor(withLine(text, 3, std::string(kdf).replace(kdf.find("ops=2"), 5, "ops=1000000"))),
            Reason::MALFORMED_FILE);
  EXPECT_EQ(reasonFor(withLine(text, 3, std::string(kdf).replace(kdf.find("mem=67108864"), 12,
                                                                 "mem=1099511627776"))),
            Reason::MALFORMED_FILE);
  EXPECT_EQ(reasonFor(withLine(text, 3, std::string(kdf).replace(kdf.find("ops=2"), 5, "ops=0"))),
            Reason::MALFORMED_FILE);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(KeyFileTest, OnlyTheCanonicalSpellingIsRead) {
  std::string text = readText(written("zhang.key"));
  std::string publicLine = linesOf(text)[2];
  std::string upper = publicLine;
  for (std::size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  ASSERT_NE(upper, publicLine) << "the key has no hex letter";
  std::string kdf = linesOf(text)[3];
  const std::vector<std::string> malformed = {
      withLine(text, 2, upper),
      withLine(text, 3, std::string(kdf).replace(kdf.find("ops=2"), 5, "ops=02")),
      withLine(text, 0, "hreg-key v2"),
      withLine(text, 1, "label"),
      withLine(text, 2, "public " + toHex(key_.publicKey()).substr(2)),
      withLine(text, 3, "kdf scrypt ops=2 mem=67108864"),
      withLine(text, 4, linesOf(text)[4] + "00"),
      text.substr(0, text.size() - 1),  // no final newline
      text + "extra\n",
      "",
      "PRIVATE+KEY+hreg.example/140902+12345678+AQ==\n",
  };
  for (const std::string& bad : malformed) {
    EXPECT_EQ(reasonFor(bad), Reason::MALFORMED_FILE) << bad;
    EXPECT_THROW((void)readKeyFileHeader(dir_ / "altered.key"), tlog::UsageError) << bad;
  }
}

TEST_F(KeyFileTest, AMissingFileIsAUsageErrorNamingIt) {
  try {
    (void)openKeyFile(dir_ / "nowhere.key", "pw");
    FAIL() << "no exception";
  } catch (const tlog::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere.key"), std::string::npos) << e.what();
  }
}

TEST(Passphrase, ComesFromTheFileThenTheEnvironmentAndNeverFromNowhere) {
  TempDir dir;
  writeText(dir / "pass", "from the file\r\nsecond line\n");
  PassphraseOptions options;
  options.envName = "HREG_KEYSTORE_TEST_PASSPHRASE";
  options.prompt = false;
  ::setenv(options.envName.c_str(), "from the environment", 1);
  options.file = (dir / "pass").string();
  EXPECT_EQ(readPassphrase(options, "?", true), "from the file");
  options.file.clear();
  EXPECT_EQ(readPassphrase(options, "?", true), "from the environment");
  ::unsetenv(options.envName.c_str());
  EXPECT_THROW((void)readPassphrase(options, "?", false), tlog::UsageError);
  options.file = (dir / "missing").string();
  EXPECT_THROW((void)readPassphrase(options, "?", false), tlog::UsageError);
  writeText(dir / "long", std::string(MAX_PASSPHRASE_BYTES + 1, 'p'));
  options.file = (dir / "long").string();
  EXPECT_THROW((void)readPassphrase(options, "?", false), tlog::UsageError);
}

// --- hreg keygen, key show, key import --------------------------------------------------------------

class KeyCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    cli_.detachTerminal();  // never ask on the terminal of whoever runs the tests
    cli_.setEnv("HREG_PASSPHRASE", std::nullopt);
  }
  void passphrase(const std::string& value) { cli_.setEnv("HREG_PASSPHRASE", value); }
  std::string keyFile(const std::string& name) const { return cli_.path(name).string(); }

  Cli cli_;
};

TEST_F(KeyCommands, KeygenThenShowGiveTheSameLabelAndKeyId) {
  passphrase("correct horse");
  auto made = cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL, "--json"});
  ASSERT_EQ(made.exitCode, 0) << made.err;
  auto shown = cli_.run({"key", "show", keyFile("zhang.key"), "--json"});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  EXPECT_EQ(shown.json()["label"], LABEL);
  EXPECT_EQ(shown.json()["publicKey"], made.json()["publicKey"]);
  EXPECT_EQ(shown.json()["keyId"], made.json()["publicKey"]);
  EXPECT_EQ(shown.json()["publicKey"].get<std::string>().size(), 64u);
  EXPECT_FALSE(shown.json().contains("passphraseOpens"));
  auto checked = cli_.run({"key", "show", keyFile("zhang.key"), "--check", "--json"});
  ASSERT_EQ(checked.exitCode, 0) << checked.err;
  EXPECT_EQ(checked.json()["passphraseOpens"], true);
  EXPECT_EQ(modeOf(keyFile("zhang.key")), 0600u);
  auto text = cli_.run({"key", "show", keyFile("zhang.key")});
  EXPECT_NE(text.out.find(made.json()["publicKey"].get<std::string>()), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(LABEL), std::string::npos) << text.out;
}

TEST_F(KeyCommands, KeygenRefusesToOverwriteAKeyFile) {
  passphrase("correct horse");
  ASSERT_EQ(cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL}).exitCode, 0);
  std::string before = readText(keyFile("zhang.key"));
  auto again = cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL});
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(readText(keyFile("zhang.key")), before);
}

TEST_F(KeyCommands, AWrongPassphraseIsRefusedWithExit1) {
  passphrase("correct horse");
  ASSERT_EQ(cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL}).exitCode, 0);
  passphrase("wrong horse");
  auto checked = cli_.run({"key", "show", keyFile("zhang.key"), "--check", "--json"});
  EXPECT_EQ(checked.exitCode, 1);
  EXPECT_EQ(checked.json()["reason"], "wrong-passphrase");
  EXPECT_NE(checked.err.find("refused (wrong-passphrase)"), std::string::npos) << checked.err;
}

TEST_F(KeyCommands, ATamperedFileIsRefusedWithExit1) {
  passphrase("correct horse");
  ASSERT_EQ(cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL}).exitCode, 0);
  std::string text = readText(keyFile("zhang.key"));
  cli_.file("sealed.key", flipHexDigit(text, 4, 60));
  cli_.file("label.key", withLine(text, 1, "label 140902 culture 李四"));
  for (const char* name : {"sealed.key", "label.key"}) {
    auto checked = cli_.run({"key", "show", keyFile(name), "--check", "--json"});
    EXPECT_EQ(checked.exitCode, 1) << name << checked.err;
    EXPECT_EQ(checked.json()["reason"], "wrong-passphrase") << name;
  }
  cli_.file("broken.key", withLine(text, 4, "sealed 00"));
  auto broken = cli_.run({"key", "show", keyFile("broken.key")});
  EXPECT_EQ(broken.exitCode, 2);
  EXPECT_NE(broken.err.find("broken.key"), std::string::npos) << broken.err;
}

TEST_F(KeyCommands, APassphraseFileComesBeforeTheEnvironment) {
  std::string pass = cli_.file("pass", "from the file\nnot this line\n");
  ASSERT_EQ(cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL, "--passphrase-file", pass}).exitCode,
            0);
  passphrase("not the passphrase");
  EXPECT_EQ(cli_.run({"key", "show", keyFile("zhang.key"), "--check", "--passphrase-file", pass}).exitCode, 0);
  EXPECT_EQ(cli_.run({"key", "show", keyFile("zhang.key"), "--check"}).exitCode, 1);
  passphrase("from the file");
  EXPECT_EQ(cli_.run({"key", "show", keyFile("zhang.key"), "--check"}).exitCode, 0);
  auto fromStdin = cli_.run({"key", "show", keyFile("zhang.key"), "--check", "--passphrase-file", "-"},
                            "from the file\n");
  EXPECT_EQ(fromStdin.exitCode, 0) << fromStdin.err;
}

TEST_F(KeyCommands, WithNoTerminalAndNoPassphraseSourceItSaysWhereToGiveOne) {
  auto made = cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL});
  EXPECT_EQ(made.exitCode, 2);
  EXPECT_NE(made.err.find("--passphrase-file"), std::string::npos) << made.err;
  EXPECT_NE(made.err.find("HREG_PASSPHRASE"), std::string::npos) << made.err;
  EXPECT_NE(made.err.find("terminal"), std::string::npos) << made.err;
  EXPECT_FALSE(std::filesystem::exists(keyFile("zhang.key")));
}

TEST_F(KeyCommands, AnEmptyPassphraseIsRefused) {
  passphrase("");
  auto made = cli_.run({"keygen", "-o", keyFile("zhang.key"), "--label", LABEL});
  EXPECT_EQ(made.exitCode, 2);
  EXPECT_NE(made.err.find("empty"), std::string::npos) << made.err;
  EXPECT_FALSE(std::filesystem::exists(keyFile("zhang.key")));
}

TEST_F(KeyCommands, AMissingKeyFileExits2NamingIt) {
  auto shown = cli_.run({"key", "show", keyFile("nowhere.key")});
  EXPECT_EQ(shown.exitCode, 2);
  EXPECT_NE(shown.err.find(keyFile("nowhere.key")), std::string::npos) << shown.err;
}

TEST_F(KeyCommands, ImportOfADemoKeyKeepsItsPublicKey) {
  passphrase("demo");
  auto imported = cli_.run({"key", "import", "--seed-file", DEMO_SEED_FILE, "-o", keyFile("culture.key"), "--label",
                            "140902 culture DEMO", "--json"});
  ASSERT_EQ(imported.exitCode, 0) << imported.err;
  DemoFederation federation(std::string(HREG_SOURCE_DIR) + "/configs/demo");
  crypto::KeyPair demo = federation.key("official-140902-culture.key");
  EXPECT_EQ(imported.json()["publicKey"], toHex(demo.publicKey()));
  EXPECT_NE(readText(DEMO_SEED_FILE).find("public_key = \"" + toHex(demo.publicKey()) + "\""), std::string::npos);
  auto opened = openKeyFile(keyFile("culture.key"), "demo");
  ASSERT_TRUE(opened.has_value()) << opened.error().detail;
  EXPECT_EQ(opened.value().seed(), demo.seed());
  EXPECT_EQ(modeOf(keyFile("culture.key")), 0600u);
}

TEST_F(KeyCommands, ImportReadsABareSeedAndRefusesAMismatchedPublicKey) {
  passphrase("pw");
  crypto::KeyPair key = crypto::KeyPair::generate();
  std::string bare = cli_.file("bare.seed", toHex(key.seed()) + "\n");
  auto imported = cli_.run({"key", "import", "--seed-file", bare, "-o", keyFile("bare.key"), "--label", "x",
                            "--json"});
  ASSERT_EQ(imported.exitCode, 0) << imported.err;
  EXPECT_EQ(imported.json()["publicKey"], toHex(key.publicKey()));
  std::string lying = cli_.file("lying.seed", fmt::format("seed = \"{}\"\npublic_key = \"{}\"\n", toHex(key.seed()),
                                                          toHex(crypto::KeyPair::generate().publicKey())));
  auto refused = cli_.run({"key", "import", "--seed-file", lying, "-o", keyFile("lying.key"), "--label", "x"});
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_NE(refused.err.find("lying.seed"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(keyFile("lying.key")));
  std::string garbage = cli_.file("garbage.seed", "seed = \"not hex\"\n");
  EXPECT_EQ(cli_.run({"key", "import", "--seed-file", garbage, "-o", keyFile("g.key"), "--label", "x"}).exitCode, 2);
}

// --- on a terminal ----------------------------------------------------------------------------------

using testing::runOnTerminal;

TEST(KeyCommandsOnATerminal, KeygenAsksTwiceWithoutEchoAndShowCheckOpensTheKey) {
  TempDir dir;
  std::string path = (dir / "zhang.key").string();
  auto made = runOnTerminal({"keygen", "-o", path, "--label", LABEL},
                            {{"Passphrase for the new key file", "typed secret"},
                             {"Same passphrase again", "typed secret"}});
  EXPECT_EQ(made.exitCode, 0) << made.screen;
  EXPECT_EQ(made.screen.find("typed secret"), std::string::npos) << "the passphrase was echoed: " << made.screen;
  auto checked = runOnTerminal({"key", "show", path, "--check"}, {{"Passphrase for", "typed secret"}});
  EXPECT_EQ(checked.exitCode, 0) << checked.screen;
  EXPECT_NE(checked.screen.find("opens the key"), std::string::npos) << checked.screen;
  auto wrong = runOnTerminal({"key", "show", path, "--check"}, {{"Passphrase for", "typed secrets"}});
  EXPECT_EQ(wrong.exitCode, 1) << wrong.screen;
}

TEST(KeyCommandsOnATerminal, KeygenWritesNothingWhenTheTwoAnswersDiffer) {
  TempDir dir;
  std::string path = (dir / "zhang.key").string();
  auto made = runOnTerminal({"keygen", "-o", path, "--label", LABEL},
                            {{"Passphrase for the new key file", "one"}, {"Same passphrase again", "two"}});
  EXPECT_EQ(made.exitCode, 2) << made.screen;
  EXPECT_NE(made.screen.find("differ"), std::string::npos) << made.screen;
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace hreg::cli
