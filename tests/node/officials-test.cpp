// The officials' commands that talk to a node (admin-cli/lookup.cpp, docs/user-guide.md), run as the
// real `hreg` binary against real nodes: the Xinzhou chain of the demo federation, started once for
// the suite. Submitting (accepted with a checked receipt, refused with the reason, an unreachable
// node leaving the file as it was), lookups checked from the trust root (status, history, proof,
// verify, a tampered bundle refused), the plaque QR code read back by a real scanner (zbarimg), and
// the supervisors' and operators' views (overdue, report, policy, officials, peers).
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <memory>

#include "admin-cli/decision-file.h"
#include "ledger/crypto/sha256.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/note.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/node/support/federation.h"

namespace hreg::testing {
namespace {

const std::vector<std::string> XINZHOU{ROOT, "14", "1409", "140902", "140902001"};
const std::string TOWNSHIP = "140902001";
const std::string COUNTY = "140902";
const std::string WORKSHOP = "140902001-W-0001";  // three steps, recorded by the suite's setup
constexpr Timestamp T = DEMO_CLOCK_START + 60;

std::string trustRoot() { return (demoDir() / "trust-root.toml").string(); }

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// lineWith is the first line of `text` that starts with `prefix`, or "".
std::string lineWith(const std::string& text, std::string_view prefix) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(prefix)) return line;
  return "";
}

// application is a signed application of `subject` at the township by its culture official.
Bytes application(const Federation& federation, const std::string& subject, Timestamp at) {
  auto key = federation.demo().key("official-140902001-culture.key");
  return log::signedDecision(originOf(TOWNSHIP), at, [&](schema::Body::Builder body) {
    auto a = body.initApplication();
    a.setSubject(subject);
    a.setLevel(schema::Level::COUNTY);
    a.initFacts().setName("忻州剪纸传习工坊");
    a.setReceivedAt(at);
  }, {&key});
}

class Officials : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    federation = new Federation(XINZHOU);
    if (!federation->start() || !federation->seed()) return;
    // The root's calendar policy is its last entry: wait until it has come down to the township.
    std::size_t rootEntries = 0;
    for (const auto& [origin, bytes] : federation->demo().decisions()) rootEntries += origin == originOf(ROOT);
    for (const std::string& code : {COUNTY, TOWNSHIP})
      if (!waitUntil(
              [&] {
                auto held = federation->node(code).heldLog(originOf(ROOT));
                return held && held->value("size", std::size_t{0}) == rootEntries;
              },
              CONVERGENCE, code + " holds the whole root log", [] { return std::string(); }))
        return;
    // The workshop's application and preliminary review at the township, the culture department's
    // joint review finding at the county.
    auto township = federation->demo().key("official-140902001-culture.key");
    auto county = federation->demo().key("official-140902-culture.key");
    std::vector<std::pair<std::string, Bytes>> steps{
        {originOf(TOWNSHIP), application(*federation, WORKSHOP, T)},
        {originOf(TOWNSHIP), log::signedDecision(originOf(TOWNSHIP), T + 60, [](schema::Body::Builder body) {
           auto r = body.initPreliminaryReview();
           r.setSubject(WORKSHOP);
           r.setOutcome(schema::ReviewOutcome::PASS);
           r.setSiteInspected(true);
         }, {&township})},
        {originOf(COUNTY), log::signedDecision(originOf(COUNTY), T + 120, [](schema::Body::Builder body) {
           auto f = body.initJointReviewFinding();
           f.setSubject(WORKSHOP);
           f.setDepartment("culture");
           f.setOutcome(schema::ReviewOutcome::PASS);
         }, {&county})}};
    for (const auto& [origin, decision] : steps)
      if (!federation->submitUntilAccepted(origin, decision)) return;
    // The county holds the township's two decisions once its log has come up.
    if (!waitUntil(
            [&] {
              auto r = federation->node(COUNTY).get("/v1/subject?id=" + WORKSHOP);
              return r.status == 200 && r.json()["decisions"].size() == 3;
            },
            CONVERGENCE, "the county holds the workshop's three decisions", [] { return std::string(); }))
      return;
    ready = true;
  }
  static void TearDownTestSuite() {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
    delete federation;
    federation = nullptr;
  }
  void SetUp() override {
    if (!ready) GTEST_FAIL() << "the federation did not start, seed or converge (see the nodes' logs above)";
    cli.setEnv("HREG_NODE", std::nullopt);
    cli.setEnv("HREG_TRUST", std::nullopt);
  }

  static std::string node(const std::string& code) {
    return "127.0.0.1:" + std::to_string(federation->node(code).apiPort());
  }
  // decisionFile writes `decision` as a decision file in the test's directory.
  std::string decisionFile(const std::string& name, ByteView decision) const {
    cli::writeDecisionFile(cli.path(name), decision, false);
    return cli.path(name).string();
  }

  static inline Federation* federation = nullptr;
  static inline bool ready = false;
  Cli cli;
};

