#include "node/peer-session.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "ledger/note/checkpoint.h"
#include "ledger/note/note.h"
#include "node/lookup.h"
#include "node/node.h"
#include "node/tls.h"
#include "protocol/limits.h"

namespace hreg::node {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto HANDSHAKE_TIME = std::chrono::seconds(10);
constexpr std::uint32_t HARD_BATCH_LIMIT = 8192;
constexpr std::size_t MAX_OUTBOX_BYTES = std::size_t{64} << 20;  // four full frames
// A child asks about subjects its officials or citizens look up; 64 at once is plenty, and bounds
// what one child makes this node (and its parent) wait on.
constexpr unsigned MAX_QUERIES_PER_CHILD = 64;
// A route names the nodes an answer passed through (at most MAX_LOOKUP_HOPS + 1); lags name logs
// on one chain (at most a few); anything longer is not an answer this protocol makes.
constexpr std::size_t MAX_ROUTE = limits::MAX_LOOKUP_HOPS + 1;
constexpr std::size_t MAX_LAGS = 16;
constexpr std::size_t MAX_NAME_BYTES = 256;
constexpr std::size_t MAX_DETAIL_BYTES = 2000;
constexpr std::size_t MAX_PENDING_LOGS = 100000;  // logs a peer may announce (a province's subtree is large)
// Batches of one log asked for or received and not yet committed: one committing, one being
// checked, one on the wire. Bounds what a session holds (3 frames) while keeping both busy.
constexpr std::size_t FETCH_WINDOW = 3;

// originOf is the origin line of a checkpoint note, unverified (to route it; verified later).
std::optional<std::string> originOf(std::string_view signedNote) {
  auto parsed = note::parseNote(signedNote);
  if (!parsed) return std::nullopt;
  auto checkpoint = note::parseCheckpoint(parsed.value().text);
  if (!checkpoint) return std::nullopt;
  return checkpoint.value().origin;
}

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

}  // namespace

// Arrived is one batch of Entries as received, owned (the frame's buffer is reused), with the
// verdict of its check once the checking thread has reached it.
struct PeerSession::Arrived {
  std::string origin;
  std::uint64_t from = 0;
  std::vector<Bytes> entries;
  std::vector<ByteView> views;  // of `entries`
  std::string checkpoint;
  std::vector<std::string> cosignatures;
  std::vector<note::VerifierKey> keys;        // the log's keys it was checked against
  std::optional<Result<log::CheckedBatch>> checked;  // written by the checking thread before `done`
  std::atomic<bool> done{false};

  log::ReplicaBatch batch() const { return {origin, from, views, checkpoint}; }
};

PeerSession::PeerSession(Node& node, Stream stream, Peer peer)
    : node_(node), stream_(std::move(stream)), peer_(peer), deadline_(node.io()) {
  if (peer_ == Peer::PARENT) peerOrigin_ = node_.config().parent->origin;
}

PeerSession::~PeerSession() = default;

bool PeerSession::verifyPeer(bool, X509* certificate) {
  // Self-signed certificates fail OpenSSL's chain check by design; the key is what we check.
  auto key = certificateKey(certificate);
  if (!key) {
    refusedBecause_ = "the peer's certificate carries no Ed25519 key";
    return false;
  }
  if (peer_ == Peer::PARENT) {
    if (node_.parentKeyMatches(*key)) return true;
    refusedBecause_ = fmt::format("the server's key {} is not the parent's checkpoint key (parent.key, or its "
                                  "charter)", toHex(ByteView(*key)));
    return false;
  }
  auto child = node_.core().childWithKey(*key);
  if (!child) {
    refusedBecause_ = fmt::format("the key {} is not the checkpoint key of a node this node charters (now)",
                                  toHex(ByteView(*key)));
    return false;
  }
  peerOrigin_ = *child;
  return true;
}

void PeerSession::start() {
  auto self = shared_from_this();
  // The callback lives in the stream, which this session owns: it holds `this`, never `self` (that
  // would be a cycle, and every session would leak).
  stream_.set_verify_callback([this](bool preverified, asio::ssl::verify_context& ctx) {
    // Only the peer's own certificate (depth 0) is presented; anything deeper is refused.
    if (X509_STORE_CTX_get_error_depth(ctx.native_handle()) != 0) return false;
    return verifyPeer(preverified, X509_STORE_CTX_get_current_cert(ctx.native_handle()));
  });
  deadline_.expires_after(HANDSHAKE_TIME);
  deadline_.async_wait([this, self](error_code ec) {
    if (!ec && !ready_) close(Reason::PROTOCOL_ERROR, "no handshake and Hello within the time allowed");
  });
  auto type = peer_ == Peer::PARENT ? asio::ssl::stream_base::client : asio::ssl::stream_base::server;
  stream_.async_handshake(type, [this, self](error_code ec) {
    if (ec) {
      ++node_.stats().sessionsRefused;
      node_.log().warn("peer-refused remote={} stage=handshake detail=\"{}{}{}\"", remote(), ec.message(),
                       refusedBecause_.empty() ? "" : ": ", refusedBecause_);
      closing_ = true;
      error_code ignored;
      stream_.lowest_layer().close(ignored);
      deadline_.cancel();
      node_.sessionEnded(this);
      return;
    }
    handshaken_ = true;
    sendHello();
    readHeader();
  });
}

