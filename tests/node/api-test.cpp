// The node's HTTP API against its description, docs/openapi.yaml. Real nodes of the demo federation
// answer every endpoint, errors included, and every request limit (body, headers, rate) on every
// path; each exchange is recorded to a file that tests/node/openapi (kin-openapi, an independent
// OpenAPI 3 implementation) checks against the document: an answer the document does not describe
// fails the test. The per-client rate limit (node/rate-limit.h) is tested here too: by itself with a
// FakeClock, and on a node whose [clock] file the test moves, with no sleeps.
#include "node/rate-limit.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/crypto/sha256.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/note.h"
#include "ledger/rules/subject.h"
#include "protocol/canonical.h"
#include "tests/node/support/federation.h"
#include "tests/node/support/panel.h"

namespace hreg::testing {
namespace {

// ---- The rate limiter by itself ----------------------------------------------------------------

TEST(RateLimiter, ANewClientHasItsBurstThenWaitsForTheClock) {
  FakeClock clock(1000);
  node::RateLimiter limiter(clock, {.requestsPerSecond = 2, .burst = 3});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.admit("10.0.0.1")) << "request " << i << " of the burst";
  EXPECT_EQ(limiter.admit("10.0.0.1"), 1) << "over the burst: retry after a second";
  EXPECT_EQ(limiter.admit("10.0.0.1"), 1) << "a refused request takes no token";
  clock.advance(1);
  EXPECT_FALSE(limiter.admit("10.0.0.1"));
  EXPECT_FALSE(limiter.admit("10.0.0.1")) << "two tokens a second";
  EXPECT_TRUE(limiter.admit("10.0.0.1"));
  clock.advance(3600);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.admit("10.0.0.1"));
  EXPECT_TRUE(limiter.admit("10.0.0.1")) << "an idle hour refills the bucket to its size, no more";
}

TEST(RateLimiter, SaysHowLongToWaitAtASlowRate) {
  FakeClock clock(1000);
  node::RateLimiter limiter(clock, {.requestsPerSecond = 0.25, .burst = 1});
  EXPECT_FALSE(limiter.admit("10.0.0.1"));
  EXPECT_EQ(limiter.admit("10.0.0.1"), 4);
  clock.advance(3);
  EXPECT_EQ(limiter.admit("10.0.0.1"), 1);
  clock.advance(1);
  EXPECT_FALSE(limiter.admit("10.0.0.1"));
}

TEST(RateLimiter, CountsEachClientApart) {
  FakeClock clock(1000);
  node::RateLimiter limiter(clock, {.requestsPerSecond = 1, .burst = 1});
  EXPECT_FALSE(limiter.admit("10.0.0.1"));
  EXPECT_TRUE(limiter.admit("10.0.0.1"));
  EXPECT_FALSE(limiter.admit("10.0.0.2")) << "another address has its own bucket";
  EXPECT_FALSE(limiter.admit("::1"));
}

TEST(RateLimiter, ATableOfClientsFullForgetsTheLeastRecentlySeen) {
  FakeClock clock(1000);
  node::RateLimiter limiter(clock, {.requestsPerSecond = 1, .burst = 1, .maxClients = 3});
  for (int i = 0; i < 1000; ++i) (void)limiter.admit("10.0.0." + std::to_string(i));
  EXPECT_EQ(limiter.clients(), 3u) << "a flood of source addresses does not grow the table";
  EXPECT_TRUE(limiter.admit("10.0.0.999")) << "a recent client is still counted";
  EXPECT_FALSE(limiter.admit("10.0.0.0")) << "the oldest was forgotten and starts afresh";
}

TEST(RateLimiter, ARateOfZeroLimitsNothing) {
  FakeClock clock(1000);
  node::RateLimiter limiter(clock, {.requestsPerSecond = 0, .burst = 1});
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.admit("10.0.0.1"));
  EXPECT_EQ(limiter.clients(), 0u);
}

// ---- Recording exchanges with real nodes ---------------------------------------------------------

// Exchange is one request and its answer, as tests/node/openapi/openapi.go reads them.
struct Exchange {
  std::string name, method, target;
  std::map<std::string, std::string> requestHeaders;
  std::string requestBody;
  int status = 0;
  std::map<std::string, std::string> responseHeaders;
  std::string responseBody;
  std::string error;  // below HTTP: no answer

  nlohmann::json json() const {
    auto parsed = nlohmann::json::parse(responseBody, nullptr, false);
    return parsed.is_discarded() ? nlohmann::json() : parsed;
  }
  std::string reason() const {
    auto j = json();
    return j.is_object() && j.contains("error") && j["error"].is_object() ? j["error"].value("reason", "") : "";
  }
  std::string describe() const {
    if (status == 0) return name + ": no answer: " + error;
    return name + ": " + method + " " + target + " -> HTTP " + std::to_string(status) + " " +
           responseBody.substr(0, 1500);
  }
};