TEST_F(Officials, SubmitPrintsTheAcceptedIndexWithItsReceiptChecked) {
  std::string file = decisionFile("a.decision", application(*federation, "140902001-W-0100", T + 300));
  auto r = cli.run({"submit", file, "--node", node(TOWNSHIP)});
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_TRUE(contains(r.out, "accepted: hreg.example/140902001 entry ")) << r.out;
  EXPECT_TRUE(contains(r.out, "inclusion proof checked; the entry is the decision sent")) << r.out;
  EXPECT_TRUE(contains(r.out, "\n— hreg.example/140902001 ")) << "the signed checkpoint: " << r.out;

  // --json, and the node taken from HREG_NODE.
  file = decisionFile("b.decision", application(*federation, "140902001-W-0101", T + 300));
  cli.setEnv("HREG_NODE", node(TOWNSHIP));
  auto j = cli.run({"submit", file, "--json"});
  ASSERT_EQ(j.exitCode, 0) << j.err << j.out;
  auto receipt = j.json();
  EXPECT_EQ(receipt["ok"], true);
  EXPECT_EQ(receipt["origin"], originOf(TOWNSHIP));
  EXPECT_TRUE(receipt["index"].is_number_unsigned());
  EXPECT_EQ(receipt["leafHash"].get<std::string>().size(), 64u);
  EXPECT_GT(receipt["treeSize"].get<std::uint64_t>(), receipt["index"].get<std::uint64_t>());
  EXPECT_EQ(receipt["proofChecked"], true);
  EXPECT_EQ(receipt["entryChecked"], true);
  EXPECT_TRUE(contains(receipt["checkpoint"].get<std::string>(), "hreg.example/140902001\n"));

  // The same decision again: the workshop has moved past it (the lifecycle answers before the
  // duplicate check does).
  auto again = cli.run({"submit", file});
  EXPECT_EQ(again.exitCode, 1) << again.err;
  EXPECT_TRUE(contains(again.err, "refused (wrong-stage)")) << again.err;
}

