#pragma once
// Byte strings and their text encodings: hex (written lowercase) and standard base64 (RFC 4648 §4,
// padded). The base64 decoder accepts only canonical input, so one value has one spelling; the hex
// decoder also takes uppercase, as people type it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hreg {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView asBytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view asChars(ByteView b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string toHex(ByteView bytes);
// fromHex decodes lowercase or uppercase hex of even length; nullopt on any other character.
std::optional<Bytes> fromHex(std::string_view hex);

std::string toBase64(ByteView bytes);
// fromBase64 decodes padded standard base64; nullopt on bad characters, bad padding, or
// non-zero unused bits (a non-canonical spelling).
std::optional<Bytes> fromBase64(std::string_view text);

// Big-endian fixed-width integers, as in keys of the store and in cosignature lines.
void putBigEndian64(std::uint64_t value, std::uint8_t* out) noexcept;
std::uint64_t getBigEndian64(const std::uint8_t* in) noexcept;

}  // namespace hreg
