#pragma once
// Free TCP ports on 127.0.0.1 for the nodes of a test. A node keeps its ports across a restart, so a
// port must not be one the kernel may lend meanwhile as the source port of an outgoing connection
// (every HTTP poll and peer session makes one): the kernel's "bind port 0" answer comes from that
// ephemeral range, so we pick below it and check by binding.
#include <cstdint>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

#include "admin-cli/federation-runner.h"

namespace hreg::testing {

// freePort is a port of 127.0.0.1 that is free now, below the ephemeral range, and not handed out
// before by this process (cli::freeLoopbackPort). Parallel test processes pick at random, so they
// rarely collide, and a collision shows as a node that cannot bind (its log names the port).
inline std::uint16_t freePort() {
  static std::mutex mutex;
  static std::set<std::uint16_t> handedOut;
  static std::mt19937 random{std::random_device{}()};
  std::lock_guard lock(mutex);
  return cli::freeLoopbackPort(handedOut, random);
}

}  // namespace hreg::testing