// A reference naming another record than it must (docs/rules.md, "References"): the node refuses the
// appeal, hreg says how to put it right, and the reference `hreg history` prints for the proposal is
// one the node accepts.
TEST_F(Officials, AWrongReferenceIsRefusedAndHistoryPrintsTheReferenceToCopy) {
  const std::string subject = "140902-W-0099";
  auto countySigned = [&](Timestamp at, std::vector<std::string> departments, const log::FillBody& fill) {
    for (std::string& d : departments) d = "140902-" + d;
    return federation->signedBy(COUNTY, at, departments, fill);
  };
  Response imported;
  ASSERT_TRUE(federation->submitUntilAccepted(originOf(COUNTY), countySigned(T + 400, {"culture", "rural"}, [&](auto body) {
    auto l = body.initLegacyImport();
    l.setSubject(subject);
    l.setLevel(schema::Level::COUNTY);
    l.setDecision("忻府文旅〔2026〕1号");
    l.initFacts().setName("忻府区剪纸工坊");
  }), CONVERGENCE, &imported));
  const nlohmann::json import = imported.json();
  ASSERT_TRUE(federation->submitUntilAccepted(originOf(COUNTY), countySigned(T + 460, {"culture", "hrss", "rural"}, [&](auto body) {
    auto p = body.initRevocationProposal();
    p.setSubject(subject);
    p.setGround(3);
    p.setReasons("未带动当地就业");
    p.setServedAt(T + 460);
    auto certification = p.initCertification();
    certification.setOrigin(import.value("origin", ""));
    certification.setIndex(import.value("index", std::uint64_t{0}));
    const Bytes leaf = fromHex(import.value("leaf_hash", "")).value_or(Bytes{});
    certification.setLeafHash(capnp::Data::Reader(leaf.data(), leaf.size()));
  })));
  auto h = cli.run({"history", subject, "--node", node(COUNTY), "--trust", trustRoot(), "--json"});
  ASSERT_EQ(h.exitCode, 0) << h.err << h.out;
  ASSERT_EQ(h.json()["history"].size(), 2u) << h.out;
  const nlohmann::json importStep = h.json()["history"][0], proposalStep = h.json()["history"][1];
  auto appeal = [&](const nlohmann::json& step) {
    return countySigned(T + 520, {"culture"}, [&](schema::Body::Builder body) {
      auto a = body.initAppeal();
      a.setSubject(subject);
      a.setReceivedAt(T + 520);
      auto ref = a.initProposal();
      ref.setOrigin(step.value("origin", ""));
      ref.setIndex(step.value("index", std::uint64_t{0}));
      Bytes leaf = fromHex(step.value("leafHash", "")).value_or(Bytes{});
      ref.setLeafHash(capnp::Data::Reader(leaf.data(), leaf.size()));
    });
  };
  auto wrong = cli.run({"submit", decisionFile("wrong-appeal.decision", appeal(importStep)), "--node", node(COUNTY)});
  EXPECT_EQ(wrong.exitCode, 1) << wrong.err;
  EXPECT_TRUE(contains(wrong.err, "refused (prerequisite-missing)")) << wrong.err;
  EXPECT_TRUE(contains(wrong.err, "it must name the revocation proposal appealed")) << wrong.err;
  EXPECT_TRUE(contains(wrong.err, "`hreg history SUBJECT` prints each decision's reference")) << wrong.err;

  auto text = cli.run({"history", subject, "--node", node(COUNTY), "--trust", trustRoot()});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  const std::string printed = nlohmann::ordered_json{{"origin", proposalStep["origin"]}, {"index", proposalStep["index"]},
                                                     {"leafHash", proposalStep["leafHash"]}}.dump();
  EXPECT_TRUE(contains(text.out, "reference " + printed)) << text.out;
  auto right = cli.run({"submit", decisionFile("appeal.decision", appeal(proposalStep)), "--node", node(COUNTY)});
  EXPECT_EQ(right.exitCode, 0) << right.err << right.out;
}

TEST_F(Officials, ADecisionMissingACoSignatureIsRefusedWithItsReasonAndTheFileKept) {
  // A grant needs two of the office's authority keys; this one carries one.
  auto first = federation->demo().key("authority-140902001-1.key");
  Bytes grant = grantDecision(originOf(TOWNSHIP), T + 300, labelledKey("new clerk").publicKey(), "new clerk", {&first});
  std::string file = decisionFile("grant.decision", grant);
  std::string before = readText(file);
  auto r = cli.run({"submit", file, "--node", node(TOWNSHIP)});
  EXPECT_EQ(r.exitCode, 1) << r.err << r.out;
  EXPECT_TRUE(contains(r.err, "refused (below-threshold)")) << r.err;
  EXPECT_TRUE(contains(r.err, "nothing was appended")) << r.err;
  EXPECT_EQ(readText(file), before);

  auto j = cli.run({"submit", file, "--node", node(TOWNSHIP), "--json"});
  EXPECT_EQ(j.exitCode, 1);
  EXPECT_EQ(j.json()["reason"], "below-threshold") << j.out;
}

