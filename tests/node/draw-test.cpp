// Drawing an expert panel through real nodes (docs/user-guide.md, "Drawing an expert panel";
// docs/protocol.md, GET /v1/draw and GET /v1/draw/replacement): the Xinzhou chain of the demo
// federation sharing one clock file. The county records an application for the prefecture's level and
// its recommendation, the prefecture its expert pool; then the prefecture's node drafts the draw from its
// latest checkpoint, its official signs it and the node accepts it (it re-checks every draw: the
// experts are rules::drawPanel of the seed the draft states); the requests it cannot draft are refused
// with their messages; a recusal's replacement is drafted and accepted, twice in turn. Then the same
// with `hreg draw`, `hreg sign` and `hreg submit`.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <fstream>

#include "ledger/log/signing.h"
#include "ledger/rules/panel-draw.h"
#include "tests/admin-cli/run-hreg.h"
#include "tests/node/support/federation.h"
#include "tests/node/support/panel.h"

namespace hreg::testing {
namespace {

const std::vector<std::string> CHAIN{ROOT, "14", "1409", "140902", "140902001"};
const std::string PREFECTURE = "1409";
const std::string APPLICANT = "140902001-W-0002";
constexpr Timestamp START = DEMO_CLOCK_START + 60;
constexpr const char* DRAW_PASSPHRASE = "draw test passphrase";

class Draw : public ::testing::Test {
 protected:
  void SetUp() override {
    setClock(DEMO_CLOCK_START);
    federation = std::make_unique<Federation>(CHAIN, dir / "clock");
    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
    cli.setEnv("HREG_NODE", std::nullopt);
    cli.setEnv("HREG_TRUST", std::nullopt);
    cli.setEnv("HREG_PASSPHRASE", DRAW_PASSPHRASE);
    setClock(START + 150);
    recordApplicationAndPool();
  }
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
  }

  void setClock(Timestamp t) {
    setClockFile(dir / "clock", t);
  }
  std::string node(const std::string& code) { return "127.0.0.1:" + std::to_string(federation->node(code).apiPort()); }

  // recordApplicationAndPool: the county's application for the prefecture's level and its
  // recommendation (001 art. 5), and the prefecture's pool of seven experts, held at the prefecture.
  void recordApplicationAndPool() {
    PanelReady ready = readyForPanel(*federation, APPLICANT, START);
    pool = std::move(ready.pool);
    poolEntry = std::move(ready.poolEntry);
    ASSERT_TRUE(poolEntry.is_object());
  }

  std::string poolName() const {
    return fmt::format("{}%23{}", poolEntry.value("origin", ""), poolEntry.value("index", std::uint64_t{0}));
  }

  // seedOf reads the seed a draft states.
  static rules::DrawSeed seedOf(const nlohmann::json& answer) {
    const nlohmann::json& s = answer["seed"];
    rules::DrawSeed seed{s.value("origin", ""), s.value("treeSize", std::uint64_t{0}), {}};
    Bytes root = fromHex(s.value("root", "")).value_or(Bytes{});
    EXPECT_EQ(root.size(), seed.root.size()) << answer.dump();
    if (root.size() == seed.root.size()) std::copy(root.begin(), root.end(), seed.root.begin());
    return seed;
  }

  // signedByCulture is a draft's decision signed by the prefecture's demo culture official.
  Bytes signedByCulture(const nlohmann::json& answer) {
    auto bytes = fromBase64(answer.value("decision", ""));
    EXPECT_TRUE(bytes) << answer.dump();
    if (!bytes) return {};
    auto parsed = protocol::parseSignedDecision(*bytes);
    EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().detail);
    if (!parsed) return {};
    EXPECT_EQ(parsed.value().reader().getSignatures().size(), 0u) << "a draft is unsigned";
    return log::addSignature(parsed.value().reader(), federation->demo().key("official-1409-culture.key"));
  }

  // expectRefused asks `target` of the prefecture and expects `status` with `reason` and `part` in its detail.
  void expectRefused(const std::string& target, unsigned status, const std::string& reason, const std::string& part) {
    auto r = federation->node(PREFECTURE).get(target);
    EXPECT_EQ(r.status, status) << target << ": " << r.describe();
    EXPECT_EQ(r.reason(), reason) << target << ": " << r.describe();
    const std::string detail = r.json()["error"].value("detail", "");
    EXPECT_NE(detail.find(part), std::string::npos) << target << ": " << detail;
  }

