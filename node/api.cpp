#include "node/api.h"

#include <fmt/format.h>

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "ledger/rules/date.h"
#include "ledger/rules/office-policy.h"
#include "ledger/rules/settings.h"
#include "ledger/rules/subject.h"
#include "node/draw-draft.h"
#include "node/lookup.h"
#include "node/node.h"
#include "node/peer-session.h"
#include "node/statistics.h"
#include "node/web.h"
#include "protocol/limits.h"

namespace hreg::node {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

namespace {

// REQUEST_TIME bounds how long a request may take to arrive, and its answer to leave: a slow or
// stalled client holds a connection no longer than this.
constexpr auto REQUEST_TIME = std::chrono::seconds(30);
// LINGER_TIME bounds how long a closing connection reads what its client still sends.
constexpr auto LINGER_TIME = std::chrono::seconds(5);
// HEADER_LIMIT bounds the request line and headers together: ample for any client of this API (a
// query names one log or subject), small enough that headers cost the node nothing.
constexpr std::uint32_t HEADER_LIMIT = 16 * 1024;

HttpAnswer jsonAnswer(unsigned status, const json& body) { return {status, "application/json", body.dump() + "\n"}; }

HttpAnswer errorAnswer(unsigned status, std::string_view reason, const std::string& detail) {
  return jsonAnswer(status, {{"error", {{"reason", reason}, {"detail", detail}}}});
}

HttpAnswer refusalAnswer(unsigned status, const Refusal& r) { return errorAnswer(status, reasonName(r.reason), r.detail); }

// query reads one parameter of a target's query string ("?origin=a&index=3"), percent-decoded.
std::optional<std::string> query(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) != name || eq == std::string_view::npos) continue;
    std::string out;
    std::string_view v = pair.substr(eq + 1);
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '%' && i + 2 < v.size()) {
        unsigned code = 0;
        auto [end, ec] = std::from_chars(v.data() + i + 1, v.data() + i + 3, code, 16);
        if (ec == std::errc{} && end == v.data() + i + 3) {
          out.push_back(static_cast<char>(code));
          i += 2;
          continue;
        }
      }
      out.push_back(v[i] == '+' ? ' ' : v[i]);
    }
    return out;
  }
  return std::nullopt;
}

// queryAll reads every value of a repeated parameter ("?subject=a&subject=b"), in order, percent-decoded.
std::vector<std::string> queryAll(std::string_view target, std::string_view name) {
  std::vector<std::string> out;
  auto q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string rest(target.substr(q + 1));
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string pair = rest.substr(0, amp);
    rest = amp == std::string::npos ? std::string() : rest.substr(amp + 1);
    if (auto v = query("?" + pair, name)) out.push_back(std::move(*v));
  }
  return out;
}