// Request is what to send: the request line and headers are written by hand, so that a test can send
// what a well-behaved client would not (a Content-Length without its body, a header of 17 KiB).
struct Request {
  std::string method = "GET";
  std::string target{};
  std::string body{};
  std::string contentType{};
  std::vector<std::pair<std::string, std::string>> headers{};  // more headers, as is
  std::optional<std::size_t> contentLength{};                  // declared instead of body.size()
  std::string rawHead{};                                       // set: sent instead of the request line and headers
  std::string from = "127.0.0.1";                            // the client's address (any of 127.0.0.0/8)
};

asio::awaitable<Exchange> exchangeOnce(std::uint16_t port, std::string bytes, std::string from) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(REQUEST_LIMIT);
  stream.socket().open(asio::ip::tcp::v4());
  stream.socket().bind(asio::ip::tcp::endpoint(asio::ip::make_address(from), 0));
  co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port), asio::use_awaitable);
  co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::uint64_t{64} << 20);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  auto response = parser.release();
  Exchange out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response)
    out.responseHeaders[std::string(field.name_string())] = std::string(field.value());
  out.responseBody = std::move(response.body());
  co_return out;
}

// Recorder sends requests to nodes and keeps every exchange for the OpenAPI check.
class Recorder {
 public:
  Exchange send(const std::string& name, std::uint16_t port, const Request& request) {
    std::string head = request.rawHead;
    if (head.empty()) {
      head = request.method + " " + request.target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
             "\r\nConnection: close\r\n";
      if (!request.contentType.empty()) head += "Content-Type: " + request.contentType + "\r\n";
      std::size_t length = request.contentLength.value_or(request.body.size());
      if (request.method == "POST" || length > 0) head += "Content-Length: " + std::to_string(length) + "\r\n";
      for (const auto& [field, value] : request.headers) head += field + ": " + value + "\r\n";
      head += "\r\n";
    }
    asio::io_context io;
    Exchange result;
    asio::co_spawn(io, exchangeOnce(port, head + request.body, request.from),
                   [&](std::exception_ptr failure, Exchange answer) {
                     if (!failure) {
                       result = std::move(answer);
                       return;
                     }
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       result.error = e.what();
                     }
                   });
    io.run();
    result.name = name;
    result.method = request.method;
    result.target = request.target;
    if (!request.contentType.empty()) result.requestHeaders["Content-Type"] = request.contentType;
    result.requestBody = request.body;
    if (result.status != 0) exchanges_.push_back(result);
    return result;
  }
  Exchange get(const std::string& name, std::uint16_t port, const std::string& target) {
    return send(name, port, {.target = target});
  }
  Exchange post(const std::string& name, std::uint16_t port, const std::string& target, std::string body,
                const std::string& contentType) {
    return send(name, port, {.method = "POST", .target = target, .body = std::move(body), .contentType = contentType});
  }

  // write saves the exchanges as {"exchanges": [...]}, request bodies in base64.
  void write(const std::filesystem::path& file) const {
    nlohmann::json list = nlohmann::json::array();
    for (const Exchange& e : exchanges_)
      list.push_back({{"name", e.name},
                      {"method", e.method},
                      {"target", e.target},
                      {"requestHeaders", e.requestHeaders},
                      {"requestBody", toBase64(asBytes(e.requestBody))},
                      {"status", e.status},
                      {"responseHeaders", e.responseHeaders},
                      {"responseBody", e.responseBody}});
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::trunc) << nlohmann::json{{"exchanges", list}}.dump(1) << "\n";
  }
  std::size_t size() const { return exchanges_.size(); }

 private:
  std::vector<Exchange> exchanges_;
};

// checkAgainstOpenApi runs tests/node/openapi on `exchanges` and docs/openapi.yaml; the Go program
// is built offline on first use (run-openapi.sh).
::testing::AssertionResult checkAgainstOpenApi(const std::filesystem::path& exchanges, const std::string& flags,
                                               const std::string& buildName) {
  const std::filesystem::path source(HREG_SOURCE_DIR);
  const std::filesystem::path build = std::filesystem::path(HREG_BINARY_DIR) / "tests" / "node" / buildName;
  std::string command = "sh '" + (source / "tests/node/openapi/run-openapi.sh").string() + "' '" HREG_GO "' '" +
                        build.string() + "' '" + (source / "docs/openapi.yaml").string() + "' " + flags + " '" +
                        exchanges.string() + "' 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return ::testing::AssertionFailure() << "cannot run " << command;
  char chunk[4096];
  while (std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, n);
  int status = ::pclose(pipe);
  if (status != 0) return ::testing::AssertionFailure() << "the answers do not match docs/openapi.yaml:\n" << output;
  return ::testing::AssertionSuccess() << output;
}

// EVERY_OPERATION is each method and path node/api.cpp serves (docs/openapi.yaml's operations).
const std::vector<std::pair<std::string, std::string>> EVERY_OPERATION{
    {"GET", "/v1/health"}, {"GET", "/metrics"},     {"GET", "/v1/logs"},       {"GET", "/v1/log"},
    {"GET", "/v1/entry"},  {"GET", "/v1/evidence"}, {"GET", "/v1/subject"},    {"GET", "/v1/officials"},
    {"GET", "/v1/overdue"}, {"GET", "/v1/report"},  {"GET", "/v1/policy"},     {"POST", "/v1/submit"},
    {"POST", "/v1/checkpoint"}, {"GET", "/v1/drafts"}, {"GET", "/v1/draw"}, {"GET", "/v1/draw/replacement"}};

