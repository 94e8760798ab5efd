#pragma once
// QR codes (ISO/IEC 18004) of a plaque's payload, for the terminal and as a PNG to print: libqrencode
// makes the modules, libpng writes the image; this is the only code that names either. Every code is
// 8-bit mode at error correction level M (15% of the code may be lost and it still reads), with the
// 4-module quiet zone the standard requires. Left out: structured append (one payload, one code).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace hreg::cli {

// MAX_QR_PAYLOAD_BYTES is what the largest QR code (version 40, 177x177 modules) holds in 8-bit mode at
// level M: 2334 data codewords less the mode and length header.
inline constexpr std::size_t MAX_QR_PAYLOAD_BYTES = 2331;
// QR_QUIET_ZONE is the light border, in modules, that scanners need to find the code.
inline constexpr int QR_QUIET_ZONE = 4;
// MAX_QR_SCALE bounds pixels per module: 100 makes a 40-version code 18500 pixels wide, more than any
// printer needs.
inline constexpr int MAX_QR_SCALE = 100;

// qrTerminal renders `payload` as lines of text, two modules (one above the other) per character, with
// the Unicode half blocks ▀ ▄ █ and the space, each line ending in '\n'. The ink is the LIGHT modules and
// the quiet zone; dark modules are left blank. On the usual terminal, light text on a dark background,
// that shows dark modules on light, as scanners expect. On a light-background terminal the code shows
// inverted (many phone scanners still read it; the PNG is the one to print). Throws tlog::UsageError when
// the payload is longer than MAX_QR_PAYLOAD_BYTES.
[[nodiscard]] std::string qrTerminal(std::string_view payload);

// writeQrPng writes the code of `payload` to `path` (created or replaced) as a black-on-white 8-bit
// grayscale PNG, `scale` pixels per module, quiet zone included. Throws tlog::UsageError when the payload
// is longer than MAX_QR_PAYLOAD_BYTES, when scale is not 1..MAX_QR_SCALE, or when the file cannot be
// created (a missing directory, no permission); a Fault when writing it fails (a full disk), in which
// case no partial file is left.
void writeQrPng(const std::filesystem::path& path, std::string_view payload, int scale = 8);

}  // namespace hreg::cli