  // nextAfter is who replaces `withdrawn` (in turn) in the draw of `seed`: computed here from the rules.
  std::vector<std::string> nextAfter(const rules::DrawSeed& seed, const std::vector<std::string>& withdrawn) {
    const std::string drawFor = rules::drawSubject(std::vector<std::string>{APPLICANT});
    std::vector<std::string> out, recused;
    auto before = rules::drawPanel(seed, drawFor, pool, 5, 5);
    EXPECT_TRUE(before);
    for (const std::string& w : withdrawn) {
      recused.push_back(w);
      auto now = rules::drawPanel(seed, drawFor, pool, 5, 5, recused);
      EXPECT_TRUE(now);
      for (const std::string& e : now.value())
        if (std::find(before.value().begin(), before.value().end(), e) == before.value().end()) out.push_back(e);
      before = std::move(now);
    }
    return out;
  }

  TempDir dir;
  std::unique_ptr<Federation> federation;
  Cli cli;
  std::vector<std::string> pool;
  nlohmann::json poolEntry;  // the prefecture's receipt for its pool
};

TEST_F(Draw, TheNodeDraftsTheDrawItsOfficialSignsItAndTheNodeAcceptsItThenAReplacement) {
  setClock(START + 300);
  const std::string prefectureLog = originOf(PREFECTURE);
  auto asked = federation->node(PREFECTURE).get("/v1/draw?subject=" + APPLICANT + "&count=5&pool=" + poolName());
  ASSERT_EQ(asked.status, 200) << asked.describe();
  const nlohmann::json draft = asked.json();
  EXPECT_EQ(draft.value("kind", ""), "panel-draw");
  EXPECT_EQ(draft.value("origin", ""), prefectureLog);
  EXPECT_EQ(draft.value("time", Timestamp{0}), START + 300) << "dated when drafted";
  EXPECT_EQ(draft["signing"]["departments"], (nlohmann::json{"culture"})) << draft.dump();

  // The seed is the prefecture's own latest checkpoint, after its pool.
  const rules::DrawSeed seed = seedOf(draft);
  auto head = federation->node(PREFECTURE).heldLog(prefectureLog);
  ASSERT_TRUE(head);
  EXPECT_EQ(seed.origin, prefectureLog);
  EXPECT_EQ(seed.treeSize, head->value("size", std::uint64_t{0}));
  EXPECT_EQ(toHex(ByteView(seed.root)), head->value("root", ""));
  EXPECT_GT(seed.treeSize, poolEntry.value("index", std::uint64_t{0}));

  // The experts are the rules' draw from that seed, in order, in the answer and in the decision.
  auto expected = rules::drawPanel(seed, rules::drawSubject(std::vector<std::string>{APPLICANT}), pool, 5, 5);
  ASSERT_TRUE(expected);
  const std::vector<std::string> panel = draft.value("panel", std::vector<std::string>{});
  EXPECT_EQ(panel, expected.value());
  const Bytes drawDecision = signedByCulture(draft);
  auto parsed = protocol::parseSignedDecision(drawDecision);
  ASSERT_TRUE(parsed);
  auto body = parsed.value().reader().getDecision().getBody();
  ASSERT_TRUE(body.isPanelDraw());
  std::vector<std::string> inRecord;
  for (auto e : body.getPanelDraw().getExperts()) inRecord.emplace_back(e.cStr());
  EXPECT_EQ(inRecord, expected.value());
  EXPECT_EQ(body.getPanelDraw().getMethod().cStr(), std::string(rules::DRAW_METHOD));

  auto submitted = federation->node(PREFECTURE).submit(drawDecision);
  ASSERT_EQ(submitted.status, 200) << submitted.describe();
  const nlohmann::json receipt = submitted.json();

  // What it cannot draft, refused with its message.
  const std::string ask = "/v1/draw?subject=" + APPLICANT + "&pool=" + poolName() + "&count=";
  expectRefused(ask + "4", 422, "panel-size", "a panel of 4 experts: it must be odd and at least 5");
  expectRefused(ask + "3", 422, "panel-size", "a panel of 3 experts: it must be odd and at least 5");
  expectRefused(ask + "9", 422, "pool-too-small", "the pool has 7 eligible experts");
  expectRefused(ask + "five", 400, "bad-request", "count=\"five\" is not a number of experts");
  expectRefused("/v1/draw?subject=" + APPLICANT + "&count=5&pool=hreg.example/9999", 404, "prerequisite-missing",
                "this node holds no log hreg.example/9999");
  expectRefused("/v1/draw?subject=" + APPLICANT + "&count=5&pool=" + prefectureLog + "%23999", 404,
                "prerequisite-missing", prefectureLog + " #999 is not held here");
  expectRefused("/v1/draw?subject=" + APPLICANT + "&count=5&pool=" + prefectureLog + "%230", 422, "draw-mismatch",
                prefectureLog + " #0 is a ");
  expectRefused("/v1/draw?subject=140902001-X&count=5&pool=" + poolName(), 400, "malformed-entry",
                "the subject \"140902001-X\" is not an identifier");
  expectRefused("/v1/draw?count=5&pool=" + poolName(), 400, "malformed-entry", "name the applicants");

  // The applicant asks in writing that the second expert withdraw: the next of the order replaces them.
  setClock(START + 400);
  const std::string drawName = fmt::format("{}%23{}", receipt.value("origin", ""), receipt.value("index", std::uint64_t{0}));
  const std::vector<std::string> next = nextAfter(seed, {panel[1], panel[3]});
  ASSERT_EQ(next.size(), 2u);
  auto replaced = federation->node(PREFECTURE).get("/v1/draw/replacement?draw=" + drawName + "&withdrawn=" + panel[1] +
                                                   "&requestedBy=applicant&reason=%E4%B9%A6%E9%9D%A2%E7%94%B3%E8%AF%B7");
  ASSERT_EQ(replaced.status, 200) << replaced.describe();
  EXPECT_EQ(replaced.json()["replacements"][0].value("replacement", ""), next[0]) << replaced.body;
  EXPECT_EQ(replaced.json().value("kind", ""), "recusal");
  {
    auto recusal = protocol::parseSignedDecision(fromBase64(replaced.json().value("decision", "")).value_or(Bytes{}));
    ASSERT_TRUE(recusal);
    auto r = recusal.value().reader().getDecision().getBody().getRecusal();
    EXPECT_EQ(r.getExpert().cStr(), panel[1]);
    EXPECT_EQ(r.getReplacement().cStr(), next[0]);
    EXPECT_EQ(r.getRequestedBy(), schema::RecusalRequester::APPLICANT);
    EXPECT_EQ(r.getReason().cStr(), std::string("书面申请"));
    EXPECT_TRUE(r.getGranted());
  }
  auto first = federation->node(PREFECTURE).submit(signedByCulture(replaced.json()));
  EXPECT_EQ(first.status, 200) << first.describe();

  // A second withdrawal, named after the first: the order's next again, accepted.
  setClock(START + 500);
  auto again = federation->node(PREFECTURE).get("/v1/draw/replacement?draw=" + drawName + "&withdrawn=" + panel[1] +
                                                "&withdrawn=" + panel[3]);
  ASSERT_EQ(again.status, 200) << again.describe();
  EXPECT_EQ(again.json()["replacements"][1].value("replacement", ""), next[1]) << again.body;
  std::vector<std::string> now = panel;
  std::replace(now.begin(), now.end(), panel[1], next[0]);
  std::replace(now.begin(), now.end(), panel[3], next[1]);
  EXPECT_EQ(again.json().value("panel", std::vector<std::string>{}), now);
  auto second = federation->node(PREFECTURE).submit(signedByCulture(again.json()));
  EXPECT_EQ(second.status, 200) << second.describe();

  // Refusals of the replacement: an expert not on the panel, a draw that is not one.
  expectRefused("/v1/draw/replacement?draw=" + drawName + "&withdrawn=1409-E-9999", 422, "not-on-panel",
                "1409-E-9999 is not on the panel");
  expectRefused("/v1/draw/replacement?draw=" + poolName() + "&withdrawn=" + panel[0], 422, "draw-mismatch",
                "not a panel draw");
}