TEST_F(Officials, SubmittingToANodeThatDoesNotAnswerExitsFourAndKeepsTheFile) {
  std::string file = decisionFile("c.decision", application(*federation, "140902001-W-0102", T + 300));
  std::string before = readText(file);
  std::string nowhere = "127.0.0.1:" + std::to_string(freePort());
  auto r = cli.run({"submit", file, "--node", nowhere});
  EXPECT_EQ(r.exitCode, 4) << r.err << r.out;
  EXPECT_TRUE(contains(r.err, "cannot reach the node at " + nowhere)) << r.err;
  EXPECT_TRUE(contains(r.err, "check --node or HREG_NODE")) << r.err;
  EXPECT_TRUE(contains(r.err, file + " is kept unchanged: submit it again")) << r.err;
  EXPECT_EQ(readText(file), before) << "byte for byte";

  auto j = cli.run({"submit", file, "--node", "http://" + nowhere, "--json"});
  EXPECT_EQ(j.exitCode, 4);
  EXPECT_EQ(j.json()["reason"], "unreachable") << j.out;
  EXPECT_EQ(cli.run({"status", WORKSHOP, "--node", nowhere, "--trust", trustRoot()}).exitCode, 4);
  EXPECT_EQ(cli.run({"submit", file, "--node", "not an address"}).exitCode, 2);
}