constexpr std::size_t BODY_LIMIT = std::size_t{1} << 20;
constexpr std::size_t HEADER_LIMIT = 16 * 1024;

const std::vector<std::string> XINZHOU{ROOT, "14", "1409", "140902", "140902001"};
const std::string TOWNSHIP = "140902001";
const std::string COUNTY = "140902";
const std::string WORKSHOP = "140902001-W-0001";
constexpr Timestamp T = DEMO_CLOCK_START + 60;

class Api : public ::testing::Test {
 protected:
  void TearDown() override {
    if (federation) {
      EXPECT_TRUE(federation->terminateAll());
    }
  }
  std::uint16_t port(const std::string& code) { return federation->node(code).apiPort(); }

  std::unique_ptr<Federation> federation;
  Recorder recorder;
};

// Every endpoint of docs/openapi.yaml, asked at the county and the township of a running chain (the
// panel draws at the prefecture), with the answers each error case gives; then every request limit on
// every endpoint. All recorded and checked against the document.
TEST_F(Api, EveryEndpointAnswersAsDocsOpenapiYamlDescribes) {
  federation = std::make_unique<Federation>(XINZHOU);
  ASSERT_TRUE(federation->start());
  ASSERT_TRUE(federation->seed());
  const std::string township = originOf(TOWNSHIP), county = originOf(COUNTY);

  // POST /v1/submit: the township records a workshop's application.
  auto key = federation->demo().key("official-140902001-culture.key");
  Bytes application = log::signedDecision(township, T, [](schema::Body::Builder body) {
    auto a = body.initApplication();
    a.setSubject(WORKSHOP);
    a.setLevel(schema::Level::COUNTY);
    a.initFacts().setName("忻州剪纸传习工坊");
    a.setReceivedAt(T);
  }, {&key});
  const std::string decision(asChars(application));
  Exchange submitted;
  ASSERT_TRUE(waitUntil(
      [&] {
        submitted = recorder.post("submit", port(TOWNSHIP), "/v1/submit", decision, "application/octet-stream");
        return submitted.status == 200;
      },
      CONVERGENCE, "the township accepts the application", [&] { return submitted.describe(); }));
  EXPECT_EQ(submitted.json().value("origin", ""), township);
  auto duplicate = recorder.post("submit-duplicate", port(TOWNSHIP), "/v1/submit", decision, "application/octet-stream");
  EXPECT_EQ(duplicate.status, 422) << "the same decision again: " << duplicate.describe();
  auto garbage = recorder.post("submit-garbage", port(TOWNSHIP), "/v1/submit", "not a decision", "application/octet-stream");
  EXPECT_EQ(garbage.status, 422) << garbage.describe();
  auto empty = recorder.post("submit-empty", port(TOWNSHIP), "/v1/submit", "", "application/octet-stream");
  EXPECT_EQ(empty.status, 400) << empty.describe();
  EXPECT_EQ(empty.reason(), "bad-request");
  auto wholeMiB = recorder.post("submit-1MiB", port(TOWNSHIP), "/v1/submit", std::string(BODY_LIMIT, 'x'),
                                "application/octet-stream");
  EXPECT_EQ(wholeMiB.status, 422) << "a body of exactly 1 MiB is read: " << wholeMiB.describe();

  // GET /v1/health, /metrics, /v1/logs, /v1/log, /v1/entry.
  auto health = recorder.get("health", port(COUNTY), "/v1/health");
  EXPECT_EQ(health.status, 200) << health.describe();
  EXPECT_EQ(health.json()["parent"].value("origin", ""), originOf("1409")) << health.describe();
  auto rootHealth = recorder.get("health-root", port(ROOT), "/v1/health");
  EXPECT_TRUE(rootHealth.json()["parent"].is_null()) << rootHealth.describe();
  auto metrics = recorder.get("metrics", port(COUNTY), "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.describe();
  EXPECT_EQ(metrics.responseHeaders["Content-Type"], "text/plain; version=0.0.4");
  EXPECT_EQ(recorder.get("logs", port(COUNTY), "/v1/logs").status, 200);
  Exchange held;
  ASSERT_TRUE(waitUntil(
      [&] {
        held = recorder.get("log", port(COUNTY), "/v1/log?origin=" + township);
        return held.status == 200 && held.json().value("size", 0) >= 2;
      },
      CONVERGENCE, "the county holds the township's application", [&] { return held.describe(); }));
  EXPECT_EQ(recorder.get("log-unnamed", port(COUNTY), "/v1/log").status, 400);
  auto notHeld = recorder.get("log-not-held", port(COUNTY), "/v1/log?origin=hreg.example/65");
  EXPECT_EQ(notHeld.status, 404) << notHeld.describe();
  EXPECT_EQ(notHeld.reason(), "index-out-of-range");
  EXPECT_EQ(recorder.get("entry", port(COUNTY), "/v1/entry?origin=" + township + "&index=0").status, 200);
  EXPECT_EQ(recorder.get("entry-beyond", port(COUNTY), "/v1/entry?origin=" + township + "&index=999999").status, 404);
  EXPECT_EQ(recorder.get("entry-no-index", port(COUNTY), "/v1/entry?origin=" + township).status, 400);
  EXPECT_EQ(recorder.get("entry-bad-index", port(COUNTY), "/v1/entry?origin=" + township + "&index=-1").status, 400);

  // GET /v1/subject, /v1/officials, /v1/overdue, /v1/report, /v1/policy.
  auto subject = recorder.get("subject", port(COUNTY), "/v1/subject?id=" + WORKSHOP);
  EXPECT_EQ(subject.status, 200) << subject.describe();
  EXPECT_EQ(subject.json().value("format", ""), "hreg-subject-bundle/v2");
  EXPECT_EQ(recorder.get("subject-township", port(TOWNSHIP), "/v1/subject?id=" + WORKSHOP).status, 200);
  EXPECT_EQ(recorder.get("subject-unnamed", port(COUNTY), "/v1/subject").status, 400);
  EXPECT_EQ(recorder.get("subject-unknown", port(COUNTY), "/v1/subject?id=140902001-W-9999").status, 404);
  auto officials = recorder.get("officials", port(COUNTY), "/v1/officials");
  EXPECT_EQ(officials.status, 200) << officials.describe();
  EXPECT_FALSE(officials.json()["officials"].empty()) << officials.describe();
  EXPECT_EQ(recorder.get("officials-township", port(COUNTY), "/v1/officials?origin=" + township).status, 200);
  EXPECT_EQ(recorder.get("officials-unknown", port(COUNTY), "/v1/officials?origin=hreg.example/65").status, 200);
  EXPECT_EQ(recorder.get("overdue", port(COUNTY), "/v1/overdue?region=140902").status, 200);
  EXPECT_EQ(recorder.get("overdue-all", port(COUNTY), "/v1/overdue").status, 200);
  auto report = recorder.get("report", port(COUNTY), "/v1/report?region=140902&quarter=2026Q1");
  EXPECT_EQ(report.status, 200) << report.describe();
  EXPECT_EQ(report.json().value("subjects", 0), 1) << report.describe();
  EXPECT_EQ(recorder.get("report-empty-quarter", port(COUNTY), "/v1/report?quarter=2025Q4").status, 200);
  EXPECT_EQ(recorder.get("report-bad-quarter", port(COUNTY), "/v1/report?quarter=2026-3").status, 400);
  EXPECT_EQ(recorder.get("report-no-quarter", port(COUNTY), "/v1/report").status, 400);
  EXPECT_EQ(recorder.get("report-year", port(COUNTY), "/v1/report?region=140902&year=2026").status, 200);
  EXPECT_EQ(recorder.get("report-quarter-and-year", port(COUNTY), "/v1/report?quarter=2026Q1&year=2026").status, 400);
  EXPECT_EQ(recorder.get("policy", port(COUNTY), "/v1/policy").status, 200);
  EXPECT_EQ(recorder.get("policy-root", port(COUNTY), "/v1/policy?origin=hreg.example/root").status, 200);

  // GET /v1/drafts: a workshop imported at the county and proposed for revocation on a written notice
  // served long before, so its appeal window has closed (both dated before the node's clock, which
  // runs on from DEMO_CLOCK_START: the register is judged as of now): the county drafts the
  // revocation, the township (which holds the county's log) drafts nothing.
  EXPECT_TRUE(recorder.get("drafts-none", port(COUNTY), "/v1/drafts").json()["drafts"].empty());
  auto culture = federation->demo().key("official-140902-culture.key");
  auto hrss = federation->demo().key("official-140902-hrss.key");
  auto rural = federation->demo().key("official-140902-rural.key");
  const std::string revoked = "140902-W-0009";
  const Bytes imported = log::signedDecision(county, DEMO_CLOCK_START - 120, [&](schema::Body::Builder body) {
    auto l = body.initLegacyImport();
    l.setSubject(revoked);
    l.setLevel(schema::Level::COUNTY);
    l.initFacts().setName("忻府区剪纸工坊");
  }, {&culture, &rural});
  Response importedAt;
  ASSERT_TRUE(federation->submitUntilAccepted(county, imported, CONVERGENCE, &importedAt));
  const nlohmann::json receipt = importedAt.json();
  const Bytes proposed = log::signedDecision(county, DEMO_CLOCK_START - 60, [&](schema::Body::Builder body) {
    auto p = body.initRevocationProposal();
    p.setSubject(revoked);
    p.setGround(3);
    auto certification = p.initCertification();  // the import it would revoke, as the receipt gives it
    certification.setOrigin(receipt.value("origin", ""));
    certification.setIndex(receipt.value("index", std::uint64_t{0}));
    const Bytes leaf = fromHex(receipt.value("leaf_hash", "")).value_or(Bytes{});
    certification.setLeafHash(capnp::Data::Reader(leaf.data(), leaf.size()));
    p.setServedAt(DEMO_CLOCK_START - 40 * 86'400);
  }, {&culture, &hrss, &rural});
  ASSERT_TRUE(federation->submitUntilAccepted(county, proposed));
  auto drafts = recorder.get("drafts", port(COUNTY), "/v1/drafts?region=140902");
  ASSERT_EQ(drafts.status, 200) << drafts.describe();
  ASSERT_EQ(drafts.json()["drafts"].size(), 1u) << drafts.describe();
  EXPECT_EQ(drafts.json()["drafts"][0].value("kind", ""), "revocation");
  EXPECT_EQ(drafts.json()["drafts"][0].value("origin", ""), county);
  EXPECT_TRUE(recorder.get("drafts-township", port(TOWNSHIP), "/v1/drafts").json()["drafts"].empty());

  // GET /v1/draw and /v1/draw/replacement (after the report and the drafts, which count the county's
  // subjects): the county records an application for the prefecture's level and its recommendation,
  // the prefecture its pool of seven titled experts, all dated before the nodes' clock; the prefecture
  // drafts the draw from its latest checkpoint, its demo official signs it and the prefecture accepts
  // it; then a recusal's replacement is drafted. Each refusal status of both, recorded.
  const std::string prefecture = "1409", prefectureLog = originOf(prefecture), applicant = "140902001-W-0002";
  const PanelReady ready = readyForPanel(*federation, applicant, DEMO_CLOCK_START - 180);
  ASSERT_TRUE(ready.poolEntry.is_object());
  const std::string pool = fmt::format("{}%23{}", ready.poolEntry.value("origin", ""),
                                       ready.poolEntry.value("index", std::uint64_t{0}));
  const std::string ask = "/v1/draw?subject=" + applicant + "&pool=" + pool + "&count=";
  auto drawn = recorder.get("draw", port(prefecture), ask + "5");
  ASSERT_EQ(drawn.status, 200) << drawn.describe();
  EXPECT_EQ(drawn.json().value("kind", ""), "panel-draw");
  EXPECT_EQ(drawn.json().value("origin", ""), prefectureLog);
  EXPECT_EQ(drawn.json()["seed"].value("origin", ""), prefectureLog) << drawn.describe();
  const std::vector<std::string> panel = drawn.json().value("panel", std::vector<std::string>{});
  ASSERT_EQ(panel.size(), 5u) << drawn.describe();
  auto twoByLog = recorder.get("draw-two-subjects-pool-by-log", port(prefecture),
                               "/v1/draw?subject=" + applicant + "&subject=140902001-W-0003&count=5&pool=" +
                                   prefectureLog);
  EXPECT_EQ(twoByLog.status, 200) << twoByLog.describe();
  EXPECT_EQ(twoByLog.json()["subjects"].size(), 2u) << twoByLog.describe();
  auto badCount = recorder.get("draw-bad-count", port(prefecture), ask + "five");
  EXPECT_EQ(badCount.status, 400) << badCount.describe();
  EXPECT_EQ(badCount.reason(), "bad-request");
  auto badSubject = recorder.get("draw-malformed-subject", port(prefecture),
                                 "/v1/draw?subject=140902001-X&count=5&pool=" + pool);
  EXPECT_EQ(badSubject.status, 400) << badSubject.describe();
  EXPECT_EQ(badSubject.reason(), "malformed-entry");
  auto unknownPool = recorder.get("draw-unknown-pool", port(prefecture),
                                  "/v1/draw?subject=" + applicant + "&count=5&pool=hreg.example/9999");
  EXPECT_EQ(unknownPool.status, 404) << unknownPool.describe();
  EXPECT_EQ(unknownPool.reason(), "prerequisite-missing");
  auto even = recorder.get("draw-even-count", port(prefecture), ask + "4");
  EXPECT_EQ(even.status, 422) << even.describe();
  EXPECT_EQ(even.reason(), "panel-size");
  auto tooFew = recorder.get("draw-pool-too-small", port(prefecture), ask + "9");
  EXPECT_EQ(tooFew.status, 422) << tooFew.describe();
  EXPECT_EQ(tooFew.reason(), "pool-too-small");

  auto unsignedDraw = protocol::parseSignedDecision(fromBase64(drawn.json().value("decision", "")).value_or(Bytes{}));
  ASSERT_TRUE(unsignedDraw) << drawn.describe();
  const Bytes signedDraw = log::addSignature(unsignedDraw.value().reader(),
                                             federation->demo().key("official-1409-culture.key"));
  auto drawAccepted = recorder.post("submit-draw", port(prefecture), "/v1/submit", std::string(asChars(signedDraw)),
                                    "application/octet-stream");
  ASSERT_EQ(drawAccepted.status, 200) << drawAccepted.describe();
  const std::string drawName = fmt::format("{}%23{}", drawAccepted.json().value("origin", ""),
                                           drawAccepted.json().value("index", std::uint64_t{0}));
  auto replaced = recorder.get("draw-replacement", port(prefecture),
                               "/v1/draw/replacement?draw=" + drawName + "&withdrawn=" + panel[1] +
                                   "&requestedBy=applicant&reason=%E4%B9%A6%E9%9D%A2%E7%94%B3%E8%AF%B7");
  ASSERT_EQ(replaced.status, 200) << replaced.describe();
  EXPECT_EQ(replaced.json().value("kind", ""), "recusal");
  ASSERT_EQ(replaced.json()["replacements"].size(), 1u) << replaced.describe();
  EXPECT_EQ(replaced.json()["replacements"][0].value("expert", ""), panel[1]);
  const std::string next = replaced.json()["replacements"][0].value("replacement", "");
  EXPECT_EQ(std::find(panel.begin(), panel.end(), next), panel.end()) << "the next of the order: " << next;
  auto noWithdrawn = recorder.get("draw-replacement-no-withdrawn", port(prefecture),
                                  "/v1/draw/replacement?draw=" + drawName);
  EXPECT_EQ(noWithdrawn.status, 400) << noWithdrawn.describe();
  EXPECT_EQ(noWithdrawn.reason(), "bad-request");
  auto drawNotHeld = recorder.get("draw-replacement-not-held", port(prefecture),
                                  "/v1/draw/replacement?draw=" + prefectureLog + "%23999999&withdrawn=" + panel[1]);
  EXPECT_EQ(drawNotHeld.status, 404) << drawNotHeld.describe();
  EXPECT_EQ(drawNotHeld.reason(), "prerequisite-missing");
  auto notOnPanel = recorder.get("draw-replacement-not-on-panel", port(prefecture),
                                 "/v1/draw/replacement?draw=" + drawName + "&withdrawn=1409-E-9999");
  EXPECT_EQ(notOnPanel.status, 422) << notOnPanel.describe();
  EXPECT_EQ(notOnPanel.reason(), "not-on-panel");

  // POST /v1/checkpoint and GET /v1/evidence: the township's genuine checkpoint, a note that is not
  // one, then a forged second history signed with the township's key (409, kept as evidence).
  const std::string genuine = held.json().value("checkpoint", "");
  auto consistent = recorder.post("checkpoint", port(COUNTY), "/v1/checkpoint", genuine, "text/plain");
  EXPECT_EQ(consistent.json().value("result", ""), "consistent") << consistent.describe();
  EXPECT_EQ(recorder.post("checkpoint-garbage", port(COUNTY), "/v1/checkpoint", "not a note\n", "text/plain").status, 422);
  EXPECT_EQ(recorder.get("evidence-none", port(COUNTY), "/v1/evidence").json()["equivocations"].size(), 0u);
  auto parsed = note::parseNote(genuine);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  auto tree = note::parseCheckpoint(parsed.value().text);
  ASSERT_TRUE(tree) << tree.error().detail;
  note::Checkpoint fork = tree.value();
  fork.root = crypto::sha256(asBytes("a second history of the township's log"));
  std::string forged = log::signCheckpoint(fork, federation->demo().checkpointKey(township));
  auto equivocation = recorder.post("checkpoint-forged", port(COUNTY), "/v1/checkpoint", forged, "text/plain");
  EXPECT_EQ(equivocation.status, 409) << equivocation.describe();
  EXPECT_EQ(equivocation.reason(), "equivocation");
  auto evidence = recorder.get("evidence", port(COUNTY), "/v1/evidence");
  EXPECT_EQ(evidence.json()["equivocations"].size(), 1u) << evidence.describe();
  EXPECT_EQ(recorder.get("log-frozen", port(COUNTY), "/v1/log?origin=" + township).json().value("frozen", false), true);
  EXPECT_EQ(recorder.get("health-equivocation", port(COUNTY), "/v1/health").json().value("equivocations", 0), 1);

  // Paths not served, and served paths with another method.
  auto nowhere = recorder.get("no-such-path", port(COUNTY), "/v2/health");
  EXPECT_EQ(nowhere.status, 404) << nowhere.describe();
  EXPECT_EQ(recorder.post("post-health", port(COUNTY), "/v1/health", "", "text/plain").status, 405);
  EXPECT_EQ(recorder.send("delete-logs", port(COUNTY), {.method = "DELETE", .target = "/v1/logs"}).status, 405);
  EXPECT_EQ(recorder.get("get-submit", port(COUNTY), "/v1/submit").status, 405);

  // The request limits hold on every endpoint: a body over 1 MiB (refused from its Content-Length,
  // before it is read), headers over 16 KiB, bytes that are not HTTP; headers just under the limit pass.
  for (const auto& [method, path] : EVERY_OPERATION) {
    auto large = recorder.send("body-over-limit " + path, port(COUNTY),
                               {.method = method, .target = path, .contentType = "application/octet-stream",
                                .contentLength = BODY_LIMIT + 1});
    EXPECT_EQ(large.status, 413) << large.describe();
    EXPECT_EQ(large.reason(), "limit-exceeded") << large.describe();
    auto headers = recorder.send("headers-over-limit " + path, port(COUNTY),
                                 {.method = method, .target = path, .headers = {{"X-Padding", std::string(HEADER_LIMIT, 'a')}}});
    EXPECT_EQ(headers.status, 431) << headers.describe();
    EXPECT_EQ(headers.reason(), "limit-exceeded") << headers.describe();
    auto unreadable = recorder.send("not-http " + path, port(COUNTY),
                                    {.method = method, .target = path,
                                     .rawHead = method + " " + path + " HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"});
    EXPECT_EQ(unreadable.status, 400) << unreadable.describe();
    EXPECT_EQ(unreadable.reason(), "bad-request") << unreadable.describe();
  }
  auto padded = recorder.send("headers-under-limit", port(COUNTY),
                              {.target = "/v1/health", .headers = {{"X-Padding", std::string(HEADER_LIMIT - 512, 'a')}}});
  EXPECT_EQ(padded.status, 200) << padded.describe();
  // A client that sends a too-large body whole still reads the 413: the node drains before closing.
  auto whole = recorder.post("body-over-limit-sent-whole", port(COUNTY), "/v1/submit", std::string(2 * BODY_LIMIT, 'x'),
                             "application/octet-stream");
  EXPECT_EQ(whole.status, 413) << whole.describe();

  const auto file = std::filesystem::path(HREG_BINARY_DIR) / "tests" / "node" / "api-exchanges.json";
  recorder.write(file);
  EXPECT_TRUE(checkAgainstOpenApi(file, "-all-operations", "openapi-build"));
}

// GET /v1/subject?plaque=: the number is resolved from the certifications and legacy imports the node
// holds, then answered as ?id= is, with "resolvedFrom" after the lookup's fields. A number given twice
// (reissued) resolves to the newest naming, and the answer lists the earlier one. Recorded and checked
// against docs/openapi.yaml.
TEST_F(Api, APlaqueNumberIsResolvedHereAndAnsweredAsItsIdentifierIs) {
  federation = std::make_unique<Federation>(XINZHOU);
  ASSERT_TRUE(federation->start());
  ASSERT_TRUE(federation->seed());
  const std::string plaque = "忻府非遗工坊-2026-001";
  auto culture = federation->demo().key("official-140902-culture.key");
  auto rural = federation->demo().key("official-140902-rural.key");
  auto legacyImport = [&](const std::string& subject, Timestamp at) {
    Bytes decision = log::signedDecision(originOf(COUNTY), at, [&](schema::Body::Builder body) {
      auto l = body.initLegacyImport();
      l.setSubject(subject);
      l.setLevel(schema::Level::COUNTY);
      l.setFormerName("忻府区非遗扶贫就业工坊");
      l.setDecision("忻府文旅〔2026〕1号");
      l.initFacts().setName(subject);
      l.setPlaque(plaque);
    }, {&culture, &rural});
    EXPECT_TRUE(federation->submitUntilAccepted(originOf(COUNTY), decision, CONVERGENCE));
  };
  legacyImport("140902-W-0001", T);
  legacyImport("140902-W-0002", T + 60);  // the same number given again, later
  std::string encoded;  // percent-encoded, as a browser sends it
  for (unsigned char c : plaque)
    encoded += std::isalnum(c) || c == '-' ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);

  auto found = recorder.get("subject-plaque", port(COUNTY), "/v1/subject?plaque=" + encoded);
  ASSERT_EQ(found.status, 200) << found.describe();
  EXPECT_EQ(found.json().value("subject", ""), "140902-W-0002") << "the newest naming wins";
  EXPECT_EQ(found.json().value("format", ""), "hreg-subject-bundle/v2");
  auto resolved = found.json()["resolvedFrom"];
  EXPECT_EQ(resolved.value("plaque", ""), plaque) << found.describe();
  EXPECT_EQ(resolved.value("subject", ""), "140902-W-0002");
  EXPECT_EQ(resolved.value("origin", ""), originOf(COUNTY));
  ASSERT_EQ(resolved["earlier"].size(), 1u) << found.describe();
  EXPECT_EQ(resolved["earlier"][0].value("subject", ""), "140902-W-0001");
  auto byId = recorder.get("subject-by-id", port(COUNTY), "/v1/subject?id=140902-W-0002");
  EXPECT_EQ(byId.json()["decisions"], found.json()["decisions"]) << "answered as ?id= is";
  EXPECT_FALSE(byId.json().contains("resolvedFrom"));
  // The bundle part is the bundle format, unchanged: readers take it as they take an ?id= answer.
  auto bundle = rules::subjectBundleFromJson(found.responseBody);
  ASSERT_TRUE(bundle) << bundle.error().detail;
  EXPECT_EQ(bundle.value().subject, "140902-W-0002");

  // The township holds its ancestors' logs, the county's among them: it resolves the number too.
  Exchange below;
  ASSERT_TRUE(waitUntil(
      [&] {
        below = recorder.get("subject-plaque-township", port(TOWNSHIP), "/v1/subject?plaque=" + encoded);
        return below.status == 200;
      },
      CONVERGENCE, "the township resolves the county's plaque", [&] { return below.describe(); }));
  EXPECT_EQ(below.json()["resolvedFrom"].value("subject", ""), "140902-W-0002");

  auto unknown = recorder.get("subject-plaque-unknown", port(COUNTY), "/v1/subject?plaque=no-such-plaque");
  EXPECT_EQ(unknown.status, 404) << unknown.describe();
  EXPECT_EQ(unknown.reason(), "index-out-of-range");
  const std::string detail = unknown.json()["error"].value("detail", "");
  EXPECT_NE(detail.find("no-such-plaque"), std::string::npos) << detail;
  EXPECT_NE(detail.find(originOf(ROOT)), std::string::npos) << "names the root's node, which can resolve it: " << detail;
  auto both = recorder.get("subject-plaque-and-id", port(COUNTY), "/v1/subject?id=140902-W-0001&plaque=" + encoded);
  EXPECT_EQ(both.status, 400) << both.describe();
  EXPECT_EQ(both.reason(), "bad-request");
  EXPECT_EQ(recorder.get("subject-plaque-empty", port(COUNTY), "/v1/subject?plaque=").status, 400);

  const auto file = std::filesystem::path(HREG_BINARY_DIR) / "tests" / "node" / "api-plaque-exchanges.json";
  recorder.write(file);
  EXPECT_TRUE(checkAgainstOpenApi(file, "", "openapi-build"));
}

// The rate limit on a real node: a burst of 3, then 429 with Retry-After on any path, another client
// address unaffected; moving the node's clock file by a second gives one request back.
TEST_F(Api, AClientOverItsBurstIsAnswered429UntilTheNodesClockMoves) {
  TempDir dir;
  const std::filesystem::path clock = dir / "clock";
  auto setClock = [&](Timestamp t) { setClockFile(clock, t); };
  setClock(DEMO_CLOCK_START);
  auto nodes = demoNodes();
  NodeSetup setup;
  setup.origin = nodes.at(ROOT).origin;
  setup.checkpointKeyFile = demoDir() / "keys" / "checkpoint-root.key";
  setup.trustRootFile = demoDir() / "trust-root.toml";
  setup.peerPort = freePort();
  setup.apiPort = freePort();
  setup.clockFile = clock;
  setup.apiRequestsPerSecond = 1;
  setup.apiBurst = 3;
  NodeProcess root(dir / "root", setup);
  root.start();
  ASSERT_TRUE(root.waitHealthy()) << "its first answer takes the first token";
  const std::uint16_t api = root.apiPort();

  EXPECT_EQ(recorder.get("within-burst", api, "/v1/health").status, 200);
  EXPECT_EQ(recorder.get("within-burst", api, "/v1/logs").status, 200);
  for (const auto& [method, path] : EVERY_OPERATION) {
    auto refused = recorder.send("over-burst " + path, api, {.method = method, .target = path});
    EXPECT_EQ(refused.status, 429) << refused.describe();
    EXPECT_EQ(refused.reason(), "limit-exceeded") << refused.describe();
    EXPECT_EQ(refused.responseHeaders["Retry-After"], "1") << refused.describe();
  }
  auto unknown = recorder.get("over-burst unknown path", api, "/v2/nothing");
  EXPECT_EQ(unknown.status, 429) << "the limit applies before the path is looked at: " << unknown.describe();
  auto tooLarge = recorder.send("over-burst body-over-limit", api,
                                {.method = "POST", .target = "/v1/submit", .contentLength = BODY_LIMIT + 1});
  EXPECT_EQ(tooLarge.status, 429) << "refused requests count too: " << tooLarge.describe();

  auto other = recorder.send("another client", api, {.target = "/v1/health", .from = "127.0.0.2"});
  EXPECT_EQ(other.status, 200) << "127.0.0.2 has its own bucket: " << other.describe();

  setClock(DEMO_CLOCK_START + 1);
  EXPECT_EQ(recorder.get("a second later", api, "/v1/health").status, 200);
  auto again = recorder.get("a second later, over", api, "/v1/health");
  EXPECT_EQ(again.status, 429) << "one token a second: " << again.describe();

  setClock(DEMO_CLOCK_START + 3600);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(recorder.get("an hour later", api, "/v1/health").status, 200) << "request " << i << " of the burst";
  EXPECT_EQ(recorder.get("an hour later, over", api, "/v1/health").status, 429) << "the bucket holds 3, not 3600";
  EXPECT_TRUE(root.terminate());

  const auto file = std::filesystem::path(HREG_BINARY_DIR) / "tests" / "node" / "api-rate-limit-exchanges.json";
  recorder.write(file);
  EXPECT_TRUE(checkAgainstOpenApi(file, "", "openapi-build-rate-limit"));
}

}  // namespace
}  // namespace hreg::testing
