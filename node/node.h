#pragma once
// hreg-node: one office's node on the network. It owns the core (store, own log, replicas, views),
// listens for its children on the peer port (TLS 1.3, charter-pinned keys), keeps a session to its
// parent (reconnecting after any failure), and serves the local HTTP API. Everything runs on the
// io_context it is given (one thread): the core is called from that thread only.
#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "node/config.h"
#include "node/core.h"

namespace hreg::node {

class PeerSession;
class ApiServer;
class Lookups;

// Counters the metrics endpoint reports, kept by the node and its sessions.
struct NodeStats {
  std::uint64_t sessionsOpened = 0;
  std::uint64_t sessionsRefused = 0;  // handshakes or hellos that failed
  std::uint64_t framesRefused = 0;    // sessions ended for a bad frame
  std::uint64_t entriesReceived = 0;
  std::uint64_t batchesRefused = 0;
  std::map<std::string, std::uint64_t> announced;  // newest size a child announced, per log
};

class Node {
 public:
  // Node opens the store and the core; throws a Fault naming what is wrong (key file, trust root,
  // store). start() binds the ports.
  Node(boost::asio::io_context& io, NodeConfig config, const Clock& clock, std::shared_ptr<spdlog::logger> log);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // start binds the peer and API ports (throws a Fault if a port is taken) and connects to the parent.
  void start();
  // stop closes the ports and every session; the io_context then runs out of work.
  void stop();

  Core& core() { return *core_; }
  const NodeConfig& config() const { return config_; }
  spdlog::logger& log() { return *log_; }
  NodeStats& stats() { return stats_; }
  boost::asio::io_context& io() { return io_; }
  // checkers is where replica batches are checked (log::checkReplica) off the node's thread: one
  // thread, each check using node.verify_threads, so batches finish in the order they came.
  boost::asio::thread_pool& checkers() { return checkers_; }
  bool stopping() const { return stopping_; }
  bool parentConnected() const;
  std::size_t sessionCount() const { return sessions_.size(); }

  // changed tells every session that `origin` grew or gained cosignatures, so they announce it.
  void changed(const std::string& origin);
  void sessionEnded(PeerSession* session);
  void sessionReady(PeerSession* session);

  // parentKeyMatches: `key` is the parent's pinned key, or the key its charter names now.
  bool parentKeyMatches(const crypto::PublicKey& key) const;

  // lookups route GET /v1/subject up the chain of parents (node/lookup.h).
  Lookups& lookups() { return *lookups_; }
  // sendSubjectQuery asks the parent about a subject; false when no parent session is ready.
  bool sendSubjectQuery(std::uint64_t id, const std::string& subject, unsigned hops, std::chrono::milliseconds wait);
  // Announced is the newest size the parent announced of a log, and when.
  struct Announced {
    std::uint64_t size = 0;
    Timestamp at = 0;
  };
  [[nodiscard]] std::optional<Announced> parentAnnounced(const std::string& origin) const;

 private:
  void accept();
  void connectParent();
  void scheduleReconnect();

  boost::asio::io_context& io_;
  NodeConfig config_;
  const Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Core> core_;
  boost::asio::ssl::context serverTls_;
  boost::asio::ssl::context clientTls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer reconnect_;
  std::chrono::milliseconds backoff_{100};
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<Lookups> lookups_;
  std::set<std::shared_ptr<PeerSession>> sessions_;
  PeerSession* parentSession_ = nullptr;
  NodeStats stats_;
  bool stopping_ = false;
  boost::asio::thread_pool checkers_{1};  // joined first when the node is destroyed (~Node)
};

}  // namespace hreg::node
