#pragma once
// The node's local HTTP API (Boost.Beast): submit officials' decisions, health, Prometheus metrics,
// the logs held, their entries, witness input (a checkpoint seen elsewhere) and evidence of
// equivocation. Endpoints and bodies in docs/protocol.md, "Local API", and docs/openapi.yaml. Requests
// are bounded in size and time and rate-limited per client address (node/rate-limit.h); a bad request
// gets a JSON error naming the problem, and nothing else is affected.
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "node/config.h"
#include "node/lookup.h"
#include "node/rate-limit.h"

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
  // handle answers one request; public so tests can call it without a socket. GET /v1/subject is
  // answered from this node's store alone.
  [[nodiscard]] HttpAnswer handle(const std::string& method, const std::string& target, const std::string& body);
  // handleAsync answers as handle does, except GET /v1/subject, which it routes up the chain of parents
  // when this node does not hold the subject's logs (node/lookup.h); `done` may run later, once.
  void handleAsync(const std::string& method, const std::string& target, const std::string& body,
                   std::function<void(HttpAnswer)> done);
  // TooMany is the 429 answer to a client over its rate limit, and its Retry-After in seconds.
  struct TooMany {
    HttpAnswer answer;
    std::int64_t retryAfter = 1;
  };
  // admit counts one request of `client` (its address) against the rate limit: nullopt to answer it,
  // else the 429 to send instead.
  [[nodiscard]] std::optional<TooMany> admit(const std::string& client);

 private:
  // SubjectAsked is whom GET /v1/subject asks about: ?id=, or the subject ?plaque= resolved to here.
  struct SubjectAsked {
    std::string id;
    std::optional<PlaqueResolution> resolved;
  };
  void accept();
  std::string metrics();
  // subjectAsked reads ?id= or ?plaque= (exactly one): whom to look up, or the answer instead (400, or
  // 404 for a plaque number no log held here names).
  [[nodiscard]] std::variant<SubjectAsked, HttpAnswer> subjectAsked(const std::string& target);
  [[nodiscard]] HttpAnswer subjectAnswer(const LookupAnswer& a, const std::optional<PlaqueResolution>& resolved);
  Node& node_;
  boost::asio::ip::tcp::acceptor acceptor_;
  RateLimiter limiter_;
};

}  // namespace hreg::node
