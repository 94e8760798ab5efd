#include "protocol/canonical.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "protocol/limits.h"

namespace hreg::protocol {
namespace {

constexpr std::string_view ORIGIN = "hreg.example/140902";

struct Shape {
  unsigned signatures = 2;
  unsigned keyIdBytes = KEY_ID_BYTES;
  unsigned signatureBytes = SIGNATURE_BYTES;
};

capnp::Data::Reader dataOf(const Bytes& bytes) { return capnp::Data::Reader(bytes.data(), bytes.size()); }

Bytes filled(std::size_t n, std::uint8_t seed) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 7);
  return out;
}

void fillDecision(schema::Decision::Builder decision, std::int64_t time = 1'700'000'000) {
  auto header = decision.initHeader();
  header.setOrigin(ORIGIN.data());
  header.setTime(time);
  auto grant = decision.initBody().initGrant();
  grant.setPerson("王芳");
  grant.setDepartment("culture");
  auto roles = grant.initRoles(2);
  roles.set(0, "preliminary-review");
  roles.set(1, "joint-review");
  Bytes key = filled(32, 0x40);
  grant.setKey(dataOf(key));
  grant.setValidFrom(1'690'000'000);
  grant.setValidUntil(0);
}

void fillSignatures(schema::SignedDecision::Builder signedDecision, Shape shape) {
  auto sigs = signedDecision.initSignatures(shape.signatures);
  for (unsigned i = 0; i < shape.signatures; ++i) {
    Bytes keyId = filled(shape.keyIdBytes, static_cast<std::uint8_t>(i + 1));
    Bytes signature = filled(shape.signatureBytes, static_cast<std::uint8_t>(0x80 + i));
    sigs[i].setKeyId(dataOf(keyId));
    sigs[i].setSignature(dataOf(signature));
  }
}

// sampleEntry is the canonical bytes of an entry holding a grant signed as `shape` says.
Bytes sampleEntry(Shape shape = {}) {
  capnp::MallocMessageBuilder builder;
  auto signedDecision = builder.initRoot<schema::SignedDecision>();
  fillDecision(signedDecision.initDecision());
  fillSignatures(signedDecision, shape);
  return encodeEntry(7, 1'700'000'100, signedDecision.asReader());
}

Bytes sampleSignedDecision(Shape shape) {
  capnp::MallocMessageBuilder builder;
  auto signedDecision = builder.initRoot<schema::SignedDecision>();
  fillDecision(signedDecision.initDecision());
  fillSignatures(signedDecision, shape);
  return canonicalBytes(signedDecision.asReader());
}

Bytes bytesOfWords(kj::ArrayPtr<const capnp::word> words) {
  auto chars = words.asBytes();
  return Bytes(chars.begin(), chars.end());
}

// readRaw reads canonical-style bytes (one segment, no segment table) with capnp directly, so a test
// can show that a refused spelling is nevertheless a valid message of the same value.
Bytes recanonicalize(const Bytes& bytes) {
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  kj::ArrayPtr<const capnp::word> segments[] = {words.asPtr()};
  capnp::SegmentArrayMessageReader reader(kj::arrayPtr(segments, 1));
  return canonicalBytes(reader.getRoot<schema::Entry>());
}

std::uint64_t wordAt(const Bytes& bytes, std::size_t index) {
  std::uint64_t w;
  std::memcpy(&w, bytes.data() + index * 8, 8);
  return w;
}

void putWord(Bytes& bytes, std::size_t index, std::uint64_t w) { std::memcpy(bytes.data() + index * 8, &w, 8); }

TEST(SigningMessage, IsTheDecisionContextFollowedByTheCanonicalDecision) {
  capnp::MallocMessageBuilder builder;
  auto decision = builder.initRoot<schema::Decision>();
  fillDecision(decision);
  SigningMessage message = signingMessage(decision.asReader());
  std::string_view text = asChars(message.bytes());
  ASSERT_TRUE(text.starts_with(DECISION_CONTEXT));
  EXPECT_EQ(DECISION_CONTEXT, "hreg/decision/v1\n");
  Bytes rest(message.bytes().begin() + static_cast<std::ptrdiff_t>(DECISION_CONTEXT.size()), message.bytes().end());
  EXPECT_EQ(rest, canonicalBytes(decision.asReader()));
}

// The signing message cut from a canonical SignedDecision's bytes is the re-encoded one, whether the
// decision carries no signature (the list is truncated away), one, or many.
TEST(SigningMessage, CutFromCanonicalBytesEqualsTheReEncodedOne) {
  for (unsigned signatures : {0u, 1u, 2u, 7u}) {
    auto parsed = parseSignedDecision(sampleSignedDecision({.signatures = signatures})).value();
    auto cut = signingMessageOf(parsed.bytes(), parsed.reader().getDecision());
    auto encoded = signingMessage(parsed.reader().getDecision());
    EXPECT_EQ(Bytes(cut.bytes().begin(), cut.bytes().end()), Bytes(encoded.bytes().begin(), encoded.bytes().end()))
        << signatures << " signatures";
  }
}

// The same cut from a log entry's canonical bytes, where the SignedDecision is the Entry's pointer.
TEST(SigningMessage, CutFromACanonicalEntryEqualsTheReEncodedOne) {
  for (unsigned signatures : {1u, 2u, 7u}) {  // a log entry is never unsigned (parseEntry refuses it)
    auto entry = parseEntry(sampleEntry({.signatures = signatures}));
    ASSERT_TRUE(entry.has_value()) << entry.error().detail;
    const auto& parsed = entry.value();
    auto decision = parsed.reader().getSigned().getDecision();
    auto cut = signingMessageOfEntry(parsed.bytes(), decision);
    auto encoded = signingMessage(decision);
    EXPECT_EQ(Bytes(cut.bytes().begin(), cut.bytes().end()), Bytes(encoded.bytes().begin(), encoded.bytes().end()))
        << signatures << " signatures";
  }
}

// An entry assembled from a canonical SignedDecision's bytes is the re-encoded one, whatever its
// index and time (zero ones are dropped from the canonical data section) and signature count.
TEST(EncodeEntry, AssembledFromCanonicalBytesEqualsTheReEncodedOne) {
  const std::uint64_t indexes[] = {0, 1, 7, 0xffffffffffffffffULL};
  const std::int64_t times[] = {0, 1, -1, 1'700'000'100, std::numeric_limits<std::int64_t>::min()};
  for (unsigned signatures : {0u, 1u, 3u})
    for (std::uint64_t index : indexes)
      for (std::int64_t time : times) {
        auto parsed = parseSignedDecision(sampleSignedDecision({.signatures = signatures})).value();
        Bytes assembled = encodeEntryOf(index, time, parsed.bytes(), parsed.reader());
        EXPECT_EQ(assembled, encodeEntry(index, time, parsed.reader()))
            << signatures << " signatures, index " << index << ", time " << time;
      }
}

TEST(SigningMessage, CoversTheDecisionButNotItsSignatures) {
  auto one = parseEntry(sampleEntry({.signatures = 1}));
  auto three = parseEntry(sampleEntry({.signatures = 3}));
  ASSERT_TRUE(one.has_value());
  ASSERT_TRUE(three.has_value());
  auto a = signingMessage(one.value().reader().getSigned().getDecision());
  auto b = signingMessage(three.value().reader().getSigned().getDecision());
  EXPECT_TRUE(std::ranges::equal(a.bytes(), b.bytes()));

  capnp::MallocMessageBuilder later;
  auto decision = later.initRoot<schema::Decision>();
  fillDecision(decision, 1'700'000'001);
  EXPECT_FALSE(std::ranges::equal(a.bytes(), signingMessage(decision.asReader()).bytes()));
}

TEST(ParseEntry, AcceptsWhatEncodeEntryMade) {
  Bytes bytes = sampleEntry();
  auto parsed = parseEntry(bytes);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  auto entry = parsed.value().reader();
  EXPECT_EQ(entry.getIndex(), 7u);
  EXPECT_EQ(entry.getSequencedAt(), 1'700'000'100);
  EXPECT_EQ(std::string_view(entry.getSigned().getDecision().getHeader().getOrigin().cStr()), ORIGIN);
  EXPECT_EQ(std::string_view(entry.getSigned().getDecision().getBody().getGrant().getPerson().cStr()), "王芳");
  EXPECT_EQ(entry.getSigned().getSignatures().size(), 2u);
  EXPECT_TRUE(std::ranges::equal(parsed.value().bytes(), bytes));
  EXPECT_EQ(entryBytes(entry), bytes);
}

TEST(ParseEntry, ResultStaysReadableAfterBeingMoved) {
  auto parsed = parseEntry(sampleEntry());
  ASSERT_TRUE(parsed.has_value());
  Parsed<schema::Entry> moved = std::move(parsed).value();
  EXPECT_EQ(moved.reader().getIndex(), 7u);
  EXPECT_EQ(Bytes(moved.bytes().begin(), moved.bytes().end()), sampleEntry());
}

TEST(ParseEntry, RefusesAnEntryWithoutSignatures) {
  auto parsed = parseEntry(sampleEntry({.signatures = 0}));
  ASSERT_TRUE(parsed.has_error());
  EXPECT_EQ(parsed.error().reason, Reason::UNSIGNED_ENTRY);
}

TEST(ParseEntry, RefusesAKeyIdThatIsNot32Bytes) {
  EXPECT_TRUE(parseEntry(sampleEntry({.keyIdBytes = 32})).has_value());
  for (unsigned length : {0u, 31u, 33u, 64u}) {
    auto parsed = parseEntry(sampleEntry({.keyIdBytes = length}));
    ASSERT_TRUE(parsed.has_error()) << length;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY) << length;
  }
}

TEST(ParseEntry, RefusesASignatureThatIsNot64Bytes) {
  EXPECT_TRUE(parseEntry(sampleEntry({.signatureBytes = 64})).has_value());
  for (unsigned length : {0u, 63u, 65u, 72u}) {
    auto parsed = parseEntry(sampleEntry({.signatureBytes = length}));
    ASSERT_TRUE(parsed.has_error()) << length;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY) << length;
  }
}

TEST(ParseEntry, AcceptsTheMaximumNumberOfSignaturesAndRefusesOneMore) {
  auto most = static_cast<unsigned>(limits::MAX_SIGNATURES);
  EXPECT_TRUE(parseEntry(sampleEntry({.signatures = most})).has_value());
  auto parsed = parseEntry(sampleEntry({.signatures = most + 1}));
  ASSERT_TRUE(parsed.has_error());
  EXPECT_EQ(parsed.error().reason, Reason::LIMIT_EXCEEDED);
}

TEST(ParseEntry, RefusesInputOverTheEntryLimitBeforeReadingIt) {
  auto atLimit = parseEntry(Bytes(limits::MAX_ENTRY_BYTES, 0));
  ASSERT_TRUE(atLimit.has_error());
  EXPECT_EQ(atLimit.error().reason, Reason::MALFORMED_ENTRY);
  Bytes big = sampleEntry();
  big.resize(limits::MAX_ENTRY_BYTES + 8, 0);
  auto over = parseEntry(big);
  ASSERT_TRUE(over.has_error());
  EXPECT_EQ(over.error().reason, Reason::LIMIT_EXCEEDED);
}

TEST(ParseEntry, RefusesEveryTruncation) {
  Bytes bytes = sampleEntry();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto parsed = parseEntry(ByteView(bytes.data(), n));
    ASSERT_TRUE(parsed.has_error()) << n;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY) << n;
  }
}

TEST(ParseEntry, RefusesGarbage) {
  const Bytes garbage[] = {
      Bytes{},
      Bytes(8, 0),
      Bytes(64, 0xff),
      Bytes(64, 0x41),
      filled(256, 3),
      Bytes(asBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n").begin(), asBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n").end()),
  };
  for (const Bytes& g : garbage) {
    auto parsed = parseEntry(g);
    ASSERT_TRUE(parsed.has_error()) << toHex(g);
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY) << toHex(g);
  }
}

