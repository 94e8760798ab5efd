// FederationRunner (federation-runner.h).
#include "admin-cli/federation-runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <toml++/toml.h>

#include "admin-cli/tlog-input.h"
#include "protocol/core/result.h"

extern char** environ;

namespace hreg::cli {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto POLL = 100ms;

std::string tomlString(const std::string& s) { return nlohmann::json(s).dump(); }  // a TOML basic string

// waitFor polls `done` until it holds or `patience` passes.
bool waitFor(const std::function<bool()>& done, std::chrono::seconds patience) {
  auto end = std::chrono::steady_clock::now() + patience;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(POLL);
  }
}

}  // namespace

// canBindLoopback says whether 127.0.0.1:port is free to listen on now.
bool canBindLoopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return free;
}

// freeLoopbackPort picks a free loopback port below the kernel's ephemeral range (from which outgoing
// connections take their source ports), not handed out before by `taken`.
std::uint16_t freeLoopbackPort(std::set<std::uint16_t>& taken, std::mt19937& random) {
  unsigned low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low;
  if (low <= 12000 || low > 65535) low = 32768;
  std::uniform_int_distribution<unsigned> pick(10000, low - 1);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<std::uint16_t>(pick(random));
    if (taken.contains(port) || !canBindLoopback(port)) continue;
    taken.insert(port);
    return port;
  }
  fail("no free TCP port on 127.0.0.1 below the ephemeral range");
}

pid_t spawnDaemon(std::vector<std::string> args, const fs::path& logFile) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log = logFile.string();
  pid_t self = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Only async-signal-safe calls between fork and exec: the caller may have threads.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // no daemon outlives the process that started it
  if (::getppid() != self) ::_exit(127);
  int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  int in = ::open("/dev/null", O_RDONLY);
  if (out < 0 || in < 0) ::_exit(127);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(out, 2);
  // The caller's own sockets must close when the caller closes them.
  if (::syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
  ::execve(argv[0], argv.data(), environ);
  ::_exit(127);
}

