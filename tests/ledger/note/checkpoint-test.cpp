#include "ledger/note/checkpoint.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/note/note.h"
#include "tests/ledger/note/vectors.h"

namespace hreg::note {
namespace {

using testing::vectorText;

constexpr std::string_view SPEC_BODY =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

std::string bodyOf(const std::string& file) { return parseNote(vectorText(file)).value().text; }

void expectMalformed(std::string_view body) {
  auto parsed = parseCheckpoint(body);
  ASSERT_TRUE(parsed.has_error()) << body;
  EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_CHECKPOINT) << body;
}

TEST(ParseCheckpoint, ReadsTheSpecExample) {
  auto checkpoint = parseCheckpoint(bodyOf("c2sp-checkpoint-example.txt"));
  ASSERT_TRUE(checkpoint.has_value()) << checkpoint.error().detail;
  EXPECT_EQ(checkpoint.value().origin, "example.com/behind-the-sofa");
  EXPECT_EQ(checkpoint.value().size, 20852163u);
  EXPECT_EQ(toBase64(checkpoint.value().root), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(checkpoint.value().extensions.empty());
}

TEST(ParseCheckpoint, ReadsTheSumdbAndSigsumCheckpoints) {
  struct Expected {
    const char* file;
    const char* origin;
    std::uint64_t size;
  };
  const char* sigsum = "sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562";
  for (const Expected& e : {Expected{"c2sp-sumdb-checkpoint-35225469.txt", "go.sum database tree", 35225469},
                            Expected{"c2sp-sigsum-test-checkpoint-1.txt", sigsum, 1},
                            Expected{"c2sp-sigsum-test-checkpoint-3.txt", sigsum, 3},
                            Expected{"c2sp-sigsum-test-checkpoint-5.txt", sigsum, 5}}) {
    auto checkpoint = parseCheckpoint(bodyOf(e.file));
    ASSERT_TRUE(checkpoint.has_value()) << e.file;
    EXPECT_EQ(checkpoint.value().origin, e.origin);
    EXPECT_EQ(checkpoint.value().size, e.size);
  }
}

TEST(Checkpoint, BodyRoundTripsThroughParse) {
  for (const char* file : {"c2sp-checkpoint-example.txt", "c2sp-sumdb-checkpoint-35225469.txt",
                           "c2sp-sigsum-test-checkpoint-5.txt"}) {
    std::string body = bodyOf(file);
    auto checkpoint = parseCheckpoint(body);
    ASSERT_TRUE(checkpoint.has_value());
    EXPECT_EQ(checkpoint.value().body(), body) << file;
  }
  Checkpoint made{"hreg.example/140902", 7, crypto::sha256(asBytes("root")), {"extension one", "二"}};
  auto parsed = parseCheckpoint(made.body());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(parsed.value(), made);
  EXPECT_EQ(parsed.value().body(), made.body());
}

TEST(ParseCheckpoint, AcceptsZeroAndTheLargestSizeAndRefusesOverflow) {
  auto zero = parseCheckpoint("o\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero.value().size, 0u);
  auto largest = parseCheckpoint("o\n18446744073709551615\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  ASSERT_TRUE(largest.has_value());
  EXPECT_EQ(largest.value().size, UINT64_MAX);
  expectMalformed("o\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  expectMalformed("o\n18446744073709551620\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  expectMalformed("o\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  expectMalformed("o\n100000000000000000000\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
}

TEST(ParseCheckpoint, RefusesASizeThatIsNotPlainDecimal) {
  for (std::string_view size : {"020852163", "00", "+20852163", "-1", " 20852163", "20852163 ", "0x13e2d43", "",
                                "2085216３"}) {
    expectMalformed("example.com/behind-the-sofa\n" + std::string(size) +
                    "\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  }
}

TEST(ParseCheckpoint, RefusesARootThatIsNot32BytesOfCanonicalBase64) {
  ASSERT_TRUE(parseCheckpoint(SPEC_BODY).has_value());
  for (std::string_view root : {"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=",
                                "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==", "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA",
                                "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=AAAA", "", "not base64!"}) {
    expectMalformed("example.com/behind-the-sofa\n20852163\n" + std::string(root) + "\n");
  }
}

TEST(ParseCheckpoint, RefusesFewerThanThreeLines) {
  expectMalformed("example.com/behind-the-sofa\n20852163\n");
  expectMalformed("example.com/behind-the-sofa\n");
  expectMalformed("\n");
  expectMalformed("");
}

TEST(ParseCheckpoint, AcceptsExtensionLinesAndRefusesAnEmptyOne) {
  auto extended = parseCheckpoint(std::string(SPEC_BODY) + "extension\n");
  ASSERT_TRUE(extended.has_value());
  EXPECT_EQ(extended.value().extensions, std::vector<std::string>{"extension"});
  expectMalformed(std::string(SPEC_BODY) + "\n");
  expectMalformed(std::string(SPEC_BODY) + "extension\n\n");
  expectMalformed(std::string(SPEC_BODY) + "\nextension\n");
}

TEST(ParseCheckpoint, RefusesAnEmptyOriginAndInvalidText) {
  expectMalformed("\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  expectMalformed(SPEC_BODY.substr(0, SPEC_BODY.size() - 1));                                // no final newline
  expectMalformed("example.com/behind\tthe-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  expectMalformed("example.com/\xff\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
}

}  // namespace
}  // namespace hreg::note
