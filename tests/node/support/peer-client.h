#pragma once
// Clients of a node's peer port for attack tests: raw TCP that sends whatever bytes it is given, and
// TLS 1.3 with a key of the test's choosing (node::tlsContext, as a real node makes its context).
// Each sends its bytes and then reads until the node closes the connection or a time limit passes,
// and reports what came back, so a test can tell "refused and closed" from "answered" and "hung".
#include <capnp/message.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "ledger/crypto/ed25519.h"
#include "ledger/note/key.h"
#include "node/tls.h"
#include "protocol/framing.h"
#include "protocol/schema/wire.capnp.h"

namespace hreg::testing {

namespace peer_detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
}  // namespace peer_detail

// PeerOutcome is what one connection to a peer port came to.
struct PeerOutcome {
  bool connected = false;
  bool handshake = false;             // TLS only: the client's side of the handshake completed
  std::string handshakeError;         // TLS only, when it did not
  std::optional<crypto::PublicKey> serverKey;  // TLS only: the key of the node's certificate
  Bytes received;                     // application bytes the node sent
  bool closed = false;                // the node closed or reset the connection within the limit
  std::string ending;                 // how the exchange ended: "eof", an error, "time limit", "enough"

  std::string describe() const {
    return "connected=" + std::to_string(connected) + " handshake=" + std::to_string(handshake) +
           (handshakeError.empty() ? "" : " (" + handshakeError + ")") + " received=" +
           std::to_string(received.size()) + " bytes, closed=" + std::to_string(closed) + " (" + ending + ")";
  }
};

// Enough says when the bytes received so far are all the test wants (stop reading then).
using Enough = std::function<bool(const Bytes& received)>;

// firstFrameLength is the length of the first whole frame in `bytes` (header included), or 0.
inline std::size_t firstFrameLength(const Bytes& bytes) {
  if (bytes.size() < protocol::FRAME_HEADER_BYTES) return 0;
  std::size_t body = (std::size_t{bytes[0]} << 24) | (std::size_t{bytes[1]} << 16) | (std::size_t{bytes[2]} << 8) |
                     std::size_t{bytes[3]};
  return bytes.size() >= protocol::FRAME_HEADER_BYTES + body ? protocol::FRAME_HEADER_BYTES + body : 0;
}

// helloFrame is the first frame a peer sends: protocol version and its origin.
inline Bytes helloFrame(const std::string& origin) {
  capnp::MallocMessageBuilder message;
  auto hello = message.initRoot<schema::wire::Frame>().initHello();
  hello.setVersion(schema::wire::VERSION);
  hello.setOrigin(origin);
  hello.setSoftware("hreg node integration tests");
  return protocol::encodeFrame(message);
}

namespace peer_detail {

// readUntilClosed reads until the peer ends the connection, the stream's time limit, or `enough`.
template <class Stream>
asio::awaitable<void> readUntilClosed(Stream& stream, PeerOutcome& out, const Enough& enough) {
  std::uint8_t buffer[4096];
  while (true) {
    if (enough && enough(out.received)) {
      out.ending = "enough";
      co_return;
    }
    beast::error_code error;
    std::size_t n = co_await stream.async_read_some(asio::buffer(buffer),
                                                    asio::redirect_error(asio::use_awaitable, error));
    out.received.insert(out.received.end(), buffer, buffer + n);
    if (!error) continue;
    out.closed = error != beast::error::timeout;
    out.ending = error == beast::error::timeout ? "time limit" : error.message();
    co_return;
  }
}

// writeAll sends `bytes`; the node may close before taking them all, which is an ending, not a fault.
template <class Stream>
asio::awaitable<bool> writeAll(Stream& stream, ByteView bytes, PeerOutcome& out) {
  if (bytes.empty()) co_return true;
  beast::error_code error;
  co_await asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()),
                             asio::redirect_error(asio::use_awaitable, error));
  if (!error) co_return true;
  out.closed = error != beast::error::timeout;
  out.ending = "while sending: " + error.message();
  co_return false;
}

inline asio::ip::tcp::endpoint loopback(std::uint16_t port) {
  return asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port);
}

// run runs one exchange on a fresh io_context and turns a fault into the outcome's ending.
inline void run(const std::function<asio::awaitable<void>()>& exchange, PeerOutcome& out) {
  asio::io_context io;
  asio::co_spawn(io, exchange(), [&](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      out.ending = std::string("fault: ") + e.what();
    }
  });
  io.run();
}

}  // namespace peer_detail

// rawExchange connects to 127.0.0.1:port over plain TCP, sends `bytes` and reads until the node
// closes the connection, `limit` passes, or `enough`. With `closeAfterSending`, it closes at once.
inline PeerOutcome rawExchange(std::uint16_t port, ByteView bytes, std::chrono::seconds limit,
                               bool closeAfterSending = false, const Enough& enough = {}) {
  namespace asio = peer_detail::asio;
  namespace beast = peer_detail::beast;
  PeerOutcome out;
  peer_detail::run(
      [&]() -> asio::awaitable<void> {
        beast::tcp_stream stream(co_await asio::this_coro::executor);
        stream.expires_after(limit);
        co_await stream.async_connect(peer_detail::loopback(port), asio::use_awaitable);
        out.connected = true;
        if (!co_await peer_detail::writeAll(stream, bytes, out)) co_return;
        if (closeAfterSending) {
          out.ending = "closed by the test";
          co_return;
        }
        co_await peer_detail::readUntilClosed(stream, out, enough);
      },
      out);
  return out;
}

// tlsExchange connects to 127.0.0.1:port with TLS 1.3, presenting a certificate of `key`, then
// sends `bytes` and reads as rawExchange does.
inline PeerOutcome tlsExchange(std::uint16_t port, const note::SignerKey& key, ByteView bytes,
                               std::chrono::seconds limit, const Enough& enough = {}) {
  namespace asio = peer_detail::asio;
  namespace beast = peer_detail::beast;
  PeerOutcome out;
  asio::ssl::context context = node::tlsContext(key, false);
  peer_detail::run(
      [&]() -> asio::awaitable<void> {
        asio::ssl::stream<beast::tcp_stream> stream(co_await asio::this_coro::executor, context);
        // tlsContext leaves the pinning to the session's verify callback; this client takes any
        // certificate and reports its key (serverKey) for the test to check.
        stream.set_verify_callback([](bool, asio::ssl::verify_context&) { return true; });
        stream.next_layer().expires_after(limit);
        co_await stream.next_layer().async_connect(peer_detail::loopback(port), asio::use_awaitable);
        out.connected = true;
        beast::error_code error;
        co_await stream.async_handshake(asio::ssl::stream_base::client,
                                        asio::redirect_error(asio::use_awaitable, error));
        if (error) {
          out.handshakeError = error.message();
          out.closed = error != beast::error::timeout;
          out.ending = "handshake: " + error.message();
          co_return;
        }
        out.handshake = true;
        out.serverKey = node::peerKey(stream.native_handle());
        if (!co_await peer_detail::writeAll(stream, bytes, out)) co_return;
        co_await peer_detail::readUntilClosed(stream, out, enough);
      },
      out);
  return out;
}

}  // namespace hreg::testing
