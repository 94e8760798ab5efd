#pragma once
// NodeClient: the hreg tool's HTTP/1.1 client for a node's API (docs/protocol.md), one connection per
// request over Boost.Beast, every request bounded in time. A node that cannot be reached, or does not
// answer in time, throws Unreachable: the commands turn it into EXIT_UNREACHABLE with what to try.
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace hreg::cli {

// HttpReply is a node's answer: its HTTP status, body and content type.
struct HttpReply {
  int status = 0;
  std::string body;
  std::string contentType;
};

// Unreachable: no HTTP answer (connection refused, name not resolved, timed out, reset).
class Unreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// DEFAULT_NODE is the node asked when neither --node nor HREG_NODE says: a node on this machine.
inline constexpr std::string_view DEFAULT_NODE = "127.0.0.1:8080";

class NodeClient {
 public:
  // endpoint is "host:port", optionally prefixed "http://". Throws tlog::UsageError when it is not.
  explicit NodeClient(std::string endpoint, std::chrono::seconds timeout = std::chrono::seconds{30});
  [[nodiscard]] HttpReply get(std::string_view target) const;
  [[nodiscard]] HttpReply post(std::string_view target, std::string body,
                               std::string_view contentType = "application/octet-stream") const;
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }

 private:
  // request makes one exchange on a fresh connection; throws Unreachable, or a Fault for an answer
  // over the body limit.
  [[nodiscard]] HttpReply request(std::string_view method, std::string_view target, std::string body,
                                  std::string_view contentType) const;

  std::string endpoint_, host_, port_;
  std::chrono::seconds timeout_;
};

// addNodeOption adds --node HOST:PORT to `command`, filling `endpoint`; its default is the
// environment's HREG_NODE, else DEFAULT_NODE.
void addNodeOption(CLI::App& command, std::string& endpoint);

}  // namespace hreg::cli
