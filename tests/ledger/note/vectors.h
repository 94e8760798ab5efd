#pragma once
// Reading the C2SP vector files in tests/vectors/: whole notes verbatim, and the
// '<label> <field> <value>' tables of c2sp-keys.txt and c2sp-derived-cosignature-vectors.txt.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "ledger/crypto/ed25519.h"
#include "protocol/core/bytes.h"

namespace hreg::note::testing {

// vectorText is a vector file's exact bytes.
inline std::string vectorText(const std::string& name) {
  std::ifstream in(std::string(HREG_VECTORS_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// VectorTable maps (label, field) to the rest of the line after them.
using VectorTable = std::map<std::pair<std::string, std::string>, std::string>;

inline VectorTable vectorTable(const std::string& name) {
  std::ifstream in(std::string(HREG_VECTORS_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  VectorTable table;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto first = line.find(' ');
    auto second = first == std::string::npos ? first : line.find(' ', first + 1);
    if (second == std::string::npos) continue;
    table[{line.substr(0, first), line.substr(first + 1, second - first - 1)}] = line.substr(second + 1);
  }
  return table;
}

inline const VectorTable& keys() {
  static const VectorTable table = vectorTable("c2sp-keys.txt");
  return table;
}

inline const VectorTable& derived() {
  static const VectorTable table = vectorTable("c2sp-derived-cosignature-vectors.txt");
  return table;
}

// key is a field of c2sp-keys.txt, e.g. key("go-peterneumann", "vkey").
inline std::string key(const std::string& label, const std::string& field) {
  auto it = keys().find({label, field});
  EXPECT_NE(it, keys().end()) << label << " " << field;
  return it == keys().end() ? std::string() : it->second;
}

inline std::string derivedField(const std::string& label, const std::string& field) {
  auto it = derived().find({label, field});
  EXPECT_NE(it, derived().end()) << label << " " << field;
  return it == derived().end() ? std::string() : it->second;
}

template <std::size_t N>
std::array<std::uint8_t, N> fixedFromHex(const std::string& hex) {
  std::array<std::uint8_t, N> out{};
  auto bytes = fromHex(hex);
  EXPECT_TRUE(bytes && bytes->size() == N) << hex;
  if (bytes && bytes->size() == N) std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

inline Bytes bytesFromHex(const std::string& hex) {
  auto bytes = fromHex(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or(Bytes{});
}

}  // namespace hreg::note::testing
