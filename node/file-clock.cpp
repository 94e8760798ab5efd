// FileClock (file-clock.h).
#include "node/file-clock.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <string_view>

namespace hreg::node {

namespace {

// MAX_SHOWN caps how much of a clock file's bad content an error message quotes.
constexpr std::size_t MAX_SHOWN = 40;

// shown is `text` for an error message: at most MAX_SHOWN bytes, control bytes as '?'.
std::string shown(std::string_view text) {
  std::string out(text.substr(0, MAX_SHOWN));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return text.size() > MAX_SHOWN ? out + "..." : out;
}

}  // namespace

Result<Timestamp> clockFileTime(const std::filesystem::path& file) {
  auto bad = [&](std::string_view problem) {
    return refuse(Reason::MALFORMED_FILE,
                  fmt::format("{}: {}; write one time into it, UTC seconds since the epoch (e.g. date +%s > {}), or "
                              "leave clock.file out to run on the system clock",
                              file.string(), problem, file.string()));
  };
  errno = 0;
  std::ifstream in(file);
  if (!in) return bad(fmt::format("cannot be read ({})", std::strerror(errno != 0 ? errno : EIO)));
  std::string text;
  if (!std::getline(in, text)) {
    std::error_code ec;  // a directory opens, and fails at the first read
    return bad(std::filesystem::is_directory(file, ec) ? "is a directory, not a file" : "is empty");
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return bad("holds no time on its first line");
  Timestamp t = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), t);
  if (error != std::errc{} || end != text.data() + text.size() || t < 0)
    return bad(fmt::format("holds '{}', which is not a time", shown(text)));
  return t;
}

std::optional<Timestamp> readClockFile(const std::filesystem::path& file) {
  auto t = clockFileTime(file);
  if (!t) return std::nullopt;
  return t.value();
}

Result<std::unique_ptr<FileClock>> FileClock::open(std::filesystem::path file) {
  auto first = clockFileTime(file);
  if (!first) return refuse(Reason::MALFORMED_FILE, "clock.file: " + first.error().detail);
  return std::unique_ptr<FileClock>(new FileClock(std::move(file), first.value()));
}

Timestamp FileClock::now() const {
  Timestamp seen = last_.load();
  if (auto t = readClockFile(file_))
    while (*t > seen && !last_.compare_exchange_weak(seen, *t)) {
    }
  return last_.load();
}

}  // namespace hreg::node
