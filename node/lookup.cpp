#include "node/lookup.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "node/core.h"
#include "node/node.h"
#include "protocol/limits.h"

namespace hreg::node {

using Kind = LookupAnswer::Kind;

// Local is what this node holds about a subject, and whether that is the whole of it.
struct Lookups::Local {
  rules::SubjectBundle bundle;
  // responsible: this node holds the log of the subject's division code (so, by how logs travel, the
  // logs above it too), or it is the root's node: every log that may hold a decision about it.
  bool responsible = false;
  std::vector<ReplicaLag> lags;   // of those logs, the copies behind what a peer announced
  bool parentAhead = false;       // one of the lags is behind the parent's announcement
};

struct Lookups::Pending {
  std::string subject;
  std::vector<Waiter> waiters;
  std::unique_ptr<boost::asio::steady_timer> timer;
};

struct Lookups::Cached {
  LookupAnswer answer;
  Timestamp verifiedAt = 0;
  std::size_t bytes = 0;
};

namespace {

std::string joined(const std::vector<std::string>& route) {
  std::string out;
  for (const std::string& r : route) out += (out.empty() ? "" : " -> ") + r;
  return out;
}

LookupAnswer refusal(unsigned status, std::string reason, std::string detail, std::string from = "") {
  LookupAnswer a;
  a.kind = Kind::REFUSED;
  a.status = status;
  a.reason = std::move(reason);
  a.detail = std::move(detail);
  a.from = std::move(from);
  return a;
}

// statusOf is how a refusal that came from up the chain is shown: the chain could not answer now
// (503), or an answer did not hold or was refused (502).
unsigned statusOf(std::string_view reason) {
  return reason == "unavailable" || reason == "node-not-ready" ? 503 : 502;
}

// newestCosignatures are the newest cosignature times on each extract's checkpoint, read from the
// lines as this node stored them (it verified each when it took it).
std::vector<Timestamp> newestCosignatures(const rules::SubjectBundle& bundle) {
  std::vector<Timestamp> out;
  for (std::size_t i = 0; i < bundle.logs.size(); ++i) {
    Timestamp newest = 0;
    if (i < bundle.cosignatures.size())
      for (const std::string& line : bundle.cosignatures[i])
        if (auto t = Core::cosignatureTime(line)) newest = std::max(newest, *t);
    out.push_back(newest);
  }
  return out;
}

}  // namespace

std::optional<Timestamp> asOfOf(const rules::SubjectBundle& bundle, const std::vector<Timestamp>& times) {
  std::set<std::string> holding;
  for (const rules::Position& p : bundle.decisions) holding.insert(p.origin);
  std::optional<Timestamp> out;
  for (std::size_t i = 0; i < bundle.logs.size() && i < times.size(); ++i)
    if (holding.count(bundle.logs[i].origin) && times[i] > 0) out = out ? std::min(*out, times[i]) : times[i];
  return out;
}

Lookups::Lookups(Node& node) : node_(node) {}
Lookups::~Lookups() = default;

Lookups::Local Lookups::assess(const std::string& subject) {
  Core& core = node_.core();
  Local local;
  local.bundle = core.subjectBundle(subject);
  const std::string rootOrigin = core.authority().rootAt(core.clock().now()).origin;
  std::optional<std::string> home;
  if (std::string code = rules::homeCode(subject); !code.empty())
    for (const std::string& origin : core.snapshot().origins())
      if (origin.size() > code.size() && origin.ends_with("/" + code)) home = origin;
  local.responsible = core.origin() == rootOrigin || home.has_value();
  if (!local.responsible) return local;
  // The logs that may hold a decision about it: its home log and every log above, to the root log.
  std::vector<std::string> chain;
  if (home) {
    chain.push_back(*home);
    for (auto above = core.authority().charteredBy(*home); above && chain.size() < 8;
         above = core.authority().charteredBy(*above))
      chain.push_back(*above);
  } else {
    for (const std::string& origin : core.snapshot().origins()) chain.push_back(origin);
  }
  for (const std::string& origin : chain) {
    auto head = core.head(origin);
    const std::uint64_t held = head ? head->size : 0;
    if (auto announced = node_.parentAnnounced(origin); announced && announced->size > held) {
      local.lags.push_back({origin, held, announced->size, announced->at});
      local.parentAhead = true;
    } else if (auto child = node_.stats().announced.find(origin);
               child != node_.stats().announced.end() && child->second > held) {
      local.lags.push_back({origin, held, child->second, 0});
    }
  }
  return local;
}

LookupAnswer Lookups::localAnswer(Local local, std::string staleDetail) {
  Core& core = node_.core();
  LookupAnswer a;
  a.route = {core.origin()};
  if (local.bundle.decisions.empty()) {
    a.kind = Kind::NOT_FOUND;
    a.status = 404;
    a.detail = fmt::format("{} holds no decision about {}{}", core.origin(), local.bundle.subject,
                           local.responsible ? " in the logs of its region"
                                             : "; ask a node of its region (the code it starts with)");
    if (!local.lags.empty()) a.detail += fmt::format(" (its copies of {} logs lag: {})", local.lags.size(), staleDetail);
    return a;
  }
  a.kind = Kind::FOUND;
  a.asOf = asOfOf(local.bundle, newestCosignatures(local.bundle));
  a.bundle = std::move(local.bundle);
  a.lags = std::move(local.lags);
  if (!a.lags.empty())
    a.staleDetail = staleDetail.empty() ? "made from this node's copies, which lag what its peers announced"
                                        : std::move(staleDetail);
  return a;
}

LookupAnswer Lookups::local(const std::string& subject) { return localAnswer(assess(subject), ""); }

std::optional<PlaqueResolution> Lookups::resolvePlaque(std::string_view plaque) {
  plaques_.update(node_.core().snapshot());
  return plaques_.resolve(plaque);
}

LookupAnswer Lookups::plaqueNotHeld(std::string_view plaque) {
  Core& core = node_.core();
  const std::string rootOrigin = core.authority().rootAt(core.clock().now()).origin;
  LookupAnswer a;
  a.kind = Kind::NOT_FOUND;
  a.status = 404;
  a.route = {core.origin()};
  a.detail = fmt::format("no certification or legacy import in the logs {} holds (its own, those below it and those "
                         "above it) names plaque '{}'. A plaque number is resolved only by a node that holds the log "
                         "of the office that gave the plaque: that office's node, any node above it up to the root's "
                         "node {} (which holds every filed log), or one below it; lookups by plaque number are not "
                         "routed. Or ask by the workshop's identifier (?id=), which any node routes",
                         core.origin(), plaque, rootOrigin);
  return a;
}

void Lookups::lookup(const std::string& subject, unsigned hops, std::chrono::milliseconds wait, Done done) {
  Core& core = node_.core();
  if (subject.empty() || subject.size() > limits::MAX_SUBJECT_BYTES)
    return done(refusal(400, "limit-exceeded", fmt::format("an identifier has 1 to {} bytes",
                                                           limits::MAX_SUBJECT_BYTES)));
  if (stopped_) return done(refusal(503, "node-not-ready", "the node is shutting down"));
  Local local = assess(subject);
  if (local.responsible && !local.parentAhead) return done(localAnswer(std::move(local), ""));
  if (!local.responsible)
    if (auto hit = fromCache(subject)) return done(std::move(*hit));
  if (!node_.config().parent) return done(localAnswer(std::move(local), ""));
  if (hops == 0) {
    if (local.responsible) return done(localAnswer(std::move(local), "the lookup may not be forwarded further"));
    return done(refusal(502, "limit-exceeded", fmt::format("the lookup of {} reached {} after {} hops and may not be "
                                                           "forwarded further", subject, core.origin(),
                                                           limits::MAX_LOOKUP_HOPS)));
  }
  const auto forParent = std::max(MIN_WAIT, wait - FORWARD_MARGIN);
  auto shared = std::make_shared<Local>(std::move(local));
  askParent(subject, hops - 1, forParent,
            [this, subject, shared, done = std::move(done)](const WireAnswer* answer, const LookupAnswer* failure) {
              if (failure) return done(failed(subject, *shared, *failure));
              done(fromParent(subject, *shared, *answer));
            });
}

void Lookups::askParent(const std::string& subject, unsigned hops, std::chrono::milliseconds wait, Waiter waiter) {
  if (auto joined = pendingBySubject_.find(subject); joined != pendingBySubject_.end()) {
    pending_.at(joined->second).waiters.push_back(std::move(waiter));
    return;
  }
  const std::string& parent = node_.config().parent->origin;
  if (pending_.size() >= MAX_PENDING) {
    auto busy = refusal(503, "unavailable", fmt::format("{} has {} lookups waiting for its parent {}; retry shortly",
                                                        node_.core().origin(), pending_.size(), parent));
    return waiter(nullptr, &busy);
  }
  const std::uint64_t id = nextId_++;
  if (!node_.sendSubjectQuery(id, subject, hops, wait)) {
    auto down = refusal(503, "node-not-ready", fmt::format("{} has no session with its parent {} now; retry shortly, "
                                                           "or ask another node", node_.core().origin(), parent));
    return waiter(nullptr, &down);
  }
  Pending& p = pending_[id];
  p.subject = subject;
  p.waiters.push_back(std::move(waiter));
  pendingBySubject_[subject] = id;
  p.timer = std::make_unique<boost::asio::steady_timer>(node_.io(), wait);
  p.timer->async_wait([this, id, wait, parent](boost::system::error_code ec) {
    if (ec) return;  // answered, or stopped
    auto late = refusal(504, "unavailable", fmt::format("{} did not answer within {} ms", parent, wait.count()), parent);
    finish(id, nullptr, &late);
  });
  node_.log().debug("lookup-forwarded subject={} id={} parent={} hops={} wait_ms={}", subject, id, parent, hops,
                    wait.count());
}

void Lookups::finish(std::uint64_t id, const WireAnswer* answer, const LookupAnswer* failure) {
  auto found = pending_.find(id);
  if (found == pending_.end()) return;
  Pending p = std::move(found->second);
  pending_.erase(found);
  pendingBySubject_.erase(p.subject);
  if (p.timer) p.timer->cancel();
  for (Waiter& w : p.waiters) w(answer, failure);
}

bool Lookups::answered(std::uint64_t id, WireAnswer answer) {
  if (id == 0 || id >= nextId_) return false;
  finish(id, &answer, nullptr);
  return true;
}

void Lookups::parentLost() {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, p] : pending_) ids.push_back(id);
  for (std::uint64_t id : ids) {
    auto lost = refusal(503, "node-not-ready",
                        fmt::format("the session with the parent {} ended before it answered; retry shortly",
                                    node_.config().parent ? node_.config().parent->origin : "?"));
    finish(id, nullptr, &lost);
  }
}

