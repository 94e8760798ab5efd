// The public plaque check page (node/web/, served by node/web.h) in a real browser: the Xinzhou chain
// of the demo federation as real hreg-node processes (their clock read from a file the test moves), a
// workshop under joint review and a certified one recorded through the county's and township's APIs,
// and, once the clock has moved past the quarter, the county's quarterly report of 2026Q1 for the
// certified one; then tests/web/plaque.spec.mjs run with Node.js, driving headless Chromium
// (playwright-core, installed by the hreg-web-npm test) against the county's API. The browser verifies the proof bundles itself; the spec says what it checked and
// keeps screenshots in HREG_BINARY_DIR/tests/web/screenshots.
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "ledger/log/signing.h"
#include "ledger/rules/date.h"
#include "node/web.h"
#include "tests/node/support/federation.h"

extern char** environ;

namespace hreg::testing {
namespace {

const std::vector<std::string> XINZHOU{ROOT, "14", "1409", "140902", "140902001"};
const std::string TOWNSHIP = "140902001";
const std::string COUNTY = "140902";
constexpr Timestamp T = DEMO_CLOCK_START + 60;

// runNode runs `node SCRIPT args...` and waits for it: its exit code, its output in `log`.
int runNode(const std::filesystem::path& script, const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::vector<std::string> argv{"node", script.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, "node", &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// beijing is the UTC second of `hour`:00 on `date` in Beijing.
Timestamp beijing(const char* date, int hour) { return rules::startOfDay(rules::parseDate(date).value()) + hour * 3600; }

class PlaquePage : public ::testing::Test {
 protected:
  void SetUp() override {
    setClock(DEMO_CLOCK_START);
    federation = std::make_unique<Federation>(XINZHOU, dir / "clock");
    ASSERT_TRUE(federation->start());
    ASSERT_TRUE(federation->seed());
  }
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
  }

  void submit(const std::string& code, const std::vector<std::string>& who, Timestamp at, const log::FillBody& fill) {
    Bytes decision = federation->signedBy(code, at, who, fill);
    EXPECT_TRUE(federation->submitUntilAccepted(originOf(code), decision, CONVERGENCE));
  }

  // setClock moves every node's clock: the file is replaced whole, so no node reads half a number.
  void setClock(Timestamp t) {
    setClockFile(dir / "clock", t);
  }

  TempDir dir;
  std::unique_ptr<Federation> federation;
};

TEST_F(PlaquePage, TheBrowserVerifiesAWorkshopRefusesATamperedAnswerAndShowsStatisticsAndReplication) {
  // 140902001-W-0001: applied and passed at the township, one finding at the county: joint review.
  submit(TOWNSHIP, {"140902001-culture"}, T, [](schema::Body::Builder body) {
    auto a = body.initApplication();
    a.setSubject("140902001-W-0001");
    a.setLevel(schema::Level::COUNTY);
    a.initFacts().setName("忻州剪纸传习工坊");
    a.setReceivedAt(T);
  });
  submit(TOWNSHIP, {"140902001-culture"}, T + 60, [](schema::Body::Builder body) {
    auto r = body.initPreliminaryReview();
    r.setSubject("140902001-W-0001");
    r.setOutcome(schema::ReviewOutcome::PASS);
    r.setSiteInspected(true);
  });
  submit(COUNTY, {"140902-culture"}, T + 120, [](schema::Body::Builder body) {
    auto f = body.initJointReviewFinding();
    f.setSubject("140902001-W-0001");
    f.setDepartment("culture");
    f.setOutcome(schema::ReviewOutcome::PASS);
  });
  // 140902-W-0001: a former poverty-alleviation workshop brought in by the county: certified.
  submit(COUNTY, {"140902-culture", "140902-rural"}, T + 180, [](schema::Body::Builder body) {
    auto l = body.initLegacyImport();
    l.setSubject("140902-W-0001");
    l.setLevel(schema::Level::COUNTY);
    l.setFormerName("忻府区非遗扶贫就业工坊（剪纸）");
    l.setDecision("忻府文旅〔2026〕1号");
    auto facts = l.initFacts();
    facts.setName("忻府区秀容剪纸传习工坊");
    facts.setEmployees(9);
    facts.setPovertyAlleviatedEmployees(6);
    l.setPlaque("忻府非遗工坊-2026-001");
  });
  // The county must hold the township's decisions, cosigned, before the page asks it.
  NodeProcess& county = federation->node(COUNTY);
  ASSERT_TRUE(waitUntil(
      [&] {
        auto held = county.heldLog(originOf(TOWNSHIP));
        return held && (*held)["size"] == 3 && !(*held)["cosignatures"].empty();
      },
      CONVERGENCE, "the county holds the township's three entries, cosigned", [] { return std::string(); }));
  // 2026Q1 ended Tuesday 31 March; on Friday 3 April, before it is due (8 April), the county reports
  // the certified workshop's figures (002 §5): 9 jobs, 6 of them for poverty-alleviated workers.
  const Timestamp reported = beijing("2026-04-03", 10);
  setClock(reported);
  submit(COUNTY, {"140902-culture"}, reported, [](schema::Body::Builder body) {
    auto q = body.initQuarterlyReport();
    q.setYear(2026);
    q.setQuarter(1);
    auto row = q.initRows(1)[0];
    row.setSubject("140902-W-0001");
    row.setJobs(9);
    row.setPovertyAlleviatedWorkers(6);
    row.setRevenue(8'600'000);
    row.setWagesPaid(2'430'000);
  });

  const std::filesystem::path out = std::filesystem::path(HREG_BINARY_DIR) / "tests" / "web" / "screenshots";
  std::filesystem::create_directories(out);
  const std::filesystem::path log = out / "plaque.spec.log";
  int code = runNode(std::filesystem::path(HREG_SOURCE_DIR) / "tests" / "web" / "plaque.spec.mjs",
                     {std::to_string(county.apiPort()), out.string()}, log);
  std::string said = readAll(log);
  std::cout << said << "screenshots kept in " << out.string() << "\n";
  EXPECT_EQ(code, 0) << said;
}

TEST(PlaquePageServing, ThePageCarriesTheTrustRootItIsServedWithAndNothingCanCloseItsScript) {
  trust::TrustAnchor root;
  root.origin = "hreg.example/</script><script>alert(1)</script>";
  root.threshold = 2;
  auto page = node::servePage("/", root);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->contentType, "text/html; charset=utf-8");
  EXPECT_EQ(page->body.find("@HREG_TRUST_ROOT@"), std::string::npos);
  EXPECT_NE(page->body.find(R"("threshold":2)"), std::string::npos);
  EXPECT_EQ(page->body.find("</script><script>alert"), std::string::npos);
  EXPECT_TRUE(node::servePage("/plaque", root));
  auto script = node::servePage("/web/verify.js", root);
  ASSERT_TRUE(script);
  EXPECT_EQ(script->contentType, "text/javascript; charset=utf-8");
  EXPECT_FALSE(node::servePage("/web/index.html", root)) << "the page only with its trust root";
  EXPECT_FALSE(node::servePage("/web/nothing.js", root));
  EXPECT_FALSE(node::servePage("/v1/health", root));
}

}  // namespace
}  // namespace hreg::testing
