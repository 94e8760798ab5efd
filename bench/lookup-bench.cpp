// hreg-lookup-bench: GET /v1/subject through real hreg-node processes on loopback, in lookups per
// second and p50/p99 latency, each figure also as a ratio of this machine's raw LMDB read rate
// (random reads of stored entries, one read transaction each, through store::Snapshot) measured in
// the same run, before and after the lookups (docs/performance.md, "Lookups").
//   1. the demo federation's root, 山西 (14), 忻州 (1409), 忻府区 (140902), 秀容街道 (140902001) and
//      新疆 (65) start on loopback (FederationRunner, API rate limit lifted) and are seeded;
//   2. W workshops get a history: at the township an application and its preliminary review, at the
//      county the culture department's joint review finding (3 decisions each, signed with the demo
//      officials' keys), and the federation waits until every holder has them;
//   3. concurrent clients (one keep-alive connection each) ask:
//      (a) answered from the node's own replicas: the county 140902 and the prefecture 1409, which
//          hold the township's log (and, for comparison, the root, which holds every filed log);
//      (b) one hop away: the province 65, which holds none of those logs and asks the root over its
//          peer session, checks the bundle from the trust root (rules::checkSubject) and caches it —
//          first asks (each subject once: cache misses) and repeated asks (cache hits) apart;
//   4. in this process, on one bundle: the JSON parse, rules::checkSubject and the JSON encoding a
//      hop adds, to say where a miss's time goes.
// Usage: hreg-lookup-bench [--workshops W] [--clients C] [--seconds S] [--json]
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <thread>

#include "admin-cli/federation-runner.h"
#include "bench/limits.h"
#include "ledger/log/signing.h"
#include "ledger/rules/subject.h"
#include "ledger/store/store.h"
#include "tests/support/temp-dir.h"

namespace hreg::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

constexpr Timestamp CLOCK_START = 1'767'225'900;  // the demo's clock (its decisions are dated 2026-01-01)
constexpr Timestamp T = CLOCK_START + 60;         // the workshops' decisions, as in tests/node/lookup-test.cpp
const std::string TOWNSHIP = "140902001", COUNTY = "140902", PREFECTURE = "1409", PROVINCE = "65";

// Connection: one keep-alive HTTP/1.1 connection to a node's API, reopened when the node closes it.
class Connection {
 public:
  explicit Connection(const std::string& endpoint) {
    auto colon = endpoint.rfind(':');
    port_ = static_cast<std::uint16_t>(std::stoul(endpoint.substr(colon + 1)));
  }
  struct Reply {
    int status = 0;
    std::string body;
  };
  Reply exchange(http::verb verb, const std::string& target, const std::string& body = {}) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!open_) {
          stream_ = std::make_unique<beast::tcp_stream>(io_);
          stream_->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
          stream_->socket().set_option(asio::ip::tcp::no_delay(true));
          open_ = true;
        }
        http::request<http::string_body> req(verb, target, 11);
        req.set(http::field::host, "127.0.0.1");
        req.keep_alive(true);
        if (verb == http::verb::post) req.set(http::field::content_type, "application/octet-stream");
        req.body() = body;
        req.prepare_payload();
        stream_->expires_after(std::chrono::seconds(30));
        http::write(*stream_, req);
        http::response<http::string_body> res;
        http::read(*stream_, buffer_, res);
        if (!res.keep_alive()) open_ = false;
        return {static_cast<int>(res.result_int()), std::move(res.body())};
      } catch (const std::exception&) {
        open_ = false;
        buffer_.clear();
      }
    }
    return {};
  }

 private:
  asio::io_context io_;
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::uint16_t port_ = 0;
  bool open_ = false;
};

std::string subjectOf(std::size_t i) { return fmt::format("{}-W-{:04}", TOWNSHIP, i + 1); }

