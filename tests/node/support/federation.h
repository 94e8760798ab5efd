#pragma once
// The demo federation (configs/demo) as real processes: the root node and any of the eight offices
// of configs/demo/federation.toml, each with its published checkpoint key, wired child to parent on
// loopback ports, every clock starting at DEMO_CLOCK_START. seed() then appends the demo's charters
// and grants, each at the node whose log it belongs to, as officials would submit them.
#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "admin-cli/demo-federation.h"
#include "ledger/log/signing.h"
#include "tests/node/support/node-process.h"
#include "tests/node/support/ports.h"
#include "tests/support/decisions.h"
#include "tests/support/keys.h"
#include "tests/support/temp-dir.h"

namespace hreg::testing {

// ROOT is the code the tests give the root node, whose log has no division code.
inline const std::string ROOT = "root";

// demoDir is configs/demo of this source tree.
inline std::filesystem::path demoDir() { return std::filesystem::path(HREG_SOURCE_DIR) / "configs" / "demo"; }

// originOf is the log origin of a demo node's code: "14" -> "hreg.example/14", ROOT -> the root log.
inline std::string originOf(const std::string& code) { return "hreg.example/" + code; }

// DemoNodeEntry is one [[node]] of federation.toml (or the root, from trust-root.toml).
struct DemoNodeEntry {
  std::string code, origin, parent, checkpointKey;  // parent: a code, ROOT for provinces, "" for the root
};

// demoNodes reads federation.toml and trust-root.toml: every node of the demo federation, by code.
inline std::map<std::string, DemoNodeEntry> demoNodes() {
  std::map<std::string, DemoNodeEntry> nodes;
  toml::table root = toml::parse_file((demoDir() / "trust-root.toml").string());
  nodes[ROOT] = {ROOT, root["origin"].value_or(std::string()), "", root["checkpoint_key"].value_or(std::string())};
  // federation.toml's header comment spans two lines but only the first starts with '#' (the
  // demo-federation writer's bug), so the file is read from its first table on.
  std::ifstream file(demoDir() / "federation.toml");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  toml::table federation = toml::parse(text.substr(std::min(text.find("\n["), text.size())));
  if (const toml::array* list = federation["node"].as_array())
    for (const toml::node& n : *list) {
      const toml::table& t = *n.as_table();
      DemoNodeEntry entry{t["code"].value_or(std::string()), t["origin"].value_or(std::string()),
                          t["parent"].value_or(std::string()), t["checkpoint_key"].value_or(std::string())};
      if (entry.parent.empty()) entry.parent = ROOT;
      nodes[entry.code] = entry;
    }
  return nodes;
}

// depth is a node's distance from the root: root 0, province 1, prefecture 2, county 3, township 4.
inline int depth(const std::map<std::string, DemoNodeEntry>& nodes, const std::string& code) {
  int d = 0;
  for (std::string c = code; !nodes.at(c).parent.empty(); c = nodes.at(c).parent) ++d;
  return d;
}

// setClockFile moves the time of every node reading `file` ([clock] file) to `t`: the file is replaced
// whole, so no node reads half a number.
inline void setClockFile(const std::filesystem::path& file, Timestamp t) {
  std::filesystem::path next = file;
  next += ".new";
  std::ofstream(next, std::ios::trunc) << t << "\n";
  std::filesystem::rename(next, file);
}

class Federation {
 public:
  // Federation prepares the nodes `codes` (each one's parent must be among them), none started yet.
  // With `clockFile`, every node reads its time from that file ([clock] file), which the test moves.
  explicit Federation(std::vector<std::string> codes, std::filesystem::path clockFile = {})
      : demo_(demoDir()), entries_(demoNodes()) {
    std::sort(codes.begin(), codes.end(), [&](const std::string& a, const std::string& b) {
      return std::pair(depth(entries_, a), a) < std::pair(depth(entries_, b), b);
    });
    for (const std::string& code : codes) {
      const DemoNodeEntry& entry = entries_.at(code);
      NodeSetup setup;
      setup.origin = entry.origin;
      setup.checkpointKeyFile = demoDir() / "keys" / ("checkpoint-" + code + ".key");
      setup.trustRootFile = demoDir() / "trust-root.toml";
      setup.peerPort = freePort();
      setup.apiPort = freePort();
      setup.clockFile = clockFile;
      if (!entry.parent.empty()) {
        if (!nodes_.contains(entry.parent))
          throw std::invalid_argument("the federation needs " + code + "'s parent " + entry.parent);
        const DemoNodeEntry& parent = entries_.at(entry.parent);
        setup.parent = NodeSetup::Parent{parent.origin, nodes_.at(entry.parent)->peerPort(), parent.checkpointKey};
      }
      order_.push_back(code);
      byOrigin_[entry.origin] = code;
      nodes_[code] = std::make_unique<NodeProcess>(dir_ / code, std::move(setup));
    }
  }
  Federation(const Federation&) = delete;
  Federation& operator=(const Federation&) = delete;
  // The nodes go children first, so that no parent logs its children's sessions dropping.
  ~Federation() {
    for (auto code = order_.rbegin(); code != order_.rend(); ++code) nodes_.erase(*code);
  }

