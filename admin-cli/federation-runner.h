#pragma once
// FederationRunner: the demo federation (configs/demo) as real `hreg-node` processes on loopback, for
// `hreg demo`. Each node gets a config in a work directory (its store, its log file), free loopback
// ports, its published checkpoint key and its parent pinned; the nodes start parents first, each
// answering /v1/health before its children start, and stop children first with SIGTERM. seed()
// submits the demo's charters, grants and the root's calendar policy, each at the node of its log,
// as officials would. Nothing here is global: two runners can share a process.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "admin-cli/demo-federation.h"
#include "admin-cli/node-client.h"
#include "protocol/core/clock.h"

namespace hreg::cli {

// canBindLoopback says whether 127.0.0.1:port is free to listen on now.
[[nodiscard]] bool canBindLoopback(std::uint16_t port);

// freeLoopbackPort picks a free port of 127.0.0.1 below the kernel's ephemeral range (from which
// outgoing connections take their source ports, so a node keeps its port across a restart), not in
// `taken`, and adds it there. Throws a Fault when none is free.
[[nodiscard]] std::uint16_t freeLoopbackPort(std::set<std::uint16_t>& taken, std::mt19937& random);

// spawnDaemon starts `args` (args[0] a path) with stdin from /dev/null and stdout and stderr appended
// to `logFile`; the process is killed when its parent dies (PR_SET_PDEATHSIG). Returns its pid, or
// -1 with errno when fork fails.
[[nodiscard]] pid_t spawnDaemon(std::vector<std::string> args, const std::filesystem::path& logFile);

// ROOT_CODE names the root node, whose log has no division code.
inline constexpr const char* ROOT_CODE = "root";

struct RunnerOptions {
  std::filesystem::path configs;     // configs/demo
  std::filesystem::path workDir;     // one directory per node is made here
  std::filesystem::path nodeBinary;  // hreg-node
  Timestamp clockStart = 0;          // every node's clock starts here
  bool movableClock = false;         // the nodes share one clock file (setClock), starting at clockStart
  // apiRateLimit false lifts the API's per-client rate limit (`[limits] api_requests_per_second = 0`),
  // as for a benchmark that asks from one address far faster than an office; a movable clock lifts it
  // anyway (it stands still between steps, so a bucket would never refill).
  bool apiRateLimit = true;
  std::chrono::seconds patience{60}; // how long to wait for a node or for replication
  std::function<void(const std::string&)> progress;  // told what is being waited for; may be empty
};

class FederationRunner {
 public:
  // FederationRunner prepares the nodes `codes` (ROOT_CODE and division codes of federation.toml;
  // each one's parent must be among them). Throws tlog::UsageError for an unknown code or a missing
  // parent, a Fault when configs cannot be read.
  FederationRunner(RunnerOptions options, std::vector<std::string> codes);
  FederationRunner(const FederationRunner&) = delete;
  FederationRunner& operator=(const FederationRunner&) = delete;
  ~FederationRunner();  // kills whatever still runs

  // start runs every node, parents first. Throws a Fault naming the node and the tail of its log when
  // one exits or does not become healthy within `patience`.
  void start();
  // seed submits every demo decision whose log runs here, in order, each accepted before the next
  // (a node refuses until its ancestors' logs have come down to it, so refusals are retried).
  void seed();
  // stop sends SIGTERM to every node, children first, and waits for each; it returns the nodes that
  // did not exit cleanly (empty when all did).
  std::vector<std::string> stop();

  // setClock moves every node's clock to `time` (movableClock only; the clock never goes back).
  void setClock(Timestamp time);
  [[nodiscard]] Timestamp clock() const { return clock_; }

  [[nodiscard]] std::string apiEndpoint(const std::string& code) const;
  [[nodiscard]] std::string originOf(const std::string& code) const;
  [[nodiscard]] std::filesystem::path logFile(const std::string& code) const;
  [[nodiscard]] const DemoFederation& demo() const { return demo_; }

  // waitReplicated waits until the node `holder` holds at least `size` entries of the log `origin`.
  // Throws a Fault after `patience`.
  void waitReplicated(const std::string& holder, const std::string& origin, std::uint64_t size);
  // sizeHeld is how many entries of `origin` the node `holder` holds (0 if none, or no answer).
  [[nodiscard]] std::uint64_t sizeHeld(const std::string& holder, const std::string& origin) const;

 private:
  struct Node {
    std::string code, origin, parent;
    std::uint16_t peerPort = 0, apiPort = 0;
    std::filesystem::path dir;
    pid_t pid = 0;
  };
  void launch(Node& node);
  void waitHealthy(Node& node);
  [[nodiscard]] bool alive(Node& node);
  [[nodiscard]] std::string tail(const Node& node) const;
  void say(const std::string& what) const;

  RunnerOptions options_;
  DemoFederation demo_;
  std::vector<std::string> order_;  // parents first
  std::map<std::string, Node> nodes_;
  Timestamp clock_ = 0;
};

}  // namespace hreg::cli