FederationRunner::FederationRunner(RunnerOptions options, std::vector<std::string> codes)
    : options_(std::move(options)), demo_(options_.configs) {
  struct Listed {
    std::string origin, parent, checkpointKey;
  };
  std::map<std::string, Listed> listed;
  toml::table root, federation;
  try {
    root = toml::parse_file((options_.configs / "trust-root.toml").string());
    federation = toml::parse_file((options_.configs / "federation.toml").string());
  } catch (const toml::parse_error& e) {
    fail(fmt::format("reading the demo federation in {}: {} (run from the repository, or pass --configs)",
                     options_.configs.string(), e.what()));
  }
  listed[ROOT_CODE] = {root["origin"].value_or(std::string()), "", root["checkpoint_key"].value_or(std::string())};
  if (const toml::array* list = federation["node"].as_array())
    for (const toml::node& n : *list) {
      const toml::table& t = *n.as_table();
      std::string parent = t["parent"].value_or(std::string());
      listed[t["code"].value_or(std::string())] = {t["origin"].value_or(std::string()),
                                                   parent.empty() ? std::string(ROOT_CODE) : parent,
                                                   t["checkpoint_key"].value_or(std::string())};
    }
  auto depth = [&](std::string code) {
    int d = 0;
    for (; !listed.at(code).parent.empty(); code = listed.at(code).parent) ++d;
    return d;
  };
  for (const std::string& code : codes)
    if (!listed.contains(code)) throw tlog::UsageError(fmt::format("the demo federation has no node '{}'", code));
  std::sort(codes.begin(), codes.end(),
            [&](const std::string& a, const std::string& b) { return std::pair(depth(a), a) < std::pair(depth(b), b); });

  fs::create_directories(options_.workDir);
  clock_ = options_.clockStart;
  if (options_.movableClock) setClock(options_.clockStart);
  std::set<std::uint16_t> taken;
  std::mt19937 random{std::random_device{}()};
  for (const std::string& code : codes) {
    const Listed& entry = listed.at(code);
    Node node{code, entry.origin, entry.parent, freeLoopbackPort(taken, random), freeLoopbackPort(taken, random),
              options_.workDir / code, 0};
    fs::create_directories(node.dir);
    std::string text = fmt::format(
        "# hreg-node config of {}, written by `hreg demo` (DEMO ONLY).\n[node]\norigin = {}\ndata_dir = {}\n"
        "checkpoint_key_file = {}\ntrust_root = {}\n\n[peer]\nlisten = \"127.0.0.1:{}\"\n\n"
        "[api]\nlisten = \"127.0.0.1:{}\"\n\n",
        node.origin, tomlString(node.origin), tomlString((node.dir / "data").string()),
        tomlString((options_.configs / "keys" / ("checkpoint-" + code + ".key")).string()),
        tomlString((options_.configs / "trust-root.toml").string()), node.peerPort, node.apiPort);
    if (!node.parent.empty()) {
      if (!nodes_.contains(node.parent))
        throw tlog::UsageError(fmt::format("the node {} needs its parent {} to run too", code, node.parent));
      const Node& parent = nodes_.at(node.parent);
      text += fmt::format("[parent]\norigin = {}\naddress = \"127.0.0.1:{}\"\nkey = {}\n\n", tomlString(parent.origin),
                          parent.peerPort, tomlString(listed.at(node.parent).checkpointKey));
    }
    if (options_.movableClock)
      text += fmt::format("[clock]\nfile = {}\n\n", tomlString((options_.workDir / "clock").string()));
    else
      text += fmt::format("[clock]\nstart = {}\n\n", options_.clockStart);
    // The movable clock stands still between the story's steps, so a rate limit would never refill:
    // the demo's nodes answer only this machine's demo, and run without one.
    // A benchmark asks from one address far faster than an office: it may lift the limit too.
    if (options_.movableClock || !options_.apiRateLimit) text += "[limits]\napi_requests_per_second = 0\n\n";
    text += "[log]\nlevel = \"info\"\n";
    std::ofstream(node.dir / "node.toml", std::ios::trunc) << text;
    order_.push_back(code);
    nodes_.emplace(code, std::move(node));
  }
}

FederationRunner::~FederationRunner() {
  for (auto code = order_.rbegin(); code != order_.rend(); ++code) {
    Node& node = nodes_.at(*code);
    if (node.pid > 0) {
      ::kill(node.pid, SIGKILL);
      ::waitpid(node.pid, nullptr, 0);
    }
  }
}

void FederationRunner::say(const std::string& what) const {
  if (options_.progress) options_.progress(what);
}

void FederationRunner::launch(Node& node) {
  node.pid = spawnDaemon({options_.nodeBinary.string(), "--config", (node.dir / "node.toml").string()},
                         node.dir / "node.log");
  if (node.pid < 0) fail(fmt::format("cannot start {}: fork: {}", node.origin, std::strerror(errno)));
}

bool FederationRunner::alive(Node& node) {
  if (node.pid <= 0) return false;
  int status = 0;
  if (::waitpid(node.pid, &status, WNOHANG) == 0) return true;
  node.pid = 0;
  return false;
}

std::string FederationRunner::tail(const Node& node) const {
  std::ifstream in(node.dir / "node.log");
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > 15) lines.pop_front();
  }
  std::string out;
  for (const auto& line : lines) out += "    " + line + "\n";
  return out;
}

void FederationRunner::waitHealthy(Node& node) {
  NodeClient client(apiEndpoint(node.code), 5s);
  bool exited = false;
  bool healthy = waitFor(
      [&] {
        if (!alive(node)) return exited = true;
        try {
          HttpReply r = client.get("/v1/health");
          if (r.status != 200) return false;
          auto j = nlohmann::json::parse(r.body, nullptr, false);
          return j.is_object() && j.value("status", "") == "ok" && j.value("origin", "") == node.origin;
        } catch (const Unreachable&) {
          return false;
        }
      },
      options_.patience);
  if (exited || !healthy)
    fail(fmt::format("{} {}; the end of its log ({}):\n{}", node.origin,
                     exited ? "exited at start" : "did not answer /v1/health in time",
                     (node.dir / "node.log").string(), tail(node)));
}