TEST(ParseEntry, RefusesTrailingWords) {
  Bytes bytes = sampleEntry();
  for (std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0x5a}}) {
    Bytes longer = bytes;
    longer.insert(longer.end(), 8, fill);
    auto parsed = parseEntry(longer);
    ASSERT_TRUE(parsed.has_error());
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY);
  }
}

TEST(ParseEntry, RefusesAStreamFramedMessageWithASegmentTable) {
  // Entry bytes are capnp::canonicalize output: one segment and no table. messageToFlatArray adds a
  // table, which is a second spelling of the same entry. Read as entry bytes, the table word is a
  // struct pointer to a struct of data words only, so it is refused either as unreadable or as an
  // entry without the signed decision it needs.
  auto parsed = parseEntry(sampleEntry());
  ASSERT_TRUE(parsed.has_value());
  capnp::MallocMessageBuilder builder;
  builder.setRoot(parsed.value().reader());
  auto parsedFramed = parseEntry(bytesOfWords(capnp::messageToFlatArray(builder)));
  ASSERT_TRUE(parsedFramed.has_error());
  EXPECT_THAT(parsedFramed.error().reason, testing::AnyOf(Reason::MALFORMED_ENTRY, Reason::UNSIGNED_ENTRY));
}

TEST(ParseEntry, RefusesAMultiSegmentMessage) {
  auto parsed = parseEntry(sampleEntry());
  ASSERT_TRUE(parsed.has_value());
  // One-word segments force every object into its own segment, reached by far pointers.
  capnp::MallocMessageBuilder builder(1, capnp::AllocationStrategy::FIXED_SIZE);
  builder.setRoot(parsed.value().reader());
  ASSERT_GT(builder.getSegmentsForOutput().size(), 1u);
  auto flat = parseEntry(bytesOfWords(capnp::messageToFlatArray(builder)));
  ASSERT_TRUE(flat.has_error());
  EXPECT_EQ(flat.error().reason, Reason::MALFORMED_ENTRY);
  auto firstSegment = parseEntry(bytesOfWords(builder.getSegmentsForOutput()[0]));
  ASSERT_TRUE(firstSegment.has_error());
  EXPECT_EQ(firstSegment.error().reason, Reason::MALFORMED_ENTRY);
}

