#pragma once
// One real `hreg-node` process (HREG_NODE_BINARY, set by tests/node/CMakeLists.txt) for integration
// tests: its config file, data directory and stderr log live in a directory the caller owns. The
// process is started with fork and exec, dies with the test process (PR_SET_PDEATHSIG), and is
// killed when the object goes; if the test failed by then (or HREG_NODE_LOGS is set), the tail of its
// log is printed.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "admin-cli/federation-runner.h"
#include "protocol/core/clock.h"
#include "tests/node/support/http.h"
#include "tests/node/support/wait.h"

extern char** environ;

namespace hreg::testing {

// DEMO_CLOCK_START is 2026-01-01T00:05:00Z: five minutes after the demo federation's decisions
// were dated, so that a node admits them (they are neither ahead of its clock nor too old).
inline constexpr Timestamp DEMO_CLOCK_START = 1'767'225'900;

// NodeSetup is what a node's config file says (node-interface: [node], [peer], [api], [parent], [clock]).
struct NodeSetup {
  struct Parent {
    std::string origin;
    std::uint16_t peerPort = 0;
    std::string key;  // the parent's checkpoint verifier key string, pinned
  };
  std::string origin;
  std::filesystem::path checkpointKeyFile;
  std::filesystem::path trustRootFile;
  std::uint16_t peerPort = 0;
  std::uint16_t apiPort = 0;
  std::optional<Parent> parent;  // none for the root node
  Timestamp clockStart = DEMO_CLOCK_START;
  std::filesystem::path clockFile;  // set: [clock] file = this (a FileClock the test moves) instead of start
  // [limits] of the HTTP API (node/rate-limit.h); unset: the node's defaults. Tests poll and submit
  // from one address far faster than an office does, so their nodes run without a limit unless a
  // test of the limit sets one.
  std::optional<double> apiRequestsPerSecond = 0;
  std::optional<double> apiBurst;
  std::string logLevel = "debug";  // the log is only read when a test fails: make it tell everything
};

// configText is the TOML config of `setup`, with its store in `dataDir`.
inline std::string configText(const NodeSetup& setup, const std::filesystem::path& dataDir) {
  auto quoted = [](const std::string& s) { return nlohmann::json(s).dump(); };  // a TOML basic string
  std::string text = "[node]\norigin = " + quoted(setup.origin) + "\ndata_dir = " + quoted(dataDir.string()) +
                     "\ncheckpoint_key_file = " + quoted(setup.checkpointKeyFile.string()) +
                     "\ntrust_root = " + quoted(setup.trustRootFile.string()) + "\nverify_threads = 2\n\n" +
                     "[peer]\nlisten = \"127.0.0.1:" + std::to_string(setup.peerPort) + "\"\n\n" +
                     "[api]\nlisten = \"127.0.0.1:" + std::to_string(setup.apiPort) + "\"\n\n";
  if (setup.parent)
    text += "[parent]\norigin = " + quoted(setup.parent->origin) + "\naddress = \"127.0.0.1:" +
            std::to_string(setup.parent->peerPort) + "\"\nkey = " + quoted(setup.parent->key) + "\n\n";
  if (setup.clockFile.empty())
    text += "[clock]\nstart = " + std::to_string(setup.clockStart) + "\n\n";
  else
    text += "[clock]\nfile = " + quoted(setup.clockFile.string()) + "\n\n";
  if (setup.apiRequestsPerSecond || setup.apiBurst) {
    text += "[limits]\n";
    if (setup.apiRequestsPerSecond) text += "api_requests_per_second = " + std::to_string(*setup.apiRequestsPerSecond) + "\n";
    if (setup.apiBurst) text += "api_burst = " + std::to_string(*setup.apiBurst) + "\n";
    text += "\n";
  }
  text += "[log]\nlevel = " + quoted(setup.logLevel) + "\n";
  return text;
}

// NodeProcess runs one node. Not copyable: it owns the process.
class NodeProcess {
 public:
  // NodeProcess writes the config into `dir` (created if missing); start() runs the node.
  NodeProcess(std::filesystem::path dir, NodeSetup setup) : dir_(std::move(dir)), setup_(std::move(setup)) {
    std::filesystem::create_directories(dir_);
    std::ofstream(configFile(), std::ios::trunc) << configText(setup_, dir_ / "data");
  }
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;
  ~NodeProcess() {
    if (running()) kill();
    if (::testing::Test::HasFailure() || std::getenv("HREG_NODE_LOGS") != nullptr) printLogTail();
  }

  const std::string& origin() const { return setup_.origin; }
  const NodeSetup& setup() const { return setup_; }
  std::uint16_t apiPort() const { return setup_.apiPort; }
  std::uint16_t peerPort() const { return setup_.peerPort; }
  std::filesystem::path configFile() const { return dir_ / "node.toml"; }
  std::filesystem::path dataDir() const { return dir_ / "data"; }
  std::filesystem::path logFile() const { return dir_ / "stderr.log"; }