std::string path(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

json headJson(const Head& h) {
  return {{"origin", h.origin},   {"size", h.size},           {"root", toHex(ByteView(h.root))},
          {"checkpoint", h.checkpoint}, {"cosignatures", h.cosignatures}, {"frozen", h.frozen}};
}

std::string label(std::string_view origin) {
  std::string out;
  for (char c : origin) out += (c == '"' || c == '\\') ? '_' : c;
  return out;
}

// clientOf is the address a connection comes from, as the rate limit counts it: an IPv4 client of
// an IPv6 socket ("::ffff:10.1.2.3") counts as its IPv4 address.
std::string clientOf(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto address = socket.remote_endpoint(ec).address();
  if (ec) return "unknown";
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

// unreadable is the answer to a request the parser gave up on, or nullopt when there is nobody to
// answer (the client closed, or the time ran out).
std::optional<HttpAnswer> unreadable(beast::error_code ec, std::size_t bodyLimit) {
  if (ec == http::error::body_limit)
    return errorAnswer(413, "limit-exceeded", fmt::format("the request body is larger than {} bytes", bodyLimit));
  if (ec == http::error::header_limit)
    return errorAnswer(431, "limit-exceeded", fmt::format("the request line and headers are larger than {} bytes",
                                                          HEADER_LIMIT));
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return std::nullopt;
  if (ec.category() == beast::http::make_error_code(http::error::bad_target).category())
    return errorAnswer(400, "bad-request", fmt::format("not an HTTP/1.1 request this API can read: {}", ec.message()));
  return std::nullopt;  // timeout, reset, shut down
}

// HttpSession reads requests and writes answers on one connection until either side closes. Each
// request has REQUEST_TIME to arrive whole and its answer as long to leave; each counts against the
// client's rate limit, answered or refused.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(ApiServer& api, asio::ip::tcp::socket socket, std::size_t bodyLimit)
      : api_(api), client_(clientOf(socket)), stream_(std::move(socket)), bodyLimit_(bodyLimit) {}
  void read() {
    parser_.emplace();
    parser_->body_limit(bodyLimit_);
    parser_->header_limit(HEADER_LIMIT);
    stream_.expires_after(REQUEST_TIME);
    auto self = shared_from_this();
    http::async_read(stream_, buffer_, *parser_, [this, self](beast::error_code ec, std::size_t) {
      if (ec) {
        // The rest of a refused request may still be on its way: answer, then close.
        auto refusal = unreadable(ec, bodyLimit_);
        if (!refusal) return;
        if (auto tooMany = api_.admit(client_)) return answer(std::move(tooMany->answer), false, tooMany->retryAfter);
        return answer(std::move(*refusal), false);
      }
      auto& req = parser_->get();
      if (auto tooMany = api_.admit(client_))
        return answer(std::move(tooMany->answer), req.keep_alive(), tooMany->retryAfter);
      api_.handleAsync(std::string(req.method_string()), std::string(req.target()), req.body(),
                       [this, self, keepAlive = req.keep_alive()](HttpAnswer out) { answer(std::move(out), keepAlive); });
    });
  }

 private:
  void answer(HttpAnswer a, bool keepAlive, std::optional<std::int64_t> retryAfter = std::nullopt) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(a.status), 11);
    res->set(http::field::server, "hreg-node");
    res->set(http::field::content_type, a.contentType);
    if (retryAfter) res->set(http::field::retry_after, std::to_string(*retryAfter));
    res->keep_alive(keepAlive);
    res->body() = std::move(a.body);
    res->prepare_payload();
    stream_.expires_after(REQUEST_TIME);
    auto self = shared_from_this();
    http::async_write(stream_, *res, [this, self, res, keepAlive](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (!keepAlive) return linger();
      read();
    });
  }

  // linger ends the connection after an answer: it stops sending, then reads and drops what the client
  // still sends (a refused body) for up to LINGER_TIME, so that closing does not reset the connection
  // before the client has read the answer.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(LINGER_TIME);
    drain();
  }
  void drain() {
    auto self = shared_from_this();
    stream_.async_read_some(asio::buffer(scratch_), [this, self](beast::error_code ec, std::size_t) {
      if (!ec) drain();
    });
  }

  ApiServer& api_;
  std::string client_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::size_t bodyLimit_;
  std::array<char, 16 * 1024> scratch_{};
};

}  // namespace

ApiServer::ApiServer(Node& node, const Endpoint& listen)
    : node_(node),
      acceptor_(node.io()),
      limiter_(node.core().clock(), RateLimits{.requestsPerSecond = node.config().apiRequestsPerSecond,
                                               .burst = node.config().apiBurst}) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(listen.host), listen.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
}

void ApiServer::start() { accept(); }

void ApiServer::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void ApiServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (ec) return;  // closed by stop()
    std::make_shared<HttpSession>(*this, std::move(socket), node_.config().maxRequestBytes)->read();
    accept();
  });
}

std::optional<ApiServer::TooMany> ApiServer::admit(const std::string& client) {
  auto wait = limiter_.admit(client);
  if (!wait) return std::nullopt;
  HttpAnswer refusal = errorAnswer(429, "limit-exceeded",
                                   fmt::format("more than {} requests at once or {} a second from {}; retry after {} s "
                                               "(limits.api_burst, limits.api_requests_per_second)",
                                               limiter_.limits().burst, limiter_.limits().requestsPerSecond, client,
                                               *wait));
  return TooMany{std::move(refusal), *wait};
}

void ApiServer::handleAsync(const std::string& method, const std::string& target, const std::string& body,
                            std::function<void(HttpAnswer)> done) {
  if (method != "GET" || path(target) != "/v1/subject") return done(handle(method, target, body));
  auto asked = subjectAsked(target);
  if (auto* refused = std::get_if<HttpAnswer>(&asked)) return done(std::move(*refused));
  auto subject = std::get<SubjectAsked>(std::move(asked));
  node_.lookups().lookup(subject.id, limits::MAX_LOOKUP_HOPS, LOOKUP_WAIT,
                         [this, done = std::move(done), resolved = std::move(subject.resolved)](LookupAnswer a) {
                           done(subjectAnswer(a, resolved));
                         });
}