TEST(ParseEntry, RefusesAFarPointerToTheSameValue) {
  // Replace the root pointer by a far pointer to a landing pad appended at the end, which points back
  // at the root struct: the same entry, spelt with one more indirection.
  Bytes bytes = sampleEntry();
  std::size_t pad = bytes.size() / 8;
  std::uint64_t root = wordAt(bytes, 0);
  ASSERT_EQ(root & 0xffffffffu, 0u);  // a struct pointer with offset 0
  auto offset = static_cast<std::uint32_t>(-static_cast<std::int32_t>(pad));  // from pad + 1 back to word 1
  bytes.resize(bytes.size() + 8);
  putWord(bytes, pad, (root & 0xffffffff00000000u) | ((offset << 2) & 0xfffffffcu));
  putWord(bytes, 0, 2u | (std::uint64_t{pad} << 3));  // far pointer, single landing pad, segment 0
  ASSERT_EQ(recanonicalize(bytes), sampleEntry());  // capnp reads it as the same entry
  auto parsed = parseEntry(bytes);
  ASSERT_TRUE(parsed.has_error());
  EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY);
}

TEST(ParseEntry, RefusesObjectsOutOfCanonicalOrder) {
  // Building the signatures before the decision lays them out first; canonical order is pre-order.
  capnp::MallocMessageBuilder builder;
  auto entry = builder.initRoot<schema::Entry>();
  entry.setIndex(7);
  entry.setSequencedAt(1'700'000'100);
  auto signedDecision = entry.initSigned();
  fillSignatures(signedDecision, {});
  fillDecision(signedDecision.initDecision());
  ASSERT_EQ(builder.getSegmentsForOutput().size(), 1u);
  Bytes raw = bytesOfWords(builder.getSegmentsForOutput()[0]);
  ASSERT_EQ(recanonicalize(raw), sampleEntry());
  ASSERT_NE(raw, sampleEntry());
  auto parsed = parseEntry(raw);
  ASSERT_TRUE(parsed.has_error());
  EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY);
}

