#include "protocol/core/bytes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace hreg {
namespace {

Bytes bytesOf(std::string_view s) {
  auto view = asBytes(s);
  return Bytes(view.begin(), view.end());
}

Bytes counting(std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return out;
}

TEST(Hex, EncodesLowercaseAndRoundTripsEveryByteValue) {
  Bytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  std::string hex = toHex(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  EXPECT_EQ(fromHex(hex), all);
  EXPECT_EQ(toHex(Bytes{}), "");
  EXPECT_EQ(fromHex(""), Bytes{});
}

TEST(Hex, DecodesUppercase) { EXPECT_EQ(fromHex("ABcdEF"), (Bytes{0xab, 0xcd, 0xef})); }

TEST(Hex, RefusesOddLength) {
  EXPECT_EQ(fromHex("abc"), std::nullopt);
  EXPECT_EQ(fromHex("0"), std::nullopt);
}

TEST(Hex, RefusesNonHexCharacters) {
  EXPECT_EQ(fromHex("0g"), std::nullopt);
  EXPECT_EQ(fromHex("zz"), std::nullopt);
  EXPECT_EQ(fromHex("0x12"), std::nullopt);
  EXPECT_EQ(fromHex(" 12 "), std::nullopt);
  EXPECT_EQ(fromHex(std::string_view("1\0", 2)), std::nullopt);
}

TEST(Base64, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(toBase64(bytesOf("")), "");
  EXPECT_EQ(toBase64(bytesOf("f")), "Zg==");
  EXPECT_EQ(toBase64(bytesOf("fo")), "Zm8=");
  EXPECT_EQ(toBase64(bytesOf("foo")), "Zm9v");
  EXPECT_EQ(toBase64(bytesOf("foob")), "Zm9vYg==");
  EXPECT_EQ(toBase64(bytesOf("fooba")), "Zm9vYmE=");
  EXPECT_EQ(toBase64(bytesOf("foobar")), "Zm9vYmFy");
  EXPECT_EQ(toBase64(Bytes{0xfb, 0xff}), "+/8=");
}

TEST(Base64, DecodesTheRfc4648Vectors) {
  EXPECT_EQ(fromBase64(""), Bytes{});
  EXPECT_EQ(fromBase64("Zg=="), bytesOf("f"));
  EXPECT_EQ(fromBase64("Zm8="), bytesOf("fo"));
  EXPECT_EQ(fromBase64("Zm9v"), bytesOf("foo"));
  EXPECT_EQ(fromBase64("Zm9vYg=="), bytesOf("foob"));
  EXPECT_EQ(fromBase64("Zm9vYmE="), bytesOf("fooba"));
  EXPECT_EQ(fromBase64("Zm9vYmFy"), bytesOf("foobar"));
  EXPECT_EQ(fromBase64("+/8="), (Bytes{0xfb, 0xff}));
}

TEST(Base64, RoundTripsEveryLengthUpTo100) {
  for (std::size_t n = 0; n <= 100; ++n) {
    Bytes b = counting(n);
    std::string text = toBase64(b);
    EXPECT_EQ(text.size(), (n + 2) / 3 * 4);
    EXPECT_EQ(fromBase64(text), b) << n;
  }
}

TEST(Base64, RefusesNonZeroPaddingBits) {
  // "Zg==" is "f"; the same byte with non-zero unused bits would be a second spelling of it.
  EXPECT_EQ(fromBase64("Zh=="), std::nullopt);
  EXPECT_EQ(fromBase64("Zv=="), std::nullopt);
  EXPECT_EQ(fromBase64("Zm9="), std::nullopt);  // "Zm8=" is "fo"
  EXPECT_EQ(fromBase64("Zm9vYmF="), std::nullopt);
  EXPECT_EQ(fromBase64("AB=="), std::nullopt);
  EXPECT_EQ(fromBase64("AAB="), std::nullopt);
  EXPECT_EQ(fromBase64("AA=="), Bytes{0});
  EXPECT_EQ(fromBase64("AAA="), (Bytes{0, 0}));
}

TEST(Base64, RefusesBadCharacters) {
  EXPECT_EQ(fromBase64("Zm9v!A=="), std::nullopt);
  EXPECT_EQ(fromBase64("-_8="), std::nullopt);  // the URL alphabet is another encoding
  EXPECT_EQ(fromBase64("Zm 9"), std::nullopt);
  EXPECT_EQ(fromBase64("Zm9\n"), std::nullopt);
  EXPECT_EQ(fromBase64("Zm9\xc3"), std::nullopt);
  EXPECT_EQ(fromBase64(std::string_view("Zm9\0", 4)), std::nullopt);
}

TEST(Base64, RefusesMissingOrMisplacedPadding) {
  EXPECT_EQ(fromBase64("Zg"), std::nullopt);
  EXPECT_EQ(fromBase64("Zg="), std::nullopt);
  EXPECT_EQ(fromBase64("Zg==="), std::nullopt);
  EXPECT_EQ(fromBase64("Z==="), std::nullopt);
  EXPECT_EQ(fromBase64("===="), std::nullopt);
  EXPECT_EQ(fromBase64("Zg=A"), std::nullopt);
  EXPECT_EQ(fromBase64("Zg==Zg=="), std::nullopt);
  EXPECT_EQ(fromBase64("=Zm9"), std::nullopt);
}

TEST(BigEndian64, WritesMostSignificantByteFirstAndReadsItBack) {
  std::uint8_t out[8];
  putBigEndian64(0x0102030405060708u, out);
  EXPECT_EQ(toHex(out), "0102030405060708");
  EXPECT_EQ(getBigEndian64(out), 0x0102030405060708u);
  putBigEndian64(UINT64_MAX, out);
  EXPECT_EQ(getBigEndian64(out), UINT64_MAX);
}

}  // namespace
}  // namespace hreg
