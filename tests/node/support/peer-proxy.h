#pragma once
// A man in the middle of one node's session with its parent, for attack tests. It holds both ends'
// chartered checkpoint keys (the demo publishes them), presents the parent's key to the child and the
// child's to the parent, and relays every frame through a hook the test sets: pass it on, drop it,
// change it, or answer it itself. A parent that withholds entries or forges answers is then the real
// parent with the test's changes, and the child under test is an unmodified hreg-node.
#include <gtest/gtest.h>
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ledger/note/key.h"
#include "node/tls.h"
#include "protocol/framing.h"
#include "protocol/schema/wire.capnp.h"
#include "tests/node/support/ports.h"

namespace hreg::testing {

// Toward is the way a frame travels through the proxy.
enum class Toward { PARENT, CHILD };

// Relay is what the hook decides for one frame.
struct Relay {
  std::optional<Bytes> forward;  // the frame passed on (the original, a changed one), or none: dropped
  std::vector<Bytes> reply;      // frames sent back to where it came from
};

// FrameHook decides for each frame; `frame` is the whole frame (length header included), `reader` its
// message. It runs on the proxy's thread.
using FrameHook = std::function<Relay(Toward, schema::wire::Frame::Reader reader, const Bytes& frame)>;

// passThrough relays every frame unchanged.
inline Relay passThrough(Toward, schema::wire::Frame::Reader, const Bytes& frame) { return Relay{frame, {}}; }

class PeerProxy {
 public:
  // PeerProxy listens on a free loopback port; each connection is relayed to 127.0.0.1:parentPort.
  PeerProxy(note::SignerKey asParent, note::SignerKey asChild, std::uint16_t parentPort)
      : serverTls_(node::tlsContext(asParent, true)),
        clientTls_(node::tlsContext(asChild, false)),
        parentPort_(parentPort),
        acceptor_(io_),
        hook_(passThrough) {
    port_ = freePort();
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), port_);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    boost::asio::co_spawn(io_, accept(), boost::asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  PeerProxy(const PeerProxy&) = delete;
  PeerProxy& operator=(const PeerProxy&) = delete;
  // ~PeerProxy closes the port and every connection, and waits for the relays to end.
  ~PeerProxy() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      for (auto& link : links_) link->close();
    });
    thread_.join();
  }

  std::uint16_t port() const { return port_; }
  // setHook replaces the hook for the frames that follow.
  void setHook(FrameHook hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
  }
  // disconnect closes every relayed connection; the child then reconnects, through the proxy again.
  void disconnect() {
    boost::asio::post(io_, [this] {
      for (auto& link : links_) link->close();
    });
  }
  // connections counts the connections accepted so far.
  int connections() const { return connections_; }

 private:
  using Tls = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

  // Side is one end of a relayed connection, with its queue of frames to write.
  struct Side {
    explicit Side(Tls s) : stream(std::move(s)) {}
    Tls stream;
    std::deque<Bytes> queue;
    bool writing = false;
    void push(Bytes frame) {
      queue.push_back(std::move(frame));
      if (!writing) writeNext();
    }
    void writeNext() {
      if (queue.empty()) {
        writing = false;
        return;
      }
      writing = true;
      boost::asio::async_write(stream, boost::asio::buffer(queue.front()),
                               [this](boost::system::error_code ec, std::size_t) {
                                 if (ec) {
                                   writing = false;
                                   return;
                                 }
                                 queue.pop_front();
                                 writeNext();
                               });
    }
  };

  struct Link {
    std::unique_ptr<Side> child, parent;
    void close() {
      boost::system::error_code ignored;
      if (child) child->stream.lowest_layer().close(ignored);
      if (parent) parent->stream.lowest_layer().close(ignored);
    }
  };

  boost::asio::awaitable<void> accept() {
    while (true) {
      boost::system::error_code ec;
      auto socket = co_await acceptor_.async_accept(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return;
      ++connections_;
      boost::asio::co_spawn(io_, relay(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> relay(boost::asio::ip::tcp::socket socket) {
    auto link = std::make_shared<Link>();
    links_.push_back(link);
    link->child = std::make_unique<Side>(Tls(std::move(socket), serverTls_));
    link->child->stream.set_verify_callback([](bool, boost::asio::ssl::verify_context&) { return true; });
    boost::system::error_code ec;
    co_await link->child->stream.async_handshake(Tls::server, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return link->close();
    boost::asio::ip::tcp::socket upstream(io_);
    co_await upstream.async_connect({boost::asio::ip::address_v4::loopback(), parentPort_},
                                    boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return link->close();
    link->parent = std::make_unique<Side>(Tls(std::move(upstream), clientTls_));
    link->parent->stream.set_verify_callback([](bool, boost::asio::ssl::verify_context&) { return true; });
    co_await link->parent->stream.async_handshake(Tls::client, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return link->close();
    boost::asio::co_spawn(io_, pump(link, Toward::PARENT), boost::asio::detached);
    co_await pump(link, Toward::CHILD);
  }

  // pump reads the frames of one direction and relays each as the hook says, until either end closes.
  boost::asio::awaitable<void> pump(std::shared_ptr<Link> link, Toward toward) {
    Side& from = toward == Toward::PARENT ? *link->child : *link->parent;
    Side& to = toward == Toward::PARENT ? *link->parent : *link->child;
    while (true) {
      boost::system::error_code ec;
      std::uint8_t header[protocol::FRAME_HEADER_BYTES];
      co_await boost::asio::async_read(from.stream, boost::asio::buffer(header),
                                       boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return link->close();
      auto length = protocol::frameLength(header, protocol::MAX_FRAME_BYTES);
      if (!length) co_return link->close();
      protocol::FrameBody body(length.value());
      co_await boost::asio::async_read(from.stream, boost::asio::buffer(body.data(), body.size()),
                                       boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return link->close();
      Bytes frame(header, header + sizeof header);
      frame.insert(frame.end(), body.data(), body.data() + body.size());
      auto reader = body.reader();
      if (!reader) co_return link->close();
      Relay relay;
      try {
        std::lock_guard lock(mutex_);
        relay = hook_(toward, reader.value()->getRoot<schema::wire::Frame>(), frame);
      } catch (const std::exception& e) {
        // A hook that fails must not take the relay down with it: the frame passes, the test hears.
        ADD_FAILURE() << "the proxy's hook failed: " << e.what();
        relay = Relay{frame, {}};
      }
      if (relay.forward) to.push(std::move(*relay.forward));
      for (Bytes& r : relay.reply) from.push(std::move(r));
    }
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context serverTls_;
  boost::asio::ssl::context clientTls_;
  std::uint16_t parentPort_;
  std::uint16_t port_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::mutex mutex_;
  FrameHook hook_;
  std::vector<std::shared_ptr<Link>> links_;  // kept to the end: a write in flight refers to its Side
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace hreg::testing