TEST(ParseEntry, RefusesAMessageWithUnreachableBytes) {
  capnp::MallocMessageBuilder builder;
  auto entry = builder.initRoot<schema::Entry>();
  entry.setIndex(7);
  entry.setSequencedAt(1'700'000'100);
  auto signedDecision = entry.initSigned();
  fillDecision(signedDecision.initDecision());
  signedDecision.getDecision().getHeader().setOrigin("an origin set first and then replaced");
  signedDecision.getDecision().getHeader().setOrigin(ORIGIN.data());
  fillSignatures(signedDecision, {});
  Bytes raw = bytesOfWords(builder.getSegmentsForOutput()[0]);
  ASSERT_EQ(recanonicalize(raw), sampleEntry());
  auto parsed = parseEntry(raw);
  ASSERT_TRUE(parsed.has_error());
  EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_ENTRY);
}

TEST(ParseEntry, RefusesOrChangesTheLeafForEveryOneByteChange) {
  const Bytes original = sampleEntry();
  std::size_t accepted = 0, refused = 0;
  for (std::size_t i = 0; i < original.size(); ++i) {
    for (unsigned mask : {0x01u, 0x10u, 0x80u, 0xffu}) {
      Bytes changed = original;
      changed[i] = static_cast<std::uint8_t>(changed[i] ^ mask);
      auto parsed = parseEntry(changed);
      if (parsed.has_error()) {
        ++refused;
        continue;
      }
      ++accepted;
      EXPECT_EQ(Bytes(parsed.value().bytes().begin(), parsed.value().bytes().end()), changed) << i;
      EXPECT_NE(entryBytes(parsed.value().reader()), original) << "byte " << i << " mask " << mask;
    }
  }
  // Both outcomes occur: changed pointers are refused, changed text and signatures give another leaf.
  EXPECT_GT(accepted, 0u);
  EXPECT_GT(refused, 0u);
}

