// The records time alone makes due, end to end (docs/rules.md, "Automatic consequences";
// docs/user-guide.md, "Records time alone makes due"): the Xinzhou chain of the demo federation as
// real nodes sharing one clock file the test moves. When a proposed revocation's appeal window closes
// unused, and when two years pass without a confirmation, the county's node drafts the revocation and
// the cancellation (GET /v1/drafts), and no other node does; `hreg drafts` writes them as decision
// files, the county's officials sign them with `hreg sign` and `hreg submit` has them accepted; then
// the recorded stage is the derived one and nothing more is drafted.
#include <gtest/gtest.h>

#include <fstream>

#include "ledger/log/signing.h"
#include "ledger/rules/date.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/node/support/federation.h"

namespace hreg::testing {
namespace {

const std::vector<std::string> XINZHOU{ROOT, "14", "1409", "140902", "140902001"};
const std::string COUNTY = "140902";
const std::string KEPT = "140902-W-0001";     // imported, never confirmed: cancelled on 2029-01-01
const std::string REVOKED = "140902-W-0002";  // imported, a revocation proposed and not appealed
constexpr Timestamp T = DEMO_CLOCK_START + 60;
constexpr const char* PASSPHRASE = "drafts test passphrase";

// beijing is the UTC second of `hour`:00 on `date` in Beijing.
Timestamp beijing(const char* date, int hour) { return rules::startOfDay(rules::parseDate(date).value()) + hour * 3600; }

class Drafts : public ::testing::Test {
 protected:
  void SetUp() override {
    setClock(DEMO_CLOCK_START);
    federation = std::make_unique<Federation>(XINZHOU, dir / "clock");
    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
    cli.setEnv("HREG_NODE", std::nullopt);
    cli.setEnv("HREG_TRUST", std::nullopt);
    cli.setEnv("HREG_PASSPHRASE", PASSPHRASE);
  }
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
  }

  // setClock moves every node's clock: the file is replaced whole, so no node reads half a number.
  void setClock(Timestamp t) {
    setClockFile(dir / "clock", t);
    now = t;
  }
  std::string node(const std::string& code) { return "127.0.0.1:" + std::to_string(federation->node(code).apiPort()); }

  // county is a decision of the county's log at `at`, signed by its officials of `departments`.
  Bytes county(Timestamp at, std::vector<std::string> departments, const std::function<void(schema::Body::Builder)>& fill) {
    for (std::string& d : departments) d = "140902-" + d;
    return federation->signedBy(COUNTY, at, departments, fill);
  }
  // legacyImport records the import and keeps the node's receipt in `imported` (what a reference to it holds).
  void legacyImport(const std::string& subject, Timestamp at) {
    Response receipt;
    ASSERT_TRUE(federation->submitUntilAccepted(originOf(COUNTY), county(at, {"culture", "rural"}, [&](auto body) {
      auto l = body.initLegacyImport();
      l.setSubject(subject);
      l.setLevel(schema::Level::COUNTY);
      l.setFormerName("忻府区非遗扶贫就业工坊");
      l.setDecision("忻府文旅〔2026〕1号");
      l.initFacts().setName(subject);
      l.setPlaque(subject);
    }), CONVERGENCE, &receipt));
    imported = receipt.json();
  }

  // draftsAt is GET /v1/drafts at the node `code`, for the county's region.
  nlohmann::json draftsAt(const std::string& code) {
    auto r = federation->node(code).get("/v1/drafts?region=140902");
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.json();
  }
  // waitForDrafts waits until the county's node offers `count` drafts (its clock is read per request;
  // the replicas it judges from may still be coming).
  nlohmann::json waitForDrafts(std::size_t count) {
    nlohmann::json answer;
    EXPECT_TRUE(waitUntil([&] { return (answer = draftsAt(COUNTY))["drafts"].size() == count; }, CONVERGENCE,
                          "the county offers " + std::to_string(count) + " draft(s)", [&] { return answer.dump(); }));
    return answer;
  }

