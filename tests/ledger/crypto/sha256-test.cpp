#include "ledger/crypto/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace hreg::crypto {
namespace {

std::string hexOf(const Hash& h) { return toHex(h); }

TEST(Sha256, HashesTheEmptyString) {
  EXPECT_EQ(hexOf(sha256(asBytes(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hexOf(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, HashesAbc) {
  EXPECT_EQ(hexOf(sha256(asBytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, HashesTheTwoBlockFipsExample) {
  EXPECT_EQ(hexOf(sha256(asBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, HashesTheConcatenationOfItsParts) {
  EXPECT_EQ(sha256({asBytes("a"), asBytes(""), asBytes("bc")}), sha256(asBytes("abc")));
  EXPECT_NE(sha256({asBytes("ab"), asBytes("d")}), sha256(asBytes("abc")));
}

TEST(Sha256, HashesAMillionAs) {
  std::string input(1'000'000, 'a');
  EXPECT_EQ(hexOf(sha256(asBytes(input))), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace hreg::crypto
