// hreg-replication-bench: a county's log replicated to its prefecture over loopback, by real
// hreg-node processes (TLS 1.3, the peer protocol, every entry verified against authority and
// committed at signed checkpoints, the prefecture cosigning each batch), in entries per second and as
// a ratio of this machine's ingest ceiling measured in the same run: Ed25519 verify + SHA-256 leaf
// hash + durable batched LMDB put, one entry after another on one core.
//   1. the demo federation's root, 山西省 (14), 忻州市 (1409) and 忻府区 (140902) start on loopback and
//      the demo's charters and grants are submitted through their APIs;
//   2. all four stop; N joint-review findings signed by the county's culture official
//      are appended to the county's store (in this process, through the same core as the node's);
//   3. the county and the prefecture restart (the province and the root stay down, so that their
//      replication of the same entries does not share the machine with the hop measured); the time from the prefecture's first accepted batch of the new entries to the
//      last is measured (start-up and view rebuilding excluded).
// Usage: hreg-replication-bench [--entries N] [--json]. Compare with bench/replication.sh (Hypercore).
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/wait.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "admin-cli/demo-federation.h"
#include "bench/limits.h"
#include "ledger/log/signing.h"
#include "node/core.h"
#include "tests/support/temp-dir.h"

extern char** environ;

namespace hreg::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr Timestamp CLOCK_START = 1'767'225'900;  // the demo's clock (its decisions are dated 2026-01-01)
constexpr Timestamp DECIDED = 1'767'225'600;

struct Answer {
  int status = 0;
  std::string body;
};

Answer request(std::uint16_t port, http::verb verb, const std::string& target, const std::string& body = {}) {
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req(verb, target, 11);
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return {static_cast<int>(res.result_int()), res.body()};
  } catch (const std::exception&) {
    return {};
  }
}

class Process {
 public:
  Process(std::vector<std::string> args, const std::filesystem::path& log) : args_(std::move(args)), log_(log) {}
  ~Process() {
    if (pid_ > 0) stop(SIGKILL);
  }
  void start() {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<char*> argv;
    for (auto& a : args_) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) fail("cannot start " + args_[0]);
    posix_spawn_file_actions_destroy(&actions);
  }
  void stop(int signal = SIGTERM) {
    if (pid_ <= 0) return;  // not running (kill(-1) would signal every process of the user)
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::vector<std::string> args_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
};

struct Office {
  std::string code, origin, parent;
  std::uint16_t peer, api;
};

std::uint16_t freePort() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

std::uint64_t heldSize(std::uint16_t api, const std::string& origin) {
  auto a = request(api, http::verb::get, "/v1/log?origin=" + origin);
  if (a.status != 200) return 0;
  return nlohmann::json::parse(a.body).value("size", std::uint64_t{0});
}

