#include "ledger/trust/trust-root-file.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"

namespace hreg::trust {
namespace {

std::string demoTrustRoot() { return testing::sourceFile("configs/demo/trust-root.toml"); }

using testing::replaced;

TEST(TrustRootFile, TheDemoTrustRootReadsAndWritesBackTheSame) {
  auto root = parseTrustRootFile(demoTrustRoot());
  ASSERT_TRUE(root) << root.error().detail;
  EXPECT_EQ(root.value().version, 1u);
  EXPECT_EQ(root.value().origin, "hreg.example/root");
  EXPECT_EQ(root.value().keys.size(), 3u);
  EXPECT_EQ(root.value().threshold, 2);
  auto again = parseTrustRootFile(formatTrustRootFile(root.value(), "a comment"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again.value().keys, root.value().keys);
  EXPECT_EQ(again.value().checkpointKey, root.value().checkpointKey);
}

TEST(TrustRootFile, EachBrokenFieldIsRefusedByName) {
  const std::string good = demoTrustRoot();
  auto reasonOf = [](const std::string& text) {
    auto r = parseTrustRootFile(text);
    return r ? std::string("accepted") : std::string(reasonName(r.error().reason)) + ": " + r.error().detail;
  };
  EXPECT_NE(reasonOf("version = [").find("malformed-file"), std::string::npos);
  EXPECT_NE(reasonOf(replaced(good, "version = 1", "version = 2")).find("version"), std::string::npos);
  EXPECT_NE(reasonOf(replaced(good, "threshold = 2", "threshold = 4")).find("threshold"), std::string::npos);
  EXPECT_NE(reasonOf(replaced(good, "threshold = 2", "threshold = 0")).find("threshold"), std::string::npos);
  EXPECT_NE(reasonOf(replaced(good, "origin = \"hreg.example/root\"", "origin = \"hreg.example/other\""))
                .find("checkpoint_key"), std::string::npos);
  EXPECT_NE(reasonOf(replaced(good, "\"6832dba5", "\"zz32dba5")).find("keys"), std::string::npos);
  EXPECT_NE(reasonOf(replaced(good, "checkpoint_key = \"hreg.example/root+d6ce0fa5", "checkpoint_key = \"hreg.example/root+d6ce0fa6"))
                .find("checkpoint_key"), std::string::npos);
  EXPECT_NE(reasonOf("version = 1\n").find("origin"), std::string::npos);
}

}  // namespace
}  // namespace hreg::trust