TEST_F(Officials, StatusAndHistoryShowTheStepsSignersAndPolicyCheckedFromTheTrustRoot) {
  auto s = cli.run({"status", WORKSHOP, "--node", node(COUNTY), "--trust", trustRoot()});
  ASSERT_EQ(s.exitCode, 0) << s.err << s.out;
  EXPECT_TRUE(contains(s.out, "140902001-W-0001  忻州剪纸传习工坊")) << s.out;
  EXPECT_TRUE(contains(s.out, "stage        joint-review since")) << s.out;
  EXPECT_TRUE(contains(s.out, "level        county")) << s.out;
  EXPECT_TRUE(contains(s.out, "policy       hreg.example/root v1")) << s.out;
  EXPECT_TRUE(contains(s.out, "answered by  hreg.example/140902 at ")) << s.out;
  std::string township = lineWith(s.out, "  hreg.example/140902001 ");
  EXPECT_TRUE(contains(township, " size ")) << "the township's log, proven: " << s.out;
  EXPECT_TRUE(contains(township + ",", "hreg.example/140902,")) << "the county cosigned it: " << s.out;

  cli.setEnv("HREG_TRUST", trustRoot());
  auto h = cli.run({"history", WORKSHOP, "--node", node(COUNTY)});
  ASSERT_EQ(h.exitCode, 0) << h.err << h.out;
  EXPECT_TRUE(contains(h.out, "history of 140902001-W-0001: 3 decisions")) << h.out;
  EXPECT_TRUE(contains(h.out, "2026-01-01 08:06  hreg.example/140902001 #")) << "Beijing time: " << h.out;
  EXPECT_TRUE(contains(h.out, "application -> applied")) << h.out;
  EXPECT_TRUE(contains(h.out, "preliminary-review -> preliminary-passed")) << h.out;
  EXPECT_TRUE(contains(h.out, "joint-review-finding -> joint-review")) << h.out;
  EXPECT_TRUE(contains(h.out, "(culture)")) << h.out;
  EXPECT_TRUE(contains(h.out, "policy hreg.example/root v1")) << h.out;
  EXPECT_TRUE(contains(h.out, "reference {\"origin\":\"hreg.example/140902001\",\"index\":")) << "each decision's EntryRef, to copy: " << h.out;

  auto j = cli.run({"history", WORKSHOP, "--node", node(COUNTY), "--json", "--at", "2026-01-02"});
  ASSERT_EQ(j.exitCode, 0) << j.err;
  auto report = j.json();
  EXPECT_EQ(report["stage"], "joint-review");
  EXPECT_EQ(report["asOf"], 1'767'369'599) << "the end of 2 January 2026 in Beijing: 2026-01-02T15:59:59Z";
  ASSERT_EQ(report["history"].size(), 3u);
  EXPECT_EQ(report["history"][0]["kind"], "application");
  EXPECT_EQ(report["history"][0]["origin"], originOf(TOWNSHIP));
  EXPECT_EQ(report["history"][2]["origin"], originOf(COUNTY));
  EXPECT_EQ(report["history"][2]["signers"][0]["department"], "culture");
  EXPECT_EQ(report["history"][2]["policyVersion"], "hreg.example/root v1");
  EXPECT_EQ(report["history"][2].value("leafHash", "").size(), 64u) << "what an EntryRef to it holds: " << j.out;
  EXPECT_EQ(report["answeredBy"], originOf(COUNTY));
}

TEST_F(Officials, LookupsNeedTheTrustRootAndSayWhereToAskForAnUnknownSubject) {
  auto noTrust = cli.run({"status", WORKSHOP, "--node", node(COUNTY)});
  EXPECT_EQ(noTrust.exitCode, 2);
  EXPECT_TRUE(contains(noTrust.err, "--trust FILE")) << noTrust.err;

  auto unknown = cli.run({"status", "140902001-W-9999", "--node", node(TOWNSHIP), "--trust", trustRoot()});
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_TRUE(contains(unknown.err, "holds no decision about 140902001-W-9999; ask a node of its region")) << unknown.err;

  EXPECT_EQ(cli.run({"status", WORKSHOP, "--node", node(COUNTY), "--trust", trustRoot(), "--at", "yesterday"}).exitCode, 2);
}

TEST_F(Officials, AProofSavedFromANodeVerifiesOfflineAndATamperedOneIsRefused) {
  std::string bundle = cli.path("w.bundle.json").string();
  auto saved = cli.run({"proof", WORKSHOP, "-o", bundle, "--node", node(COUNTY), "--trust", trustRoot()});
  ASSERT_EQ(saved.exitCode, 0) << saved.err << saved.out;
  EXPECT_TRUE(contains(saved.out, "3 decisions, stage joint-review")) << saved.out;

  auto v = cli.run({"verify", bundle, "--trust", trustRoot()});
  ASSERT_EQ(v.exitCode, 0) << v.err << v.out;
  EXPECT_TRUE(contains(v.out, "stage        joint-review")) << v.out;
  EXPECT_TRUE(contains(v.out, "history of 140902001-W-0001: 3 decisions")) << v.out;
  auto vj = cli.run({"verify", bundle, "--trust", trustRoot(), "--json"});
  ASSERT_EQ(vj.exitCode, 0);
  EXPECT_EQ(vj.json()["history"].size(), 3u);
  EXPECT_EQ(cli.run({"verify", bundle}).exitCode, 2) << "no trust root";

  auto genuine = nlohmann::json::parse(readText(bundle));
  // A decision left out of the list, its entry still in the extract.
  auto hiding = genuine;
  hiding["decisions"].erase(hiding["decisions"].size() - 1);
  auto hidden = cli.run({"verify", cli.file("hiding.json", hiding.dump()), "--trust", trustRoot()});
  EXPECT_EQ(hidden.exitCode, 1) << hidden.out;
  EXPECT_TRUE(contains(hidden.err, "refused (subject-mismatch)")) << hidden.err;
  EXPECT_TRUE(hidden.out.empty()) << "nothing shown from a refused bundle: " << hidden.out;

  // One byte of the application changed.
  auto altered = genuine;
  bool changed = false;
  for (auto& log : altered["logs"])
    if (log["origin"] == originOf(TOWNSHIP))
      for (auto& e : log["entries"])
        if (e["index"] == genuine["decisions"][0]["index"] && !changed) {
          Bytes bytes = *fromBase64(e["entry"].get<std::string>());
          bytes[bytes.size() / 2] ^= 0x20;
          e["entry"] = toBase64(bytes);
          changed = true;
        }
  ASSERT_TRUE(changed);
  auto refused = cli.run({"verify", cli.file("altered.json", altered.dump()), "--trust", trustRoot(), "--json"});
  EXPECT_EQ(refused.exitCode, 1) << refused.out;
  EXPECT_EQ(refused.json()["ok"], false);
  EXPECT_NE(refused.json()["reason"], "subject-mismatch") << refused.out;
  EXPECT_TRUE(contains(refused.err, "refused (")) << refused.err;

  // A log's subject-map proofs missing, null, malformed or of another subject: completeness cannot
  // be shown, so nothing is shown.
  struct MapCase {
    std::string name;
    std::function<void(nlohmann::json&)> change;
    std::string says;
  };
  const std::vector<MapCase> cases = {
      {"no-map", [](nlohmann::json& log) { log.erase("map"); }, "has no \"map\""},
      {"null-map", [](nlohmann::json& log) { log["map"] = nullptr; }, "has no \"map\""},
      {"map-not-proofs", [](nlohmann::json& log) { log["map"] = {{"subject", 7}, {"authority", "x"}}; }, "refused ("},
      {"map-of-authority", [](nlohmann::json& log) { log["map"]["subject"] = log["map"]["authority"]; }, "refused ("},
  };
  for (const MapCase& c : cases) {
    auto changedBundle = genuine;
    for (auto& log : changedBundle["logs"])
      if (log["origin"] == originOf(TOWNSHIP)) c.change(log);
    auto r = cli.run({"verify", cli.file(c.name + ".json", changedBundle.dump()), "--trust", trustRoot()});
    EXPECT_EQ(r.exitCode, 1) << c.name << ": " << r.out << r.err;
    EXPECT_TRUE(contains(r.err, c.says)) << c.name << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.name << ": nothing shown from a refused bundle: " << r.out;
  }
}

TEST_F(Officials, TheQrCodeReadsBackAsThePlaquePayload) {
  std::string png = cli.path("plaque.png").string();
  auto r = cli.run({"qr", WORKSHOP, "--png", png, "--node", node(COUNTY), "--trust", trustRoot(), "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  std::string payload = r.json()["payload"];
  EXPECT_TRUE(payload.starts_with("hreg-plaque/v1\n140902001-W-0001\njoint-review\nhreg.example/140902\n")) << payload;
  ASSERT_TRUE(std::filesystem::exists(png));

  std::string command = "zbarimg --raw -q '" + png + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> scan(::popen(command.c_str(), "r"), ::pclose);
  ASSERT_TRUE(scan);
  std::string decoded;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, scan.get())) > 0;) decoded.append(buffer, n);
  if (decoded.ends_with('\n') && !payload.ends_with("\n\n")) decoded.pop_back();  // zbarimg ends with a newline
  EXPECT_EQ(decoded, payload);

  auto text = cli.run({"qr", WORKSHOP, "--node", node(COUNTY), "--trust", trustRoot()});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_TRUE(contains(text.out, "█")) << "a code drawn in the terminal";
  EXPECT_TRUE(contains(text.out, "hreg-plaque/v1\n")) << text.out;
}

