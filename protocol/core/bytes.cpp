#include "protocol/core/bytes.h"

#include <array>

namespace hreg {
namespace {

constexpr char HEX_DIGITS[] = "0123456789abcdef";
constexpr char BASE64_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<std::int8_t, 256> base64Table() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(BASE64_ALPHABET[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr auto BASE64_VALUES = base64Table();

}  // namespace

std::string toHex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(HEX_DIGITS[b >> 4]);
    out.push_back(HEX_DIGITS[b & 0xf]);
  }
  return out;
}

std::optional<Bytes> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hexValue(hex[2 * i]), lo = hexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string toBase64(ByteView bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
    for (int s = 18; s >= 0; s -= 6) out.push_back(BASE64_ALPHABET[(v >> s) & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16 | (rest == 2 ? std::uint32_t{bytes[i + 1]} << 8 : 0);
    out.push_back(BASE64_ALPHABET[(v >> 18) & 63]);
    out.push_back(BASE64_ALPHABET[(v >> 12) & 63]);
    out.push_back(rest == 2 ? BASE64_ALPHABET[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<Bytes> fromBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    bool last = i + 4 == text.size();
    for (std::size_t j = 0; j < 4; ++j) {
      char c = text[i + j];
      std::int8_t d;
      if (c == '=') {
        if (!last || j < 4 - padding) return std::nullopt;
        d = 0;
      } else {
        d = BASE64_VALUES[static_cast<unsigned char>(c)];
        if (d < 0 || (last && j >= 4 - padding)) return std::nullopt;
      }
      v = v << 6 | static_cast<std::uint32_t>(d);
    }
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (!last || padding < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
    if (!last || padding < 1) out.push_back(static_cast<std::uint8_t>(v));
    if (last && padding == 1 && (v & 0xff) != 0) return std::nullopt;
    if (last && padding == 2 && (v & 0xffff) != 0) return std::nullopt;
  }
  return out;
}

void putBigEndian64(std::uint64_t value, std::uint8_t* out) noexcept {
  for (int i = 7; i >= 0; --i, value >>= 8) out[i] = static_cast<std::uint8_t>(value);
}

std::uint64_t getBigEndian64(const std::uint8_t* in) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | in[i];
  return v;
}

}  // namespace hreg