  // importKey seals the demo seed of the county's official of `department` into <department>.key.
  std::string importKey(const std::string& department) {
    const std::string out = cli.path(department + ".key").string();
    if (std::filesystem::exists(out)) return out;
    auto r = cli.run({"key", "import", "--seed-file", (demoDir() / "keys" / ("official-140902-" + department + ".key")).string(),
                      "-o", out, "--label", "140902 " + department + " DEMO"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return out;
  }

  // signAndSubmit has the officials of `departments` sign `file` with hreg sign, then hreg submit it.
  void signAndSubmit(const std::string& file, const std::vector<std::string>& departments) {
    for (const std::string& d : departments) {
      auto signedBy = cli.run({"sign", file, "--key", importKey(d), "--yes", "--officials", cli.path("officials.json").string()});
      ASSERT_EQ(signedBy.exitCode, 0) << signedBy.err << signedBy.out;
    }
    auto shown = cli.run({"show", file, "--json", "--officials", cli.path("officials.json").string()});
    ASSERT_EQ(shown.exitCode, 0) << shown.err;
    EXPECT_TRUE(shown.json().value("complete", false)) << shown.out;
    auto submitted = cli.run({"submit", file, "--node", node(COUNTY)});
    ASSERT_EQ(submitted.exitCode, 0) << submitted.err << submitted.out;
    EXPECT_NE(submitted.out.find("accepted: hreg.example/140902 entry "), std::string::npos) << submitted.out;
  }

  // expectRecordedAsDerived checks, from a bundle checked from the trust root, that the recorded
  // stage of `subject` is `stage` and nothing is left unrecorded.
  void expectRecordedAsDerived(const std::string& subject, const std::string& stage) {
    nlohmann::json status;
    EXPECT_TRUE(waitUntil(
        [&] {
          auto r = cli.run({"status", subject, "--node", node(COUNTY), "--trust", (demoDir() / "trust-root.toml").string(),
                            "--at", std::to_string(now), "--json"});
          if (r.exitCode != 0) return false;
          status = r.json();
          return status.value("recordedStage", "") == stage;
        },
        CONVERGENCE, subject + " recorded " + stage, [&] { return status.dump(); }));
    EXPECT_EQ(status.value("stage", ""), stage) << status.dump();
    EXPECT_TRUE(status["unrecorded"].empty()) << status.dump();
  }

  TempDir dir;
  nlohmann::json imported;  // the receipt of the latest legacy import
  Timestamp now = 0;
  std::unique_ptr<Federation> federation;
  Cli cli;
};

TEST_F(Drafts, TheCountyDraftsWhatTimeDecidedItsOfficialsSignItAndTheLogThenSaysIt) {
  legacyImport(KEPT, T);
  if (HasFatalFailure()) return;
  legacyImport(REVOKED, T + 1);
  ASSERT_TRUE(federation->submitUntilAccepted(originOf(COUNTY), county(T + 120, {"culture", "hrss", "rural"}, [&](auto body) {
    auto p = body.initRevocationProposal();
    p.setSubject(REVOKED);
    p.setGround(3);
    p.setReasons("未按规定使用专项资金");
    p.setServedAt(T + 120);
    auto certification = p.initCertification();  // the import it would revoke
    certification.setOrigin(imported.value("origin", ""));
    certification.setIndex(imported.value("index", std::uint64_t{0}));
    const Bytes leaf = fromHex(imported.value("leaf_hash", "")).value_or(Bytes{});
    certification.setLeafHash(capnp::Data::Reader(leaf.data(), leaf.size()));
  })));
  EXPECT_TRUE(draftsAt(COUNTY)["drafts"].empty()) << "the appeal window is open";
  auto officials = cli.run({"officials", "--node", node(COUNTY), "-o", cli.path("officials.json").string()});
  ASSERT_EQ(officials.exitCode, 0) << officials.err;

  // A month later the window has closed unused: the revocation is final, to be recorded.
  setClock(beijing("2026-02-02", 10));
  nlohmann::json answer = waitForDrafts(1);
  const nlohmann::json& revocation = answer["drafts"][0];
  EXPECT_EQ(revocation.value("subject", ""), REVOKED);
  EXPECT_EQ(revocation.value("what", ""), "revocation-final");
  EXPECT_EQ(revocation.value("kind", ""), "revocation");
  EXPECT_EQ(revocation.value("origin", ""), originOf(COUNTY));
  EXPECT_EQ(revocation.value("stage", ""), "revoked");
  EXPECT_EQ(revocation.value("time", Timestamp{0}), now) << "dated when drafted";
  EXPECT_EQ(revocation["signing"]["departments"], (nlohmann::json{"culture", "hrss", "rural"})) << revocation.dump();
  EXPECT_EQ(revocation["signing"]["officials"].size(), 3u) << revocation.dump();

  // No other office records it: the prefecture and the township hold the county's log, and draft nothing.
  for (const std::string& code : {std::string("1409"), std::string("140902001")}) {
    ASSERT_TRUE(waitUntil(
        [&] {
          auto held = federation->node(code).heldLog(originOf(COUNTY));
          auto own = federation->node(COUNTY).heldLog(originOf(COUNTY));
          return held && own && held->value("size", 0) == own->value("size", 0);
        },
        CONVERGENCE, code + " holds the county's log", [] { return std::string(); }));
    EXPECT_TRUE(draftsAt(code)["drafts"].empty()) << code << " is not the responsible office";
  }

  auto written = cli.run({"drafts", "--node", node(COUNTY), "--region", "140902", "--out", cli.path("drafts").string()});
  ASSERT_EQ(written.exitCode, 0) << written.err << written.out;
  const std::string file = cli.path("drafts/" + REVOKED + "-revocation.decision").string();
  EXPECT_NE(written.out.find("wrote   " + file), std::string::npos) << written.out;
  EXPECT_NE(written.out.find("needs: a approver of each of culture, hrss, rural"), std::string::npos) << written.out;
  auto shown = cli.run({"show", file, "--json", "--officials", cli.path("officials.json").string()});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  EXPECT_EQ(shown.json().value("kind", ""), "revocation");
  EXPECT_EQ(shown.json()["missing"].size(), 3u) << shown.out;
  signAndSubmit(file, {"culture", "hrss", "rural"});
  expectRecordedAsDerived(REVOKED, "revoked");
  EXPECT_TRUE(draftsAt(COUNTY)["drafts"].empty()) << "recorded: nothing more to draft";
  auto again = cli.run({"drafts", "--node", node(COUNTY), "--region", "140902", "--out", cli.path("drafts").string()});
  EXPECT_NE(again.out.find("nothing to record"), std::string::npos) << again.out;

  // 2027 and 2028 pass without a confirmation of the other workshop: cancelled on 2029-01-01.
  setClock(beijing("2029-01-05", 10));
  answer = waitForDrafts(1);
  const nlohmann::json& cancellation = answer["drafts"][0];
  EXPECT_EQ(cancellation.value("subject", ""), KEPT);
  EXPECT_EQ(cancellation.value("what", ""), "cancellation");
  EXPECT_EQ(cancellation.value("at", Timestamp{0}), beijing("2029-01-01", 0));
  EXPECT_EQ(cancellation["signing"]["departments"], (nlohmann::json{"culture"})) << cancellation.dump();
  auto json = cli.run({"drafts", "--node", node(COUNTY), "--out", cli.path("drafts").string(), "--json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  ASSERT_EQ(json.json()["drafts"].size(), 1u) << json.out;
  EXPECT_EQ(json.json()["drafts"][0].value("status", ""), "written");
  const std::string cancelFile = json.json()["drafts"][0].value("file", "");
  EXPECT_EQ(cancelFile, cli.path("drafts/" + KEPT + "-cancellation.decision").string());
  auto kept = cli.run({"drafts", "--node", node(COUNTY), "--out", cli.path("drafts").string(), "--json"});
  EXPECT_EQ(kept.json()["drafts"][0].value("status", ""), "kept") << "a file there is never overwritten";
  signAndSubmit(cancelFile, {"culture"});
  expectRecordedAsDerived(KEPT, "cancelled");
  EXPECT_TRUE(draftsAt(COUNTY)["drafts"].empty());
}

}  // namespace
}  // namespace hreg::testing
