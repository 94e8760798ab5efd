#pragma once
// Where "now" comes from. Rules and stores take time as a parameter; only a program's main() builds
// a SystemClock, and tests advance a FakeClock. No global clock exists.
#include <chrono>
#include <cstdint>

namespace hreg {

// Timestamp is UTC whole seconds since the Unix epoch: the one time convention of hreg, the same as
// C2SP cosignature timestamps (docs/formats.md, "Times").
using Timestamp = std::int64_t;

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
