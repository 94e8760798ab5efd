#include "node/node.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <fstream>
#include <sstream>

#include "ledger/trust/trust-root-file.h"
#include "node/api.h"
#include "node/lookup.h"
#include "node/peer-session.h"
#include "node/tls.h"

namespace hreg::node {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto MAX_BACKOFF = std::chrono::milliseconds(2000);

note::SignerKey checkpointKeyFrom(const NodeConfig& config) {
  auto key = loadSignerKey(config.checkpointKeyFile);
  if (!key) fail(key.error().detail);
  if (key.value().name() != config.origin)
    fail(fmt::format("{}: the checkpoint key is named '{}' but node.origin is '{}'; a node's key is named after its "
                     "log", config.checkpointKeyFile.string(), key.value().name(), config.origin));
  if (key.value().type() != note::KeyType::ED25519)
    fail(fmt::format("{}: a checkpoint key must be an Ed25519 note key", config.checkpointKeyFile.string()));
  return std::move(key).value();
}

trust::TrustAnchor trustRootFrom(const NodeConfig& config) {
  std::ifstream in(config.trustRootFile, std::ios::binary);
  if (!in) fail(fmt::format("{}: cannot read the trust root (node.trust_root)", config.trustRootFile.string()));
  std::ostringstream text;
  text << in.rdbuf();
  auto root = trust::parseTrustRootFile(text.str());
  if (!root) fail(fmt::format("{}: {}", config.trustRootFile.string(), root.error().detail));
  return root.value();
}

}  // namespace

Node::Node(asio::io_context& io, NodeConfig config, const Clock& clock, std::shared_ptr<spdlog::logger> log)
    : io_(io),
      config_(std::move(config)),
      clock_(clock),
      log_(std::move(log)),
      serverTls_(asio::ssl::context::tls_server),
      clientTls_(asio::ssl::context::tls_client),
      acceptor_(io),
      reconnect_(io) {
  auto key = checkpointKeyFrom(config_);
  auto root = trustRootFrom(config_);
  if (config_.origin == root.origin && key.keyPair().publicKey() != root.checkpointKey)
    fail(fmt::format("{}: this is the root log's node, but its checkpoint key is not the one the trust root {} names",
                     config_.checkpointKeyFile.string(), config_.trustRootFile.string()));
  if (config_.origin == root.origin && config_.parent)
    fail(fmt::format("{}: the root log's node has no parent; remove [parent]", config_.file.string()));
  serverTls_ = tlsContext(key, true);
  clientTls_ = tlsContext(key, false);
  store_ = std::make_unique<store::Store>(store::Options{config_.dataDir});
  core_ = std::make_unique<Core>(*store_, std::move(key), std::move(root), clock_, config_.verifyThreads, log_);
  lookups_ = std::make_unique<Lookups>(*this);
  // A fresh store (a new node, or a lost disk) or a restored backup may lack entries of the own log
  // that the parent holds: appending before the parent has said how many would fork the log.
  auto own = core_->head(core_->origin());
  if (config_.parent && (config_.recover || !own || own->size == 0))
    core_->holdSubmissions("this node is waiting for its parent to confirm how much of its log it holds; retry "
                           "shortly (or check parent.address)");
}

Node::~Node() {
  // A check under way posts its outcome to the io_context: let it finish while everything it
  // reaches still exists (sessions are held weakly, so a late outcome finds nothing to commit).
  checkers_.join();
}

void Node::start() {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(config_.peerListen.host), config_.peerListen.port);
  error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    fail(fmt::format("cannot listen on the peer port {} (peer.listen): {}", config_.peerListen.toString(),
                     ec.message()));
  try {
    api_ = std::make_unique<ApiServer>(*this, config_.apiListen);
  } catch (const boost::system::system_error& e) {
    fail(fmt::format("cannot listen on the API port {} (api.listen): {}", config_.apiListen.toString(), e.what()));
  }
  api_->start();
  accept();
  log_->info("node-started origin={} peer={} api={} parent={}", core_->origin(), config_.peerListen.toString(),
             config_.apiListen.toString(), config_.parent ? config_.parent->origin : "none");
  if (config_.parent) connectParent();
}

