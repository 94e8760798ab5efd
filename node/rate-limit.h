#pragma once
// Per-client rate limits of the node's HTTP API: one token bucket per client address, refilled by the
// node's Clock (whole seconds; a FileClock in tests), so one busy or hostile client cannot take the
// node's time from the others. The table of clients is capped; it leaves out grouping addresses
// (an IPv6 /64 counts as many clients) and any limit across clients. docs/protocol.md, "Local API".
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "protocol/core/clock.h"

namespace hreg::node {

struct RateLimits {
  double requestsPerSecond = 20;  // refill rate per client; 0: no limit
  double burst = 200;             // bucket size: requests a client may make at once
  // maxClients caps the table so that a flood of source addresses cannot grow it without bound
  // (about 100 bytes a client: 10,000 clients are 1 MB).
  std::size_t maxClients = 10'000;
};

class RateLimiter {
 public:
  // RateLimiter reads `clock` at every admit(); the clock must outlive it.
  RateLimiter(const Clock& clock, RateLimits limits);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // admit takes one token from `client`'s bucket (a new client starts with a full one). It answers
  // nullopt when the request may go on, else the whole seconds after which a token will be there
  // (at least 1): the 429's Retry-After. Not thread-safe: the node calls it from its one io thread.
  [[nodiscard]] std::optional<std::int64_t> admit(const std::string& client);

  // clients is the number of clients in the table, at most limits().maxClients.
  [[nodiscard]] std::size_t clients() const { return buckets_.size(); }
  [[nodiscard]] bool enabled() const { return limits_.requestsPerSecond > 0; }
  [[nodiscard]] const RateLimits& limits() const { return limits_; }

 private:
  struct Bucket {
    std::string client;
    double tokens = 0;
    Timestamp refilledAt = 0;
  };
  using Recency = std::list<Bucket>;  // most recently seen first
  void refill(Bucket& bucket, Timestamp now) const;

  const Clock& clock_;
  RateLimits limits_;
  Recency recency_;
  std::unordered_map<std::string, Recency::iterator> buckets_;
};

}  // namespace hreg::node
