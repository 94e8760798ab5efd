// QR codes for the terminal and as PNG (admin-cli/qr.h): libqrencode for the modules, libpng for the file.
#include "admin-cli/qr.h"

#include <fmt/format.h>
#include <png.h>
#include <qrencode.h>

#include <cerrno>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "admin-cli/tlog-input.h"
#include "protocol/core/result.h"

namespace hreg::cli {
namespace {

using tlog::UsageError;

struct FreeQrCode {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// Modules is a payload's QR code with its quiet zone: a square of modules, dark or light.
class Modules {
 public:
  explicit Modules(std::string_view payload) : code_(encode(payload)), size_(code_->width + 2 * QR_QUIET_ZONE) {}

  // size is the side of the square in modules, quiet zone included.
  int size() const { return size_; }
  // dark says whether the module at column x, row y is dark; the quiet zone and beyond are light.
  bool dark(int x, int y) const {
    int codeX = x - QR_QUIET_ZONE, codeY = y - QR_QUIET_ZONE, width = code_->width;
    if (codeX < 0 || codeY < 0 || codeX >= width || codeY >= width) return false;
    return (code_->data[codeY * width + codeX] & 1) != 0;  // bit 0: dark; the others say why
  }

 private:
  static std::unique_ptr<QRcode, FreeQrCode> encode(std::string_view payload) {
    if (payload.empty()) throw UsageError("the QR code's payload is empty");
    if (payload.size() > MAX_QR_PAYLOAD_BYTES)
      throw UsageError(fmt::format("the payload is {} bytes; a QR code holds at most {} (8-bit mode, level M)",
                                   payload.size(), MAX_QR_PAYLOAD_BYTES));
    errno = 0;
    std::unique_ptr<QRcode, FreeQrCode> code(QRcode_encodeData(static_cast<int>(payload.size()),
                                                               reinterpret_cast<const unsigned char*>(payload.data()),
                                                               0, QR_ECLEVEL_M));
    if (!code && errno == ERANGE)
      throw UsageError(fmt::format("the payload is {} bytes, too long for a QR code", payload.size()));
    if (!code) fail(fmt::format("libqrencode could not make the QR code: {}", std::strerror(errno)));
    return code;
  }

  std::unique_ptr<QRcode, FreeQrCode> code_;
  int size_;
};

// --- PNG --------------------------------------------------------------------------------------------

// PngError receives libpng's message before its error handler jumps back to encodePng.
struct PngError {
  char message[200] = "libpng failed";
};

void onPngError(png_structp png, png_const_charp message) {
  auto* error = static_cast<PngError*>(png_get_error_ptr(png));
  std::snprintf(error->message, sizeof error->message, "%s", message);
  png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}

// encodePng writes the modules to `out` as an 8-bit grayscale PNG. libpng reports errors by longjmp, so
// nothing here owns a resource or has a destructor: the caller owns the file and the row buffer (one
// row of pixels). False when libpng failed; `error` then says why.
bool encodePng(std::FILE* out, const Modules& modules, int scale, std::uint8_t* row, PngError& error) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, onPngError, onPngWarning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  auto side = static_cast<png_uint_32>(modules.size() * scale);
  png_init_io(png, out);
  png_set_IHDR(png, info, side, side, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < modules.size(); ++y) {
    for (int x = 0; x < modules.size(); ++x)
      std::memset(row + x * scale, modules.dark(x, y) ? 0x00 : 0xff, static_cast<std::size_t>(scale));
    for (int repeat = 0; repeat < scale; ++repeat) png_write_row(png, row);
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

std::string qrTerminal(std::string_view payload) {
  Modules modules(payload);
  std::string out;
  for (int y = 0; y < modules.size(); y += 2) {
    for (int x = 0; x < modules.size(); ++x) {
      // Ink is light. The side is odd, so the last line's lower half lies below the code: left blank.
      bool top = !modules.dark(x, y);
      bool bottom = y + 1 < modules.size() && !modules.dark(x, y + 1);
      out += top ? (bottom ? "█" : "▀") : (bottom ? "▄" : " ");
    }
    out += '\n';
  }
  return out;
}

void writeQrPng(const std::filesystem::path& path, std::string_view payload, int scale) {
  if (scale < 1 || scale > MAX_QR_SCALE)
    throw UsageError(fmt::format("the scale is {} pixels per module; give 1 to {}", scale, MAX_QR_SCALE));
  Modules modules(payload);
  std::vector<std::uint8_t> row(static_cast<std::size_t>(modules.size() * scale));
  std::unique_ptr<std::FILE, CloseFile> out(std::fopen(path.c_str(), "wb"));
  if (!out)
    throw UsageError(fmt::format("cannot create {}: {}; check the directory", path.string(), std::strerror(errno)));
  PngError error;
  std::string failure;
  if (!encodePng(out.get(), modules, scale, row.data(), error)) failure = error.message;
  else if (std::fflush(out.get()) != 0 || std::ferror(out.get()) != 0) failure = std::strerror(errno);
  if (std::fclose(out.release()) != 0 && failure.empty()) failure = std::strerror(errno);
  if (!failure.empty()) {
    std::remove(path.c_str());
    fail(fmt::format("writing {} failed: {}", path.string(), failure));
  }
}

}  // namespace hreg::cli
