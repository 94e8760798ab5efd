// Tests of admin-cli/qr.h: the codes hreg draws are read back by an independent decoder, zbar's zbarimg
// (Debian 12: zbar-tools, which scripts/lib.sh installs), from the PNG and from the terminal rendering.
#include "admin-cli/qr.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "admin-cli/tlog-input.h"
#include "tests/admin-cli/run-hreg.h"

namespace hreg::cli {
namespace {

using testing::readText;
using testing::TempDir;

// A plaque's payload as docs/formats.md describes it: lines of UTF-8, the em dash of a signature line.
const std::string PLAQUE = "hreg-plaque/v1\n140902001-W-0001\ncertified\nhreg.example/140902\n32\n"
                           "W9AHrK3nKr9aM0w1bQ6f0nKkW3Z2aHq4m0U0cX5Yb7E=\n\n— hreg.example/140902 mnUT9QGG8m0…\n"
                           "忻州市 剪纸 工坊\n";

// zbarimg is what zbar decodes from the image `path`, or nothing. -Sbinary prints the code's bytes as they
// are: no charset guessing, and no newline after them.
// Fails the test loudly when zbarimg is not installed.
std::optional<std::string> zbarimg(const std::filesystem::path& path) {
  if (std::system("command -v zbarimg > /dev/null 2>&1") != 0) {
    ADD_FAILURE() << "zbarimg is missing: install zbar-tools (scripts/lib.sh installs every package hreg needs)";
    return std::nullopt;
  }
  std::string command = "zbarimg --raw -q -Sbinary '" + path.string() + "' 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  int status = ::pclose(pipe);
  if (status != 0) return std::nullopt;  // zbarimg exits 4 when it finds no code
  return out;
}

// Png is what an image's IHDR chunk says.
struct Png {
  std::uint32_t width = 0, height = 0;
  int bitDepth = 0, colorType = 0;
};

Png pngHeader(const std::string& bytes) {
  Png png;
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  if (bytes.size() < 26) return png;
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<std::uint8_t>(bytes[at + i]);
    return v;
  };
  png.width = be32(16);
  png.height = be32(20);
  png.bitDepth = static_cast<std::uint8_t>(bytes[24]);
  png.colorType = static_cast<std::uint8_t>(bytes[25]);
  return png;
}

// terminalToPgm turns qrTerminal's text back into an image as a dark terminal shows it: ink (a half
// block) light, blank dark, `scale` pixels per module.
std::string terminalToPgm(const std::string& text, int scale) {
  std::vector<std::vector<bool>> light;  // rows of modules
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<bool> top, bottom;
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] == ' ') {
        top.push_back(false);
        bottom.push_back(false);
        i += 1;
        continue;
      }
      std::string glyph = line.substr(i, 3);
      EXPECT_TRUE(glyph == "█" || glyph == "▀" || glyph == "▄") << "unexpected character in " << line;
      top.push_back(glyph != "▄");
      bottom.push_back(glyph != "▀");
      i += 3;
    }
    light.push_back(top);
    light.push_back(bottom);
  }
  std::size_t width = light.empty() ? 0 : light[0].size();
  std::string pgm = fmt::format("P5\n{} {}\n255\n", width * static_cast<std::size_t>(scale),
                                light.size() * static_cast<std::size_t>(scale));
  for (const auto& row : light)
    for (int r = 0; r < scale; ++r)
      for (bool module : row) pgm.append(static_cast<std::size_t>(scale), module ? '\xff' : '\x00');
  return pgm;
}

TEST(QrPng, DecodesToThePayloadByteForByte) {
  TempDir dir;
  for (const std::string& payload : {PLAQUE, std::string("140902001-W-0001"), std::string("\x01\x02\xfe binary", 10)}) {
    writeQrPng(dir / "plaque.png", payload);
    auto decoded = zbarimg(dir / "plaque.png");
    ASSERT_TRUE(decoded.has_value()) << "zbarimg found no code for " << payload;
    EXPECT_EQ(*decoded, payload);
  }
}

TEST(QrPng, IsAnEightBitGrayscaleImageOfWholeModulesWithAQuietZone) {
  TempDir dir;
  writeQrPng(dir / "a.png", "hreg", 8);
  Png png = pngHeader(readText(dir / "a.png"));
  EXPECT_EQ(png.width, (21u + 2 * QR_QUIET_ZONE) * 8);  // "hreg" fits version 1: 21 modules
  EXPECT_EQ(png.height, png.width);
  EXPECT_EQ(png.bitDepth, 8);
  EXPECT_EQ(png.colorType, 0);  // grayscale
  writeQrPng(dir / "b.png", "hreg", 3);
  EXPECT_EQ(pngHeader(readText(dir / "b.png")).width, (21u + 2 * QR_QUIET_ZONE) * 3);
  auto decoded = zbarimg(dir / "b.png");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, "hreg");
}

TEST(QrPng, TheLongestPayloadFitsAndOneByteMoreIsRefused) {
  TempDir dir;
  std::string longest(MAX_QR_PAYLOAD_BYTES, 'x');
  writeQrPng(dir / "longest.png", longest, 4);
  EXPECT_EQ(pngHeader(readText(dir / "longest.png")).width, (177u + 2 * QR_QUIET_ZONE) * 4);  // version 40
  try {
    writeQrPng(dir / "too-long.png", longest + "x");
    FAIL() << "no exception";
  } catch (const tlog::UsageError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find(std::to_string(MAX_QR_PAYLOAD_BYTES + 1)), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(MAX_QR_PAYLOAD_BYTES)), std::string::npos) << message;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "too-long.png"));
  EXPECT_THROW((void)qrTerminal(longest + "x"), tlog::UsageError);
}

TEST(QrPng, RefusesABadScaleAndAPathItCannotCreate) {
  TempDir dir;
  EXPECT_THROW(writeQrPng(dir / "a.png", "hreg", 0), tlog::UsageError);
  EXPECT_THROW(writeQrPng(dir / "a.png", "hreg", MAX_QR_SCALE + 1), tlog::UsageError);
  EXPECT_THROW(writeQrPng(dir / "no-such-dir" / "a.png", "hreg"), tlog::UsageError);
  EXPECT_FALSE(std::filesystem::exists(dir / "a.png"));
}

TEST(QrTerminal, HalfBlocksOfLightModulesWithAQuietZone) {
  std::string text = qrTerminal("hreg");
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::size_t side = 21 + 2 * QR_QUIET_ZONE;  // 29 modules, so 15 lines, the last one half
  ASSERT_EQ(lines.size(), (side + 1) / 2);
  std::string fullLight;
  for (std::size_t i = 0; i < side; ++i) fullLight += "█";
  EXPECT_EQ(lines[0], fullLight);  // the quiet zone's top rows are all ink
  EXPECT_EQ(lines[1], fullLight);
  std::string lastHalf;
  for (std::size_t i = 0; i < side; ++i) lastHalf += "▀";
  EXPECT_EQ(lines.back(), lastHalf);  // the last quiet row, and blank below the code
  EXPECT_TRUE(text.ends_with('\n'));
}

TEST(QrTerminal, DecodesToThePayloadAsADarkTerminalShowsIt) {
  TempDir dir;
  std::ofstream(dir / "terminal.pgm", std::ios::binary) << terminalToPgm(qrTerminal(PLAQUE), 6);
  auto decoded = zbarimg(dir / "terminal.pgm");
  ASSERT_TRUE(decoded.has_value()) << "zbarimg found no code in the terminal rendering";
  EXPECT_EQ(*decoded, PLAQUE);
}

}  // namespace
}  // namespace hreg::cli
