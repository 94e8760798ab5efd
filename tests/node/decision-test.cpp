// Tests of `hreg draft`, `hreg show` and `hreg sign` (admin-cli/draft.cpp, admin-cli/decision-json.h), run as
// officials would: hreg as a subprocess in a temporary directory, the demo federation's officials of 忻府区
// (hreg.example/140902) signing in turn with keystores imported from their published DEMO seeds. The files
// they make are then checked in-process: parsed as canonical SignedDecisions, every signature verified, and
// the whole decision admitted by the demo federation's authority view, as a node would judge it.
#include "admin-cli/decision-json.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "admin-cli/decision-file.h"
#include "admin-cli/demo-federation.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/rules/date.h"
#include "ledger/trust/authority.h"
#include "protocol/canonical.h"
#include "protocol/core/bytes.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/admin-cli/run-on-terminal.h"

namespace hreg::cli {
namespace {

using testing::Cli;
using testing::CliResult;
using testing::readText;
using testing::writeText;

const std::string SOURCE_DIR = HREG_SOURCE_DIR;
const std::string COUNTY = "hreg.example/140902";
const std::string SUBJECT = "140902-W-0001";
const std::string PASSPHRASE = "demo passphrase";
// The joint review's six departments, in the order of the signing rule (ledger/trust/signing-rules.cpp).
const std::vector<std::string> JOINT_REVIEW = {"culture", "rural", "hrss", "finance", "market", "land"};
const std::string HASH_A = std::string(64, 'a');
const std::string HASH_B = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// demoAuthority is the demo federation's authority view: its trust root and every decision of
// configs/demo admitted, as the demo's nodes hold them.
trust::AuthorityView demoAuthority() {
  DemoFederation demo(SOURCE_DIR + "/configs/demo");
  trust::AuthorityView view(demo.root());
  for (const auto& [origin, bytes] : demo.decisions()) {
    auto parsed = protocol::parseSignedDecision(bytes);
    EXPECT_TRUE(parsed.has_value());
    auto admitted = view.admit(origin, parsed.value().reader());
    EXPECT_TRUE(admitted.has_value()) << origin << ": " << admitted.error().detail;
  }
  return view;
}

const trust::AuthorityView& demoView() {
  static const trust::AuthorityView view = demoAuthority();
  return view;
}

// officialsJson is what GET /v1/officials?origin=`origin` answers on a demo node (node/api.cpp).
std::string officialsJson(const trust::AuthorityView& view, const std::string& origin) {
  nlohmann::json list = nlohmann::json::array();
  for (const trust::OfficialGrant& g : view.officialsOf(origin))
    list.push_back({{"key", toHex(ByteView(g.key))}, {"person", g.person}, {"department", g.department},
                    {"roles", g.roles}, {"validFrom", g.validFrom}, {"validUntil", g.validUntil},
                    {"revoked", g.revokedAt.has_value()}});
  return nlohmann::json{{"origin", origin}, {"asOf", 1'772'000'000}, {"officials", list}}.dump(2);
}

// dataLine is the base64 line of a decision file.
std::string dataLine(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') return line;
  return "";
}

std::string withDataLine(const std::string& text, const std::string& line) {
  std::string out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out += (!l.empty() && l[0] != '#' ? line : l) + "\n";
  return out;
}

std::vector<std::string> strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& s : j) out.push_back(s.get<std::string>());
  return out;
}

class DecisionTest : public ::testing::Test {
 protected:
  void SetUp() override { cli_.setEnv("HREG_PASSPHRASE", PASSPHRASE); }

  // importKey seals the DEMO seed of 140902's official of `department` into <department>.key.
  std::string importKey(const std::string& department) {
    std::string out = cli_.path(department + ".key").string();
    auto r = cli_.run({"key", "import", "--seed-file",
                       fmt::format("{}/configs/demo/keys/official-140902-{}.key", SOURCE_DIR, department), "-o", out,
                       "--label", fmt::format("140902 {} DEMO", department)});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return out;
  }

  std::string officialsFile() { return cli_.file("officials.json", officialsJson(demoView(), COUNTY)); }