  // start runs `hreg-node --config FILE`, its stdout and stderr appended to logFile().
  void start() {
    ASSERT_FALSE(running()) << origin() << " is already running";
    pid_t pid = cli::spawnDaemon({HREG_NODE_BINARY, "--config", configFile().string()}, logFile());
    ASSERT_GE(pid, 0) << "fork: " << std::strerror(errno);
    pid_ = pid;
  }

  // waitHealthy waits until GET /v1/health answers 200 with status "ok" and this node's origin.
  // Fails at once if the process exits meanwhile.
  ::testing::AssertionResult waitHealthy(std::chrono::seconds deadline = CONVERGENCE) {
    Response last;
    bool exited = false;
    auto healthy = waitUntil(
        [&] {
          if (!running()) return exited = true;
          last = get("/v1/health");
          if (last.status != 200) return false;
          auto j = nlohmann::json::parse(last.body, nullptr, false);
          return j.is_object() && j.value("status", "") == "ok" && j.value("origin", "") == origin();
        },
        deadline, origin() + " answers /v1/health with status ok", [&] { return last.describe(); });
    if (exited) return ::testing::AssertionFailure() << origin() << " exited before it was healthy: " << exitText_;
    return healthy;
  }

  // terminate sends SIGTERM and waits for a clean exit (status 0), as the interface promises.
  ::testing::AssertionResult terminate(std::chrono::seconds deadline = std::chrono::seconds{30}) {
    if (!running()) return ::testing::AssertionFailure() << origin() << " is not running (" << exitText_ << ")";
    ::kill(pid_, SIGTERM);
    auto exited = waitUntil([&] { return !running(); }, deadline, origin() + " exits after SIGTERM");
    if (!exited) {
      kill();
      return exited;
    }
    if (exitCode_ != 0) return ::testing::AssertionFailure() << origin() << " after SIGTERM: " << exitText_;
    return ::testing::AssertionSuccess();
  }

  // kill ends the node with SIGKILL, as a power cut would: no shutdown code runs.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    recordExit(status);
  }

  // restart starts the node again after terminate() or kill(): same config, ports and data.
  void restart() {
    std::ofstream(logFile(), std::ios::app) << "---- hreg test: restarting " << origin() << " ----\n";
    start();
  }

  // running says whether the process is alive; it reaps it (and records its exit) when it is not.
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == 0) return true;
    if (reaped == pid_) recordExit(status);
    else pid_ = 0;
    return false;
  }

  Response get(std::string_view target) const { return httpGet(apiPort(), target); }
  Response post(std::string_view target, std::string body,
                std::string_view contentType = "application/octet-stream") const {
    return httpPost(apiPort(), target, std::move(body), contentType);
  }
  // submit posts one decision's canonical SignedDecision bytes to /v1/submit.
  Response submit(ByteView decision) const {
    return post("/v1/submit", std::string(asChars(decision)), "application/octet-stream");
  }
  // heldLog is this node's GET /v1/log?origin=ORIGIN, or nullopt when the node does not hold that
  // log (404) or does not answer.
  std::optional<nlohmann::json> heldLog(const std::string& logOrigin) const {
    auto r = get("/v1/log?origin=" + logOrigin);
    if (r.status != 200) return std::nullopt;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    return j;
  }

  // logTail is the last `lines` lines of the node's stderr.
  std::string logTail(std::size_t lines = 60) const {
    std::ifstream in(logFile());
    std::deque<std::string> tail;
    for (std::string line; std::getline(in, line);) {
      tail.push_back(std::move(line));
      if (tail.size() > lines) tail.pop_front();
    }
    std::string out;
    for (const auto& line : tail) out += "    " + line + "\n";
    return out;
  }
  void printLogTail(std::size_t lines = 60) const {
    std::cerr << "---- last lines of " << origin() << "'s log (" << logFile().string() << ") ----\n"
              << logTail(lines) << "---- end of " << origin() << "'s log ----\n";
  }

 private:
  void recordExit(int status) {
    pid_ = 0;
    if (WIFEXITED(status)) {
      exitCode_ = WEXITSTATUS(status);
      exitText_ = "exit status " + std::to_string(exitCode_);
    } else if (WIFSIGNALED(status)) {
      exitCode_ = 128 + WTERMSIG(status);
      exitText_ = std::string("killed by signal ") + ::strsignal(WTERMSIG(status));
    }
  }

  std::filesystem::path dir_;
  NodeSetup setup_;
  pid_t pid_ = 0;
  int exitCode_ = -1;
  std::string exitText_ = "never started";
};

}  // namespace hreg::testing