  // start runs every node, parents first, each healthy before its children start.
  ::testing::AssertionResult start() {
    for (const std::string& code : order_) {
      node(code).start();
      if (::testing::Test::HasFatalFailure()) return ::testing::AssertionFailure() << "cannot start " << code;
      if (auto healthy = node(code).waitHealthy(); !healthy) return healthy;
    }
    return ::testing::AssertionSuccess();
  }

  // terminateAll stops every running node with SIGTERM, children first; each must exit 0.
  ::testing::AssertionResult terminateAll() {
    auto result = ::testing::AssertionSuccess();
    for (auto code = order_.rbegin(); code != order_.rend(); ++code)
      if (node(*code).running())
        if (auto stopped = node(*code).terminate(); !stopped) result = stopped;
    return result;
  }

  NodeProcess& node(const std::string& code) { return *nodes_.at(code); }
  bool holds(const std::string& code) const { return nodes_.contains(code); }
  const cli::DemoFederation& demo() const { return demo_; }
  // verifierKey is the checkpoint verifier key string of a demo node's log.
  const std::string& verifierKey(const std::string& code) const { return entries_.at(code).checkpointKey; }

  // submitUntilAccepted submits `decision` to the node whose log is `origin` until it is accepted (200)
  // or `deadline` passes. A node refuses a decision (422, e.g. not-chartered) until the logs that
  // entitle it, its ancestors' with its charter, have replicated down to it, so refusals are retried;
  // a duplicate-decision answer means an earlier try was accepted. 400 and 413 fail at once.
  ::testing::AssertionResult submitUntilAccepted(const std::string& origin, ByteView decision,
                                                 std::chrono::seconds deadline = CONVERGENCE,
                                                 Response* accepted = nullptr) {
    if (!byOrigin_.contains(origin)) return ::testing::AssertionFailure() << "no node of " << origin << " runs";
    NodeProcess& target = node(byOrigin_.at(origin));
    Response last;
    bool hopeless = false;
    auto result = waitUntil(
        [&] {
          last = target.submit(decision);
          if (last.status == 400 || last.status == 413) hopeless = true;
          return hopeless || last.status == 200 || (last.status == 422 && last.reason() == "duplicate-decision");
        },
        deadline, origin + " accepts the decision", [&] { return last.describe(); });
    if (hopeless) return ::testing::AssertionFailure() << origin << " refused the decision: " << last.describe();
    if (result && accepted) *accepted = last;
    return result;
  }

  // seed appends every demo decision (DemoFederation::decisions(), in order) whose log runs here,
  // each accepted before the next is submitted.
  ::testing::AssertionResult seed(std::chrono::seconds deadline = CONVERGENCE) {
    for (const auto& [origin, decision] : demo_.decisions()) {
      if (!byOrigin_.contains(origin)) continue;
      if (auto accepted = submitUntilAccepted(origin, decision, deadline); !accepted) return accepted;
    }
    return ::testing::AssertionSuccess();
  }

  // signedBy is a decision of the log of the node `code` at `at`, its record written by `fill`, signed
  // by the demo officials `officials`: labels such as "140902-culture", whose keys are the demo's
  // official-<label>.key.
  Bytes signedBy(const std::string& code, Timestamp at, const std::vector<std::string>& officials,
                 const log::FillBody& fill) const {
    std::vector<crypto::KeyPair> keys;
    for (const std::string& label : officials) keys.push_back(demo_.key("official-" + label + ".key"));
    std::vector<const crypto::KeyPair*> signers;
    for (const auto& k : keys) signers.push_back(&k);
    return log::signedDecision(originOf(code), at, fill, signers);
  }

  // grant is a new signed grant at the node `code`, of the official key labelled `label`, by two of
  // the node's authority keys, dated at the nodes' clock start: a decision any chartered node accepts.
  Bytes grant(const std::string& code, const std::string& label) const {
    auto first = demo_.key("authority-" + code + "-1.key");
    auto second = demo_.key("authority-" + code + "-2.key");
    return grantDecision(originOf(code), DEMO_CLOCK_START, labelledKey(label).publicKey(), label, {&first, &second});
  }

 private:
  TempDir dir_;
  cli::DemoFederation demo_;
  std::map<std::string, DemoNodeEntry> entries_;
  std::vector<std::string> order_;               // parents first
  std::map<std::string, std::string> byOrigin_;  // log origin -> code
  std::map<std::string, std::unique_ptr<NodeProcess>> nodes_;
};

}  // namespace hreg::testing