std::variant<ApiServer::SubjectAsked, HttpAnswer> ApiServer::subjectAsked(const std::string& target) {
  auto id = query(target, "id");
  auto plaque = query(target, "plaque");
  if (id && plaque)
    return errorAnswer(400, "bad-request", "ask by identifier or by plaque number, not both: /v1/subject?id=140902-W-0001 "
                                           "or /v1/subject?plaque=NUMBER");
  if (plaque) {
    if (plaque->empty()) return errorAnswer(400, "bad-request", "name the plaque: /v1/subject?plaque=NUMBER");
    // Resolved here, from the logs this node holds; then looked up as ?id= is (node/plaque-index.h).
    auto resolved = node_.lookups().resolvePlaque(*plaque);
    if (!resolved) return subjectAnswer(node_.lookups().plaqueNotHeld(*plaque), std::nullopt);
    return SubjectAsked{resolved->newest.subject, std::move(resolved)};
  }
  if (!id || id->empty())
    return errorAnswer(400, "bad-request", "name the workshop or craftsman: /v1/subject?id=140902-W-0001, or its "
                                           "plaque: /v1/subject?plaque=NUMBER");
  return SubjectAsked{*id, std::nullopt};
}

HttpAnswer ApiServer::subjectAnswer(const LookupAnswer& a, const std::optional<PlaqueResolution>& resolved) {
  return {a.status, "application/json",
          lookupBody(a, node_.core().clock().now(), resolved ? &*resolved : nullptr).dump() + "\n"};
}

