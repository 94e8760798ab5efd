#pragma once
// Where "now" comes from. Rules and stores take time as a parameter; only a program's main() builds
// a SystemClock, and tests advance a FakeClock. No global clock exists.
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace hreg {

// Timestamp is UTC whole seconds since the Unix epoch: the one time convention of hreg, the same as
// C2SP cosignature timestamps (docs/formats.md, "Times").
using Timestamp = std::int64_t;

// formatUtc writes a timestamp as ISO 8601 in UTC, e.g. "2026-11-23T00:00:00Z", for messages.
inline std::string formatUtc(Timestamp t) {
  std::time_t seconds = static_cast<std::time_t>(t);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return std::to_string(t);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// StartedClock reads `start` at construction and then runs at the real rate: a node's clock in the
// tests and the demo, where decisions carry dates fixed in advance.
class StartedClock final : public Clock {
 public:
  explicit StartedClock(Timestamp start) : start_(start), origin_(std::chrono::steady_clock::now()) {}
  Timestamp now() const override {
    return start_ + std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - origin_).count();
  }

 private:
  Timestamp start_;
  std::chrono::steady_clock::time_point origin_;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start) {}
  Timestamp now() const override { return now_; }
  void advance(Timestamp seconds) { now_ += seconds; }
  void set(Timestamp t) { now_ = t; }

 private:
  Timestamp now_;
};

}  // namespace hreg