void Node::stop() {
  if (stopping_) return;
  stopping_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  reconnect_.cancel();
  if (api_) api_->stop();
  lookups_->stop();
  auto sessions = sessions_;
  for (const auto& s : sessions) s->shutdown();
  log_->info("node-stopping origin={}", core_->origin());
}

void Node::accept() {
  acceptor_.async_accept([this](error_code ec, asio::ip::tcp::socket socket) {
    if (ec || stopping_) return;
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    auto session = std::make_shared<PeerSession>(*this, PeerSession::Stream(std::move(socket), serverTls_),
                                                 PeerSession::Peer::CHILD);
    sessions_.insert(session);
    session->start();
    accept();
  });
}

void Node::connectParent() {
  if (stopping_ || parentSession_ != nullptr) return;
  const ParentConfig& parent = *config_.parent;
  auto socket = std::make_shared<asio::ip::tcp::socket>(io_);
  asio::ip::tcp::endpoint endpoint;
  error_code ec;
  auto address = asio::ip::make_address(parent.address.host, ec);
  if (ec) {
    // A host name: resolved synchronously, rarely (each reconnect).
    asio::ip::tcp::resolver resolver(io_);
    auto results = resolver.resolve(parent.address.host, std::to_string(parent.address.port), ec);
    if (ec || results.empty()) {
      log_->warn("parent-unreachable parent={} address={} detail=\"{}\"", parent.origin, parent.address.toString(),
                 ec ? ec.message() : "no address");
      return scheduleReconnect();
    }
    endpoint = *results.begin();
  } else {
    endpoint = asio::ip::tcp::endpoint(address, parent.address.port);
  }
  socket->async_connect(endpoint, [this, socket](error_code cec) {
    if (stopping_) return;
    if (cec) {
      // Said once per outage at warn (the first failed try), then at debug while retrying.
      log_->log(backoff_ <= std::chrono::milliseconds(100) ? spdlog::level::warn : spdlog::level::debug,
                "parent-unreachable parent={} address={} detail=\"{}\"", config_.parent->origin,
                config_.parent->address.toString(), cec.message());
      return scheduleReconnect();
    }
    error_code ignored;
    socket->set_option(asio::ip::tcp::no_delay(true), ignored);
    auto session = std::make_shared<PeerSession>(*this, PeerSession::Stream(std::move(*socket), clientTls_),
                                                 PeerSession::Peer::PARENT);
    sessions_.insert(session);
    parentSession_ = session.get();
    session->start();
  });
}

void Node::scheduleReconnect() {
  if (stopping_) return;
  reconnect_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, MAX_BACKOFF);
  reconnect_.async_wait([this](error_code ec) {
    if (!ec) connectParent();
  });
}

bool Node::parentConnected() const { return parentSession_ != nullptr && parentSession_->ready(); }

bool Node::parentKeyMatches(const crypto::PublicKey& key) const {
  if (!config_.parent) return false;
  if (key == config_.parent->key.key) return true;
  auto chartered = core_->checkpointKeyOf(config_.parent->origin);
  return chartered && chartered.value().key == key;
}

void Node::changed(const std::string& origin) {
  auto sessions = sessions_;  // announce may end a session
  for (const auto& s : sessions) s->announce(origin);
  for (const auto& s : sessions) s->changedElsewhere();
}

void Node::sessionReady(PeerSession* session) {
  if (session == parentSession_) backoff_ = std::chrono::milliseconds(100);
}

void Node::sessionEnded(PeerSession* session) {
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
    if (it->get() == session) {
      auto keep = *it;  // the session outlives its removal until its handlers finish
      sessions_.erase(it);
      break;
    }
  if (session == parentSession_) {
    parentSession_ = nullptr;
    lookups_->parentLost();
    scheduleReconnect();
  }
}

bool Node::sendSubjectQuery(std::uint64_t id, const std::string& subject, unsigned hops,
                            std::chrono::milliseconds wait) {
  if (!parentConnected()) return false;
  parentSession_->sendSubjectQuery(id, subject, hops, wait);
  return true;
}

std::optional<Node::Announced> Node::parentAnnounced(const std::string& origin) const {
  if (parentSession_ == nullptr) return std::nullopt;
  auto announced = parentSession_->announced(origin);
  if (!announced) return std::nullopt;
  return Announced{announced->first, announced->second};
}

}  // namespace hreg::node