  // draftJointReviewResult drafts the county's joint review result about SUBJECT into `name`.
  std::string draftJointReviewResult(const std::string& name = "result.decision") {
    std::string out = cli_.path(name).string();
    auto r = cli_.run({"draft", "joint-review-result", "--log", COUNTY, "--subject", SUBJECT, "--time",
                       "2026-03-02T10:30", "--set", "outcome=pass", "--set", "reasons=六部门一致通过", "--set",
                       fmt::format(R"(findings=[{{"origin":"{}","index":3,"leafHash":"{}"}}])", COUNTY, HASH_A),
                       "--set", "minutes=" + HASH_B, "-o", out});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return out;
  }

  CliResult sign(const std::string& file, const std::string& department, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"sign", file, "--key", cli_.path(department + ".key").string(), "--yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli_.run(args);
  }

  nlohmann::json showJson(const std::string& file, bool withOfficials = true) {
    std::vector<std::string> args{"show", file, "--json"};
    if (withOfficials) {
      args.push_back("--officials");
      args.push_back(officialsFile());
    }
    auto r = cli_.run(args);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.json();
  }

  Cli cli_;
};

// --- drafting and showing -------------------------------------------------------------------------

TEST_F(DecisionTest, DraftsAnApplicationFromATomlFileAndSetAndShowsItInBeijingTime) {
  std::string fields = cli_.file("application.toml", fmt::format(R"(
level = "county"
receivedAt = 2026-03-02T09:30:00
[facts]
name = "忻州剪纸工坊"
founded = 2020-05-01
employees = 12
managers = ["王芳"]
[[facts.items]]
name = "忻州剪纸"
category = "traditional-craft"
level = "prefecture"
code = "Ⅶ-16"
[[facts.inheritors]]
name = "李梅"
item = "忻州剪纸"
representative = "province"
[[documents]]
kind = "lease"
sha256 = "{}"
)", HASH_B));
  std::string out = cli_.path("application.decision").string();
  auto r = cli_.run({"draft", "application", "--log", COUNTY, "--subject", SUBJECT, "--from", fields, "--set",
                     "facts.siteArea=800", "--set", "facts.address=忻府区秀容街道", "--set",
                     "facts.crafts=[\"窗花\", \"剪纸\"]", "--set", "facts.creditCode=0012", "--time", "2026-03-02T10:30",
                     "-o", out});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("drafted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("忻州剪纸工坊"), std::string::npos) << r.out;

  auto j = showJson(out, false);
  EXPECT_EQ(j["kind"], "application");
  EXPECT_EQ(j["log"], COUNTY);
  EXPECT_EQ(j["time"], "2026-03-02T10:30:00+08:00");
  EXPECT_EQ(strings(j["subjects"]), std::vector<std::string>{SUBJECT});
  const auto& record = j["record"];
  EXPECT_EQ(record["subject"], SUBJECT);
  EXPECT_EQ(record["level"], "county");
  EXPECT_EQ(record["receivedAt"], "2026-03-02T09:30:00+08:00");
  EXPECT_EQ(record["facts"]["name"], "忻州剪纸工坊");
  EXPECT_EQ(record["facts"]["address"], "忻府区秀容街道");
  EXPECT_EQ(record["facts"]["founded"], "2020-05-01T00:00:00+08:00");
  EXPECT_EQ(record["facts"]["siteArea"], 800);
  EXPECT_EQ(record["facts"]["employees"], 12);
  EXPECT_EQ(record["facts"]["creditCode"], "0012");  // --set keeps text as written for a Text field
  EXPECT_EQ(strings(record["facts"]["managers"]), std::vector<std::string>{"王芳"});
  EXPECT_EQ(strings(record["facts"]["crafts"]), (std::vector<std::string>{"窗花", "剪纸"}));
  EXPECT_EQ(record["facts"]["items"][0]["level"], "prefecture");
  EXPECT_EQ(record["facts"]["items"][0]["code"], "Ⅶ-16");
  EXPECT_EQ(record["facts"]["inheritors"][0]["representative"], "province");
  EXPECT_FALSE(record["facts"]["inheritors"][0].contains("practitioner"));  // the union's other member
  EXPECT_EQ(record["facts"]["figuresFrom"], 0);                             // a time never set stays 0
  EXPECT_EQ(record["documents"][0]["sha256"], HASH_B);
  EXPECT_TRUE(j["signatures"].empty());
  EXPECT_EQ(strings(j["missing"]), std::vector<std::string>{"culture"});
  EXPECT_FALSE(j["complete"].get<bool>());

  // The text for people: the same values, times as Beijing dates and times.
  auto text = cli_.run({"show", out});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  for (const char* shown : {"application for 140902-W-0001", "2026-03-02 10:30 Beijing", "2026-03-02 09:30 Beijing",
                            "2020-05-01", "忻州剪纸工坊", "siteArea", "800", "none yet", "culture"})
    EXPECT_NE(text.out.find(shown), std::string::npos) << shown << " in\n" << text.out;

  // In-process: the file holds exactly these values.
  auto file = readDecisionFile(out);
  ASSERT_TRUE(file.has_value()) << file.error().detail;
  auto decision = file.value().decision.reader().getDecision();
  EXPECT_EQ(decision.getHeader().getTime(), rules::startOfDay({2026, 3, 2}) + 10 * 3600 + 30 * 60);
  auto application = decision.getBody().getApplication();
  EXPECT_EQ(application.getFacts().getSiteArea(), 800u);
  EXPECT_EQ(application.getFacts().getFounded(), rules::startOfDay({2020, 5, 1}));
  EXPECT_EQ(application.getReceivedAt(), rules::startOfDay({2026, 3, 2}) + 9 * 3600 + 30 * 60);
  EXPECT_EQ(application.getLevel(), schema::Level::COUNTY);
  EXPECT_EQ(application.getFacts().getInheritors()[0].getRepresentative(), schema::Level::PROVINCE);

  // Round trip: show's record, drafted again from JSON, is the same decision byte for byte.
  std::string again = cli_.path("again.decision").string();
  auto redraft = cli_.run({"draft", "application", "--log", COUNTY, "--from",
                           cli_.file("record.json", record.dump()), "--time", "2026-03-02T02:30:00Z", "-o", again});
  ASSERT_EQ(redraft.exitCode, 0) << redraft.err;
  EXPECT_EQ(dataLine(readText(again)), dataLine(readText(out)));
}

TEST_F(DecisionTest, TimesAreReadAsBeijingTimeAndWrittenBack) {
  const Timestamp day = rules::startOfDay({2026, 3, 2});
  EXPECT_EQ(parseTime("2026-03-02"), day);
  EXPECT_EQ(parseTime("2026-03-02T10:30"), day + 37800);
  EXPECT_EQ(parseTime("2026-03-02 10:30:15"), day + 37815);
  EXPECT_EQ(parseTime("2026-03-02T02:30Z"), day + 37800);
  EXPECT_EQ(parseTime("2026-03-02T10:30+08:00"), day + 37800);
  EXPECT_EQ(parseTime("2026-03-01T21:30-05:00"), day + 37800);
  EXPECT_EQ(parseTime("1772418600"), 1772418600);
  EXPECT_EQ(beijingTime(day + 37815), "2026-03-02T10:30:15+08:00");
  EXPECT_EQ(parseTime(beijingTime(day + 37815)), day + 37815);
  EXPECT_EQ(beijingTimeForPeople(day), "2026-03-02");
  EXPECT_EQ(beijingTimeForPeople(day + 37800), "2026-03-02 10:30 Beijing");
  for (const char* bad : {"2026-02-30", "2026-3-2", "2026-03-02T24:00", "2026-03-02T10", "2026-03-02T10:30+8",
                          "tomorrow", ""})
    EXPECT_FALSE(parseTime(bad).has_value()) << bad;
}

// --- co-signing -----------------------------------------------------------------------------------

TEST_F(DecisionTest, AJointReviewResultIsSignedInTurnByTheSixDepartmentsUntilNothingIsMissing) {
  std::string file = draftJointReviewResult();
  auto first = showJson(file);
  EXPECT_EQ(first["kind"], "joint-review-result");
  EXPECT_EQ(strings(first["missing"]), JOINT_REVIEW);
  EXPECT_EQ(first["record"]["findings"][0]["origin"], COUNTY);
  EXPECT_EQ(first["record"]["findings"][0]["index"], 3);
  EXPECT_EQ(first["record"]["findings"][0]["leafHash"], HASH_A);
  EXPECT_EQ(first["record"]["outcome"], "pass");

  std::vector<std::string> missing = JOINT_REVIEW;
  std::vector<std::string> signedBy;
  // Not in the rule's order: what is missing is counted by department, not by position.
  const std::vector<std::string> order = {"land", "culture", "market", "rural", "finance", "hrss"};
  for (const std::string& department : order) {
    importKey(department);
    auto r = sign(file, department, {"--officials", officialsFile(), "--json"});
    ASSERT_EQ(r.exitCode, 0) << department << ": " << r.err;
    missing.erase(std::find(missing.begin(), missing.end(), department));
    signedBy.push_back(department);
    auto answer = r.json();
    EXPECT_EQ(answer["signedBy"]["label"], fmt::format("140902 {} DEMO", department));

    auto shown = showJson(file);
    std::vector<std::string> expected;
    for (const std::string& d : JOINT_REVIEW)
      if (std::find(missing.begin(), missing.end(), d) != missing.end()) expected.push_back(d);
    EXPECT_EQ(strings(shown["missing"]), expected) << "after " << department;
    EXPECT_EQ(strings(answer["missing"]), expected) << "after " << department;
    EXPECT_EQ(shown["complete"].get<bool>(), missing.empty());
    ASSERT_EQ(shown["signatures"].size(), signedBy.size());
    for (std::size_t i = 0; i < signedBy.size(); ++i) {
      EXPECT_TRUE(shown["signatures"][i]["valid"].get<bool>());
      EXPECT_EQ(shown["signatures"][i]["department"], signedBy[i]);
      EXPECT_EQ(shown["signatures"][i]["person"], fmt::format("忻府区 {} official (demo)", signedBy[i]));
    }
  }
  auto text = cli_.run({"show", file, "--officials", officialsFile()});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_NE(text.out.find("complete"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("忻府区 land official (demo)"), std::string::npos) << text.out;
  EXPECT_NE(readText(file).find("# signatures: 6"), std::string::npos);

  // The library accepts the bytes: canonical, every signature verifies, and the demo federation's
  // authority view admits the decision for the county's log as its node would.
  auto bytes = fromBase64(dataLine(readText(file)));
  ASSERT_TRUE(bytes.has_value());
  auto parsed = protocol::parseSignedDecision(*bytes);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  auto decision = parsed.value().reader();
  auto message = protocol::signingMessage(decision.getDecision());
  ASSERT_EQ(decision.getSignatures().size(), 6u);
  for (auto sig : decision.getSignatures())
    EXPECT_TRUE(crypto::verify(ByteView(sig.getKeyId().begin(), sig.getKeyId().size()), message.bytes(),
                               ByteView(sig.getSignature().begin(), sig.getSignature().size())));
  auto admitted = demoView().check(COUNTY, decision);
  EXPECT_TRUE(admitted.has_value()) << admitted.error().detail;
}

TEST_F(DecisionTest, WithoutOfficialsTheSignersAreUnnamedAndEveryDepartmentStillCounts) {
  std::string file = draftJointReviewResult();
  importKey("culture");
  ASSERT_EQ(sign(file, "culture").exitCode, 0);
  auto j = showJson(file, false);
  EXPECT_FALSE(j["officialsKnown"].get<bool>());
  EXPECT_TRUE(j["signatures"][0]["valid"].get<bool>());
  EXPECT_FALSE(j["signatures"][0].contains("department"));
  EXPECT_EQ(strings(j["missing"]), JOINT_REVIEW);
  auto text = cli_.run({"show", file});
  EXPECT_NE(text.out.find("--officials"), std::string::npos) << text.out;
}

TEST_F(DecisionTest, OfficialsOfAnotherLogAreAUsageError) {
  std::string file = draftJointReviewResult();
  auto r = cli_.run({"show", file, "--officials",
                     cli_.file("township.json", officialsJson(demoView(), "hreg.example/140902001"))});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("hreg.example/140902001"), std::string::npos) << r.err;
}

TEST_F(DecisionTest, AWrongPassphraseIsRefusedAndTheFileIsUntouched) {
  std::string file = draftJointReviewResult();
  importKey("culture");
  std::string before = readText(file);
  cli_.setEnv("HREG_PASSPHRASE", "not the passphrase");
  auto r = sign(file, "culture");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.err.find("refused (wrong-passphrase)"), std::string::npos) << r.err;
  EXPECT_EQ(readText(file), before);
}

TEST_F(DecisionTest, SigningTwiceWithOneKeyIsRefused) {
  std::string file = draftJointReviewResult();
  importKey("culture");
  ASSERT_EQ(sign(file, "culture").exitCode, 0);
  std::string before = readText(file);
  auto r = sign(file, "culture", {"--json"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_EQ(r.json()["reason"], "duplicate-decision");
  EXPECT_EQ(readText(file), before);
}

TEST_F(DecisionTest, AFileAlteredAfterSigningIsRefusedNamingTheSignature) {
  std::string file = draftJointReviewResult();
  importKey("culture");
  importKey("rural");
  ASSERT_EQ(sign(file, "culture").exitCode, 0);
  std::string text = readText(file);
  auto bytes = fromBase64(dataLine(text));
  ASSERT_TRUE(bytes.has_value());
  // Change one character of the reasons ("六部门一致通过" -> another character): still a canonical
  // decision, no longer the one the culture official signed.
  ByteView needle = asBytes("一致");
  auto at = std::search(bytes->begin(), bytes->end(), needle.begin(), needle.end());
  ASSERT_NE(at, bytes->end());
  *(at + 2) ^= 0x01;
  std::string tampered = withDataLine(text, toBase64(*bytes));
  writeText(file, tampered);

  auto shown = cli_.run({"show", file, "--json"});
  EXPECT_EQ(shown.exitCode, 1) << shown.err;
  EXPECT_EQ(shown.json()["reason"], "bad-signature");
  EXPECT_NE(shown.err.find("signature 1"), std::string::npos) << shown.err;
  auto signedAgain = sign(file, "rural");
  EXPECT_EQ(signedAgain.exitCode, 1) << signedAgain.err;
  EXPECT_NE(signedAgain.err.find("refused (bad-signature)"), std::string::npos) << signedAgain.err;
  EXPECT_EQ(readText(file), tampered);

  // Base64 damaged in transit: the file is malformed.
  std::string line = dataLine(text);
  line[10] = '!';
  writeText(file, withDataLine(text, line));
  auto damaged = cli_.run({"show", file});
  EXPECT_EQ(damaged.exitCode, 1) << damaged.err;
  EXPECT_NE(damaged.err.find("refused (malformed-file)"), std::string::npos) << damaged.err;
}

TEST_F(DecisionTest, WithoutATerminalSignNeedsYes) {
  std::string file = draftJointReviewResult();
  importKey("culture");
  std::string before = readText(file);
  cli_.detachTerminal();
  auto r = cli_.run({"sign", file, "--key", cli_.path("culture.key").string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
  EXPECT_EQ(readText(file), before);
}

// --- on a terminal ----------------------------------------------------------------------------------

using testing::runOnTerminal;

TEST_F(DecisionTest, OnATerminalSignAsksFirstAndSignsOnlyOnYes) {
  std::string file = draftJointReviewResult();
  std::string key = importKey("culture");
  std::string before = readText(file);
  const std::string question = "Sign this joint-review-result for 140902-W-0001 as 140902 culture DEMO? [y/N]";
  auto no = runOnTerminal({"sign", file, "--key", key}, {{question, "n"}});
  EXPECT_EQ(no.exitCode, 1) << no.screen;
  EXPECT_EQ(readText(file), before);
  auto yes = runOnTerminal({"sign", file, "--key", key}, {{question, "y"}, {"Passphrase for", PASSPHRASE}});
  EXPECT_EQ(yes.exitCode, 0) << yes.screen;
  EXPECT_EQ(yes.screen.find(PASSPHRASE), std::string::npos) << "the passphrase was echoed: " << yes.screen;
  EXPECT_NE(readText(file).find("# signatures: 1"), std::string::npos);
}

// --- the worked example of docs/formats.md -------------------------------------------------------------

TEST_F(DecisionTest, TheDecisionFileOfDocsFormatsIsReproducedByteForByte) {
  std::string out = cli_.path("finding.decision").string();
  auto drafted = cli_.run({"draft", "joint-review-finding", "--log", COUNTY, "--subject", SUBJECT, "--set",
                           "department=culture", "--set", "outcome=pass", "--set", "notes=材料齐全", "--set",
                           R"(reviewed={"origin":"hreg.example/140902001","index":7,"leafHash":)"
                           R"("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})",
                           "--time", "2026-09-18T15:00", "-o", out});
  ASSERT_EQ(drafted.exitCode, 0) << drafted.err;
  importKey("culture");
  ASSERT_EQ(sign(out, "culture").exitCode, 0);
  std::string file = readText(out);
  std::string docs = readText(SOURCE_DIR + "/docs/formats.md");
  EXPECT_NE(docs.find("```\n" + file + "```\n"), std::string::npos) << "docs/formats.md, \"Decision files\", should "
                                                                       "show:\n" << file;
  auto shown = cli_.run({"show", out, "--json"});
  auto record = nlohmann::ordered_json::parse(shown.out)["record"];  // in the schema's order, as printed
  EXPECT_NE(docs.find("```json\n" + record.dump(2) + "\n```\n"), std::string::npos)
      << "docs/formats.md should show the record:\n" << record.dump(2);
}

// --- what officials get wrong ---------------------------------------------------------------------

TEST_F(DecisionTest, MistakesInADraftAreUsageErrorsNamingTheField) {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> named;  // words the message must hold
  };
  const std::vector<Case> cases = {
      {{"joint-reveiw-result"}, {"joint-reveiw-result", "joint-review-result", "application"}},
      {{"application", "--set", "facts.nmae=x"}, {"facts.nmae", "WorkshopFacts", "name"}},
      {{"application", "--set", "level=city"}, {"level", "county", "township"}},
      {{"application", "--set", "facts.siteArea=-1"}, {"facts.siteArea", "4294967295"}},
      {{"application", "--set", "facts.siteArea=80.5"}, {"facts.siteArea", "integer"}},
      {{"application", "--set", "facts.employees=\"twelve\""}, {"facts.employees", "integer"}},
      {{"application", "--set", "receivedAt=yesterday"}, {"receivedAt", "time"}},
      {{"joint-review-result", "--set", "minutes=abcd"}, {"minutes", "64 hex digits"}},
      {{"joint-review-result", "--set", "findings=[{\"origin\":\"x\",\"index\":-3}]"}, {"findings[0].index"}},
      {{"joint-review-result", "--set", "findings.0.leafHash=zz"}, {"findings[0].leafHash", "hex"}},
      {{"application", "--set", "facts.inheritors.0.representative=county", "--set",
        "facts.inheritors.0.practitioner=null"},
       {"representative", "practitioner"}},
      {{"application", "--subject", "a", "--subject", "b"}, {"--subject"}},
      {{"expert-pool", "--subject", SUBJECT}, {"expert-pool", "no subject"}},
      {{"application", "--time", "2026-13-01"}, {"--time"}},
      {{"application", "--from", "missing.toml"}, {"missing.toml"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"draft"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"--log", COUNTY, "-o", cli_.path("bad.decision").string()});
    auto r = cli_.run(args);
    EXPECT_EQ(r.exitCode, 2) << c.args[0] << " " << (c.args.size() > 2 ? c.args[2] : "") << ": " << r.err;
    for (const std::string& word : c.named) EXPECT_NE(r.err.find(word), std::string::npos) << word << " in " << r.err;
    EXPECT_FALSE(std::filesystem::exists(cli_.path("bad.decision")));
  }
  // A TOML file with a syntax error names its line.
  auto r = cli_.run({"draft", "application", "--log", COUNTY, "--from", cli_.file("bad.toml", "level = \n"), "-o",
                     cli_.path("bad.decision").string()});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("bad.toml:1"), std::string::npos) << r.err;
  // An existing file is never overwritten.
  std::string file = draftJointReviewResult();
  std::string before = readText(file);
  auto again = cli_.run({"draft", "notice", "--log", COUNTY, "-o", file});
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_EQ(readText(file), before);
}

TEST_F(DecisionTest, EveryCommandHasHelpWithAnExample) {
  for (const char* command : {"draft", "show", "sign"}) {
    auto r = cli_.run({command, "--help"});
    EXPECT_EQ(r.exitCode, 0) << command;
    EXPECT_NE(r.out.find("Example: hreg " + std::string(command)), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace hreg::cli
