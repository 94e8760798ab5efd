#pragma once
// Lookups across regions: GET /v1/subject answered at any node. A node answers from its own store when
// it holds every log that may hold a decision about the subject (the log of the subject's division
// code and the logs above it) and its copies of them are not behind what its parent announced;
// otherwise it asks its parent over the peer session (SubjectQuery), which answers or asks its own
// parent, up to the root's node, which holds every filed log (docs/protocol.md, "Lookups across
// regions"). A bundle from the parent is checked from the trust root (rules::checkSubject) before it
// is used, cached or passed on; one that fails is refused, naming the node that sent it. Verified
// answers are cached per node (bounded). Left out: division-code shortcuts and province peers (the
// chain of parents is enough), and completeness across logs (a bundle can still omit an entry it
// does not extract; docs/trust.md).
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ledger/rules/subject.h"
#include "node/plaque-index.h"
#include "protocol/core/clock.h"

namespace hreg::node {

class Node;

// ReplicaLag is a replica this node holds that is behind what a peer announced of its log.
struct ReplicaLag {
  std::string origin;
  std::uint64_t held = 0;       // the size of the newest checkpoint held
  std::uint64_t announced = 0;  // the size the peer's newest Head announced
  Timestamp announcedAt = 0;    // when that Head came (0: unknown)
};

// LookupAnswer is what a lookup came to, at this node.
struct LookupAnswer {
  enum class Kind { FOUND, NOT_FOUND, REFUSED };
  Kind kind = Kind::REFUSED;
  rules::SubjectBundle bundle;      // FOUND: checked, or made from this node's own store
  std::vector<std::string> route;   // the logs of the nodes it came through: this node first, the maker last
  std::string cachedBy;             // the node whose cache served it, or ""
  std::optional<Timestamp> asOf;    // FOUND: when a parent last witnessed the subject's logs (see asOfOf)
  std::vector<ReplicaLag> lags;     // FOUND: the replicas it was made from that lag what was announced
  std::string staleDetail;          // with lags: why it was made from them anyway
  std::string reason;               // REFUSED: a reason name ("bad-signature", "unavailable", …)
  std::string detail;               // REFUSED, NOT_FOUND: what happened, naming the node where
  std::string from;                 // REFUSED: the node whose answer did not hold, or ""
  unsigned status = 200;            // the HTTP status it is shown with
};

// WireAnswer is a SubjectAnswer as it arrives from the parent, not yet checked.
struct WireAnswer {
  LookupAnswer::Kind kind = LookupAnswer::Kind::REFUSED;
  std::string bundleJson;
  std::vector<std::string> route;
  std::string cachedBy;
  std::vector<ReplicaLag> lags;
  std::string staleDetail;
  std::string reason, detail;
};

// LOOKUP_WAIT is how long a lookup asked over HTTP waits for the parent chain, within the API's
// 30 seconds per request; each node up the chain waits FORWARD_MARGIN less than its child, so the node
// nearest the silence is the one that reports it.
inline constexpr std::chrono::milliseconds LOOKUP_WAIT{10'000};
inline constexpr std::chrono::milliseconds FORWARD_MARGIN{500};
inline constexpr std::chrono::milliseconds MIN_WAIT{500};
// CACHE_SECONDS is how long a verified answer from the parent is served again without asking: a
// decision recorded meanwhile shows within a minute. The answer's asOf never moves forward in cache.
inline constexpr Timestamp CACHE_SECONDS = 60;
// CACHE_BYTES bounds the cache's memory (bundles as JSON text); the least recently used go first.
inline constexpr std::size_t CACHE_BYTES = std::size_t{32} << 20;
// MAX_PENDING bounds the lookups waiting for the parent (one per subject; later askers join it).
inline constexpr std::size_t MAX_PENDING = 1024;

class Lookups {
 public:
  using Done = std::function<void(LookupAnswer)>;

  explicit Lookups(Node& node);
  ~Lookups();
  Lookups(const Lookups&) = delete;
  Lookups& operator=(const Lookups&) = delete;

  // lookup answers a lookup of `subject` that may still be forwarded `hops` times, within `wait`.
  // `done` runs exactly once, on the node's thread, possibly before lookup returns.
  void lookup(const std::string& subject, unsigned hops, std::chrono::milliseconds wait, Done done);
  // local answers from this node's store alone, without asking anyone.
  [[nodiscard]] LookupAnswer local(const std::string& subject);
  // resolvePlaque is what a plaque number resolves to in the logs this node holds, brought up to date
  // from the store first (node/plaque-index.h); nullopt when none of them names it. Lookups by plaque
  // number are never forwarded: the peer protocol asks by identifier.
  [[nodiscard]] std::optional<PlaqueResolution> resolvePlaque(std::string_view plaque);
  // plaqueNotHeld is the 404 answer for a plaque number this node cannot resolve, naming the nodes that can.
  [[nodiscard]] LookupAnswer plaqueNotHeld(std::string_view plaque);

  // answered takes the parent's SubjectAnswer to the query `id`; false when no such query was ever
  // sent (a protocol error), true for one answered already or given up (a late answer, dropped).
  bool answered(std::uint64_t id, WireAnswer answer);
  // parentLost fails every query waiting for the parent: its session ended.
  void parentLost();
  // stop cancels every timer; waiting lookups are refused.
  void stop();

  // cachedEntries is how many answers the cache holds (metrics).
  [[nodiscard]] std::size_t cachedEntries() const { return cache_.size(); }

 private:
  struct Local;
  struct Pending;
  struct Cached;
  using Waiter = std::function<void(const WireAnswer*, const LookupAnswer* failure)>;

  [[nodiscard]] Local assess(const std::string& subject);
  [[nodiscard]] LookupAnswer localAnswer(Local local, std::string staleDetail);
  void askParent(const std::string& subject, unsigned hops, std::chrono::milliseconds wait, Waiter waiter);
  void finish(std::uint64_t id, const WireAnswer* answer, const LookupAnswer* failure);
  [[nodiscard]] LookupAnswer fromParent(const std::string& subject, const Local& local, const WireAnswer& answer);
  [[nodiscard]] LookupAnswer failed(const std::string& subject, Local local, LookupAnswer failure);
  [[nodiscard]] std::optional<LookupAnswer> fromCache(const std::string& subject);
  void remember(const std::string& subject, const LookupAnswer& answer);

  Node& node_;
  PlaqueIndex plaques_;
  std::uint64_t nextId_ = 1;
  std::map<std::uint64_t, Pending> pending_;
  std::map<std::string, std::uint64_t> pendingBySubject_;
  std::map<std::string, Cached> cache_;
  std::list<std::string> recency_;  // most recently used first
  std::size_t cacheBytes_ = 0;
  bool stopped_ = false;
};

// lookupBody is the JSON body of an answer: for FOUND the bundle (rules::toJson, unchanged) with the
// lookup's own fields after it — "route", "cached", "cachedBy", "asOf", "ageSeconds", "stale"; else
// {"error": {"reason", "detail", "from"}, "route"}. A lookup by plaque number adds "resolvedFrom"
// (plaqueJson) last, to either.
[[nodiscard]] nlohmann::ordered_json lookupBody(const LookupAnswer& answer, Timestamp now,
                                                const PlaqueResolution* resolvedFrom = nullptr);
// plaqueJson is how a plaque number was resolved: {"plaque", "subject", "origin", "index", "decidedAt",
// "earlier": [{"subject", "origin", "index", "decidedAt"}]}, the node's word, not proven.
[[nodiscard]] nlohmann::ordered_json plaqueJson(const PlaqueResolution& resolution);

// asOfOf is the time up to which the logs holding the subject's decisions are witnessed: for each
// such log the newest cosignature on its checkpoint in the bundle, and the oldest of these (none: no
// log is cosigned, e.g. a decision of the root log only). `times` are those newest cosignature times,
// per extract, in the bundle's order (0: none).
[[nodiscard]] std::optional<Timestamp> asOfOf(const rules::SubjectBundle& bundle, const std::vector<Timestamp>& times);

}  // namespace hreg::node
