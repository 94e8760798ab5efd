// FileClock (file-clock.h).
#include "node/file-clock.h"

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <string>

namespace hreg::node {

std::optional<Timestamp> readClockFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  Timestamp t = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), t);
  if (ec != std::errc{} || end != text.data() + text.size() || t < 0) return std::nullopt;
  return t;
}

Result<std::unique_ptr<FileClock>> FileClock::open(std::filesystem::path file) {
  auto first = readClockFile(file);
  if (!first)
    return refuse(Reason::MALFORMED_FILE,
                  fmt::format("{}: clock.file must name a file holding one time, UTC seconds since the epoch",
                              file.string()));
  return std::unique_ptr<FileClock>(new FileClock(std::move(file), *first));
}

Timestamp FileClock::now() const {
  Timestamp seen = last_.load();
  if (auto t = readClockFile(file_))
    while (*t > seen && !last_.compare_exchange_weak(seen, *t)) {
    }
  return last_.load();
}

}  // namespace hreg::node
