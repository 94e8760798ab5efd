#include "ledger/note/text.h"

namespace hreg::note {
namespace {

// decode reads one code point at text[i]; returns -1 for malformed UTF-8.
long decode(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) return text[i++];
  int len = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (len == 0 || b0 > 0xf4 || i + static_cast<std::size_t>(len) > text.size()) return -1;
  long cp = b0 & (0x7f >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xc0) != 0x80) return -1;
    cp = cp << 6 | (b & 0x3f);
  }
  static constexpr long MIN_FOR_LENGTH[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < MIN_FOR_LENGTH[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  i += static_cast<std::size_t>(len);
  return cp;
}

bool isSpace(long cp) {
  return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
         cp == 0x3000;
}

}  // namespace

bool validUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();)
    if (decode(text, i) < 0) return false;
  return true;
}

bool containsSpace(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    long cp = decode(text, i);
    if (cp < 0 || isSpace(cp)) return true;
  }
  return false;
}

bool containsControl(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) return true;
  }
  return false;
}

}  // namespace hreg::note
