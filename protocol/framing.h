#pragma once
// Framing of the peer protocol (docs/protocol.md): each message is a 4-byte big-endian length and
// then that many bytes of one Cap'n Proto message in the standard (unpacked) serialization.
// A length beyond the receiver's limit ends the session before the body is read.
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <memory>

#include "protocol/core/bytes.h"
#include "protocol/core/result.h"

namespace hreg::protocol {

inline constexpr std::size_t FRAME_HEADER_BYTES = 4;
inline constexpr std::size_t MAX_FRAME_BYTES = std::size_t{16} << 20;

// encodeFrame is the header and the message's bytes, ready to write.
[[nodiscard]] Bytes encodeFrame(capnp::MessageBuilder& message);

// frameLength reads a header. Refuses LIMIT_EXCEEDED beyond `limit`, PROTOCOL_ERROR for an empty or
// unaligned length (a Cap'n Proto message is a whole number of 8-byte words).
[[nodiscard]] Result<std::size_t> frameLength(const std::uint8_t* header, std::size_t limit);

// FrameBody is a frame's body in word-aligned memory, as Cap'n Proto reads it in place.
class FrameBody {
 public:
  explicit FrameBody(std::size_t bytes) : words_(kj::heapArray<capnp::word>(bytes / sizeof(capnp::word))) {}
  std::uint8_t* data() { return words_.asBytes().begin(); }
  std::size_t size() const { return words_.size() * sizeof(capnp::word); }
  // reader parses the body. Refuses PROTOCOL_ERROR for a malformed message; reading fields of a
  // message that passed can still throw kj::Exception for a deeper fault, which callers catch.
  [[nodiscard]] Result<std::unique_ptr<capnp::FlatArrayMessageReader>> reader() const;

 private:
  kj::Array<capnp::word> words_;
};

}  // namespace hreg::protocol
