#pragma once
// One authenticated session with a peer: the parent (we connected) or a child (it connected).
// Protocol in docs/protocol.md and protocol/schema/wire.capnp. A malformed, oversized or
// out-of-order frame ends this session with a logged reason (Goodbye); nothing else is affected.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "protocol/core/bytes.h"
#include "protocol/framing.h"
#include "protocol/schema/wire.capnp.h"

namespace hreg::node {

class Node;
struct LookupAnswer;

class PeerSession : public std::enable_shared_from_this<PeerSession> {
 public:
  enum class Peer { PARENT, CHILD };  // what the peer is to this node
  using Stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

  PeerSession(Node& node, Stream stream, Peer peer);
  ~PeerSession();

  // start runs the TLS handshake (client side for a parent, server side for a child), then Hello.
  void start();
  // announce sends a Head of `origin` if this peer should receive that log from us.
  void announce(const std::string& origin);
  // close ends the session with a Goodbye (if the channel is up) and closes the connection.
  void close(Reason reason, const std::string& detail);
  // shutdown ends the session because this node stops.
  void shutdown();

  // changedElsewhere re-considers Heads that waited for something another commit may have brought.
  void changedElsewhere();

  // sendSubjectQuery asks the parent about a subject (node/lookup.h); its answer goes to the node's lookups.
  void sendSubjectQuery(std::uint64_t id, const std::string& subject, unsigned hops, std::chrono::milliseconds wait);
  // announced is the size of `origin` this peer's newest Head announced, and when it came (node clock).
  [[nodiscard]] std::optional<std::pair<std::uint64_t, std::int64_t>> announced(const std::string& origin) const;

  Peer peer() const { return peer_; }
  const std::string& peerOrigin() const { return peerOrigin_; }
  bool ready() const { return ready_; }

 private:
  // sendable: we send `origin` to this peer (up: ours and our subtree's; down: ours and our ancestors').
  bool sendable(const std::string& origin) const;
  // receivable: this peer may send us `origin` (up from a child: its log and its subtree's; down
  // from the parent: our ancestors'), or cannot tell yet (no charter held names the log).
  enum class Receivable { YES, NO, NOT_YET };
  Receivable receivable(const std::string& origin) const;
  bool verifyPeer(bool preverified, X509* certificate);
  std::string remote() const;
  void handshakeDone();
  void readHeader();
  void readBody(std::size_t bytes);
  void dispatch(const protocol::FrameBody& body);
  void onHello(schema::wire::Hello::Reader hello);
  void onHead(schema::wire::Head::Reader head);
  void onFetch(schema::wire::Fetch::Reader fetch);
  void onEntries(schema::wire::Entries::Reader entries);
  void onCosigned(schema::wire::Cosigned::Reader cosigned);
  void onSubjectQuery(schema::wire::SubjectQuery::Reader query);
  void onSubjectAnswer(schema::wire::SubjectAnswer::Reader answer);
  void sendSubjectAnswer(std::uint64_t id, const LookupAnswer& answer);
  struct Arrived;
  // commitArrived commits, in log order, the batches of `origin` whose check has finished.
  void commitArrived(const std::string& origin);
  // commit commits one checked batch; false when it was refused (then `in` waits, and says why).
  bool commit(const std::string& origin, Arrived& batch);
  void considerHead(const std::string& origin);
  void fetchMore(const std::string& origin);
  void sendFetch(const std::string& origin, std::uint64_t from);
  void announceAll();
  void sendHello();
  void sendRefused(const std::string& origin, Reason reason, const std::string& detail);
  void send(capnp::MessageBuilder& message);
  void write();
  void fail(Reason reason, const std::string& detail);

  // What we know of a log this peer sends us.
  struct Incoming {
    std::string head;                    // the newest Head's signed checkpoint
    std::vector<std::string> cosignatures;
    std::uint64_t target = 0;            // its size
    std::int64_t headAt = 0;             // when the newest Head came (node clock)
    std::deque<std::uint64_t> fetching;  // `from` of each Fetch in flight, in order
    // Batches received, in log order, being checked on the node's checking thread or waiting for
    // an earlier one to commit: the next batch is checked while this one commits.
    std::deque<std::shared_ptr<Arrived>> arrived;
    // blocked: waiting for a charter that names the log (retried after any commit), or refused
    // (retried only when a new Head comes).
    enum class Wait { NONE, CHARTER, NEW_HEAD } wait = Wait::NONE;
    bool blocked() const { return wait != Wait::NONE; }
  };

  Node& node_;
  Stream stream_;
  Peer peer_;
  std::string peerOrigin_;
  std::string refusedBecause_;  // why verifyPeer refused the certificate, for the log
  bool handshaken_ = false;
  bool helloReceived_ = false;
  bool ready_ = false;
  bool closing_ = false;
  boost::asio::steady_timer deadline_;
  std::uint8_t header_[protocol::FRAME_HEADER_BYTES]{};
  std::unique_ptr<protocol::FrameBody> body_;
  std::deque<Bytes> outbox_;
  std::size_t outboxBytes_ = 0;
  bool writing_ = false;
  std::map<std::string, Incoming> incoming_;
  unsigned queriesInFlight_ = 0;  // a child's SubjectQueries not answered yet
};

}  // namespace hreg::node
