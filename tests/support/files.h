#pragma once
// Reading the repository's files in tests: configs, vectors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hreg::testing {

// sourceFile is the text of a file of the repository, by its path from the top, e.g.
// "configs/demo/trust-root.toml". A missing file fails the test that asked for it.
inline std::string sourceFile(const std::string& path) {
  std::ifstream in(std::filesystem::path(HREG_SOURCE_DIR) / path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// replaced is `text` with its first `from` replaced by `to`; a missing `from` fails the test.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  return text.replace(at, from.size(), to);
}

}  // namespace hreg::testing
