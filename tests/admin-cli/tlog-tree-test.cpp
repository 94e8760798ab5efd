// `hreg tlog root | inclusion-proof | verify-inclusion | consistency-proof | verify-consistency`, run as a
// subprocess against the RFC 6962 vectors of transparency-dev/merkle (tests/vectors/rfc6962-*.txt).
#include "admin-cli/commands.h"

#include <gtest/gtest.h>

#include "tests/admin-cli/run-hreg.h"

namespace hreg::testing {
namespace {

using cli::EXIT_OK;
using cli::EXIT_REFUSED;
using cli::EXIT_USAGE;

std::map<std::uint64_t, std::string> rfc6962Roots() {
  std::map<std::uint64_t, std::string> roots;
  for (const std::string& line : dataLines("rfc6962-roots.txt")) {
    auto w = words(line);
    roots[std::stoull(w[0])] = w[1];
  }
  return roots;
}

// ProofVector is one line of rfc6962-inclusion.txt or rfc6962-consistency.txt.
struct ProofVector {
  std::uint64_t a, b;
  std::vector<std::string> proof;
};

std::vector<ProofVector> proofVectors(const std::string& name) {
  std::vector<ProofVector> out;
  for (const std::string& line : dataLines(name)) {
    auto w = words(line);
    ProofVector v{std::stoull(w[0]), std::stoull(w[1]), {}};
    if (w[2] != "-") {
      std::istringstream hashes(w[2]);
      for (std::string h; std::getline(hashes, h, ',');) v.proof.push_back(h);
    }
    out.push_back(v);
  }
  return out;
}

std::string proofFile(const std::vector<std::string>& proof) {
  std::string out;
  for (const std::string& h : proof) out += h + "\n";
  return out;
}

// flipFirstDigit changes one hex digit of a hash.
std::string flipFirstDigit(std::string hash) {
  hash[0] = hash[0] == '0' ? '1' : '0';
  return hash;
}

class TlogTree : public ::testing::Test {
 protected:
  Cli cli;
  std::vector<std::string> leaves = rfc6962Leaves();
  std::map<std::uint64_t, std::string> roots = rfc6962Roots();
  std::string allLeaves = cli.file("leaves.txt", leavesFile(leaves, leaves.size()));
};

TEST_F(TlogTree, RootOfEveryPrefixIsTheRfc6962Root) {
  for (std::size_t size = 0; size <= leaves.size(); ++size) {
    auto path = cli.file("prefix.txt", leavesFile(leaves, size));
    CliResult r = cli.run({"tlog", "root", path, "--json"});
    ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
    EXPECT_EQ(r.json()["treeSize"], size);
    EXPECT_EQ(r.json()["root"], roots.at(size)) << "size " << size;
  }
}

TEST_F(TlogTree, RootReadsStdinAndPrintsHexAndBase64) {
  CliResult r = cli.run({"tlog", "root", "-"}, leavesFile(leaves, 8));
  ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
  EXPECT_EQ(r.out, "tree size   8\n"
                   "root        5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n"
                   "root base64 XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
}

TEST_F(TlogTree, InclusionProofsAreTheRfc6962Vectors) {
  for (const ProofVector& v : proofVectors("rfc6962-inclusion.txt")) {
    CliResult text = cli.run({"tlog", "inclusion-proof", allLeaves, "--index", std::to_string(v.a), "--size",
                        std::to_string(v.b)});
    ASSERT_EQ(text.exitCode, EXIT_OK) << text.err;
    EXPECT_EQ(text.out, proofFile(v.proof)) << "leaf " << v.a << " of " << v.b;
    CliResult json = cli.run({"tlog", "inclusion-proof", allLeaves, "--index", std::to_string(v.a), "--size",
                        std::to_string(v.b), "--json"});
    ASSERT_EQ(json.exitCode, EXIT_OK) << json.err;
    auto j = json.json();
    EXPECT_EQ(j["leafIndex"], v.a);
    EXPECT_EQ(j["treeSize"], v.b);
    EXPECT_EQ(j["root"], roots.at(v.b));
    EXPECT_EQ(j["proof"], nlohmann::json(v.proof));
  }
}

TEST_F(TlogTree, VerifyInclusionAcceptsTheVectorsByLeafBytesOrLeafHash) {
  for (const ProofVector& v : proofVectors("rfc6962-inclusion.txt")) {
    auto proof = cli.file("proof.txt", proofFile(v.proof));
    std::vector<std::string> common{"--index", std::to_string(v.a), "--size", std::to_string(v.b), "--root",
                                    roots.at(v.b), proof, "--json"};
    std::vector<std::string> byBytes{"tlog", "verify-inclusion", "--leaf-hex", leaves[v.a]};
    byBytes.insert(byBytes.end(), common.begin(), common.end());
    CliResult r = cli.run(byBytes);
    ASSERT_EQ(r.exitCode, EXIT_OK) << r.err;
    std::string leafHash = r.json()["leafHash"];
    std::vector<std::string> byHash{"tlog", "verify-inclusion", "--leaf-hash", leafHash};
    byHash.insert(byHash.end(), common.begin(), common.end());
    EXPECT_EQ(cli.run(byHash).exitCode, EXIT_OK);
  }
}

TEST_F(TlogTree, VerifyInclusionRefusesATamperedProofAWrongLeafAndAWrongLength) {
  auto verify = [&](const std::string& leafHex, std::vector<std::string> proof) {
    return cli.run({"tlog", "verify-inclusion", "--leaf-hex", leafHex, "--index", "5", "--size", "8", "--root",
                    roots.at(8), cli.file("proof.txt", proofFile(proof)), "--json"});
  };
  const std::vector<std::string> good = proofVectors("rfc6962-inclusion.txt")[2].proof;  // leaf 5 of 8
  ASSERT_EQ(verify(leaves[5], good).exitCode, EXIT_OK);

  auto tampered = good;
  tampered[1] = flipFirstDigit(tampered[1]);
  CliResult r = verify(leaves[5], tampered);
  EXPECT_EQ(r.exitCode, EXIT_REFUSED);
  EXPECT_EQ(r.json()["reason"], "root-mismatch");
  EXPECT_NE(r.err.find("hreg: refused (root-mismatch): "), std::string::npos) << r.err;

  EXPECT_EQ(verify(leaves[4], good).json()["reason"], "root-mismatch");
  auto longer = good;
  longer.push_back(good[0]);
  EXPECT_EQ(verify(leaves[5], longer).json()["reason"], "proof-wrong-length");
  EXPECT_EQ(verify(leaves[5], {good[0]}).json()["reason"], "proof-wrong-length");
}

TEST_F(TlogTree, ConsistencyProofsAreTheRfc6962VectorsAndVerify) {
  for (const ProofVector& v : proofVectors("rfc6962-consistency.txt")) {
    std::string m = std::to_string(v.a), n = std::to_string(v.b);
    CliResult proof = cli.run({"tlog", "consistency-proof", allLeaves, "--old", m, "--new", n});
    ASSERT_EQ(proof.exitCode, EXIT_OK) << proof.err;
    EXPECT_EQ(proof.out, proofFile(v.proof)) << m << " to " << n;
    CliResult json = cli.run({"tlog", "consistency-proof", allLeaves, "--old", m, "--new", n, "--json"});
    EXPECT_EQ(json.json()["oldRoot"], roots.at(v.a));
    EXPECT_EQ(json.json()["newRoot"], roots.at(v.b));
    EXPECT_EQ(json.json()["proof"], nlohmann::json(v.proof));
    CliResult verified = cli.run({"tlog", "verify-consistency", "--old", m, "--new", n, "--old-root", roots.at(v.a),
                            "--new-root", roots.at(v.b), "-"},
                           proof.out);
    EXPECT_EQ(verified.exitCode, EXIT_OK) << verified.err;
  }
}

TEST_F(TlogTree, VerifyConsistencyRefusesATamperedProofAndSwappedRoots) {
  const ProofVector v = proofVectors("rfc6962-consistency.txt")[2];  // 6 -> 8
  auto verify = [&](const std::vector<std::string>& proof, const std::string& oldRoot, const std::string& newRoot) {
    return cli.run({"tlog", "verify-consistency", "--old", "6", "--new", "8", "--old-root", oldRoot, "--new-root",
                    newRoot, cli.file("proof.txt", proofFile(proof)), "--json"});
  };
  ASSERT_EQ(verify(v.proof, roots.at(6), roots.at(8)).exitCode, EXIT_OK);
  auto tampered = v.proof;
  tampered[0] = flipFirstDigit(tampered[0]);
  CliResult r = verify(tampered, roots.at(6), roots.at(8));
  EXPECT_EQ(r.exitCode, EXIT_REFUSED);
  EXPECT_EQ(r.json()["reason"], "root-mismatch");
  EXPECT_EQ(verify(v.proof, roots.at(8), roots.at(6)).json()["reason"], "root-mismatch");
  EXPECT_EQ(verify({}, roots.at(6), roots.at(8)).json()["reason"], "proof-wrong-length");
}

TEST_F(TlogTree, RootsMayBeGivenInBase64AsCheckpointsPrintThem) {
  auto proof = cli.run({"tlog", "inclusion-proof", allLeaves, "--index", "5"}).out;
  CliResult r = cli.run({"tlog", "verify-inclusion", "--leaf-hex", leaves[5], "--index", "5", "--size", "8", "--root",
                   "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "-"},
                  proof);
  EXPECT_EQ(r.exitCode, EXIT_OK) << r.err;
}

TEST_F(TlogTree, BadHexInALeavesFileIsAUsageErrorNamingTheLine) {
  CliResult r = cli.run({"tlog", "root", cli.file("bad.txt", "00\n\nzz10\n")});
  EXPECT_EQ(r.exitCode, EXIT_USAGE);
  EXPECT_NE(r.err.find("bad.txt:3"), std::string::npos) << r.err;
  EXPECT_EQ(cli.run({"tlog", "root", cli.file("odd.txt", "abc\n")}).exitCode, EXIT_USAGE);
}

TEST_F(TlogTree, AMissingFileIsAUsageError) {
  CliResult r = cli.run({"tlog", "root", cli.path("nowhere.txt").string()});
  EXPECT_EQ(r.exitCode, EXIT_USAGE);
  EXPECT_NE(r.err.find("nowhere.txt"), std::string::npos) << r.err;
  EXPECT_EQ(cli.run({"tlog", "verify-consistency", "--old", "1", "--new", "1", "--old-root", roots.at(1),
                     "--new-root", roots.at(1), cli.path("nowhere.txt").string()})
                .exitCode,
            EXIT_USAGE);
}

TEST_F(TlogTree, HashesOfTheWrongLengthOrBadHexAreUsageErrors) {
  std::string shortRoot = roots.at(8).substr(2);
  auto proof = cli.file("proof.txt", proofFile(proofVectors("rfc6962-inclusion.txt")[2].proof));
  auto verify = [&](const std::string& root, const std::string& proofPath) {
    return cli.run({"tlog", "verify-inclusion", "--leaf-hex", leaves[5], "--index", "5", "--size", "8", "--root",
                    root, proofPath});
  };
  EXPECT_EQ(verify(shortRoot, proof).exitCode, EXIT_USAGE);
  EXPECT_EQ(verify(roots.at(8) + "00", proof).exitCode, EXIT_USAGE);
  EXPECT_EQ(verify("x" + roots.at(8).substr(1), proof).exitCode, EXIT_USAGE);
  CliResult shortHash = verify(roots.at(8), cli.file("short.txt", roots.at(1) + "\n" + shortRoot + "\n"));
  EXPECT_EQ(shortHash.exitCode, EXIT_USAGE);
  EXPECT_NE(shortHash.err.find("short.txt:2"), std::string::npos) << shortHash.err;
  EXPECT_EQ(cli.run({"tlog", "verify-inclusion", "--leaf-hash", shortRoot, "--index", "5", "--size", "8", "--root",
                     roots.at(8), proof})
                .exitCode,
            EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "verify-inclusion", "--leaf-hex", "0g", "--index", "5", "--size", "8", "--root",
                     roots.at(8), proof})
                .exitCode,
            EXIT_USAGE);
}

TEST_F(TlogTree, AnEndlessProofFileIsAUsageError) {
  EXPECT_EQ(cli.run({"tlog", "verify-inclusion", "--leaf-hex", "", "--index", "0", "--size", "1", "--root",
                     roots.at(1), "/dev/zero"})
                .exitCode,
            EXIT_USAGE);
}

TEST_F(TlogTree, BadFlagsAreUsageErrors) {
  EXPECT_EQ(cli.run({"tlog", "inclusion-proof", allLeaves, "--index", "8"}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "inclusion-proof", allLeaves, "--index", "-1"}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "inclusion-proof", allLeaves, "--index", "1", "--size", "9"}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "consistency-proof", allLeaves, "--old", "5", "--new", "4"}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "consistency-proof", allLeaves, "--old", "1", "--new", "9"}).exitCode, EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "verify-inclusion", "--index", "0", "--size", "1", "--root", roots.at(1), allLeaves})
                .exitCode,
            EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "verify-inclusion", "--leaf-hex", "", "--leaf-hash", roots.at(1), "--index", "0",
                     "--size", "1", "--root", roots.at(1), allLeaves})
                .exitCode,
            EXIT_USAGE);
  EXPECT_EQ(cli.run({"tlog", "no-such-command"}).exitCode, EXIT_USAGE);
}

TEST_F(TlogTree, HelpShowsAnExample) {
  for (const char* command : {"root", "inclusion-proof", "verify-inclusion", "consistency-proof", "verify-consistency"}) {
    CliResult r = cli.run({"tlog", command, "--help"});
    EXPECT_EQ(r.exitCode, EXIT_OK);
    EXPECT_NE(r.out.find("Example: hreg tlog " + std::string(command)), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace hreg::testing
