#pragma once
// Character rules shared by signed-note text, key names and checkpoint lines.
#include <cstdint>
#include <string_view>

#include "ledger/note/key.h"

namespace hreg::note {

// validUtf8 is true for well-formed UTF-8 (no overlongs, surrogates, or code points past U+10FFFF).
[[nodiscard]] bool validUtf8(std::string_view text);
// containsSpace is true if `text` holds any Unicode White_Space character.
[[nodiscard]] bool containsSpace(std::string_view text);
// containsControl is true if `text` holds an ASCII control character other than '\n'.
[[nodiscard]] bool containsControl(std::string_view text);

// readKeyHash reads 4 big-endian bytes.
[[nodiscard]] inline KeyHash readKeyHash(const std::uint8_t* p) {
  return KeyHash{p[0]} << 24 | KeyHash{p[1]} << 16 | KeyHash{p[2]} << 8 | KeyHash{p[3]};
}
inline void writeKeyHash(KeyHash h, std::uint8_t* p) {
  p[0] = static_cast<std::uint8_t>(h >> 24);
  p[1] = static_cast<std::uint8_t>(h >> 16);
  p[2] = static_cast<std::uint8_t>(h >> 8);
  p[3] = static_cast<std::uint8_t>(h);
}

}  // namespace hreg::note