void Lookups::stop() {
  stopped_ = true;
  std::vector<std::uint64_t> ids;
  for (const auto& [id, p] : pending_) ids.push_back(id);
  for (std::uint64_t id : ids) {
    auto stopping = refusal(503, "node-not-ready", "the node is shutting down");
    finish(id, nullptr, &stopping);
  }
}

LookupAnswer Lookups::failed(const std::string& subject, Local local, LookupAnswer failure) {
  // A node that holds its region's logs answers from its copies when the parent cannot, and says so.
  if (local.responsible)
    return localAnswer(std::move(local), fmt::format("the parent could not confirm them: {} ({})", failure.detail,
                                                     failure.reason));
  node_.log().warn("lookup-failed subject={} reason={} detail=\"{}\"", subject, failure.reason, failure.detail);
  failure.route.insert(failure.route.begin(), node_.core().origin());
  return failure;
}

LookupAnswer Lookups::fromParent(const std::string& subject, const Local& local, const WireAnswer& answer) {
  Core& core = node_.core();
  const std::string& parent = node_.config().parent->origin;
  std::vector<std::string> route{core.origin()};
  route.insert(route.end(), answer.route.begin(), answer.route.end());
  if (answer.kind == Kind::NOT_FOUND) {
    if (local.responsible) return localAnswer(local, fmt::format("the parent {} holds no decision about it", parent));
    LookupAnswer a;
    a.kind = Kind::NOT_FOUND;
    a.status = 404;
    a.route = route;
    a.detail = fmt::format("no node on the route {} holds a decision about {} (the last holds the logs of its "
                           "region)", joined(route), subject);
    return a;
  }
  if (answer.kind == Kind::REFUSED) {
    LookupAnswer r = refusal(statusOf(answer.reason), answer.reason, fmt::format("{} refused: {}", parent, answer.detail),
                             parent);
    if (local.responsible) return failed(subject, local, r);
    node_.log().warn("lookup-refused-upstream subject={} parent={} reason={} detail=\"{}\"", subject, parent,
                     answer.reason, answer.detail);
    r.route = route;
    return r;
  }
  // A bundle: nothing of it is used, cached or passed on before it is checked from the trust root.
  auto refuseIt = [&](std::string_view reason, const std::string& why) {
    node_.log().warn("lookup-answer-refused subject={} from={} route=\"{}\" reason={} detail=\"{}\"", subject, parent,
                     joined(route), reason, why);
    LookupAnswer r = refusal(502, std::string(reason),
                             fmt::format("the answer {} sent about {} (route {}) does not hold: {}; nothing of it is "
                                         "shown or passed on", parent, subject, joined(route), why),
                             parent);
    r.route = route;
    return r;
  };
  if (answer.bundleJson.size() > limits::MAX_BUNDLE_BYTES)
    return refuseIt("limit-exceeded", fmt::format("{} bytes, more than {}", answer.bundleJson.size(),
                                                  limits::MAX_BUNDLE_BYTES));
  auto bundle = rules::subjectBundleFromJson(answer.bundleJson);
  if (!bundle) return refuseIt(reasonName(bundle.error().reason), bundle.error().detail);
  if (bundle.value().subject != subject)
    return refuseIt(reasonName(Reason::SUBJECT_MISMATCH),
                    fmt::format("it is about '{}', not {}", bundle.value().subject, subject));
  if (bundle.value().decisions.empty())
    return refuseIt(reasonName(Reason::SUBJECT_MISMATCH), "a bundle that lists no decision; a node that holds none "
                                                          "answers notFound");
  auto report = rules::checkSubject(core.trustRoot(), bundle.value(), core.clock().now());
  if (!report) return refuseIt(reasonName(report.error().reason), report.error().detail);
  LookupAnswer a;
  a.kind = Kind::FOUND;
  a.route = std::move(route);
  a.cachedBy = answer.cachedBy;
  a.lags = answer.lags;
  a.staleDetail = answer.staleDetail;
  std::vector<Timestamp> times;
  for (const rules::ProvenLog& l : report.value().logs) times.push_back(l.newestCosignature);
  a.bundle = std::move(bundle).value();
  a.asOf = times.size() == a.bundle.logs.size() ? asOfOf(a.bundle, times) : std::nullopt;
  node_.log().info("lookup-answered subject={} route=\"{}\" cached_by={} decisions={}", subject, joined(a.route),
                   a.cachedBy.empty() ? "-" : a.cachedBy, a.bundle.decisions.size());
  if (!local.responsible) remember(subject, a);
  return a;
}