void FederationRunner::start() {
  for (const std::string& code : order_) {
    Node& node = nodes_.at(code);
    say(fmt::format("starting {} (API 127.0.0.1:{})", node.origin, node.apiPort));
    launch(node);
    waitHealthy(node);
  }
}

void FederationRunner::seed() {
  std::map<std::string, std::string> byOrigin;
  for (const auto& [code, node] : nodes_) byOrigin[node.origin] = code;
  for (const auto& [origin, decision] : demo_.decisions()) {
    if (!byOrigin.contains(origin)) continue;
    NodeClient client(apiEndpoint(byOrigin.at(origin)));
    std::string body(reinterpret_cast<const char*>(decision.data()), decision.size());
    HttpReply last;
    bool hopeless = false;
    bool accepted = waitFor(
        [&] {
          try {
            last = client.post("/v1/submit", body);
          } catch (const Unreachable& e) {
            last = {0, e.what(), ""};
            return false;
          }
          if (last.status == 400 || last.status == 413) hopeless = true;
          auto j = nlohmann::json::parse(last.body, nullptr, false);
          bool duplicate = last.status == 422 && j.is_object() && j.contains("error") &&
                           j["error"].value("reason", "") == "duplicate-decision";
          return hopeless || last.status == 200 || duplicate;
        },
        options_.patience);
    if (hopeless || !accepted)
      fail(fmt::format("{} did not accept a demo decision: HTTP {} {}", origin, last.status, last.body));
  }
}

std::vector<std::string> FederationRunner::stop() {
  std::vector<std::string> unclean;
  for (auto code = order_.rbegin(); code != order_.rend(); ++code) {
    Node& node = nodes_.at(*code);
    if (node.pid <= 0) continue;
    ::kill(node.pid, SIGTERM);
    int status = 0;
    bool exited = waitFor([&] { return ::waitpid(node.pid, &status, WNOHANG) == node.pid; }, 30s);
    if (!exited) {
      ::kill(node.pid, SIGKILL);
      ::waitpid(node.pid, &status, 0);
    }
    node.pid = 0;
    if (!exited || !WIFEXITED(status) || WEXITSTATUS(status) != 0) unclean.push_back(node.origin);
  }
  return unclean;
}

void FederationRunner::setClock(Timestamp time) {
  if (!options_.movableClock) fail("setClock: the federation runs with a fixed clock start");
  if (time < clock_) fail("setClock: the federation's clock never goes back");
  // Written beside, then renamed over: a node never reads half a number.
  fs::path file = options_.workDir / "clock", temporary = options_.workDir / "clock.new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << time << "\n";
    if (!out.flush()) fail(fmt::format("cannot write {}", temporary.string()));
  }
  fs::rename(temporary, file);
  clock_ = time;
}

std::string FederationRunner::apiEndpoint(const std::string& code) const {
  return fmt::format("127.0.0.1:{}", nodes_.at(code).apiPort);
}

std::string FederationRunner::originOf(const std::string& code) const { return nodes_.at(code).origin; }

fs::path FederationRunner::logFile(const std::string& code) const { return nodes_.at(code).dir / "node.log"; }

std::uint64_t FederationRunner::sizeHeld(const std::string& holder, const std::string& origin) const {
  try {
    HttpReply r = NodeClient(apiEndpoint(holder), 5s).get("/v1/log?origin=" + origin);
    if (r.status != 200) return 0;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() ? j.value("size", std::uint64_t{0}) : 0;
  } catch (const Unreachable&) {
    return 0;
  }
}

void FederationRunner::waitReplicated(const std::string& holder, const std::string& origin, std::uint64_t size) {
  if (!waitFor([&] { return sizeHeld(holder, origin) >= size; }, options_.patience))
    fail(fmt::format("{} did not receive {} entries of {} within {} s (it holds {})", originOf(holder), size, origin,
                     options_.patience.count(), sizeHeld(holder, origin)));
}

}  // namespace hreg::cli