TEST_F(Officials, SupervisorsSeeOverdueReportAndPolicy) {
  auto o = cli.run({"overdue", "--region", "1409", "--node", node(COUNTY)});
  ASSERT_EQ(o.exitCode, 0) << o.err;
  EXPECT_TRUE(contains(o.out, "hreg.example/140902, region 1409")) << o.out;
  EXPECT_TRUE(contains(o.out, "nothing overdue")) << o.out;
  auto oj = cli.run({"overdue", "--region", "1409", "--node", node(COUNTY), "--json"});
  ASSERT_EQ(oj.exitCode, 0);
  EXPECT_TRUE(oj.json()["overdue"].is_array());

  auto q = cli.run({"report", "quarterly", "--region", "140902", "--quarter", "2026Q1", "--node", node(COUNTY)});
  ASSERT_EQ(q.exitCode, 0) << q.err;
  EXPECT_TRUE(contains(q.out, "report due 2026-04-08")) << q.out;
  EXPECT_TRUE(contains(q.out, "joint-review 1")) << q.out;
  auto qj = cli.run({"report", "quarterly", "--region", "140902", "--quarter", "2026Q1", "--node", node(COUNTY), "--json"});
  ASSERT_EQ(qj.exitCode, 0);
  EXPECT_EQ(qj.json()["workshops"]["byStage"]["joint-review"], 1);
  auto bad = cli.run({"report", "quarterly", "--region", "140902", "--quarter", "2026-3", "--node", node(COUNTY)});
  EXPECT_EQ(bad.exitCode, 2) << bad.err;
  EXPECT_TRUE(contains(bad.err, "2026Q3")) << "the node says how to write a quarter: " << bad.err;

  auto p = cli.run({"policy", "show", "--node", node(TOWNSHIP)});
  ASSERT_EQ(p.exitCode, 0) << p.err;
  EXPECT_TRUE(contains(p.out, "policy in force at hreg.example/140902001: hreg.example/root v1")) << p.out;
  EXPECT_TRUE(contains(p.out, "notice.working-days")) << p.out;
  auto pj = cli.run({"policy", "show", "--origin", originOf(COUNTY), "--node", node(TOWNSHIP), "--json"});
  ASSERT_EQ(pj.exitCode, 0);
  EXPECT_EQ(pj.json()["origin"], originOf(COUNTY));
  EXPECT_EQ(pj.json()["settings"]["notice.working-days"]["value"], "5");
}