TEST(ParseSignedDecision, AcceptsADraftWithoutSignatures) {
  Bytes draft = sampleSignedDecision({.signatures = 0});
  auto parsed = parseSignedDecision(draft);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(parsed.value().reader().getSignatures().size(), 0u);
  EXPECT_TRUE(std::ranges::equal(parsed.value().bytes(), draft));
}

TEST(ParseSignedDecision, RefusesWrongLengthsTooManySignaturesAndNonCanonicalBytes) {
  EXPECT_TRUE(parseSignedDecision(sampleSignedDecision({})).has_value());
  auto shortKey = parseSignedDecision(sampleSignedDecision({.keyIdBytes = 31}));
  ASSERT_TRUE(shortKey.has_error());
  EXPECT_EQ(shortKey.error().reason, Reason::MALFORMED_ENTRY);
  auto longSig = parseSignedDecision(sampleSignedDecision({.signatureBytes = 65}));
  ASSERT_TRUE(longSig.has_error());
  EXPECT_EQ(longSig.error().reason, Reason::MALFORMED_ENTRY);
  auto tooMany = parseSignedDecision(
      sampleSignedDecision({.signatures = static_cast<unsigned>(limits::MAX_SIGNATURES) + 1}));
  ASSERT_TRUE(tooMany.has_error());
  EXPECT_EQ(tooMany.error().reason, Reason::LIMIT_EXCEEDED);
  Bytes trailing = sampleSignedDecision({});
  trailing.insert(trailing.end(), 8, 0);
  auto padded = parseSignedDecision(trailing);
  ASSERT_TRUE(padded.has_error());
  EXPECT_EQ(padded.error().reason, Reason::MALFORMED_ENTRY);
}

TEST(CheckSignatureShapes, AcceptsAnEmptyListAndRefusesAWrongLength) {
  capnp::MallocMessageBuilder builder;
  auto signedDecision = builder.initRoot<schema::SignedDecision>();
  fillSignatures(signedDecision, {.signatures = 0});
  EXPECT_TRUE(checkSignatureShapes(signedDecision.asReader().getSignatures()).has_value());
  fillSignatures(signedDecision, {.signatures = 1, .keyIdBytes = 1});
  auto refused = checkSignatureShapes(signedDecision.asReader().getSignatures());
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().reason, Reason::MALFORMED_ENTRY);
}

}  // namespace
}  // namespace hreg::protocol
