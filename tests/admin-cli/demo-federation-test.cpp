// `hreg demo-federation` writes exactly what configs/demo holds: the demo federation's keys and
// decisions are reproducible from the command, as docs/trust.md says.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/admin-cli/run-hreg.h"

namespace hreg::testing {
namespace {

TEST(DemoFederation, TheCommandReproducesConfigsDemoByteForByte) {
  Cli cli;
  const auto& dir = cli.dir();
  auto result = cli.run({"demo-federation", "--out", (dir / "demo").string(), "--calendar",
                         std::string(HREG_SOURCE_DIR) + "/configs/calendar"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const std::filesystem::path committed = std::filesystem::path(HREG_SOURCE_DIR) / "configs" / "demo";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "demo")) {
    if (!entry.is_regular_file()) continue;
    auto relative = std::filesystem::relative(entry.path(), dir / "demo");
    ASSERT_TRUE(std::filesystem::exists(committed / relative)) << relative << " is not in configs/demo";
    EXPECT_EQ(readText(entry.path()), readText(committed / relative)) << relative;
    ++files;
  }
  std::size_t committedFiles = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(committed))
    committedFiles += entry.is_regular_file();
  EXPECT_EQ(files, committedFiles) << "configs/demo holds files the command does not write";
}

TEST(DemoFederation, WithoutADirectoryItIsAUsageError) {
  EXPECT_EQ(Cli().run({"demo-federation"}).exitCode, 2);
}

}  // namespace
}  // namespace hreg::testing
