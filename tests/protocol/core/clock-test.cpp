#include "protocol/core/clock.h"

#include <gtest/gtest.h>

namespace hreg {
namespace {

TEST(FakeClock, StandsStillUntilAdvancedOrSet) {
  FakeClock clock(1'700'000'000);
  const Clock& c = clock;
  EXPECT_EQ(c.now(), 1'700'000'000);
  clock.advance(86'400);
  EXPECT_EQ(c.now(), 1'700'086'400);
  clock.set(0);
  EXPECT_EQ(c.now(), 0);
}

TEST(SystemClock, ReadsWholeSecondsAfter2024) {
  SystemClock clock;
  EXPECT_GT(clock.now(), 1'704'067'200);  // 2024-01-01T00:00:00Z
  EXPECT_LT(clock.now(), 4'102'444'800);  // 2100-01-01T00:00:00Z: not milliseconds
}

}  // namespace
}  // namespace hreg