namespace {

// signingJson says who must sign a draft of `kind` at `origin` at `time`: the signing rule in force
// there, and the officials whose grants can give it each signature it needs.
json signingJson(Core& core, const std::string& origin, schema::Body::Which kind, Timestamp time) {
  const rules::EffectivePolicy policy = core.policyAt(origin, time);
  const trust::SigningRule rule = policy.signingRule(kind);
  json officials = json::array();
  for (const trust::OfficialGrant& g : mustSign(rule, core.officials(origin), time))
    officials.push_back({{"key", toHex(ByteView(g.key))}, {"person", g.person}, {"department", g.department}});
  const char* signers = rule.signers == trust::Signers::ROOT        ? "root"
                        : rule.signers == trust::Signers::AUTHORITY ? "authority"
                                                                    : "officials";
  return {{"signers", signers}, {"departments", rule.departments}, {"role", rule.role}, {"officials", officials},
          {"policyVersion", policy.version()}};
}

// draftsAnswer is GET /v1/drafts: the records time alone made due in `region` that this node's log
// must hold, drafted now (node/drafts.h), and the consequences it could not draft.
HttpAnswer draftsAnswer(Core& core, const std::string& region) {
  const Timestamp now = core.clock().now();
  json drafts = json::array(), findings = json::array();
  for (const DraftedConsequence& c : core.consequenceDrafts(region, now)) {
    if (!c.draft) {
      findings.push_back({{"subject", c.subject}, {"what", c.derived.what}, {"reason", reasonName(c.refused->reason)},
                          {"detail", c.refused->detail}});
      continue;
    }
    drafts.push_back({{"subject", c.subject}, {"name", c.name}, {"what", c.derived.what}, {"at", c.derived.at},
                      {"stage", rules::stageName(c.derived.to)}, {"kind", rules::kindName(c.draft->kind)},
                      {"origin", c.draft->origin}, {"time", now},
                      {"signing", signingJson(core, c.draft->origin, c.draft->kind, now)},
                      {"decision", toBase64(c.draft->signedDecision)}});
  }
  return jsonAnswer(200, {{"node", core.origin()}, {"region", region}, {"asOf", now}, {"drafts", drafts},
                          {"findings", findings}});
}

// drawStatus is the HTTP status of a draft of a draw refused: a request that cannot be read is 400,
// a pool, draw or checkpoint not held here 404, a draw the rules refuse (even count, too few experts,
// not an expert pool) 422.
unsigned drawStatus(const Refusal& r) {
  if (r.reason == Reason::MALFORMED_ENTRY) return 400;
  if (r.reason == Reason::PREREQUISITE_MISSING) return 404;
  return 422;
}

json drawSeedJson(const rules::DrawSeed& seed) {
  return {{"origin", seed.origin}, {"treeSize", seed.treeSize}, {"root", toHex(ByteView(seed.root))}};
}

json namedPoolsJson(const std::vector<NamedPool>& pools) {
  json out = json::array();
  for (const NamedPool& p : pools)
    out.push_back({{"origin", p.origin}, {"index", p.index}, {"leafHash", toHex(ByteView(p.leafHash))},
                   {"version", p.version}, {"name", p.name}, {"experts", p.experts.size()}});
  return out;
}

std::size_t panelMinimum(Core& core, const std::string& origin, Timestamp time) {
  return static_cast<std::size_t>(std::max<std::int64_t>(core.policyAt(origin, time).integer("panel.min-size"), 0));
}

// drawAnswer is GET /v1/draw: the PanelDraw of this node's log drafted now (node/draw-draft.h), seeded
// by its latest checkpoint, with the panel and the seed to show.
HttpAnswer drawAnswer(Core& core, const std::string& target) {
  const Timestamp now = core.clock().now();
  const std::string countText = query(target, "count").value_or("");
  unsigned count = 0;
  auto [end, ec] = std::from_chars(countText.data(), countText.data() + countText.size(), count);
  if (countText.empty() || ec != std::errc{} || end != countText.data() + countText.size() || count > 255)
    return errorAnswer(400, "bad-request", fmt::format("count=\"{}\" is not a number of experts (an odd number, at "
                                                       "least panel.min-size): /v1/draw?subject=ID&count=5&pool=ORIGIN",
                                                       countText));
  const std::size_t minimum = panelMinimum(core, core.origin(), now);
  const std::vector<std::string> subjects = queryAll(target, "subject"), pools = queryAll(target, "pool");
  auto d = draftPanelDraw(core.snapshot(), core.origin(), subjects, pools, count, minimum, now);
  if (!d) return refusalAnswer(drawStatus(d.error()), d.error());
  const PanelDrawDraft& draft = d.value();
  return jsonAnswer(200, {{"node", core.origin()}, {"asOf", now}, {"kind", rules::kindName(schema::Body::PANEL_DRAW)},
                          {"subject", subjects.front()}, {"subjects", draft.subjects}, {"origin", draft.origin},
                          {"time", now}, {"count", draft.count}, {"minimumSize", draft.minimumSize},
                          {"method", rules::DRAW_METHOD}, {"seed", drawSeedJson(draft.seed)},
                          {"pools", namedPoolsJson(draft.pools)}, {"panel", draft.experts},
                          {"signing", signingJson(core, draft.origin, schema::Body::PANEL_DRAW, now)},
                          {"decision", toBase64(draft.signedDecision)}});
}

// replacementAnswer is GET /v1/draw/replacement: who the draw's order gives for each expert withdrawn,
// in turn, and the granted Recusal of the last of them drafted now for this node's log.
HttpAnswer replacementAnswer(Core& core, const std::string& target) {
  const Timestamp now = core.clock().now();
  auto named = query(target, "draw");
  if (!named || named->empty())
    return errorAnswer(400, "bad-request", "name the draw and who withdrew: /v1/draw/replacement?draw=ORIGIN%23INDEX"
                                           "&withdrawn=EXPERT");
  const std::vector<std::string> withdrawn = queryAll(target, "withdrawn");
  if (withdrawn.empty())
    return errorAnswer(400, "bad-request", "name the expert who withdrew: withdrawn=EXPERT (every expert withdrawn "
                                           "from the draw, in the order their recusals are recorded)");
  const std::string by = query(target, "requestedBy").value_or("expert");
  if (by != "expert" && by != "applicant")
    return errorAnswer(400, "bad-request", fmt::format("requestedBy=\"{}\" is neither expert nor applicant", by));
  store::Snapshot snapshot = core.snapshot();
  auto drawn = readDrawnPanel(snapshot, *named);
  if (!drawn) return refusalAnswer(drawStatus(drawn.error()), drawn.error());
  const DrawnPanel& draw = drawn.value();
  std::string subject = query(target, "subject").value_or("");
  if (subject.empty()) {
    if (draw.subjects.size() != 1)
      return errorAnswer(400, "bad-request", fmt::format("the draw is for {} subjects: name the one whose recusal "
                                                         "this is: subject=ID", draw.subjects.size()));
    subject = draw.subjects.front();
  } else if (std::find(draw.subjects.begin(), draw.subjects.end(), subject) == draw.subjects.end()) {
    return errorAnswer(422, reasonName(Reason::NOT_ON_PANEL),
                       fmt::format("the draw is not for {}: it is for {}", subject, fmt::join(draw.subjects, ", ")));
  }
  auto replaced = replacementsOf(draw, withdrawn, panelMinimum(core, draw.drawOrigin, draw.drawTime));
  if (!replaced) return refusalAnswer(drawStatus(replaced.error()), replaced.error());
  json list = json::array();
  for (const Replaced& r : replaced.value()) list.push_back({{"expert", r.expert}, {"replacement", r.replacement}});
  std::vector<std::string> panel = draw.experts;
  for (const Replaced& r : replaced.value()) std::replace(panel.begin(), panel.end(), r.expert, r.replacement);
  const Bytes decision = draftRecusal(draw, core.origin(), subject, replaced.value().back(),
                                      by == "applicant" ? schema::RecusalRequester::APPLICANT
                                                        : schema::RecusalRequester::EXPERT,
                                      query(target, "reason").value_or(""), now);
  return jsonAnswer(200, {{"node", core.origin()}, {"asOf", now}, {"kind", rules::kindName(schema::Body::RECUSAL)},
                          {"subject", subject}, {"origin", core.origin()}, {"time", now},
                          {"draw", {{"origin", draw.origin}, {"index", draw.index},
                                    {"leafHash", toHex(ByteView(draw.leafHash))}}},
                          {"seed", drawSeedJson(draw.seed)}, {"drawn", draw.experts}, {"replacements", list},
                          {"panel", panel}, {"signing", signingJson(core, core.origin(), schema::Body::RECUSAL, now)},
                          {"decision", toBase64(decision)}});
}

}  // namespace