TEST_F(Officials, OfficialsAreListedAndSavedForOfflineUse) {
  auto r = cli.run({"officials", "--node", node(COUNTY)});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "officials of hreg.example/140902")) << r.out;
  EXPECT_TRUE(contains(r.out, "culture")) << r.out;

  std::string file = cli.path("officials.json").string();
  auto saved = cli.run({"officials", "--origin", originOf(TOWNSHIP), "--node", node(COUNTY), "-o", file, "--json"});
  ASSERT_EQ(saved.exitCode, 0) << saved.err;
  auto list = nlohmann::json::parse(readText(file));
  EXPECT_EQ(list["origin"], originOf(TOWNSHIP));
  EXPECT_FALSE(list["officials"].empty());
  EXPECT_EQ(saved.json()["officials"].size(), list["officials"].size());
}

// The saved list carries the policy in force at the office: `hreg show` then counts the signing rule
// and the periods a decision opens on the office's own calendar, offline. The notice published on
// Monday 28 September 2026 runs 5 working days over the National Day holiday and the make-up
// Saturday 10 October: on weekends alone it would end on 5 October.
TEST_F(Officials, TheSavedListGivesShowThePolicyAndCalendarInForce) {
  std::string file = cli.path("county-officials.json").string();
  ASSERT_EQ(cli.run({"officials", "--node", node(COUNTY), "-o", file}).exitCode, 0);
  EXPECT_EQ(nlohmann::json::parse(readText(file))["policy"]["version"], "hreg.example/root v1");
  auto drafted = cli.run({"draft", "notice", "--log", originOf(COUNTY), "--set", "subjects=[\"140902001-W-0009\"]",
                          "--set", "level=county", "--set", "publishedAt=2026-09-28T09:00", "--time",
                          "2026-09-28T09:00", "-o", cli.path("notice.decision").string()});
  ASSERT_EQ(drafted.exitCode, 0) << drafted.err;
  const std::string notice = cli.path("notice.decision").string();
  auto withPolicy = cli.run({"show", notice, "--officials", file, "--json"});
  ASSERT_EQ(withPolicy.exitCode, 0) << withPolicy.err;
  auto j = withPolicy.json();
  ASSERT_EQ(j["deadlines"].size(), 1u) << j.dump();
  EXPECT_TRUE(contains(j["deadlines"][0].get<std::string>(), "until the end of 2026-10-10")) << j.dump();
  EXPECT_TRUE(contains(j["ruleSource"].get<std::string>(), "hreg.example/root v1")) << j.dump();
  auto without = cli.run({"show", notice, "--json"});
  ASSERT_EQ(without.exitCode, 0) << without.err;
  std::string deadline = without.json()["deadlines"][0].get<std::string>();
  EXPECT_TRUE(contains(deadline, "until the end of 2026-10-05")) << deadline;
  EXPECT_TRUE(contains(deadline, "weekends alone")) << deadline;
}

