#include "ledger/note/text.h"

#include <gtest/gtest.h>

#include <string_view>

namespace hreg::note {
namespace {

TEST(ValidUtf8, AcceptsAsciiAndMultiByteCharacters) {
  EXPECT_TRUE(validUtf8(""));
  EXPECT_TRUE(validUtf8("example.com/foo"));
  EXPECT_TRUE(validUtf8("忻州市"));
  EXPECT_TRUE(validUtf8("\xe2\x80\x94"));        // U+2014 EM DASH
  EXPECT_TRUE(validUtf8("\xf0\x9f\x8f\x9b"));    // U+1F3DB
  EXPECT_TRUE(validUtf8("\xf4\x8f\xbf\xbf"));    // U+10FFFF, the last code point
  EXPECT_TRUE(validUtf8("\xed\x9f\xbf"));        // U+D7FF, just below the surrogates
}

TEST(ValidUtf8, RefusesMalformedSequences) {
  EXPECT_FALSE(validUtf8("\xff"));
  EXPECT_FALSE(validUtf8("\x80"));                // a continuation byte alone
  EXPECT_FALSE(validUtf8("\xe2\x80"));            // truncated
  EXPECT_FALSE(validUtf8("a\xe2\x28\xa1"));       // bad continuation
  EXPECT_FALSE(validUtf8("\xc0\xaf"));            // overlong '/'
  EXPECT_FALSE(validUtf8("\xe0\x80\xaf"));        // overlong '/'
  EXPECT_FALSE(validUtf8("\xed\xa0\x80"));        // U+D800, a surrogate
  EXPECT_FALSE(validUtf8("\xf4\x90\x80\x80"));    // past U+10FFFF
  EXPECT_FALSE(validUtf8("\xf8\x88\x80\x80\x80"));  // five-byte form
}

TEST(ContainsSpace, FindsAsciiAndUnicodeWhiteSpace) {
  EXPECT_FALSE(containsSpace("example.com/foo"));
  EXPECT_FALSE(containsSpace("忻州市"));
  EXPECT_TRUE(containsSpace("a b"));
  EXPECT_TRUE(containsSpace("a\tb"));
  EXPECT_TRUE(containsSpace("a\nb"));
  EXPECT_TRUE(containsSpace("a\xc2\xa0" "b"));      // U+00A0 NO-BREAK SPACE
  EXPECT_TRUE(containsSpace("a\xe3\x80\x80" "b"));  // U+3000 IDEOGRAPHIC SPACE
  EXPECT_TRUE(containsSpace("a\xe2\x80\xa8" "b"));  // U+2028 LINE SEPARATOR
  EXPECT_TRUE(containsSpace("\xff"));               // not UTF-8: treated as unsafe
}

TEST(ContainsControl, FindsControlCharactersOtherThanNewline) {
  EXPECT_FALSE(containsControl("line one\nline two\n"));
  EXPECT_TRUE(containsControl("tab\there"));
  EXPECT_TRUE(containsControl("carriage\r\n"));
  EXPECT_TRUE(containsControl(std::string_view("nul\0", 4)));
  EXPECT_TRUE(containsControl("delete\x7f"));
  EXPECT_FALSE(containsControl("\xe2\x80\x94"));  // bytes >= 0x80 are not ASCII controls
}

TEST(KeyHashBytes, AreBigEndian) {
  std::uint8_t bytes[4];
  writeKeyHash(0x530d903au, bytes);
  EXPECT_EQ(bytes[0], 0x53);
  EXPECT_EQ(bytes[3], 0x3a);
  EXPECT_EQ(readKeyHash(bytes), 0x530d903au);
}

}  // namespace
}  // namespace hreg::note