TEST_F(Draw, HregDrawWritesTheDraftThatHregSignAndSubmitTakeUnchanged) {
  setClock(START + 300);
  auto officials = cli.run({"officials", "--node", node(PREFECTURE), "-o", cli.path("officials.json").string()});
  ASSERT_EQ(officials.exitCode, 0) << officials.err;
  const std::string key = cli.path("culture.key").string();
  auto imported = cli.run({"key", "import", "--seed-file", (demoDir() / "keys" / "official-1409-culture.key").string(),
                           "-o", key, "--label", "1409 culture DEMO"});
  ASSERT_EQ(imported.exitCode, 0) << imported.err;

  // The pool named by its log alone: that log's latest expert pool.
  const std::string file = cli.path("draw.decision").string();
  auto drawn = cli.run({"draw", "--node", node(PREFECTURE), "--subject", APPLICANT, "--count", "5", "--pool",
                        originOf(PREFECTURE), "-o", file});
  ASSERT_EQ(drawn.exitCode, 0) << drawn.err << drawn.out;
  auto asJson = cli.run({"draw", "--node", node(PREFECTURE), "--subject", APPLICANT, "--count", "5", "--pool",
                         originOf(PREFECTURE), "-o", cli.path("same.decision").string(), "--json"});
  ASSERT_EQ(asJson.exitCode, 0) << asJson.err << asJson.out;
  const rules::DrawSeed seed = seedOf(asJson.json());
  auto expected = rules::drawPanel(seed, rules::drawSubject(std::vector<std::string>{APPLICANT}), pool, 5, 5);
  ASSERT_TRUE(expected);
  EXPECT_NE(drawn.out.find(fmt::format("panel, in draw order: {}", fmt::join(expected.value(), ", "))), std::string::npos)
      << drawn.out;
  EXPECT_NE(drawn.out.find(fmt::format("seed:  the checkpoint of {} at size {}", originOf(PREFECTURE), seed.treeSize)),
            std::string::npos)
      << drawn.out;
  EXPECT_NE(drawn.out.find(fmt::format("pool:  {} #{}: version 1", originOf(PREFECTURE),
                                       poolEntry.value("index", std::uint64_t{0}))),
            std::string::npos)
      << drawn.out;

  // Never over an existing file.
  auto over = cli.run({"draw", "--node", node(PREFECTURE), "--subject", APPLICANT, "--count", "5", "--pool",
                       originOf(PREFECTURE), "-o", file});
  EXPECT_EQ(over.exitCode, 2) << over.out;
  EXPECT_NE(over.err.find("never overwritten"), std::string::npos) << over.err;
  // An even count: the node's refusal, exit 1.
  auto even = cli.run({"draw", "--node", node(PREFECTURE), "--subject", APPLICANT, "--count", "4", "--pool",
                       originOf(PREFECTURE), "-o", cli.path("even.decision").string()});
  EXPECT_EQ(even.exitCode, 1) << even.out;
  EXPECT_NE(even.err.find("refused (panel-size): a panel of 4 experts"), std::string::npos) << even.err;
  EXPECT_FALSE(std::filesystem::exists(cli.path("even.decision")));

  auto signedBy = cli.run({"sign", file, "--key", key, "--yes", "--officials", cli.path("officials.json").string()});
  ASSERT_EQ(signedBy.exitCode, 0) << signedBy.err << signedBy.out;
  auto submitted = cli.run({"submit", file, "--node", node(PREFECTURE), "--json"});
  ASSERT_EQ(submitted.exitCode, 0) << submitted.err << submitted.out;
  const std::uint64_t index = submitted.json().value("index", std::uint64_t{0});

  setClock(START + 400);
  const std::string replacement = cli.path("recusal.decision").string();
  auto replaced = cli.run({"draw", "--replacement", "--node", node(PREFECTURE), "--draw",
                           fmt::format("{}#{}", originOf(PREFECTURE), index), "--withdrawn", expected.value()[0],
                           "--reason", "主动回避", "-o", replacement});
  ASSERT_EQ(replaced.exitCode, 0) << replaced.err << replaced.out;
  const std::vector<std::string> next = nextAfter(seed, {expected.value()[0]});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_NE(replaced.out.find(fmt::format("{} withdraws: the draw's order gives {}", expected.value()[0], next[0])),
            std::string::npos)
      << replaced.out;
  auto signedRecusal = cli.run({"sign", replacement, "--key", key, "--yes", "--officials",
                                cli.path("officials.json").string()});
  ASSERT_EQ(signedRecusal.exitCode, 0) << signedRecusal.err << signedRecusal.out;
  auto submittedRecusal = cli.run({"submit", replacement, "--node", node(PREFECTURE)});
  EXPECT_EQ(submittedRecusal.exitCode, 0) << submittedRecusal.err << submittedRecusal.out;
}

}  // namespace
}  // namespace hreg::testing
