#include "protocol/framing.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "protocol/schema/wire.capnp.h"

namespace hreg::protocol {
namespace {

// header is the 4-byte big-endian frame header of `n`.
std::array<std::uint8_t, FRAME_HEADER_BYTES> header(std::uint32_t n) {
  return {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
          static_cast<std::uint8_t>(n)};
}

Bytes fetchFrame(const std::string& origin, std::uint64_t from, std::uint32_t limit) {
  capnp::MallocMessageBuilder message;
  auto fetch = message.initRoot<schema::wire::Frame>().initFetch();
  fetch.setOrigin(origin);
  fetch.setFrom(from);
  fetch.setLimit(limit);
  return encodeFrame(message);
}

// bodyOf copies what follows a frame's header into a FrameBody, as a session reads it.
FrameBody bodyOf(const Bytes& frame) {
  FrameBody body(frame.size() - FRAME_HEADER_BYTES);
  std::memcpy(body.data(), frame.data() + FRAME_HEADER_BYTES, body.size());
  return body;
}

// walk reads every field of a frame that parsed, as a session would; deep faults are kj exceptions.
void walk(capnp::FlatArrayMessageReader& reader) {
  try {
    auto frame = reader.getRoot<schema::wire::Frame>();
    switch (frame.which()) {
      case schema::wire::Frame::HELLO:
        (void)frame.getHello().getOrigin().size();
        (void)frame.getHello().getSoftware().size();
        break;
      case schema::wire::Frame::HEAD:
        (void)frame.getHead().getCheckpoint().size();
        for (auto line : frame.getHead().getCosignatures()) (void)line.size();
        break;
      case schema::wire::Frame::FETCH:
        (void)frame.getFetch().getOrigin().size();
        break;
      case schema::wire::Frame::ENTRIES:
        (void)frame.getEntries().getOrigin().size();
        for (auto entry : frame.getEntries().getEntries()) (void)entry.size();
        for (auto line : frame.getEntries().getCosignatures()) (void)line.size();
        (void)frame.getEntries().getCheckpoint().size();
        break;
      case schema::wire::Frame::COSIGNED:
        (void)frame.getCosigned().getCosignature().size();
        break;
      case schema::wire::Frame::REFUSED:
        (void)frame.getRefused().getReason().size();
        (void)frame.getRefused().getDetail().size();
        break;
      default:
        break;
    }
  } catch (const kj::Exception&) {
    // A malformed message that passed the segment table: refused by the caller, never a crash.
  }
}

TEST(Framing, AFrameIsABigEndianLengthAndTheMessageWhichReadsBack) {
  const Bytes frame = fetchFrame("hreg.example/140902", 12345678901, 1024);
  ASSERT_GT(frame.size(), FRAME_HEADER_BYTES);
  const std::size_t n = frame.size() - FRAME_HEADER_BYTES;
  EXPECT_EQ(n % 8, 0u);
  auto h = header(static_cast<std::uint32_t>(n));
  EXPECT_TRUE(std::equal(h.begin(), h.end(), frame.begin()));
  auto length = frameLength(frame.data(), MAX_FRAME_BYTES);
  ASSERT_TRUE(length);
  EXPECT_EQ(length.value(), n);

  FrameBody body = bodyOf(frame);
  EXPECT_EQ(body.size(), n);
  auto reader = body.reader();
  ASSERT_TRUE(reader) << reader.error().detail;
  auto root = reader.value()->getRoot<schema::wire::Frame>();
  ASSERT_EQ(root.which(), schema::wire::Frame::FETCH);
  EXPECT_EQ(std::string(root.getFetch().getOrigin().cStr()), "hreg.example/140902");
  EXPECT_EQ(root.getFetch().getFrom(), 12345678901u);
  EXPECT_EQ(root.getFetch().getLimit(), 1024u);
}

TEST(Framing, ALargeFrameRoundTripsAndItsLengthUsesAllFourHeaderBytes) {
  capnp::MallocMessageBuilder message;
  auto entries = message.initRoot<schema::wire::Frame>().initEntries();
  entries.setOrigin("hreg.example/14");
  auto list = entries.initEntries(3);
  for (unsigned i = 0; i < 3; ++i) {
    Bytes data(100'000 + i, static_cast<std::uint8_t>(i + 1));
    list.set(i, capnp::Data::Reader(data.data(), data.size()));
  }
  const Bytes frame = encodeFrame(message);
  const std::size_t n = frame.size() - FRAME_HEADER_BYTES;
  ASSERT_GT(n, std::size_t{1} << 16);
  EXPECT_EQ(frameLength(frame.data(), MAX_FRAME_BYTES).value(), n);
  EXPECT_NE(frame[1], 0u) << "a length above 64 KiB reaches the second header byte";
  FrameBody body = bodyOf(frame);  // the reader reads it in place: it must outlive the reader
  auto reader = body.reader();
  ASSERT_TRUE(reader);
  auto got = reader.value()->getRoot<schema::wire::Frame>().getEntries().getEntries();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].size(), 100'002u);
  EXPECT_EQ(got[2][100'001], 3u);
}

TEST(Framing, ALengthAboveTheLimitIsRefusedBeforeTheBodyIsRead) {
  auto atLimit = header(1024);
  EXPECT_EQ(frameLength(atLimit.data(), 1024).value(), 1024u);
  auto beyond = header(1032);
  EXPECT_EQ(frameLength(beyond.data(), 1024).error().reason, Reason::LIMIT_EXCEEDED);
  auto largest = header(0xFFFFFFF8u);
  EXPECT_EQ(frameLength(largest.data(), MAX_FRAME_BYTES).error().reason, Reason::LIMIT_EXCEEDED);
  auto justBeyondDefault = header(static_cast<std::uint32_t>(MAX_FRAME_BYTES + 8));
  EXPECT_EQ(frameLength(justBeyondDefault.data(), MAX_FRAME_BYTES).error().reason, Reason::LIMIT_EXCEEDED);
  auto atDefault = header(static_cast<std::uint32_t>(MAX_FRAME_BYTES));
  EXPECT_EQ(frameLength(atDefault.data(), MAX_FRAME_BYTES).value(), MAX_FRAME_BYTES);
}

TEST(Framing, AnEmptyOrUnalignedLengthIsNotAMessage) {
  for (std::uint32_t n : {0u, 1u, 4u, 7u, 9u, 12u, 1023u, 0x00FFFFF4u}) {
    auto h = header(n);
    auto length = frameLength(h.data(), MAX_FRAME_BYTES);
    ASSERT_FALSE(length) << n;
    EXPECT_EQ(length.error().reason, Reason::PROTOCOL_ERROR) << n;
  }
  for (std::uint32_t n : {8u, 16u, 4096u}) {
    auto h = header(n);
    EXPECT_EQ(frameLength(h.data(), MAX_FRAME_BYTES).value(), n);
  }
}

// bodyOfWords is a FrameBody holding `words` (little-endian, as Cap'n Proto's segment table is).
FrameBody bodyOfWords(const std::vector<std::uint64_t>& words) {
  FrameBody body(words.size() * 8);
  for (std::size_t i = 0; i < words.size(); ++i)
    for (std::size_t b = 0; b < 8; ++b) body.data()[i * 8 + b] = static_cast<std::uint8_t>(words[i] >> (8 * b));
  return body;
}

TEST(Framing, ABodyWhoseSegmentTableLiesIsAProtocolError) {
  // One segment of 1000 words, in a body of two words.
  EXPECT_EQ(bodyOfWords({std::uint64_t{1000} << 32, 0}).reader().error().reason, Reason::PROTOCOL_ERROR);
  // Three segments, whose table alone is longer than the body's one word.
  EXPECT_EQ(bodyOfWords({2}).reader().error().reason, Reason::PROTOCOL_ERROR);
  // 512 segments whose sizes do not fit in the body.
  EXPECT_EQ(bodyOfWords({511, 0, 0, 0}).reader().error().reason, Reason::PROTOCOL_ERROR);
  // Two segments, the second far larger than what follows.
  EXPECT_EQ(bodyOfWords({1 | std::uint64_t{1} << 32, 0xFFFF, 0, 0}).reader().error().reason, Reason::PROTOCOL_ERROR);
}

TEST(Framing, ATruncatedFrameBodyIsAProtocolError) {
  const Bytes frame = fetchFrame("hreg.example/140902", 7, 64);
  FrameBody shorter(frame.size() - FRAME_HEADER_BYTES - 8);
  std::memcpy(shorter.data(), frame.data() + FRAME_HEADER_BYTES, shorter.size());
  EXPECT_EQ(shorter.reader().error().reason, Reason::PROTOCOL_ERROR);
}

TEST(Framing, RandomBodiesAreRefusedOrReadWithoutACrash) {
  std::mt19937_64 rng(20261123);
  std::size_t refused = 0, read = 0;
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint64_t> words(1 + rng() % 64);
    for (auto& w : words) w = rng();
    // Some rounds keep the segment table plausible, so the reader gets past it.
    if (round % 2 == 0) words[0] = (words.size() - 1) << 32;
    FrameBody body = bodyOfWords(words);
    auto reader = body.reader();
    if (!reader) {
      EXPECT_EQ(reader.error().reason, Reason::PROTOCOL_ERROR);
      ++refused;
      continue;
    }
    walk(*reader.value());
    ++read;
  }
  EXPECT_GT(refused, 0u);
  EXPECT_GT(read, 0u) << "no random body got past the segment table";
}

TEST(Framing, EveryBitFlipOfAValidFrameIsRefusedOrReadWithoutACrash) {
  capnp::MallocMessageBuilder message;
  auto entries = message.initRoot<schema::wire::Frame>().initEntries();
  entries.setOrigin("hreg.example/140902001");
  entries.setFrom(5);
  auto list = entries.initEntries(2);
  const Bytes a(40, 0xAA), b(24, 0xBB);
  list.set(0, capnp::Data::Reader(a.data(), a.size()));
  list.set(1, capnp::Data::Reader(b.data(), b.size()));
  entries.setCheckpoint("hreg.example/140902001\n7\nroot\n\n");
  entries.initCosignatures(1).set(0, "line");
  const Bytes frame = encodeFrame(message);
  for (std::size_t at = FRAME_HEADER_BYTES; at < frame.size(); ++at)
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = frame;
      flipped[at] ^= static_cast<std::uint8_t>(1u << bit);
      FrameBody body = bodyOf(flipped);
      auto reader = body.reader();
      if (reader) walk(*reader.value());
      else EXPECT_EQ(reader.error().reason, Reason::PROTOCOL_ERROR);
    }
}

}  // namespace
}  // namespace hreg::protocol