std::optional<LookupAnswer> Lookups::fromCache(const std::string& subject) {
  auto found = cache_.find(subject);
  if (found == cache_.end()) return std::nullopt;
  const Timestamp now = node_.core().clock().now();
  if (now - found->second.verifiedAt >= CACHE_SECONDS || now < found->second.verifiedAt) {
    cacheBytes_ -= found->second.bytes;
    recency_.remove(subject);
    cache_.erase(found);
    return std::nullopt;
  }
  recency_.remove(subject);
  recency_.push_front(subject);
  LookupAnswer a = found->second.answer;
  a.cachedBy = node_.core().origin();
  return a;
}

void Lookups::remember(const std::string& subject, const LookupAnswer& answer) {
  if (auto old = cache_.find(subject); old != cache_.end()) {
    cacheBytes_ -= old->second.bytes;
    recency_.remove(subject);
    cache_.erase(old);
  }
  Cached c;
  c.answer = answer;
  c.answer.cachedBy.clear();  // whoever serves it from here on, it is this node's cache
  c.verifiedAt = node_.core().clock().now();
  c.bytes = subject.size() + rules::toJson(answer.bundle).dump().size();
  if (c.bytes > CACHE_BYTES) return;
  while (cacheBytes_ + c.bytes > CACHE_BYTES && !recency_.empty()) {
    auto last = cache_.find(recency_.back());
    cacheBytes_ -= last->second.bytes;
    cache_.erase(last);
    recency_.pop_back();
  }
  cacheBytes_ += c.bytes;
  cache_.emplace(subject, std::move(c));
  recency_.push_front(subject);
}