template <class Done>
void waitFor(Done&& done, double limitSeconds, const std::string& what) {
  auto start = SteadyClock::now();
  while (!done()) {
    if (seconds(start) > limitSeconds) fail("timed out waiting for " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// findings are N joint-review findings of distinct subjects, signed by one county official, padded
// to entries of about `entryBytes` like Hypercore's blocks in bench/replication.sh.
std::vector<Bytes> findings(const crypto::KeyPair& official, std::size_t n, std::size_t entryBytes) {
  std::vector<Bytes> out(n);
  std::string notes(entryBytes > 330 ? entryBytes - 330 : 16, 'x');
  for (std::size_t i = 0; i < n; ++i)
    out[i] = log::signedDecision("hreg.example/140902", DECIDED, [&](schema::Body::Builder body) {
      auto f = body.initJointReviewFinding();
      f.setSubject(fmt::format("140902-W-{:07}", i));
      f.setDepartment("culture");
      f.setOutcome(schema::ReviewOutcome::PASS);
      f.setNotes(notes);
    }, {&official});
  return out;
}

double threadCpuSeconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Breakdown is the prefecture's CPU time per entry for each half of receiving a batch, measured in
// this process on its own thread (so other load on the machine does not count): what the node's
// checking thread does (log::checkReplica, here on one thread) and what its own thread does after.
struct Breakdown {
  std::uint64_t entries = 0;
  double checkMicros = 0;
  double commitMicros = 0;
};

Breakdown breakDown(const std::filesystem::path& countyData, const std::filesystem::path& prefectureData,
                    const cli::DemoFederation& federation, std::uint64_t from) {
  const std::string origin = "hreg.example/140902";
  auto quietLog = [] { return std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_st>()); };
  FakeClock clock(CLOCK_START + 3600);
  store::Store countyStore({countyData});
  node::Core county(countyStore, federation.checkpointKey(origin), federation.root(), clock, 1, quietLog());
  store::Store prefectureStore({prefectureData});
  node::Core prefecture(prefectureStore, federation.checkpointKey("hreg.example/1409"), federation.root(), clock, 1,
                        quietLog());
  auto keys = prefecture.checkpointKeysOf(origin);
  if (!keys) fail("the prefecture has no key for the county's log: " + keys.error().detail);
  Breakdown out;
  double check = 0, commit = 0;
  const std::uint64_t size = county.head(origin)->size;
  for (std::uint64_t at = from; at < size;) {
    auto batch = county.serve(origin, at, 1024, 8192, std::size_t{16} << 20);
    if (!batch) fail("the county cannot serve its log: " + batch.error().detail);
    const log::ReplicaBatch replica{origin, batch.value().from, batch.value().entries, batch.value().checkpoint};
    double t0 = threadCpuSeconds();
    const Result<log::CheckedBatch> checked = log::checkReplica(replica, keys.value(), 1);
    double t1 = threadCpuSeconds();
    auto received = prefecture.receive(replica, batch.value().cosignatures, true, &checked, keys.value());
    double t2 = threadCpuSeconds();
    if (!received) fail("the prefecture refused a batch: " + received.error().detail);
    check += t1 - t0, commit += t2 - t1;
    out.entries += replica.entries.size();
    at += replica.entries.size();
  }
  out.checkMicros = check * 1e6 / static_cast<double>(out.entries);
  out.commitMicros = commit * 1e6 / static_cast<double>(out.entries);
  return out;
}

}  // namespace

int run(std::size_t entries, std::size_t entryBytes, unsigned verifyThreads, bool asJson) {
  testing::TempDir scratch;
  const std::filesystem::path demo = std::filesystem::path(HREG_SOURCE_DIR) / "configs" / "demo";
  cli::DemoFederation federation(demo);
  std::map<std::string, Office> offices;
  for (auto [code, parent] : std::vector<std::pair<std::string, std::string>>{
           {"root", ""}, {"14", "root"}, {"1409", "14"}, {"140902", "1409"}})
    offices[code] = {code, "hreg.example/" + code, parent, freePort(), freePort()};
  std::map<std::string, std::unique_ptr<Process>> nodes;
  for (auto& [code, o] : offices) {
    std::string text = fmt::format(
        "[node]\norigin = \"{}\"\ndata_dir = \"{}\"\ncheckpoint_key_file = \"{}\"\ntrust_root = \"{}\"\n"
        "verify_threads = {}\n[peer]\nlisten = \"127.0.0.1:{}\"\n[api]\nlisten = \"127.0.0.1:{}\"\n[clock]\nstart = {}\n"
        "[log]\nlevel = \"warn\"\n",
        o.origin, (scratch / ("data-" + code)).string(), (demo / "keys" / ("checkpoint-" + code + ".key")).string(),
        (demo / "trust-root.toml").string(), verifyThreads, o.peer, o.api, CLOCK_START);
    if (!o.parent.empty()) {
      const Office& p = offices[o.parent];
      text += fmt::format("[parent]\norigin = \"{}\"\naddress = \"127.0.0.1:{}\"\nkey = \"{}\"\n", p.origin, p.peer,
                          federation.checkpointKey(p.origin).verifier().toString());
    }
    std::ofstream(scratch / (code + ".toml")) << text;
    nodes[code] = std::make_unique<Process>(
        std::vector<std::string>{HREG_NODE_BINARY, "--config", (scratch / (code + ".toml")).string()},
        scratch / (code + ".log"));
  }
  for (const char* code : {"root", "14", "1409", "140902"}) {
    nodes[code]->start();
    waitFor([&] { return request(offices[code].api, http::verb::get, "/v1/health").status == 200; }, 30,
            std::string(code) + " to start");
  }
  // The charters and grants of these four logs, each retried until its charter has come down.
  for (auto& [origin, bytes] : federation.decisions()) {
    auto o = std::find_if(offices.begin(), offices.end(), [&](auto& kv) { return kv.second.origin == origin; });
    if (o == offices.end()) continue;
    std::string body(bytes.begin(), bytes.end());
    waitFor([&] { return request(o->second.api, http::verb::post, "/v1/submit", body).status == 200; }, 60,
            "a demo decision of " + origin);
  }
  const std::uint64_t seeded = heldSize(offices["140902"].api, "hreg.example/140902");
  waitFor([&] { return heldSize(offices["1409"].api, "hreg.example/140902") == seeded; }, 60, "the seeded county log");
  // Only the county and the prefecture run while it is timed: the province and the root would
  // replicate the same entries from the prefecture meanwhile, and on one machine their checks would
  // take the cores the measured hop is meant to have (in a federation each node has its own machine).
  for (const char* code : {"140902", "1409", "14", "root"}) nodes[code]->stop();

  if (!asJson) fmt::print("hreg-replication-bench: signing {} findings at 忻府区 (140902)...\n", entries);
  auto official = federation.key("official-140902-culture.key");
  auto decisions = findings(official, entries, entryBytes);
  std::size_t entryBytesSeen = 0;
  {
    store::Store store({scratch / "data-140902"});
    FakeClock clock(CLOCK_START + 60);
    node::Core core(store, federation.checkpointKey("hreg.example/140902"), federation.root(), clock, 2,
                    std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_st>()));
    std::vector<ByteView> views(decisions.begin(), decisions.end());
    const auto appendStart = SteadyClock::now();
    auto outcome = core.appendMany(views);
    if (!asJson)
      fmt::print("  appended at the county through its own log (2 threads): {:.0f} entries/s\n",
                 static_cast<double>(views.size()) / seconds(appendStart));
    for (auto& r : outcome.results)
      if (!r) fail(fmt::format("a benchmark decision was refused: {}", r.error().detail));
    auto snapshot = store.snapshot();
    entryBytesSeen = snapshot.entry("hreg.example/140902", seeded + 1)->size();
  }
  const std::uint64_t target = seeded + entries;

  Limits limits(scratch.path());
  double verify = 0, hash = 0, put = 0;
  auto ceiling = [&] {
    double v = limits.ed25519Verify(0.5), h = limits.sha256Leaf(0.3), p = limits.lmdbPut(0.5);
    verify += v / 2, hash += h / 2, put += p / 2;
    return 1.0 / (1.0 / v + 1.0 / h + 1.0 / p);
  };
  const double ceilingBefore = ceiling();
  // The prefecture's store as it is before the new entries come, for the breakdown below.
  std::filesystem::copy(scratch / "data-1409", scratch / "breakdown-1409");
  nodes["1409"]->start();
  nodes["140902"]->start();
  waitFor([&] { return heldSize(offices["1409"].api, "hreg.example/140902") > seeded; }, 120, "the first batch");
  const auto start = SteadyClock::now();
  const std::uint64_t first = heldSize(offices["1409"].api, "hreg.example/140902");
  waitFor([&] { return heldSize(offices["1409"].api, "hreg.example/140902") >= target; }, 1800, "replication");
  const double elapsed = seconds(start);
  const double ceilingAfter = ceiling();
  const double rate = static_cast<double>(target - first) / elapsed;
  const double ceilingRate = (ceilingBefore + ceilingAfter) / 2;
  for (const char* code : {"140902", "1409"}) nodes[code]->stop();
  const Breakdown breakdown = breakDown(scratch / "data-140902", scratch / "breakdown-1409", federation, seeded);

  nlohmann::json out = {{"system", "hreg"},
                        {"entries", entries},
                        {"entry_bytes", entryBytesSeen},
                        {"seconds", elapsed},
                        {"entries_per_second", rate},
                        {"mb_per_second", rate * static_cast<double>(entryBytesSeen) / 1e6},
                        {"ingest_ceiling_per_second", ceilingRate},
                        {"ratio_to_ceiling", rate / ceilingRate},
                        {"limits", {{"ed25519_verify", verify}, {"sha256_leaf", hash}, {"lmdb_put", put}}},
                        {"target_ratio", 0.7},
                        {"breakdown", {{"entries", breakdown.entries},
                                       {"check_cpu_us_per_entry", breakdown.checkMicros},
                                       {"commit_cpu_us_per_entry", breakdown.commitMicros}}}};
  if (asJson) {
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("  county → prefecture, {} entries of {} bytes over loopback TLS: {:.0f} entries/s ({:.1f} MB/s) in "
               "{:.1f} s\n  ingest ceiling (verify + leaf hash + batched LMDB put, one core): {:.0f} entries/s\n"
               "  (Ed25519 verify {:.0f}/s, leaf hash {:.0f}/s, LMDB put {:.0f}/s)\n  ratio: {:.2f}x (target 0.70x)\n",
               target - first, entryBytesSeen, rate, rate * static_cast<double>(entryBytesSeen) / 1e6, elapsed,
               ceilingRate, verify, hash, put, rate / ceilingRate);
    fmt::print("  the prefecture's work per entry, in one process without the network ({} entries, thread CPU "
               "time):\n    check (log::checkReplica, one thread) {:.1f} µs, commit (Core::receive after it) {:.1f} µs\n",
               breakdown.entries, breakdown.checkMicros, breakdown.commitMicros);
  }
  return 0;
}

}  // namespace hreg::bench

int main(int argc, char** argv) {
  std::size_t entries = 200'000, entryBytes = 600;
  bool json = false;
  unsigned threads = 2;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verify-threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::stoul(argv[++i]));
      continue;
    }
    if (a == "--entries" && i + 1 < argc) entries = std::stoul(argv[++i]);
    else if (a == "--entry-bytes" && i + 1 < argc) entryBytes = std::stoul(argv[++i]);
    else if (a == "--json") json = true;
    else {
      fmt::print(stderr, "usage: hreg-replication-bench [--entries N] [--entry-bytes B] [--verify-threads T] [--json]\n");
      return 2;
    }
  }
  try {
    return hreg::bench::run(entries, entryBytes, threads, json);
  } catch (const std::exception& e) {
    fmt::print(stderr, "hreg-replication-bench: {}\n", e.what());
    return 3;
  }
}
