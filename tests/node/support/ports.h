#pragma once
// Free TCP ports on 127.0.0.1 for the nodes of a test. A node keeps its ports across a restart, so a
// port must not be one the kernel may lend meanwhile as the source port of an outgoing connection
// (every HTTP poll and peer session makes one): the kernel's "bind port 0" answer comes from that
// ephemeral range, so we pick below it and check by binding.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

namespace hreg::testing {

// canBind says whether 127.0.0.1:port is free to listen on now.
inline bool canBind(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // as the node's acceptor binds
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return free;
}

// ephemeralLow is the first port of the kernel's ephemeral range (32768 when it cannot be read).
inline std::uint16_t ephemeralLow() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned low = 32768;
  range >> low;
  return static_cast<std::uint16_t>(low > 12000 && low <= 65535 ? low : 32768);
}

// freePort is a port of 127.0.0.1 that is free now, below the ephemeral range, and not handed out
// before by this process. Parallel test processes pick at random, so they rarely collide, and a
// collision shows as a node that cannot bind (its log names the port).
inline std::uint16_t freePort() {
  static std::mutex mutex;
  static std::set<std::uint16_t> handedOut;
  static std::mt19937 random{std::random_device{}()};
  std::lock_guard lock(mutex);
  std::uniform_int_distribution<unsigned> pick(10000, ephemeralLow() - 1u);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<std::uint16_t>(pick(random));
    if (handedOut.contains(port) || !canBind(port)) continue;
    handedOut.insert(port);
    return port;
  }
  throw std::runtime_error("no free TCP port on 127.0.0.1 below the ephemeral range");
}

}  // namespace hreg::testing
