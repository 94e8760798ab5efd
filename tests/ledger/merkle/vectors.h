#pragma once
// Reading the RFC 6962 vector files in tests/vectors/: one record a line, fields separated by
// spaces, '#' starts a comment, '-' is the empty byte string.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/merkle/hash.h"
#include "protocol/core/bytes.h"

namespace hreg::merkle::testing {

// vectorRecords is every non-comment line of a vector file, split into fields (comment dropped).
inline std::vector<std::vector<std::string>> vectorRecords(const std::string& name) {
  std::ifstream in(std::string(HREG_VECTORS_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  std::vector<std::vector<std::string>> records;
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::vector<std::string> record;
    for (std::string field; fields >> field;) record.push_back(field);
    if (!record.empty()) records.push_back(std::move(record));
  }
  return records;
}

// bytesFromHex decodes a hex field, '-' being empty.
inline Bytes bytesFromHex(const std::string& field) {
  if (field == "-") return {};
  auto bytes = fromHex(field);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in vector: " << field;
  return bytes.value_or(Bytes{});
}

// hashFromHex decodes a 32-byte hash field.
inline Hash hashFromHex(const std::string& field) {
  Bytes bytes = bytesFromHex(field);
  Hash h{};
  EXPECT_EQ(bytes.size(), HASH_BYTES) << field;
  if (bytes.size() == HASH_BYTES) std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

// rfc6962Leaves is the eight leaf inputs of rfc6962-leaves.txt.
inline std::vector<Bytes> rfc6962Leaves() {
  std::vector<Bytes> leaves;
  for (const auto& record : vectorRecords("rfc6962-leaves.txt")) leaves.push_back(bytesFromHex(record.at(0)));
  EXPECT_EQ(leaves.size(), 8u);
  return leaves;
}

// rfc6962Roots is the root of the tree over the first `size` leaves, for size 0..8.
inline std::vector<Hash> rfc6962Roots() {
  std::vector<Hash> roots;
  for (const auto& record : vectorRecords("rfc6962-roots.txt")) {
    EXPECT_EQ(std::stoul(record.at(0)), roots.size());
    roots.push_back(hashFromHex(record.at(1)));
  }
  EXPECT_EQ(roots.size(), 9u);
  return roots;
}

// hashListFromHex decodes "h1,h2,..." ('-' = empty list).
inline std::vector<Hash> hashListFromHex(const std::string& field) {
  std::vector<Hash> out;
  if (field == "-") return out;
  std::istringstream in(field);
  for (std::string h; std::getline(in, h, ',');) out.push_back(hashFromHex(h));
  return out;
}

}  // namespace hreg::merkle::testing
