// `hreg tlog key | sign | verify | cosign`, run as a subprocess against the C2SP and Go sumdb/note
// vectors (tests/vectors/c2sp-*.txt, keys in c2sp-keys.txt), and round trips with generated keys.
#include "admin-cli/commands.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/admin-cli/run-hreg.h"

namespace hreg::testing {
namespace {

using cli::EXIT_OK;
using cli::EXIT_REFUSED;
using cli::EXIT_USAGE;

// derivedVector is a field of c2sp-derived-cosignature-vectors.txt (value = rest of the line).
std::string derivedVector(const std::string& label, const std::string& field) {
  for (const std::string& line : dataLines("c2sp-derived-cosignature-vectors.txt"))
    if (line.starts_with(label + " " + field + " ")) return line.substr(label.size() + field.size() + 2);
  ADD_FAILURE() << "no vector " << label << " " << field;
  return {};
}

class TlogNote : public ::testing::Test {
 protected:
  Cli cli;
  std::map<std::string, std::map<std::string, std::string>> keys = keyVectors();

  std::string keyFile(const std::string& name, const std::string& skey) {
    auto path = cli.file(name, skey + "\n");
    ::chmod(path.c_str(), 0600);
    return path;
  }
  CliResult verify(const std::vector<std::string>& vkeys, const std::string& notePath) {
    std::vector<std::string> args{"tlog", "verify", "--json"};
    for (const std::string& k : vkeys) args.insert(args.end(), {"--key", k});
    args.push_back(notePath);
    return cli.run(args);
  }
  // verifiedNames are the names of the keys a successful `verify --json` reports.
  static std::vector<std::string> verifiedNames(const CliResult& r) {
    std::vector<std::string> names;
    const nlohmann::json j = r.json();  // outlives the loop (a temporary in the range would not)
    for (const auto& k : j["verified"]) names.push_back(k["name"]);
    return names;
  }
};

TEST_F(TlogNote, VerifyAcceptsThePublishedNotes) {
  struct Case {
    const char* key;
    const char* note;
  } cases[] = {{"c2sp-foo", "c2sp-signed-note-example.txt"},
               {"go-peterneumann", "c2sp-go-note-peterneumann.txt"},
               {"go-peterneumann", "c2sp-go-note-peterneumann-enochroot.txt"},
               {"go-enochroot", "c2sp-go-note-peterneumann-enochroot.txt"},
               {"sumdb", "c2sp-sumdb-checkpoint-35225469.txt"},
               {"sigsum-testlog", "c2sp-sigsum-test-checkpoint-1.txt"}};
  for (const Case& c : cases) {
    CliResult r = verify({keys[c.key]["vkey"]}, vectorPath(c.note));
    ASSERT_EQ(r.exitCode, EXIT_OK) << c.note << ": " << r.err;
    std::string vkey = keys[c.key]["vkey"];
    EXPECT_EQ(verifiedNames(r), std::vector<std::string>{vkey.substr(0, vkey.find('+'))}) << c.note;
  }
}

TEST_F(TlogNote, VerifyPrintsTheCheckpointOfACheckpointNote) {
  CliResult r = verify({keys["sumdb"]["vkey"]}, vectorPath("c2sp-sumdb-checkpoint-35225469.txt"));
  ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
  EXPECT_EQ(r.json()["checkpoint"]["origin"], "go.sum database tree");
  EXPECT_EQ(r.json()["checkpoint"]["treeSize"], 35225469);
  EXPECT_EQ(r.json()["checkpoint"]["rootBase64"], "vt5T6GaLCXvyHFl9VUvvItR43XZxfLgftEcTyO3eJCQ=");
  EXPECT_TRUE(verify({keys["c2sp-foo"]["vkey"]}, vectorPath("c2sp-signed-note-example.txt")).json()["checkpoint"]
                  .is_null());
}

TEST_F(TlogNote, VerifyChecksCosignaturesAndReportsTheirTime) {
  for (const char* label : {"D1", "D2"}) {
    CliResult r = verify({derivedVector(label, "vkey")}, vectorPath(derivedVector(label, "note_file")));
    ASSERT_EQ(r.exitCode, EXIT_OK) << label << ": " << r.err;
    EXPECT_EQ(r.json()["verified"][0]["type"], "cosignature/v1");
    EXPECT_EQ(std::to_string(r.json()["verified"][0]["time"].get<long long>()), derivedVector(label, "timestamp"));
  }
}

TEST_F(TlogNote, SignReproducesGoSumdbNoteByteForByte) {
  auto key = keyFile("pn.key", keys["go-peterneumann"]["skey"]);
  const std::string note = vector("c2sp-go-note-peterneumann.txt");
  auto text = cli.file("text.txt", note.substr(0, note.find("\n\n") + 1));
  CliResult r = cli.run({"tlog", "sign", "--key", key, text});
  ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
  EXPECT_EQ(r.out, note);
  // Signing the signed note again replaces the signature by the same key, as Go's note.Sign does.
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", key, vectorPath("c2sp-go-note-peterneumann.txt")}).out, note);
}

TEST_F(TlogNote, CosignReproducesTheDerivedCosignatureVectors) {
  for (const char* label : {"D1", "D2"}) {
    const std::string cosigned = vector(derivedVector(label, "note_file"));
    auto lastLine = cosigned.rfind("\n\xe2\x80\x94 ", cosigned.size() - 2);
    auto logNote = cli.file("log.note", cosigned.substr(0, lastLine + 1));
    auto key = keyFile("w.key", derivedVector(label, "skey"));
    CliResult r = cli.run({"tlog", "cosign", "--key", key, "--time", derivedVector(label, "timestamp"), logNote});
    ASSERT_EQ(r.exitCode, EXIT_OK) << label << ": " << r.err;
    EXPECT_EQ(r.out, cosigned) << label;
  }
}

TEST_F(TlogNote, KeyVerifierPrintsThePublishedVerifierKey) {
  CliResult r = cli.run({"tlog", "key", "verifier", keyFile("pn.key", keys["go-peterneumann"]["skey"])});
  ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
  EXPECT_EQ(r.out, keys["go-peterneumann"]["vkey"] + "\n");
  CliResult cosigner = cli.run({"tlog", "key", "verifier", keyFile("d1.key", derivedVector("D1", "skey")), "--json"});
  EXPECT_EQ(cosigner.json()["verifierKey"], derivedVector("D1", "vkey"));
  EXPECT_EQ(cosigner.json()["type"], "cosignature/v1");
  EXPECT_EQ(cosigner.json()["keyHash"], derivedVector("D1", "keyid"));
}

TEST_F(TlogNote, GenerateSignVerifyCosignVerifyWithBothKeys) {
  CliResult logKey = cli.run({"tlog", "key", "generate", "hreg.example/140902", "--out", cli.path("log.key"), "--json"});
  ASSERT_EQ(logKey.exitCode, EXIT_OK) << logKey.err;
  struct stat st {};
  ASSERT_EQ(::stat(cli.path("log.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(logKey.json()["type"], "ed25519");
  std::string logVkey = logKey.json()["verifierKey"];
  EXPECT_EQ(cli.run({"tlog", "key", "verifier", cli.path("log.key")}).out, logVkey + "\n");

  auto checkpoint = cli.file("checkpoint.txt", "hreg.example/140902\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
  CliResult signedNote = cli.run({"tlog", "sign", "--key", cli.path("log.key"), checkpoint});
  ASSERT_EQ(signedNote.exitCode, EXIT_OK) << signedNote.err;
  auto notePath = cli.file("checkpoint.note", signedNote.out);
  CliResult verified = verify({logVkey}, notePath);
  ASSERT_EQ(verified.exitCode, EXIT_OK) << verified.err;
  EXPECT_EQ(verified.json()["checkpoint"]["treeSize"], 8);

  CliResult witnessKey = cli.run({"tlog", "key", "generate", "witness.example/w1", "--cosigner", "--out",
                            cli.path("w1.key")});
  ASSERT_EQ(witnessKey.exitCode, EXIT_OK) << witnessKey.err;
  std::string witnessVkey = witnessKey.out.substr(0, witnessKey.out.size() - 1);
  CliResult cosigned = cli.run({"tlog", "cosign", "--key", cli.path("w1.key"), "--time", "1780000000", notePath});
  ASSERT_EQ(cosigned.exitCode, EXIT_OK) << cosigned.err;
  EXPECT_TRUE(cosigned.out.starts_with(signedNote.out));
  auto cosignedPath = cli.file("cosigned.note", cosigned.out);
  CliResult both = verify({logVkey, witnessVkey}, cosignedPath);
  ASSERT_EQ(both.exitCode, EXIT_OK) << both.err;
  EXPECT_EQ(verifiedNames(both), (std::vector<std::string>{"hreg.example/140902", "witness.example/w1"}));
  EXPECT_EQ(both.json()["verified"][1]["time"], 1780000000);
  EXPECT_EQ(both.json()["ignoredSignatures"], 0);
  EXPECT_EQ(verify({witnessVkey}, cosignedPath).json()["ignoredSignatures"], 1);
}

TEST_F(TlogNote, CosignWithoutTimeUsesTheClock) {
  auto key = keyFile("d1.key", derivedVector("D1", "skey"));
  auto before = std::time(nullptr);
  CliResult r = cli.run({"tlog", "cosign", "--key", key, "--json", vectorPath("c2sp-checkpoint-example.txt")});
  ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
  EXPECT_GE(r.json()["time"].get<long long>(), before);
  EXPECT_LE(r.json()["time"].get<long long>(), std::time(nullptr));
}

TEST_F(TlogNote, ATamperedNoteIsRefused) {
  std::string note = vector("c2sp-go-note-peterneumann.txt");
  note[note.find("problem")] = 'P';
  CliResult r = verify({keys["go-peterneumann"]["vkey"]}, cli.file("tampered.note", note));
  EXPECT_EQ(r.exitCode, EXIT_REFUSED);
  EXPECT_EQ(r.json()["reason"], "bad-signature");
  EXPECT_NE(r.err.find("hreg: refused (bad-signature): "), std::string::npos) << r.err;

  std::string cosigned = vector("c2sp-derived-cosignature-D1.txt");
  cosigned.replace(cosigned.find("20852163"), 8, "20852164");
  EXPECT_EQ(verify({derivedVector("D1", "vkey")}, cli.file("tampered.note", cosigned)).json()["reason"],
            "bad-signature");
}

TEST_F(TlogNote, ANoteByAnotherKeyIsRefused) {
  CliResult r = verify({keys["go-peterneumann"]["vkey"]}, vectorPath("c2sp-signed-note-example.txt"));
  EXPECT_EQ(r.exitCode, EXIT_REFUSED);
  EXPECT_EQ(r.json()["reason"], "no-trusted-signature");
}

TEST_F(TlogNote, TruncatedOrMalformedNotesAreRefusedNotCrashed) {
  const std::string note = vector("c2sp-go-note-peterneumann.txt");
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, note.find("\n\n"), note.find("\n\n") + 2,
                          note.size() - 20, note.size() - 1}) {
    CliResult r = verify({keys["go-peterneumann"]["vkey"]}, cli.file("cut.note", note.substr(0, cut)));
    EXPECT_EQ(r.exitCode, EXIT_REFUSED) << "cut at " << cut << ": " << r.err;
    EXPECT_EQ(r.json()["reason"], "malformed-note") << "cut at " << cut;
  }
  CliResult notCheckpoint = cli.run({"tlog", "cosign", "--key", keyFile("d1.key", derivedVector("D1", "skey")), "--json",
                               vectorPath("c2sp-signed-note-example.txt")});
  EXPECT_EQ(notCheckpoint.exitCode, EXIT_REFUSED);
  EXPECT_EQ(notCheckpoint.json()["reason"], "malformed-checkpoint");
}

TEST_F(TlogNote, AnEndlessNoteFileIsRefusedAtTheSizeLimit) {
  CliResult r = verify({keys["go-peterneumann"]["vkey"]}, "/dev/zero");
  EXPECT_EQ(r.exitCode, EXIT_REFUSED);
  EXPECT_EQ(r.json()["reason"], "limit-exceeded");
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", "/dev/zero", cli.file("text.txt", "hello\n")}).exitCode, EXIT_USAGE);
}

TEST_F(TlogNote, MalformedVerifierKeysAreUsageErrors) {
  const std::string note = vectorPath("c2sp-go-note-peterneumann.txt");
  std::string vkey = keys["go-peterneumann"]["vkey"];
  for (const std::string& bad : {keys["go-bad-keylen"]["vkey"], keys["go-bad-alg"]["vkey"], vkey.substr(0, 20),
                                 std::string("PeterNeumann+C74F20A3+") + vkey.substr(22), vkey + "x",
                                 std::string("PeterNeumann+c74f20a4+") + vkey.substr(22), std::string("")}) {
    CliResult r = verify({bad}, note);
    EXPECT_EQ(r.exitCode, EXIT_USAGE) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--key"), std::string::npos) << r.err;
  }
  EXPECT_EQ(verify({keys["go-peterneumann"]["skey"]}, note).exitCode, EXIT_USAGE);
}

TEST_F(TlogNote, MalformedOrWrongTypeSignerKeyFilesAreUsageErrors) {
  auto text = cli.file("text.txt", "hello\n");
  auto verifierOnly = keyFile("v.key", keys["go-peterneumann"]["vkey"]);
  auto cosigner = keyFile("c.key", derivedVector("D1", "skey"));
  auto noteKey = keyFile("n.key", keys["go-peterneumann"]["skey"]);
  std::string skey = keys["go-peterneumann"]["skey"];
  auto altered = keyFile("a.key", skey.substr(0, skey.size() - 2) + "A=");
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", verifierOnly, text}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", altered, text}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", cosigner, text}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", cli.path("missing.key"), text}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "cosign", "--key", noteKey, vectorPath("c2sp-checkpoint-example.txt")}).exitCode,
            EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "key", "verifier", verifierOnly}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "sign", "--key", noteKey, cli.file("nonl.txt", "no newline")}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "cosign", "--key", cosigner, "--time", "-5", vectorPath("c2sp-checkpoint-example.txt")})
                .exitCode,
            EXIT_USAGE);
}