// submitAll posts `decisions` to `endpoint` from `clients` threads, each retried until accepted (a
// duplicate counts as accepted) within 120 s.
void submitAll(const std::string& endpoint, const std::vector<Bytes>& decisions, unsigned clients) {
  std::atomic<std::size_t> next{0};
  std::mutex failedLock;
  std::string failed;
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < clients; ++c)
    threads.emplace_back([&] {
      Connection connection(endpoint);
      for (std::size_t i; (i = next++) < decisions.size();) {
        std::string body(decisions[i].begin(), decisions[i].end());
        auto start = SteadyClock::now();
        while (true) {
          auto r = connection.exchange(http::verb::post, "/v1/submit", body);
          if (r.status == 200 || r.body.find("duplicate-decision") != std::string::npos) break;
          if (seconds(start) > 120 || r.status == 400 || r.status == 413) {
            std::lock_guard lock(failedLock);
            failed = fmt::format("{} refused decision {}: HTTP {} {}", endpoint, i, r.status, r.body);
            return;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  for (auto& t : threads) t.join();
  if (!failed.empty()) fail(failed);
}

struct Figure {
  std::string name, node;
  std::size_t lookups = 0, errors = 0, unexpected = 0;  // unexpected: cached/route not as the phase expects
  double seconds = 0, perSecond = 0, p50 = 0, p99 = 0, max = 0;  // latencies in ms
  std::size_t bundleBytes = 0;
};

// Expect says what every answer of a phase must show: how many nodes on its route, and whether cached.
struct Expect {
  std::size_t route = 1;
  std::optional<bool> cached;
};

// measure has `clients` threads ask `endpoint` about subjects: each subject of `order` once when
// `once`, else random subjects of `order` for `duration` seconds.
Figure measure(const std::string& name, const std::string& node, const std::string& endpoint,
               const std::vector<std::string>& order, bool once, double duration, unsigned clients, Expect expect) {
  std::atomic<std::size_t> next{0};
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::size_t> errors(clients), unexpected(clients), bytes(clients);
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<Connection>> connections;
  for (unsigned c = 0; c < clients; ++c) connections.push_back(std::make_unique<Connection>(endpoint));
  // Each connection is opened before the clock starts.
  for (auto& c : connections) (void)c->exchange(http::verb::get, "/v1/health");
  const auto start = SteadyClock::now();
  for (unsigned c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      std::mt19937 random(1234 + c);
      std::uniform_int_distribution<std::size_t> pick(0, order.size() - 1);
      Connection& connection = *connections[c];
      while (true) {
        std::size_t i;
        if (once) {
          if ((i = next++) >= order.size()) break;
        } else {
          if (seconds(start) >= duration) break;
          i = pick(random);
        }
        auto t0 = SteadyClock::now();
        auto r = connection.exchange(http::verb::get, "/v1/subject?id=" + order[i]);
        latencies[c].push_back(seconds(t0) * 1e3);
        if (r.status != 200) {
          ++errors[c];
          continue;
        }
        bytes[c] = r.body.size();
        // The first answer of each client is parsed whole; the others are checked by their text, so
        // that the clients take as little of the machine's two cores from the nodes as they can.
        bool asExpected;
        if (latencies[c].size() == 1) {
          auto j = json::parse(r.body, nullptr, false);
          asExpected = j.is_object() && j.contains("route") && j["route"].size() == expect.route &&
                       j.value("subject", "") == order[i] && j["decisions"].size() == 3 &&
                       (!expect.cached || j.value("cached", false) == *expect.cached);
        } else {
          auto route = r.body.rfind("\"route\":[");
          auto end = route == std::string::npos ? route : r.body.find(']', route);
          std::size_t hops = 0;
          if (end != std::string::npos)
            for (auto k = route; (k = r.body.find("\"hreg.example/", k + 1)) < end;) ++hops;
          asExpected = hops == expect.route && r.body.find("\"subject\":\"" + order[i] + "\"") != std::string::npos &&
                       (!expect.cached || r.body.find(*expect.cached ? "\"cached\":true" : "\"cached\":false",
                                                      route == std::string::npos ? 0 : route) != std::string::npos);
        }
        if (!asExpected) ++unexpected[c];
      }
    });
  for (auto& t : threads) t.join();
  Figure f{name, node};
  f.seconds = seconds(start);
  std::vector<double> all;
  for (unsigned c = 0; c < clients; ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    f.errors += errors[c];
    f.unexpected += unexpected[c];
    f.bundleBytes = std::max(f.bundleBytes, bytes[c]);
  }
  std::sort(all.begin(), all.end());
  f.lookups = all.size();
  if (all.empty()) fail(name + ": no lookup was made");
  f.perSecond = static_cast<double>(f.lookups) / f.seconds;
  auto at = [&](double q) { return all[std::min(all.size() - 1, static_cast<std::size_t>(q * static_cast<double>(all.size())))]; };
  f.p50 = at(0.50), f.p99 = at(0.99), f.max = all.back();
  return f;
}

// perOperation: microseconds per call of `work`, the median of 5 slices of about 0.2 s.
template <class Work>
double microseconds(Work&& work) {
  std::vector<double> slices;
  for (int s = 0; s < 5; ++s) slices.push_back(1e6 / rate([&](std::size_t n) { for (std::size_t i = 0; i < n; ++i) work(); }, 4, 0.2));
  return median(slices);
}

}  // namespace

int run(std::size_t workshops, unsigned clients, double duration, bool asJson) {
  testing::TempDir scratch;
  const std::filesystem::path demo = std::filesystem::path(HREG_SOURCE_DIR) / "configs" / "demo";
  auto say = [&](const std::string& what) {
    if (!asJson) fmt::print("  {}\n", what);
    std::fflush(stdout);
  };
  cli::RunnerOptions options;
  options.configs = demo;
  options.workDir = scratch / "federation";
  options.nodeBinary = HREG_NODE_BINARY;
  options.clockStart = CLOCK_START;
  options.apiRateLimit = false;  // the clients ask from one address far faster than an office
  options.patience = std::chrono::seconds(180);
  cli::FederationRunner runner(options, {cli::ROOT_CODE, "14", PREFECTURE, COUNTY, TOWNSHIP, PROVINCE});
  if (!asJson) fmt::print("hreg-lookup-bench: {} workshops, {} clients, {} s a timed phase\n", workshops, clients, duration);
  say("starting root, 14, 1409, 140902, 140902001 and 65 and seeding the demo's charters and grants");
  runner.start();
  runner.seed();
  const std::string township = runner.originOf(TOWNSHIP), county = runner.originOf(COUNTY);
  // Every node below the root waits for the root's whole log (its calendar policy comes last).
  const std::uint64_t rootSize = runner.sizeHeld(cli::ROOT_CODE, runner.originOf(cli::ROOT_CODE));
  for (const std::string& code : {COUNTY, TOWNSHIP, PROVINCE}) runner.waitReplicated(code, runner.originOf(cli::ROOT_CODE), rootSize);

  say(fmt::format("recording {} workshops' histories (application, preliminary review, joint review finding)", workshops));
  const cli::DemoFederation& federation = runner.demo();
  auto culture = federation.key("official-140902001-culture.key");
  auto countyCulture = federation.key("official-140902-culture.key");
  std::vector<Bytes> applications, reviews, findings;
  for (std::size_t i = 0; i < workshops; ++i) {
    const std::string subject = subjectOf(i);
    applications.push_back(log::signedDecision(township, T, [&](schema::Body::Builder body) {
      auto a = body.initApplication();
      a.setSubject(subject);
      a.setLevel(schema::Level::COUNTY);
      a.initFacts().setName(fmt::format("忻州剪纸传习工坊 {}", i + 1));
      a.setReceivedAt(T);
    }, {&culture}));
    reviews.push_back(log::signedDecision(township, T + 60, [&](schema::Body::Builder body) {
      auto r = body.initPreliminaryReview();
      r.setSubject(subject);
      r.setOutcome(schema::ReviewOutcome::PASS);
      r.setSiteInspected(true);
    }, {&culture}));
    findings.push_back(log::signedDecision(county, T + 120, [&](schema::Body::Builder body) {
      auto f = body.initJointReviewFinding();
      f.setSubject(subject);
      f.setDepartment("culture");
      f.setOutcome(schema::ReviewOutcome::PASS);
    }, {&countyCulture}));
  }
  auto submitStart = SteadyClock::now();
  submitAll(runner.apiEndpoint(TOWNSHIP), applications, clients);
  submitAll(runner.apiEndpoint(TOWNSHIP), reviews, clients);
  const std::uint64_t townshipSize = runner.sizeHeld(TOWNSHIP, township);
  runner.waitReplicated(COUNTY, township, townshipSize);
  submitAll(runner.apiEndpoint(COUNTY), findings, clients);
  const double submitSeconds = seconds(submitStart);
  const std::uint64_t countySize = runner.sizeHeld(COUNTY, county);
  for (const std::string& holder : {PREFECTURE, std::string(cli::ROOT_CODE)}) {
    runner.waitReplicated(holder, township, townshipSize);
    runner.waitReplicated(holder, county, countySize);
  }
  say(fmt::format("{} decisions accepted in {:.1f} s; the prefecture and the root hold them", 3 * workshops, submitSeconds));

  // The raw read limit: the county's store, opened read-only beside the running node.
  store::Store countyStore({scratch / "federation" / COUNTY / "data", true});
  std::vector<double> reads{lmdbRead(countyStore, 1.0)};

  std::vector<std::string> subjects;
  for (std::size_t i = 0; i < workshops; ++i) subjects.push_back(subjectOf(i));
  std::vector<std::string> shuffled = subjects;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(42));

  std::vector<Figure> figures;
  auto report = [&](const Figure& f) {
    say(fmt::format("{:<34} at {:<9} {:>7.0f} lookups/s  p50 {:6.2f} ms  p99 {:6.2f} ms  ({} lookups, {} errors, {} "
                    "unexpected)", f.name, f.node, f.perSecond, f.p50, f.p99, f.lookups, f.errors, f.unexpected));
    figures.push_back(f);
  };
  report(measure("own replicas", COUNTY, runner.apiEndpoint(COUNTY), subjects, false, duration, clients, {1, false}));
  report(measure("own replicas", PREFECTURE, runner.apiEndpoint(PREFECTURE), subjects, false, duration, clients, {1, false}));
  report(measure("own replicas (the root)", "root", runner.apiEndpoint(cli::ROOT_CODE), subjects, false, duration, clients,
                 {1, false}));
  // One hop: each subject once (nothing cached yet), then again while the cache holds them (60 s by
  // the node's clock, which runs at the real rate: the repeated asks start right after the first).
  report(measure("one hop, first asks (misses)", PROVINCE, runner.apiEndpoint(PROVINCE), shuffled, true, 0, clients,
                 {2, false}));
  report(measure("one hop, repeated asks (cached)", PROVINCE, runner.apiEndpoint(PROVINCE), subjects, false,
                 std::min(duration, 20.0), clients, {2, true}));
  reads.push_back(lmdbRead(countyStore, 1.0));
  const double readRate = (reads[0] + reads[1]) / 2;

  // Where a miss's time goes: the bundle as 65 gets it from the root, parsed, checked and re-encoded.
  const std::string sample = Connection(runner.apiEndpoint(cli::ROOT_CODE)).exchange(http::verb::get, "/v1/subject?id=" + subjects[0]).body;
  auto bundle = rules::subjectBundleFromJson(sample);
  if (!bundle) fail("the root's bundle does not parse: " + bundle.error().detail);
  const trust::TrustAnchor root = federation.root();
  const double parseUs = microseconds([&] { (void)rules::subjectBundleFromJson(sample); });
  const double checkUs = microseconds([&] {
    if (!rules::checkSubject(root, bundle.value(), T + 3600)) fail("the root's bundle does not check");
  });
  const double encodeUs = microseconds([&] { (void)rules::toJson(bundle.value()).dump(); });
  std::size_t entriesInBundle = 0;
  for (auto& l : bundle.value().logs) entriesInBundle += l.entries.size();

  auto unclean = runner.stop();

  json out = {{"workshops", workshops},
              {"decisions", 3 * workshops},
              {"clients", clients},
              {"seconds_per_phase", duration},
              {"submit_seconds", submitSeconds},
              {"lmdb_read_per_second", readRate},
              {"lmdb_read_slices", reads},
              {"bundle",
               {{"bytes", sample.size()},
                {"logs", bundle.value().logs.size()},
                {"entries", entriesInBundle},
                {"parse_us", parseUs},
                {"check_subject_us", checkUs},
                {"encode_us", encodeUs}}},
              {"figures", json::array()}};
  for (auto& f : figures)
    out["figures"].push_back({{"name", f.name},
                              {"node", f.node},
                              {"lookups", f.lookups},
                              {"errors", f.errors},
                              {"unexpected", f.unexpected},
                              {"seconds", f.seconds},
                              {"lookups_per_second", f.perSecond},
                              {"ratio_to_lmdb_read", f.perSecond / readRate},
                              {"lmdb_reads_per_lookup", readRate / f.perSecond},
                              {"p50_ms", f.p50},
                              {"p99_ms", f.p99},
                              {"max_ms", f.max},
                              {"answer_bytes", f.bundleBytes}});
  if (!unclean.empty()) out["unclean_stops"] = unclean;
  if (asJson) {
    fmt::print("{}\n", out.dump());
    return 0;
  }
  fmt::print("\n  raw LMDB read (random stored entries, one read transaction each, one core): {:.0f} reads/s "
             "(before {:.0f}, after {:.0f})\n\n",
             readRate, reads[0], reads[1]);
  fmt::print("  {:<34} {:<10} {:>10} {:>12} {:>15} {:>9} {:>9}\n", "lookups", "node", "per second", "ratio",
             "reads a lookup", "p50 ms", "p99 ms");
  for (auto& f : figures)
    fmt::print("  {:<34} {:<10} {:>10.0f} {:>11.6f}x {:>15.0f} {:>9.2f} {:>9.2f}\n", f.name, f.node, f.perSecond,
               f.perSecond / readRate, readRate / f.perSecond, f.p50, f.p99);
  fmt::print("\n  one bundle ({} bytes, {} log extracts, {} entries), in this process: parse {:.0f} us, "
             "rules::checkSubject {:.0f} us, JSON encoding {:.0f} us\n",
             sample.size(), bundle.value().logs.size(), entriesInBundle, parseUs, checkUs, encodeUs);
  if (!unclean.empty()) fmt::print("  nodes that did not stop cleanly: {}\n", fmt::join(unclean, ", "));
  return 0;
}

}  // namespace hreg::bench

int main(int argc, char** argv) {
  std::size_t workshops = 500;
  unsigned clients = 4;
  double duration = 5;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--workshops" && i + 1 < argc) workshops = std::stoul(argv[++i]);
    else if (a == "--clients" && i + 1 < argc) clients = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (a == "--seconds" && i + 1 < argc) duration = std::stod(argv[++i]);
    else if (a == "--json") json = true;
    else {
      fmt::print(stderr, "usage: hreg-lookup-bench [--workshops W] [--clients C] [--seconds S] [--json]\n");
      return 2;
    }
  }
  if (workshops == 0 || workshops > 9999 || clients == 0) {
    fmt::print(stderr, "hreg-lookup-bench: --workshops must be 1-9999 and --clients at least 1\n");
    return 2;
  }
  try {
    return hreg::bench::run(workshops, clients, duration, json);
  } catch (const std::exception& e) {
    fmt::print(stderr, "hreg-lookup-bench: {}\n", e.what());
    return 3;
  }
}
