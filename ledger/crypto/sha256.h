#pragma once
// SHA-256 (FIPS 180-4) through OpenSSL, which uses the CPU's SHA extensions where present.
// The only code that names OpenSSL's digest API.
#include <array>
#include <cstdint>
#include <initializer_list>

#include "protocol/core/bytes.h"

namespace hreg::crypto {

inline constexpr std::size_t HASH_BYTES = 32;
using Hash = std::array<std::uint8_t, HASH_BYTES>;

// sha256 hashes the concatenation of `parts`.
[[nodiscard]] Hash sha256(std::initializer_list<ByteView> parts);
[[nodiscard]] inline Hash sha256(ByteView data) { return sha256({data}); }

}  // namespace hreg::crypto
