#pragma once
// The node's local HTTP API (Boost.Beast): submit officials' decisions, health, Prometheus metrics,
// the logs held, their entries, witness input (a checkpoint seen elsewhere) and evidence of
// equivocation. Endpoints and bodies in docs/protocol.md, "Local API". Requests are bounded in size
// and time; a bad request gets a JSON error naming the problem, and nothing else is affected.
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "node/config.h"

namespace hreg::node {

class Node;

struct HttpAnswer {
  unsigned status = 200;
  std::string contentType = "application/json";
  std::string body;
};

class ApiServer {
 public:
  ApiServer(Node& node, const Endpoint& listen);
  void start();
  void stop();
  // handle answers one request; public so tests can call it without a socket.
  [[nodiscard]] HttpAnswer handle(const std::string& method, const std::string& target, const std::string& body);

 private:
  void accept();
  std::string metrics();
  Node& node_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace hreg::node