std::string PeerSession::remote() const {
  error_code ec;
  auto endpoint = stream_.lowest_layer().remote_endpoint(ec);
  return ec ? std::string("?") : fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

bool PeerSession::sendable(const std::string& origin) const {
  const Core& core = node_.core();
  if (origin == core.origin()) return true;
  if (peer_ == Peer::PARENT) return core.isAncestor(core.origin(), origin);
  // Down: our ancestors' logs, and the child's own log back (its cosignatures; its recovery).
  return origin == peerOrigin_ || core.isAncestor(origin, core.origin());
}

PeerSession::Receivable PeerSession::receivable(const std::string& origin) const {
  const Core& core = node_.core();
  // Our own log comes back only from the parent's replica of it, to recover what our store lost.
  if (origin == core.origin()) return peer_ == Peer::PARENT ? Receivable::YES : Receivable::NO;
  const bool isRoot = origin == core.authority().rootAt(core.clock().now()).origin;
  if (peer_ == Peer::PARENT) {
    // From the parent: the root log, the parent's log, and any chartered log outside this node's
    // subtree (its ancestors: a node learns who they are only from the logs themselves, root first).
    if (isRoot || origin == peerOrigin_) return Receivable::YES;
    if (!core.authority().charteredBy(origin)) return Receivable::NOT_YET;
    return core.isAncestor(core.origin(), origin) ? Receivable::NO : Receivable::YES;
  }
  // From a child: its log and the logs of its subtree, which its charters name.
  if (origin == peerOrigin_ || core.isAncestor(peerOrigin_, origin)) return Receivable::YES;
  if (isRoot || core.authority().charteredBy(origin)) return Receivable::NO;
  return Receivable::NOT_YET;
}

void PeerSession::sendHello() {
  capnp::MallocMessageBuilder message;
  auto hello = message.initRoot<schema::wire::Frame>().initHello();
  hello.setVersion(schema::wire::VERSION);
  hello.setOrigin(node_.core().origin());
  hello.setSoftware("hreg-node 0.1.0");
  if (auto held = node_.core().head(peerOrigin_)) hello.setHeldOfYours(held->size);
  send(message);
}

void PeerSession::readHeader() {
  auto self = shared_from_this();
  asio::async_read(stream_, asio::buffer(header_), [this, self](error_code ec, std::size_t) {
    if (closing_) return;
    if (ec) {
      close(Reason::PROTOCOL_ERROR, ec == asio::error::eof ? "the peer closed the connection" : ec.message());
      return;
    }
    auto length = protocol::frameLength(header_, node_.config().maxFrameBytes);
    if (!length) {
      fail(length.error().reason, length.error().detail);
      return;
    }
    readBody(length.value());
  });
}

void PeerSession::readBody(std::size_t bytes) {
  auto self = shared_from_this();
  body_ = std::make_unique<protocol::FrameBody>(bytes);
  asio::async_read(stream_, asio::buffer(body_->data(), body_->size()), [this, self](error_code ec, std::size_t) {
    if (closing_) return;
    if (ec) {
      close(Reason::PROTOCOL_ERROR, fmt::format("the connection broke inside a frame: {}", ec.message()));
      return;
    }
    auto body = std::move(body_);
    dispatch(*body);
    if (!closing_) readHeader();
  });
}

void PeerSession::dispatch(const protocol::FrameBody& body) {
  auto reader = body.reader();
  if (!reader) {
    fail(reader.error().reason, reader.error().detail);
    return;
  }
  try {
    auto frame = reader.value()->getRoot<schema::wire::Frame>();
    if (!helloReceived_ && frame.which() != schema::wire::Frame::HELLO) {
      fail(Reason::PROTOCOL_ERROR, "the first frame must be Hello");
      return;
    }
    switch (frame.which()) {
      case schema::wire::Frame::HELLO:
        if (helloReceived_) return fail(Reason::PROTOCOL_ERROR, "a second Hello");
        return onHello(frame.getHello());
      case schema::wire::Frame::HEAD: return onHead(frame.getHead());
      case schema::wire::Frame::FETCH: return onFetch(frame.getFetch());
      case schema::wire::Frame::ENTRIES: return onEntries(frame.getEntries());
      case schema::wire::Frame::COSIGNED: return onCosigned(frame.getCosigned());
      case schema::wire::Frame::SUBJECT_QUERY: return onSubjectQuery(frame.getSubjectQuery());
      case schema::wire::Frame::SUBJECT_ANSWER: return onSubjectAnswer(frame.getSubjectAnswer());
      case schema::wire::Frame::REFUSED: {
        auto r = frame.getRefused();
        node_.log().warn("peer-refused-ours peer={} origin={} reason={} detail=\"{}\"", peerOrigin_,
                         text(r.getOrigin()), text(r.getReason()), text(r.getDetail()));
        // A refused Fetch will get no Entries: forget it, and wait for the next Head of that log.
        if (auto in = incoming_.find(text(r.getOrigin())); in != incoming_.end() && !in->second.fetching.empty()) {
          in->second.fetching.clear();
          in->second.wait = Incoming::Wait::NEW_HEAD;
        }
        return;
      }
      case schema::wire::Frame::GOODBYE: {
        auto g = frame.getGoodbye();
        node_.log().info("peer-goodbye peer={} reason={} detail=\"{}\"", peerOrigin_, text(g.getReason()),
                         text(g.getDetail()));
        closing_ = true;
        error_code ignored;
        stream_.lowest_layer().close(ignored);
        node_.sessionEnded(this);
        return;
      }
      default: return fail(Reason::PROTOCOL_ERROR, "a frame of an unknown kind (a newer protocol?)");
    }
  } catch (const kj::Exception& e) {
    fail(Reason::PROTOCOL_ERROR, fmt::format("malformed frame: {}", e.getDescription().cStr()));
  } catch (const Fault& fault) {
    // The store failed under this frame (a full disk, say): this session ends, the node serves on,
    // and nothing half-written is visible (every commit is one transaction).
    node_.log().error("session-fault peer={} detail=\"{}\"", peerOrigin_, fault.what());
    close(Reason::NODE_NOT_READY, fmt::format("this node could not process the frame: {}", fault.what()));
  }
}

void PeerSession::onHello(schema::wire::Hello::Reader hello) {
  helloReceived_ = true;
  if (hello.getVersion() != schema::wire::VERSION)
    return fail(Reason::PROTOCOL_ERROR, fmt::format("protocol version {}; this node speaks {}", hello.getVersion(),
                                                    schema::wire::VERSION));
  if (text(hello.getOrigin()) != peerOrigin_)
    return fail(Reason::PROTOCOL_ERROR, fmt::format("Hello names '{}' but the certificate's key is chartered for '{}'",
                                                    text(hello.getOrigin()), peerOrigin_));
  if (peer_ == Peer::PARENT) {
    // The parent says how much of our own log it holds: if more than we do, our store lost entries
    // (a lost disk, an old backup) and we must take them back before appending again.
    auto own = node_.core().head(node_.core().origin());
    const std::uint64_t ownSize = own ? own->size : 0;
    if (hello.getHeldOfYours() > ownSize) {
      node_.core().holdSubmissions(fmt::format("this node is recovering its own log from its parent ({} of {} "
                                               "entries); retry when it has caught up", ownSize,
                                               hello.getHeldOfYours()));
      node_.log().warn("own-log-behind-parent held={} parent_holds={} action=recovering", ownSize,
                       hello.getHeldOfYours());
    } else if (node_.core().submissionsHeld()) {
      node_.core().holdSubmissions("");
      node_.log().info("own-log-confirmed size={} parent_holds={}", ownSize, hello.getHeldOfYours());
    }
  }
  ready_ = true;
  deadline_.cancel();
  ++node_.stats().sessionsOpened;
  node_.log().info("peer-ready peer={} relation={} remote={} software=\"{}\"", peerOrigin_,
                   peer_ == Peer::PARENT ? "parent" : "child", remote(), text(hello.getSoftware()));
  node_.sessionReady(this);
  announceAll();
}

void PeerSession::announceAll() {
  std::vector<Head> heads;
  for (Head& h : node_.core().heads())
    if (sendable(h.origin)) heads.push_back(std::move(h));
  // Ancestors before descendants, so a receiver meets each charter before the log it charters.
  const Core& core = node_.core();
  std::map<std::string, int> depth;
  for (const Head& h : heads) depth[h.origin] = core.depth(h.origin);
  std::stable_sort(heads.begin(), heads.end(),
                   [&](const Head& a, const Head& b) { return depth[a.origin] < depth[b.origin]; });
  for (const Head& h : heads) announce(h.origin);
}

void PeerSession::announce(const std::string& origin) {
  if (!ready_ || closing_ || !sendable(origin)) return;
  auto head = node_.core().head(origin);
  if (!head || head->checkpoint.empty() || head->frozen) return;
  capnp::MallocMessageBuilder message;
  auto h = message.initRoot<schema::wire::Frame>().initHead();
  h.setCheckpoint(head->checkpoint);
  auto list = h.initCosignatures(static_cast<unsigned>(head->cosignatures.size()));
  for (unsigned i = 0; i < list.size(); ++i) list.set(i, head->cosignatures[i]);
  send(message);
}

void PeerSession::onHead(schema::wire::Head::Reader head) {
  std::string signedNote = text(head.getCheckpoint());
  auto origin = originOf(signedNote);
  if (!origin) return fail(Reason::PROTOCOL_ERROR, "a Head whose checkpoint is not a signed checkpoint note");
  auto may = receivable(*origin);
  if (may == Receivable::NO)
    return sendRefused(*origin, Reason::UNEXPECTED_LOG,
                       fmt::format("this node does not take '{}' from {}", *origin, peerOrigin_));
  if (may == Receivable::NOT_YET && !incoming_.count(*origin) && incoming_.size() >= MAX_PENDING_LOGS)
    return sendRefused(*origin, Reason::LIMIT_EXCEEDED, "too many logs announced that no charter names yet");
  Incoming& in = incoming_[*origin];
  in.head = std::move(signedNote);
  in.headAt = node_.core().clock().now();
  in.cosignatures.clear();
  for (auto line : head.getCosignatures()) in.cosignatures.push_back(text(line));
  in.wait = Incoming::Wait::NONE;
  considerHead(*origin);
}

void PeerSession::considerHead(const std::string& origin) {
  Incoming& in = incoming_[origin];
  if (in.head.empty() || in.blocked() || !in.fetching.empty() || !in.arrived.empty()) return;
  if (auto may = receivable(origin); may != Receivable::YES) {
    in.wait = may == Receivable::NOT_YET ? Incoming::Wait::CHARTER : Incoming::Wait::NEW_HEAD;
    if (may == Receivable::NO)
      sendRefused(origin, Reason::UNEXPECTED_LOG, fmt::format("this node does not take '{}' from {}", origin,
                                                              peerOrigin_));
    return;
  }
  auto parsed = note::parseCheckpoint(note::parseNote(in.head).value().text).value();
  in.target = parsed.size;
  if (peer_ == Peer::CHILD) node_.stats().announced[origin] = parsed.size;
  auto verdict = node_.core().witness(in.head);
  if (!verdict && verdict.error().reason != Reason::INDEX_OUT_OF_RANGE) {
    // Not chartered (yet), a bad signature, or equivocation (recorded as evidence by the core).
    in.wait = verdict.error().reason == Reason::NOT_CHARTERED ? Incoming::Wait::CHARTER : Incoming::Wait::NEW_HEAD;
    node_.log().log(verdict.error().reason == Reason::EQUIVOCATION ? spdlog::level::critical : spdlog::level::info,
                    "head-not-taken peer={} origin={} reason={} detail=\"{}\"", peerOrigin_, origin,
                    reasonName(verdict.error().reason), verdict.error().detail);
    sendRefused(origin, verdict.error().reason, verdict.error().detail);
    return;
  }
  using Kind = log::Comparison::Kind;
  Kind kind = verdict ? verdict.value() : Kind::UNKNOWN;
  if (kind == Kind::SAME) {
    if (node_.core().addCosignatures(origin, parsed.size, in.cosignatures) > 0) node_.changed(origin);
    return;
  }
  if (kind == Kind::AHEAD || kind == Kind::UNKNOWN) fetchMore(origin);
}

void PeerSession::fetchMore(const std::string& origin) {
  Incoming& in = incoming_[origin];
  // A Fetch's answer may end anywhere up to the sender's next checkpoint: the next Fetch can only
  // be sent once it has come, so one is in flight at most.
  if (!in.fetching.empty() || in.arrived.size() + 1 >= FETCH_WINDOW) return;
  std::uint64_t from = 0;
  if (!in.arrived.empty()) {
    from = in.arrived.back()->from + in.arrived.back()->entries.size();
  } else if (auto held = node_.core().snapshot().log(origin)) {
    from = held->size;
  }
  sendFetch(origin, from);
}

void PeerSession::sendFetch(const std::string& origin, std::uint64_t from) {
  Incoming& in = incoming_[origin];
  if (from >= in.target) return;
  in.fetching.push_back(from);
  capnp::MallocMessageBuilder message;
  auto f = message.initRoot<schema::wire::Frame>().initFetch();
  f.setOrigin(origin);
  f.setFrom(from);
  f.setLimit(node_.config().batchEntries);
  send(message);
}

void PeerSession::onFetch(schema::wire::Fetch::Reader fetch) {
  std::string origin = text(fetch.getOrigin());
  if (!sendable(origin))
    return sendRefused(origin, Reason::UNEXPECTED_LOG, fmt::format("this node does not send '{}' to {}", origin,
                                                                   peerOrigin_));
  const std::uint32_t limit = std::clamp<std::uint32_t>(fetch.getLimit(), 1, HARD_BATCH_LIMIT);
  // The frame holds the entries and a few KiB of checkpoint and cosignatures besides.
  auto batch = node_.core().serve(origin, fetch.getFrom(), limit, HARD_BATCH_LIMIT,
                                  node_.config().maxFrameBytes - (64 << 10));
  if (!batch) return sendRefused(origin, batch.error().reason, batch.error().detail);
  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<schema::wire::Frame>().initEntries();
  e.setOrigin(origin);
  e.setFrom(batch.value().from);
  auto list = e.initEntries(static_cast<unsigned>(batch.value().entries.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    ByteView b = batch.value().entries[i];
    list.set(i, capnp::Data::Reader(b.data(), b.size()));
  }
  e.setCheckpoint(batch.value().checkpoint);
  auto cosigs = e.initCosignatures(static_cast<unsigned>(batch.value().cosignatures.size()));
  for (unsigned i = 0; i < cosigs.size(); ++i) cosigs.set(i, batch.value().cosignatures[i]);
  send(message);
}

void PeerSession::onEntries(schema::wire::Entries::Reader entries) {
  std::string origin = text(entries.getOrigin());
  auto found = incoming_.find(origin);
  if (found == incoming_.end() || found->second.fetching.empty() || found->second.fetching.front() != entries.getFrom())
    return fail(Reason::PROTOCOL_ERROR, fmt::format("Entries of '{}' from {} that this node did not ask for", origin,
                                                    entries.getFrom()));
  Incoming& in = found->second;
  in.fetching.pop_front();
  if (in.blocked()) return;  // the answer to a Fetch sent before its predecessor batch was refused
  auto arrived = std::make_shared<Arrived>();
  arrived->origin = origin;
  arrived->from = entries.getFrom();
  arrived->entries.reserve(entries.getEntries().size());
  for (auto e : entries.getEntries()) arrived->entries.emplace_back(e.begin(), e.end());
  for (const Bytes& e : arrived->entries) arrived->views.emplace_back(e);
  arrived->checkpoint = text(entries.getCheckpoint());
  for (auto line : entries.getCosignatures()) arrived->cosignatures.push_back(text(line));
  in.arrived.push_back(arrived);
  // Ask for the next batch before checking this one, so the sender reads and sends it meanwhile.
  fetchMore(origin);
  auto keys = node_.core().checkpointKeysOf(origin);
  if (!keys) {
    arrived->checked.emplace(outcome::failure(keys.error()));
    arrived->done = true;
    return commitArrived(origin);
  }
  arrived->keys = std::move(keys).value();
  // The check reads only the batch and the keys, so it runs on the node's checking thread while this
  // thread commits the batch before it and serves everyone else.
  asio::post(node_.checkers(), [arrived, threads = node_.config().verifyThreads, self = weak_from_this(),
                                 executor = stream_.get_executor()] {
    try {
      arrived->checked.emplace(log::checkReplica(arrived->batch(), arrived->keys, threads));
    } catch (const std::exception& e) {
      arrived->checked.emplace(refuse(Reason::MALFORMED_ENTRY, fmt::format("the batch could not be checked: {}",
                                                                           e.what())));
    } catch (const kj::Exception& e) {
      arrived->checked.emplace(refuse(Reason::MALFORMED_ENTRY, fmt::format("the batch could not be checked: {}",
                                                                           e.getDescription().cStr())));
    }
    arrived->done.store(true, std::memory_order_release);
    asio::post(executor, [self, origin = arrived->origin] {
      if (auto session = self.lock()) session->commitArrived(origin);
    });
  });
}

void PeerSession::commitArrived(const std::string& origin) {
  if (closing_) return;
  auto found = incoming_.find(origin);
  if (found == incoming_.end()) return;
  Incoming& in = found->second;
  try {
    while (!in.arrived.empty() && in.arrived.front()->done.load(std::memory_order_acquire)) {
      std::shared_ptr<Arrived> next = std::move(in.arrived.front());
      in.arrived.pop_front();
      if (!commit(origin, *next)) {
        in.arrived.clear();  // they follow the refused batch: each would be refused in turn
        return;
      }
    }
  } catch (const Fault& fault) {
    // The store failed under this batch (a full disk, say): as for a frame (dispatch).
    node_.log().error("session-fault peer={} detail=\"{}\"", peerOrigin_, fault.what());
    return close(Reason::NODE_NOT_READY, fmt::format("this node could not process the frame: {}", fault.what()));
  }
  // Drained: a Head that came meanwhile (and waited, see considerHead) may ask for more.
  if (in.arrived.empty() && in.fetching.empty()) return considerHead(origin);
  fetchMore(origin);
}

bool PeerSession::commit(const std::string& origin, Arrived& arrived) {
  Incoming& in = incoming_[origin];
  const log::ReplicaBatch batch = arrived.batch();
  auto received = node_.core().receive(batch, arrived.cosignatures, peer_ == Peer::CHILD, &*arrived.checked,
                                       arrived.keys);
  if (!received) {
    ++node_.stats().batchesRefused;
    in.wait = received.error().reason == Reason::NOT_CHARTERED ? Incoming::Wait::CHARTER : Incoming::Wait::NEW_HEAD;
    node_.log().warn("batch-refused peer={} origin={} from={} entries={} reason={} detail=\"{}\"", peerOrigin_, origin,
                     batch.from, batch.entries.size(), reasonName(received.error().reason), received.error().detail);
    sendRefused(origin, received.error().reason, received.error().detail);
    return false;
  }
  node_.stats().entriesReceived += batch.entries.size();
  if (origin == node_.core().origin()) {
    node_.core().reloadOwnLog();
    if (received.value().checkpoint.size >= in.target && node_.core().submissionsHeld()) {
      node_.core().holdSubmissions("");
      node_.log().info("own-log-recovered size={}", received.value().checkpoint.size);
    }
  }
  if (received.value().cosignature) {
    capnp::MallocMessageBuilder message;
    auto c = message.initRoot<schema::wire::Frame>().initCosigned();
    c.setOrigin(origin);
    c.setSize(received.value().checkpoint.size);
    c.setCosignature(*received.value().cosignature);
    send(message);
  }
  node_.changed(origin);
  return !closing_;
}

void PeerSession::onCosigned(schema::wire::Cosigned::Reader cosigned) {
  std::string origin = text(cosigned.getOrigin());
  if (!sendable(origin))
    return sendRefused(origin, Reason::UNEXPECTED_LOG, fmt::format("a cosignature of '{}', which this node did not "
                                                                   "send", origin));
  std::string line = text(cosigned.getCosignature());
  if (node_.core().addCosignatures(origin, cosigned.getSize(), std::span<const std::string>(&line, 1)) > 0) {
    node_.log().info("cosigned origin={} size={} by={}", origin, cosigned.getSize(), peerOrigin_);
    node_.changed(origin);  // the child whose log it is gets the receipt with its log's next Head
  }
}

std::optional<std::pair<std::uint64_t, std::int64_t>> PeerSession::announced(const std::string& origin) const {
  auto found = incoming_.find(origin);
  if (found == incoming_.end() || found->second.head.empty()) return std::nullopt;
  return std::pair(found->second.target, found->second.headAt);
}

void PeerSession::sendSubjectQuery(std::uint64_t id, const std::string& subject, unsigned hops,
                                   std::chrono::milliseconds wait) {
  capnp::MallocMessageBuilder message;
  auto q = message.initRoot<schema::wire::Frame>().initSubjectQuery();
  q.setId(id);
  q.setSubject(subject);
  q.setHops(static_cast<std::uint8_t>(std::min(hops, limits::MAX_LOOKUP_HOPS)));
  q.setWaitMillis(static_cast<std::uint32_t>(wait.count()));
  send(message);
}

void PeerSession::onSubjectQuery(schema::wire::SubjectQuery::Reader query) {
  if (peer_ != Peer::CHILD) return fail(Reason::PROTOCOL_ERROR, "a SubjectQuery from the parent: lookups go up only");
  const std::uint64_t id = query.getId();
  std::string subject = text(query.getSubject());
  if (queriesInFlight_ >= MAX_QUERIES_PER_CHILD) {
    LookupAnswer busy;
    busy.reason = std::string(reasonName(Reason::LIMIT_EXCEEDED));
    busy.detail = fmt::format("{} already has {} lookups of {} in flight", node_.core().origin(), queriesInFlight_,
                              peerOrigin_);
    busy.route = {node_.core().origin()};
    return sendSubjectAnswer(id, busy);
  }
  const unsigned hops = std::min<unsigned>(query.getHops(), limits::MAX_LOOKUP_HOPS);
  const auto wait = std::clamp(std::chrono::milliseconds(query.getWaitMillis()), MIN_WAIT, 2 * LOOKUP_WAIT);
  ++queriesInFlight_;
  node_.log().debug("lookup-asked subject={} id={} by={} hops={}", subject.substr(0, limits::MAX_SUBJECT_BYTES), id,
                    peerOrigin_, hops);
  std::weak_ptr<PeerSession> weak = weak_from_this();
  node_.lookups().lookup(subject, hops, wait, [weak, id](LookupAnswer answer) {
    auto self = weak.lock();
    if (!self) return;  // the child went away meanwhile
    --self->queriesInFlight_;
    self->sendSubjectAnswer(id, answer);
  });
}

void PeerSession::sendSubjectAnswer(std::uint64_t id, const LookupAnswer& answer) {
  if (closing_) return;
  capnp::MallocMessageBuilder message;
  auto a = message.initRoot<schema::wire::Frame>().initSubjectAnswer();
  a.setId(id);
  auto route = a.initRoute(static_cast<unsigned>(std::min(answer.route.size(), MAX_ROUTE)));
  for (unsigned i = 0; i < route.size(); ++i) route.set(i, answer.route[i]);
  auto refuse = [&](std::string_view reason, const std::string& detail) {
    auto r = a.initRefused();
    r.setReason(std::string(reason));
    r.setDetail(detail.substr(0, MAX_DETAIL_BYTES));
  };
  if (answer.kind == LookupAnswer::Kind::FOUND) {
    std::string json = rules::toJson(answer.bundle).dump();
    if (json.size() > limits::MAX_BUNDLE_BYTES) {
      refuse(reasonName(Reason::LIMIT_EXCEEDED),
             fmt::format("the bundle of {} is {} bytes, more than {}", answer.bundle.subject, json.size(),
                         limits::MAX_BUNDLE_BYTES));
    } else {
      a.setBundle(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(json.data()), json.size()));
      a.setCachedBy(answer.cachedBy);
      auto lags = a.initLags(static_cast<unsigned>(std::min(answer.lags.size(), MAX_LAGS)));
      for (unsigned i = 0; i < lags.size(); ++i) {
        lags[i].setOrigin(answer.lags[i].origin);
        lags[i].setHeld(answer.lags[i].held);
        lags[i].setAnnounced(answer.lags[i].announced);
        lags[i].setAnnouncedAt(answer.lags[i].announcedAt);
      }
      a.setStaleDetail(answer.staleDetail.substr(0, MAX_DETAIL_BYTES));
    }
  } else if (answer.kind == LookupAnswer::Kind::NOT_FOUND) {
    a.setNotFound();
  } else {
    refuse(answer.reason, answer.detail);
  }
  send(message);
}

void PeerSession::onSubjectAnswer(schema::wire::SubjectAnswer::Reader answer) {
  if (peer_ != Peer::PARENT) return fail(Reason::PROTOCOL_ERROR, "a SubjectAnswer from a child: this node asks only "
                                                                 "its parent");
  if (answer.getRoute().size() > MAX_ROUTE || answer.getLags().size() > MAX_LAGS)
    return fail(Reason::PROTOCOL_ERROR, fmt::format("a SubjectAnswer with a route of {} or {} lags",
                                                    answer.getRoute().size(), answer.getLags().size()));
  WireAnswer w;
  for (auto r : answer.getRoute()) w.route.push_back(text(r).substr(0, MAX_NAME_BYTES));
  switch (answer.which()) {
    case schema::wire::SubjectAnswer::BUNDLE: {
      auto data = answer.getBundle();
      w.kind = LookupAnswer::Kind::FOUND;
      w.bundleJson.assign(reinterpret_cast<const char*>(data.begin()), data.size());
      break;
    }
    case schema::wire::SubjectAnswer::NOT_FOUND: w.kind = LookupAnswer::Kind::NOT_FOUND; break;
    case schema::wire::SubjectAnswer::REFUSED:
      w.kind = LookupAnswer::Kind::REFUSED;
      w.reason = text(answer.getRefused().getReason()).substr(0, MAX_NAME_BYTES);
      w.detail = text(answer.getRefused().getDetail()).substr(0, MAX_DETAIL_BYTES);
      break;
    default: return fail(Reason::PROTOCOL_ERROR, "a SubjectAnswer of an unknown kind (a newer protocol?)");
  }
  w.cachedBy = text(answer.getCachedBy()).substr(0, MAX_NAME_BYTES);
  for (auto l : answer.getLags())
    w.lags.push_back({text(l.getOrigin()).substr(0, MAX_NAME_BYTES), l.getHeld(), l.getAnnounced(), l.getAnnouncedAt()});
  w.staleDetail = text(answer.getStaleDetail()).substr(0, MAX_DETAIL_BYTES);
  if (!node_.lookups().answered(answer.getId(), std::move(w)))
    return fail(Reason::PROTOCOL_ERROR, fmt::format("a SubjectAnswer to query {}, which this node never sent",
                                                    answer.getId()));
}

void PeerSession::changedElsewhere() {
  // A commit may have brought the charter a blocked Head was waiting for.
  for (auto& [origin, in] : incoming_)
    if (in.wait == Incoming::Wait::CHARTER && !in.head.empty()) {
      in.wait = Incoming::Wait::NONE;
      considerHead(origin);
    }
}

void PeerSession::sendRefused(const std::string& origin, Reason reason, const std::string& detail) {
  capnp::MallocMessageBuilder message;
  auto r = message.initRoot<schema::wire::Frame>().initRefused();
  r.setOrigin(origin);
  r.setReason(std::string(reasonName(reason)));
  r.setDetail(detail.substr(0, 1000));
  send(message);
}

void PeerSession::send(capnp::MessageBuilder& message) {
  if (closing_) return;
  outbox_.push_back(protocol::encodeFrame(message));
  outboxBytes_ += outbox_.back().size();
  // A peer that asks and does not read would make us hold its answers without end.
  if (outboxBytes_ > MAX_OUTBOX_BYTES)
    return fail(Reason::LIMIT_EXCEEDED, fmt::format("{} bytes queued for a peer that does not read them", outboxBytes_));
  if (!writing_) write();
}

void PeerSession::write() {
  if (closing_) {
    writing_ = false;
    error_code ignored;
    stream_.lowest_layer().close(ignored);
    return;
  }
  if (outbox_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(stream_, asio::buffer(outbox_.front()), [this, self](error_code ec, std::size_t) {
    if (ec) {
      close(Reason::PROTOCOL_ERROR, fmt::format("write failed: {}", ec.message()));
      return;
    }
    outboxBytes_ -= outbox_.front().size();
    outbox_.pop_front();
    write();
  });
}

void PeerSession::fail(Reason reason, const std::string& detail) {
  ++node_.stats().framesRefused;
  close(reason, detail);
}

void PeerSession::shutdown() { close(Reason::NODE_NOT_READY, "the node is shutting down"); }

void PeerSession::close(Reason reason, const std::string& detail) {
  if (closing_) return;
  node_.log().log(reason == Reason::PROTOCOL_ERROR || reason == Reason::LIMIT_EXCEEDED ? spdlog::level::warn
                                                                                          : spdlog::level::info,
                  "session-ended peer={} remote={} reason={} detail=\"{}\"", peerOrigin_.empty() ? "?" : peerOrigin_,
                  remote(), reasonName(reason), detail);
  deadline_.cancel();
  if (handshaken_ && stream_.lowest_layer().is_open()) {
    // The Goodbye goes out best effort, ahead of anything queued; then the connection closes.
    capnp::MallocMessageBuilder message;
    auto g = message.initRoot<schema::wire::Frame>().initGoodbye();
    g.setReason(std::string(reasonName(reason)));
    g.setDetail(detail.substr(0, 1000));
    // A write in flight still reads outbox_.front(): keep it, drop only what waits behind it.
    while (outbox_.size() > (writing_ ? 1u : 0u)) {
      outboxBytes_ -= outbox_.back().size();
      outbox_.pop_back();
    }
    auto frame = std::make_shared<Bytes>(protocol::encodeFrame(message));
    auto self = shared_from_this();
    closing_ = true;
    if (!writing_) {
      writing_ = true;
      asio::async_write(stream_, asio::buffer(*frame), [this, self, frame](error_code, std::size_t) {
        error_code ignored;
        stream_.lowest_layer().close(ignored);
      });
    }  // else: the write in flight ends in write(), which closes once it sees closing_
  } else {
    closing_ = true;
    if (!writing_) {
      error_code ignored;
      stream_.lowest_layer().close(ignored);
    }
  }
  node_.sessionEnded(this);
}

}  // namespace hreg::node