TEST_F(Officials, PeersShowEveryLogItsCosignaturesAndNoAlarm) {
  auto r = cli.run({"peers", "--node", node(COUNTY)});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "hreg.example/140902: ok; submissions open; parent hreg.example/1409 (connected)")) << r.out;
  EXPECT_TRUE(contains(r.out, "no equivocation detected")) << r.out;
  auto j = cli.run({"peers", "--node", node(COUNTY), "--json"});
  ASSERT_EQ(j.exitCode, 0);
  auto health = j.json();
  EXPECT_EQ(health["node"], originOf(COUNTY));
  EXPECT_TRUE(health["equivocations"].empty());
  ASSERT_EQ(health["logs"].size(), XINZHOU.size()) << "ancestors, own, and the township's";
  for (const auto& log : health["logs"]) {
    EXPECT_GT(log["size"].get<std::uint64_t>(), 0u) << log.dump();
    if (log["origin"] == originOf(TOWNSHIP)) {
      EXPECT_TRUE(log["lag"].is_number()) << "a child's log has a lag: " << log.dump();
      auto cosigners = log["cosigners"].get<std::vector<std::string>>();
      EXPECT_NE(std::find(cosigners.begin(), cosigners.end(), originOf(COUNTY)), cosigners.end()) << log.dump();
    }
  }
}

TEST_F(Officials, EveryCommandHasHelpWithAnExample) {
  for (std::vector<std::string> command :
       {std::vector<std::string>{"submit"}, {"status"}, {"history"}, {"proof"}, {"verify"}, {"qr"}, {"officials"},
        {"overdue"}, {"report", "quarterly"}, {"policy", "show"}, {"peers"}}) {
    command.push_back("--help");
    auto r = cli.run(command);
    EXPECT_EQ(r.exitCode, 0) << command[0];
    EXPECT_TRUE(contains(r.out, "Example: hreg ")) << command[0] << ": " << r.out;
  }
}

// The operators' alarm, on a federation of its own (the root and one province) so that the frozen
// log troubles no other test: a second checkpoint of the province's log, of the same size with
// another root, signed with the province's key, posted to the root's node.
class OfficialsAlarm : public ::testing::Test {
 protected:
  void SetUp() override {
    federation = std::make_unique<Federation>(std::vector<std::string>{ROOT, "14"});
    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
  }
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
  }
  std::unique_ptr<Federation> federation;
  Cli cli;
};

TEST_F(OfficialsAlarm, PeersRaisesTheAlarmLoudlyOnEquivocationAndExitsOne) {
  NodeProcess& root = federation->node(ROOT);
  std::string node = "127.0.0.1:" + std::to_string(root.apiPort());
  ASSERT_EQ(cli.run({"peers", "--node", node}).exitCode, 0);

  const std::string origin = originOf("14");
  std::optional<nlohmann::json> held;
  ASSERT_TRUE(waitUntil([&] { return (held = root.heldLog(origin)).has_value(); }, CONVERGENCE,
                        "the root holds the province's log", [] { return std::string(); }));
  auto note = note::parseNote((*held)["checkpoint"].get<std::string>());
  ASSERT_TRUE(note);
  auto fork = note::parseCheckpoint(note.value().text);
  ASSERT_TRUE(fork);
  fork.value().root = crypto::sha256(asBytes("a second history of the province's log"));
  auto forged = root.post("/v1/checkpoint", log::signCheckpoint(fork.value(), federation->demo().checkpointKey(origin)),
                          "text/plain");
  ASSERT_EQ(forged.status, 409) << forged.describe();

  auto r = cli.run({"peers", "--node", node});
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "!!! EQUIVOCATION on hreg.example/14: ")) << r.out;
  EXPECT_TRUE(contains(lineWith(r.out, "  hreg.example/14 "), "FROZEN")) << r.out;
  EXPECT_TRUE(contains(r.err, "hreg: ALARM: EQUIVOCATION on hreg.example/14")) << r.err;
  auto j = cli.run({"peers", "--node", node, "--json"});
  EXPECT_EQ(j.exitCode, 1);
  auto alarm = j.json();
  EXPECT_EQ(alarm["ok"], false);
  EXPECT_EQ(alarm["reason"], "equivocation");
  ASSERT_EQ(alarm["equivocations"].size(), 1u) << j.out;
  EXPECT_EQ(alarm["equivocations"][0]["origin"], origin);
}

}  // namespace
}  // namespace hreg::testing
