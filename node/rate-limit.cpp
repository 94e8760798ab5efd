#include "node/rate-limit.h"

#include <algorithm>
#include <cmath>

namespace hreg::node {

RateLimiter::RateLimiter(const Clock& clock, RateLimits limits) : clock_(clock), limits_(limits) {
  limits_.burst = std::max(limits_.burst, 1.0);
  limits_.maxClients = std::max<std::size_t>(limits_.maxClients, 1);
}

void RateLimiter::refill(Bucket& bucket, Timestamp now) const {
  // The clock never goes back (SystemClock may, when the operator sets it): a step back refills nothing.
  if (now <= bucket.refilledAt) return;
  double elapsed = static_cast<double>(now - bucket.refilledAt);
  bucket.tokens = std::min(limits_.burst, bucket.tokens + elapsed * limits_.requestsPerSecond);
  bucket.refilledAt = now;
}

std::optional<std::int64_t> RateLimiter::admit(const std::string& client) {
  if (!enabled()) return std::nullopt;
  const Timestamp now = clock_.now();
  auto found = buckets_.find(client);
  if (found == buckets_.end()) {
    // Full: forget the client seen least recently. A client idle for burst / rate seconds has a full
    // bucket again, so forgetting it changes nothing; one forgotten sooner starts afresh, which a
    // flood of addresses could give itself anyway.
    if (buckets_.size() >= limits_.maxClients) {
      buckets_.erase(recency_.back().client);
      recency_.pop_back();
    }
    recency_.push_front(Bucket{client, limits_.burst, now});
    found = buckets_.emplace(client, recency_.begin()).first;
  } else {
    recency_.splice(recency_.begin(), recency_, found->second);
  }
  Bucket& bucket = *found->second;
  refill(bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  auto wait = static_cast<std::int64_t>(std::ceil((1 - bucket.tokens) / limits_.requestsPerSecond));
  return std::max<std::int64_t>(wait, 1);
}

}  // namespace hreg::node