nlohmann::ordered_json plaqueJson(const PlaqueResolution& r) {
  using Json = nlohmann::ordered_json;
  Json earlier = Json::array();
  for (const PlaqueNaming& n : r.earlier)
    earlier.push_back({{"subject", n.subject}, {"origin", n.at.origin}, {"index", n.at.index}, {"decidedAt", n.decidedAt}});
  return Json{{"plaque", r.plaque},         {"subject", r.newest.subject},       {"origin", r.newest.at.origin},
              {"index", r.newest.at.index}, {"decidedAt", r.newest.decidedAt}, {"earlier", earlier}};
}

nlohmann::ordered_json lookupBody(const LookupAnswer& a, Timestamp now, const PlaqueResolution* resolvedFrom) {
  using Json = nlohmann::ordered_json;
  if (a.kind != Kind::FOUND) {
    Json error{{"reason", a.kind == Kind::NOT_FOUND ? std::string("index-out-of-range") : a.reason},
               {"detail", a.detail}};
    if (!a.from.empty()) error["from"] = a.from;
    Json body{{"error", error}, {"route", a.route}};
    if (resolvedFrom) body["resolvedFrom"] = plaqueJson(*resolvedFrom);
    return body;
  }
  Json body = rules::toJson(a.bundle);
  body["route"] = a.route;
  body["cached"] = !a.cachedBy.empty();
  body["cachedBy"] = a.cachedBy.empty() ? Json(nullptr) : Json(a.cachedBy);
  body["asOf"] = a.asOf ? Json(*a.asOf) : Json(nullptr);
  body["ageSeconds"] = a.asOf ? Json(now - *a.asOf) : Json(nullptr);
  if (a.lags.empty()) {
    body["stale"] = nullptr;
  } else {
    Json lags = Json::array();
    for (const ReplicaLag& l : a.lags)
      lags.push_back({{"origin", l.origin}, {"held", l.held}, {"announced", l.announced},
                      {"behind", l.announced - l.held},
                      {"announcedAt", l.announcedAt ? Json(l.announcedAt) : Json(nullptr)},
                      {"secondsBehind", l.announcedAt ? Json(now - l.announcedAt) : Json(nullptr)}});
    body["stale"] = {{"lags", lags}, {"detail", a.staleDetail}};
  }
  if (resolvedFrom) body["resolvedFrom"] = plaqueJson(*resolvedFrom);
  return body;
}

}  // namespace hreg::node