TEST_F(TlogNote, KeyGenerateNeverOverwritesAndChecksTheName) {
  auto existing = cli.file("taken.key", "do not touch\n");
  EXPECT_EQ(cli.run({"tlog", "key", "generate", "a.example", "--out", existing}).exitCode, EXIT_USAGE);
  EXPECT_EQ(readText(existing), "do not touch\n");
  EXPECT_EQ(cli.run({"tlog", "key", "generate", "bad name", "--out", cli.path("n.key")}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "key", "generate", "a+b", "--out", cli.path("n.key")}).exitCode, EXIT_USAGE);
  EXPECT_FALSE(std::filesystem::exists(cli.path("n.key")));
  EXPECT_EQ(cli.run({"tlog", "key", "generate", "a.example", "--out", cli.path("no/such/dir/k.key")}).exitCode,
            EXIT_USAGE);
}

TEST_F(TlogNote, HelpShowsAnExample) {
  for (std::vector<std::string> command : {std::vector<std::string>{"sign"}, {"verify"}, {"cosign"},
                                           {"key", "generate"}, {"key", "verifier"}}) {
    std::vector<std::string> args{"tlog"};
    args.insert(args.end(), command.begin(), command.end());
    args.push_back("--help");
    CliResult r = cli.run(args);
    EXPECT_EQ(r.exitCode, EXIT_OK);
    EXPECT_NE(r.out.find("Example: hreg tlog " + command[0]), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace hreg::testing