HttpAnswer ApiServer::handle(const std::string& method, const std::string& target, const std::string& body) {
  Core& core = node_.core();
  const std::string p = path(target);
  try {
    if (method == "GET" && p == "/v1/health") {
      json parent = nullptr;
      if (node_.config().parent)
        parent = {{"origin", node_.config().parent->origin}, {"connected", node_.parentConnected()}};
      auto evidence = core.evidence();
      return jsonAnswer(200, {{"origin", core.origin()},
                              {"status", "ok"},
                              {"logs", core.snapshot().origins().size()},
                              {"equivocations", evidence.size()},
                              {"submissions", core.holdReason().empty() ? std::string("open") : core.holdReason()},
                              {"parent", parent}});
    }
    if (method == "GET" && p == "/metrics") return {200, "text/plain; version=0.0.4", metrics()};
    if (method == "GET" && p == "/v1/logs") {
      json logs = json::array();
      for (const Head& h : core.heads()) logs.push_back(headJson(h));
      return jsonAnswer(200, {{"logs", logs}});
    }
    if (method == "GET" && p == "/v1/log") {
      auto origin = query(target, "origin");
      if (!origin) return errorAnswer(400, "bad-request", "name the log: /v1/log?origin=hreg.example/140902");
      auto h = core.head(*origin);
      if (!h) return errorAnswer(404, "index-out-of-range", fmt::format("this node holds no log '{}'", *origin));
      return jsonAnswer(200, headJson(*h));
    }
    if (method == "GET" && p == "/v1/entry") {
      auto origin = query(target, "origin");
      auto index = query(target, "index");
      std::uint64_t i = 0;
      if (!origin || !index || std::from_chars(index->data(), index->data() + index->size(), i).ec != std::errc{})
        return errorAnswer(400, "bad-request", "name the entry: /v1/entry?origin=hreg.example/140902&index=0");
      auto snapshot = core.snapshot();
      auto entry = snapshot.entry(*origin, i);
      if (!entry) return errorAnswer(404, "index-out-of-range", fmt::format("'{}' has no entry {} here", *origin, i));
      return jsonAnswer(200, {{"origin", *origin}, {"index", i}, {"entry", toBase64(*entry)}});
    }
    if (method == "GET" && p == "/v1/evidence") {
      json list = json::array();
      for (const store::Evidence& e : core.evidence())
        list.push_back({{"origin", e.origin}, {"held", e.held}, {"conflicting", e.conflicting},
                        {"detected_at", e.detectedAt}, {"detail", e.detail}});
      return jsonAnswer(200, {{"equivocations", list}});
    }
    if (method == "GET" && p == "/v1/subject") {
      auto asked = subjectAsked(target);
      if (auto* refused = std::get_if<HttpAnswer>(&asked)) return std::move(*refused);
      // Answered here from this node's store alone; over HTTP, handleAsync routes it (node/lookup.h).
      const auto& subject = std::get<SubjectAsked>(asked);
      return subjectAnswer(node_.lookups().local(subject.id), subject.resolved);
    }
    if (method == "GET" && p == "/v1/overdue") {
      std::string region = query(target, "region").value_or("");
      Timestamp asOf = core.clock().now();
      json list = json::array(), findings = json::array();
      for (const SubjectState& s : core.registry(region, asOf)) {
        if (s.refused) {
          findings.push_back({{"subject", s.subject}, {"reason", reasonName(s.refused->reason)}, {"detail", s.refused->detail}});
          continue;
        }
        for (const rules::DeadlineStatus& d : s.status.deadlines)
          if (d.overdue)
            list.push_back({{"subject", s.subject}, {"name", s.name}, {"stage", rules::stageName(s.status.stage)},
                            {"what", d.what}, {"supervisory", d.supervisory}, {"met", d.met},
                            {"lastDay", rules::formatDate(d.deadline.lastDay)}, {"endsAt", d.deadline.endsAt},
                            {"calendar", rules::describeCoverage(d.deadline.coverage)}});
        for (const rules::Derived& d : s.status.derived)
          if (d.record)
            list.push_back({{"subject", s.subject}, {"name", s.name}, {"stage", rules::stageName(s.status.stage)},
                            {"what", "unrecorded-" + d.what}, {"supervisory", false}, {"met", false},
                            {"since", d.at}, {"toRecord", rules::kindName(*d.record)}});
      }
      return jsonAnswer(200, {{"node", core.origin()}, {"region", region}, {"asOf", asOf}, {"overdue", list},
                              {"findings", findings}});
    }
    if (method == "GET" && p == "/v1/draw") return drawAnswer(core, target);
    if (method == "GET" && p == "/v1/draw/replacement") return replacementAnswer(core, target);
    if (method == "GET" && p == "/v1/drafts") return draftsAnswer(core, query(target, "region").value_or(""));
    if (method == "GET" && p == "/v1/report") {
      // The figures come from the logs held alone (node/statistics.h): any node holding them answers alike.
      auto period = parsePeriod(query(target, "quarter"), query(target, "year"));
      if (!period) return refusalAnswer(400, period.error());
      return jsonAnswer(200, statistics(core, query(target, "region").value_or(""), period.value()));
    }
    if (method == "GET" && p == "/v1/policy") {
      std::string origin = query(target, "origin").value_or(core.origin());
      auto policy = core.policyAt(origin, core.clock().now());
      json settings = json::object();
      for (const rules::SettingSpec& spec : rules::settingSpecs()) {
        const rules::ResolvedSetting& r = policy.setting(spec.key);
        settings[spec.key] = {{"value", rules::describe(r.value)}, {"mandatory", r.mandatory}, {"source", r.source},
                              {"meaning", spec.meaning}};
      }
      return jsonAnswer(200, {{"origin", origin}, {"asOf", core.clock().now()}, {"version", policy.version()},
                              {"settings", settings}});
    }
    if (method == "GET" && p == "/v1/officials") {
      std::string origin = query(target, "origin").value_or(core.origin());
      json list = json::array();
      for (const trust::OfficialGrant& g : core.officials(origin))
        list.push_back({{"key", toHex(ByteView(g.key))}, {"person", g.person}, {"department", g.department},
                        {"roles", g.roles}, {"validFrom", g.validFrom}, {"validUntil", g.validUntil},
                        {"revoked", g.revokedAt.has_value()}});
      // With the policy its officials need offline to co-sign: signing rules, periods, calendar.
      json policy = rules::officePolicyJson(core.policyAt(origin, core.clock().now()));
      return jsonAnswer(200, {{"origin", origin}, {"asOf", core.clock().now()}, {"officials", list},
                              {"policy", policy}});
    }
    if (method == "POST" && p == "/v1/submit") {
      if (body.empty())
        return errorAnswer(400, "bad-request", "send the signed decision's canonical bytes as the request body");
      ByteView bytes(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
      auto submitted = core.submit(bytes);
      if (!submitted) return refusalAnswer(422, submitted.error());
      json proof = json::array();
      for (const auto& h : submitted.value().proof) proof.push_back(toHex(ByteView(h)));
      node_.changed(core.origin());
      return jsonAnswer(200, {{"origin", core.origin()},
                              {"index", submitted.value().index},
                              {"leaf_hash", toHex(ByteView(submitted.value().leafHash))},
                              {"checkpoint", submitted.value().checkpoint},
                              {"inclusion_proof", proof}});
    }
    if (method == "POST" && p == "/v1/checkpoint") {
      auto verdict = core.witness(body);
      if (!verdict)
        return refusalAnswer(verdict.error().reason == Reason::EQUIVOCATION ? 409 : 422, verdict.error());
      const char* result = verdict.value() == log::Comparison::Kind::AHEAD ? "ahead" : "consistent";
      return jsonAnswer(200, {{"result", result}});
    }
    if (method == "GET")
      if (auto page = servePage(p, core.trustRoot())) return std::move(*page);  // the plaque check page
    if (p == "/v1/health" || p == "/metrics" || p.starts_with("/v1/"))
      return errorAnswer(405, "bad-request", fmt::format("{} {} is not served; see docs/protocol.md", method, p));
    return errorAnswer(404, "bad-request", fmt::format("no such endpoint: {}; see docs/protocol.md", p));
  } catch (const Fault& fault) {
    node_.log().error("api-fault method={} path={} detail=\"{}\"", method, p, fault.what());
    return errorAnswer(503, "unavailable", fmt::format("the node could not do this now: {}", fault.what()));
  }
}

std::string ApiServer::metrics() {
  Core& core = node_.core();
  const Timestamp now = core.clock().now();
  std::string out;
  auto heads = core.heads();
  out += "# HELP hreg_log_entries Entries held per log (own and replicas).\n# TYPE hreg_log_entries gauge\n";
  for (const Head& h : heads) out += fmt::format("hreg_log_entries{{origin=\"{}\"}} {}\n", label(h.origin), h.size);
  out += fmt::format("# HELP hreg_replicas_held Logs of other offices held.\n# TYPE hreg_replicas_held gauge\n"
                     "hreg_replicas_held {}\n", heads.empty() ? 0 : heads.size() - 1);
  out += "# HELP hreg_child_lag_entries Entries a child announced that this node does not hold yet.\n"
         "# TYPE hreg_child_lag_entries gauge\n";
  for (const auto& [origin, announced] : node_.stats().announced) {
    std::uint64_t held = 0;
    for (const Head& h : heads)
      if (h.origin == origin) held = h.size;
    out += fmt::format("hreg_child_lag_entries{{origin=\"{}\"}} {}\n", label(origin),
                       announced > held ? announced - held : 0);
  }
  out += "# HELP hreg_cosignature_age_seconds Age of the newest cosignature held on each log's newest checkpoint.\n"
         "# TYPE hreg_cosignature_age_seconds gauge\n";
  for (const Head& h : heads) {
    std::optional<Timestamp> newest;
    for (const std::string& line : h.cosignatures)
      if (auto t = Core::cosignatureTime(line); t && (!newest || *t > *newest)) newest = t;
    if (newest) out += fmt::format("hreg_cosignature_age_seconds{{origin=\"{}\"}} {}\n", label(h.origin), now - *newest);
  }
  out += "# HELP hreg_equivocation 1 for each log frozen on evidence of equivocation.\n# TYPE hreg_equivocation gauge\n";
  for (const Head& h : heads)
    if (h.frozen) out += fmt::format("hreg_equivocation{{origin=\"{}\"}} 1\n", label(h.origin));
  const NodeStats& s = node_.stats();
  out += fmt::format("# TYPE hreg_peer_sessions gauge\nhreg_peer_sessions {}\n", node_.sessionCount());
  out += fmt::format("# TYPE hreg_sessions_refused_total counter\nhreg_sessions_refused_total {}\n", s.sessionsRefused);
  out += fmt::format("# TYPE hreg_frames_refused_total counter\nhreg_frames_refused_total {}\n", s.framesRefused);
  out += fmt::format("# TYPE hreg_entries_received_total counter\nhreg_entries_received_total {}\n", s.entriesReceived);
  out += fmt::format("# TYPE hreg_batches_refused_total counter\nhreg_batches_refused_total {}\n", s.batchesRefused);
  return out;
}

}  // namespace hreg::node
