// `hreg demo`, the README's first command, run as a user runs it: nine real hreg-node processes, every
// officials' step an hreg process. The demo fails itself when a step does not end as its story says
// (a submission accepted that should be refused, a verification that passes on a tampered bundle);
// this test checks that it exits 0, that the story's turning points were printed, and that it left
// no node running.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/admin-cli/run-hreg.h"

namespace hreg::testing {
namespace {

TEST(NetworkDemo, WalksBothWorkshopsThroughRealNodesAndStopsThemAll) {
  Cli cli;
  const std::filesystem::path source(HREG_SOURCE_DIR);
  CliResult demo = cli.run({"demo", "--work-dir", cli.path("work").string(), "--configs",
                            (source / "configs" / "demo").string(), "--node-binary", HREG_NODE_BINARY});
  ASSERT_EQ(demo.exitCode, 0) << demo.out << demo.err;
  // The joint review result with five of six departments' signatures is refused, then accepted.
  EXPECT_NE(demo.out.find("$ hreg submit joint-review.decision"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("land"), std::string::npos);
  // The notice's close is counted over the National Day holiday and the make-up Saturday, on the
  // period and calendar of the county's policy as its officials file records it.
  EXPECT_NE(demo.out.find("closes at the end of 2026-10-10"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("The notice runs 5 working days, as the county's policy ("), std::string::npos) << demo.out;
  // Each decision is cited by the entry reference `hreg submit --json` gave for it.
  EXPECT_NE(demo.out.find("$ hreg submit notice.decision --node "), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("\"proofChecked\": true"), std::string::npos) << demo.out;
  // The Tacheng official's check of the Xinzhou bundle, and the tampered copy.
  // By the plaque's number: resolved by the node, accepted because the proven certification gives it.
  auto byPlaque = demo.out.find("$ hreg status --plaque 忻府非遗工坊-2026-001");
  ASSERT_NE(byPlaque, std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("stage        certified since 2026-10-12", byPlaque), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("proven complete under", byPlaque), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("9 about it", byPlaque), std::string::npos) << "the county's nine decisions: " << demo.out;
  EXPECT_NE(demo.out.find("$ hreg verify xinzhou-proof.json"), std::string::npos);
  EXPECT_NE(demo.out.find("$ hreg verify tampered-proof.json"), std::string::npos);
  // The Tacheng revocation hidden from a genuine bundle: refused incomplete by the county's map.
  auto hidden = demo.out.find("$ hreg verify hidden-revocation.json");
  ASSERT_NE(hidden, std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("incomplete", hidden), std::string::npos) << demo.out.substr(hidden);
  EXPECT_NE(demo.out.find("hreg.example/654201", hidden), std::string::npos) << demo.out.substr(hidden);
  EXPECT_NE(demo.out.find("all nine nodes stopped cleanly"), std::string::npos) << demo.out;
  EXPECT_TRUE(std::filesystem::exists(cli.path("work") / "officials" / "plaque.png"));
}

}  // namespace
}  // namespace hreg::testing
