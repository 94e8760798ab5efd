#pragma once
// Waiting for the federation to reach a state: poll a condition until it holds or a deadline passes.
// Nodes replicate on their own schedule, so tests never sleep for a fixed time and hope; they name
// the state they wait for, and a timeout says which state was never reached and what was seen last.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace hreg::testing {

using namespace std::chrono_literals;

// CONVERGENCE is how long a test waits for replication to settle: generous, for a sanitized build
// of every node sharing two cores.
inline constexpr std::chrono::seconds CONVERGENCE{60};

// POLL is the interval between two looks: short against replication, long enough not to load the nodes.
inline constexpr std::chrono::milliseconds POLL{100};

// waitUntil polls `done` until it returns true (success) or `deadline` passes (a failure naming
// `what` and, when given, `lastSeen()`: what the condition saw the last time).
inline ::testing::AssertionResult waitUntil(const std::function<bool()>& done, std::chrono::seconds deadline,
                                            const std::string& what,
                                            const std::function<std::string()>& lastSeen = {}) {
  auto start = std::chrono::steady_clock::now();
  auto end = start + deadline;
  while (true) {
    if (done()) return ::testing::AssertionSuccess();
    if (std::chrono::steady_clock::now() >= end) break;
    std::this_thread::sleep_for(POLL);
  }
  auto failure = ::testing::AssertionFailure() << "timed out after " << deadline.count() << " s waiting until "
                                               << what;
  if (lastSeen) failure << "; last seen: " << lastSeen();
  return failure;
}

}  // namespace hreg::testing
