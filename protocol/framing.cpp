#include "protocol/framing.h"

#include <fmt/format.h>

namespace hreg::protocol {

Bytes encodeFrame(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  Bytes out(FRAME_HEADER_BYTES + bytes.size());
  const auto n = static_cast<std::uint32_t>(bytes.size());
  out[0] = static_cast<std::uint8_t>(n >> 24);
  out[1] = static_cast<std::uint8_t>(n >> 16);
  out[2] = static_cast<std::uint8_t>(n >> 8);
  out[3] = static_cast<std::uint8_t>(n);
  std::copy(bytes.begin(), bytes.end(), out.begin() + FRAME_HEADER_BYTES);
  return out;
}

Result<std::size_t> frameLength(const std::uint8_t* header, std::size_t limit) {
  const std::size_t n = std::size_t{header[0]} << 24 | std::size_t{header[1]} << 16 | std::size_t{header[2]} << 8 |
                        header[3];
  if (n > limit)
    return refuse(Reason::LIMIT_EXCEEDED, fmt::format("a frame of {} bytes; the limit is {}", n, limit));
  if (n == 0 || n % sizeof(capnp::word) != 0)
    return refuse(Reason::PROTOCOL_ERROR, fmt::format("a frame of {} bytes is not a Cap'n Proto message", n));
  return n;
}

Result<std::unique_ptr<capnp::FlatArrayMessageReader>> FrameBody::reader() const {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = words_.size() * 2 + 64;  // no amplification beyond the frame itself
  options.nestingLimit = 16;
  try {
    return std::make_unique<capnp::FlatArrayMessageReader>(words_.asPtr(), options);
  } catch (const kj::Exception& e) {
    return refuse(Reason::PROTOCOL_ERROR, fmt::format("malformed message: {}", e.getDescription().cStr()));
  }
}

}  // namespace hreg::protocol
