#pragma once
// FileClock: a clock the demo (and tests) move by hand. Its time is the UTC second written in a file,
// one decimal integer; every node of a demo federation reads the same file, so the demo advances the
// whole federation's date between the acts of its story in one write. Config: [clock] file (tests and
// the demo only; docs/operations.md). It never goes back: a smaller value, or a file that cannot be
// read or parsed for a moment (a writer mid-rename), keeps the last time read.
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>

#include "protocol/core/clock.h"
#include "protocol/core/result.h"

namespace hreg::node {

class FileClock final : public Clock {
 public:
  // FileClock reads `file` once; refuses MALFORMED_FILE when it holds no time (clockFileTime says why).
  [[nodiscard]] static Result<std::unique_ptr<FileClock>> open(std::filesystem::path file);
  // now re-reads the file (a few microseconds: it is small and cached by the kernel).
  Timestamp now() const override;

 private:
  FileClock(std::filesystem::path file, Timestamp first) : file_(std::move(file)), last_(first) {}
  std::filesystem::path file_;
  mutable std::atomic<Timestamp> last_;
};

// clockFileTime is the time written in a clock file: its first line, one decimal integer of UTC
// seconds since the epoch (trailing spaces allowed). Refuses MALFORMED_FILE naming the file, what is
// wrong with it (missing, a directory, unreadable, empty, not such a number) and what to write.
[[nodiscard]] Result<Timestamp> clockFileTime(const std::filesystem::path& file);

// readClockFile is clockFileTime without the reason: nullopt when the file holds no time.
[[nodiscard]] std::optional<Timestamp> readClockFile(const std::filesystem::path& file);

}  // namespace hreg::node
