// `hreg demo`, the README's first command, runs to its end and shows what it claims: signers checked
// (three refusals and a revoked key), proofs and the cosignature verified, a decision verified from
// the trust root alone, every log verified whole.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/admin-cli/run-hreg.h"

namespace hreg::testing {
namespace {

TEST(Demo, RunsTheXinzhouChainToTheEndAndExitsZero) {
  Cli cli;
  auto result = cli.run({"demo-ledger", "--configs", std::string(HREG_SOURCE_DIR) + "/configs/demo"});
  ASSERT_EQ(result.exitCode, 0) << result.out << result.err;
  for (const char* expected : {"signer-unknown: key", "wrong-department:", "checkpoint-key-signed:",
                               "signer-revoked:", "is in the tree of size 14 (4 hashes): verified",
                               "nothing was rewritten", "2 signatures verified",
                               "→ authorized: signed by 忻府区 hrss official (demo) (hrss)",
                               "hreg.example/140902       14 entries,  22 signatures: verified"})
    EXPECT_NE(result.out.find(expected), std::string::npos) << "missing: " << expected << "\n" << result.out;
  EXPECT_EQ(result.out.find("NOT authorized"), std::string::npos);
}

TEST(Demo, AMissingFederationDirectoryIsAClearError) {
  Cli cli;
  auto result = cli.run({"demo-ledger", "--configs", (cli.dir() / "nowhere").string()});
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_NE(result.err.find("cannot read"), std::string::npos) << result.err;
}

TEST(Demo, ABrokenDecisionFileOrTrustRootIsNamedInTheError) {
  Cli cli;
  auto copy = cli.dir() / "demo";
  std::filesystem::copy(std::string(HREG_SOURCE_DIR) + "/configs/demo", copy, std::filesystem::copy_options::recursive);
  auto decision = copy / "decisions" / "003-charter-140902.decision";
  auto text = readText(decision);
  writeText(decision, text.substr(0, text.rfind('\n', text.size() - 2) + 1) + "not base64!\n");
  auto broken = cli.run({"demo-ledger", "--configs", copy.string()});
  EXPECT_EQ(broken.exitCode, 3);
  EXPECT_NE(broken.err.find("003-charter-140902.decision"), std::string::npos) << broken.err;

  std::filesystem::copy(std::string(HREG_SOURCE_DIR) + "/configs/demo/decisions/003-charter-140902.decision", decision,
                        std::filesystem::copy_options::overwrite_existing);
  writeText(copy / "trust-root.toml", "version = 1\nthreshold = 2\n");
  auto root = cli.run({"demo-ledger", "--configs", copy.string()});
  EXPECT_EQ(root.exitCode, 3);
  EXPECT_NE(root.err.find("trust-root.toml"), std::string::npos) << root.err;
  EXPECT_NE(root.err.find("origin"), std::string::npos) << root.err;
}

}  // namespace
}  // namespace hreg::testing
