// NodeClient (node-client.h): one HTTP/1.1 exchange per request over Boost.Beast, run on its own
// io_context as a coroutine, so that connecting, writing and reading all share one deadline
// (beast::tcp_stream's timeouts apply to asynchronous operations only) and name resolution is cut
// off by the same time limit.
#include "admin-cli/node-client.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <exception>
#include <optional>

#include "admin-cli/tlog-input.h"
#include "protocol/core/result.h"

namespace hreg::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// MAX_REPLY_BYTES bounds an answer's body: a subject bundle or a log listing of a busy node is a few
// MiB; 64 MiB leaves room and still keeps a broken or hostile node from exhausting memory.
constexpr std::uint64_t MAX_REPLY_BYTES = std::uint64_t{64} << 20;

// SOFTWARE is the User-Agent the node's logs see.
constexpr std::string_view SOFTWARE = "hreg";

asio::awaitable<HttpReply> exchange(std::string host, std::string port, http::request<http::string_body> request,
                                    std::chrono::seconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
  beast::tcp_stream stream(executor);
  stream.expires_after(timeout);
  co_await stream.async_connect(endpoints, asio::use_awaitable);
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(MAX_REPLY_BYTES);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  auto response = parser.release();
  HttpReply reply;
  reply.status = static_cast<int>(response.result_int());
  reply.contentType = std::string(response[http::field::content_type]);
  reply.body = std::move(response.body());
  co_return reply;
}

// cause is how a failed exchange is told to a person: the system's words for the error.
std::string cause(const boost::system::error_code& ec, std::chrono::seconds timeout) {
  if (ec == beast::error::timeout) return fmt::format("no answer within {} s", timeout.count());
  if (ec == http::error::end_of_stream || ec == asio::error::eof) return "the node closed the connection";
  return ec.message();
}

}  // namespace

NodeClient::NodeClient(std::string endpoint, std::chrono::seconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {
  std::string_view rest = endpoint_;
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  auto bad = [&] {
    return tlog::UsageError(fmt::format("--node '{}' is not HOST:PORT (e.g. 127.0.0.1:47141 or "
                                        "http://node.example:8080); fix --node or HREG_NODE",
                                        endpoint_));
  };
  std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) throw bad();
  std::string_view host = rest.substr(0, colon), port = rest.substr(colon + 1);
  if (host.starts_with('[')) {  // a bracketed IPv6 address
    if (!host.ends_with(']') || host.size() < 3) throw bad();
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    throw bad();  // "::1:80" is ambiguous: IPv6 addresses go in brackets
  }
  unsigned number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number == 0 || number > 65535 ||
      port.front() == '0')
    throw bad();
  for (char c : host)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '?' || c == '#' || c == '@') throw bad();
  host_ = std::string(host);
  port_ = std::string(port);
}

HttpReply NodeClient::get(std::string_view target) const { return request("GET", target, {}, {}); }

HttpReply NodeClient::post(std::string_view target, std::string body, std::string_view contentType) const {
  return request("POST", target, std::move(body), contentType);
}

HttpReply NodeClient::request(std::string_view method, std::string_view target, std::string body,
                              std::string_view contentType) const {
  // Boost 1.74's Beast takes boost::string_view, which converts from std::string only.
  http::request<http::string_body> request{http::string_to_verb(std::string(method)), std::string(target), 11};
  request.set(http::field::host, host_.find(':') == std::string::npos ? host_ + ":" + port_
                                                                      : "[" + host_ + "]:" + port_);
  request.set(http::field::user_agent, std::string(SOFTWARE));
  request.set(http::field::connection, "close");
  if (method == "POST") {
    request.set(http::field::content_type, std::string(contentType));
    request.body() = std::move(body);
  }
  request.prepare_payload();

  asio::io_context io;
  std::optional<HttpReply> reply;
  std::exception_ptr failure;
  asio::co_spawn(io, exchange(host_, port_, std::move(request), timeout_),
                 [&](std::exception_ptr e, HttpReply answer) {
                   if (e) failure = e;
                   else reply = std::move(answer);
                 });
  // The stream's own deadline covers connecting, writing and reading; this one also bounds the name
  // resolution, which Asio runs on a thread of its own that no stream deadline reaches.
  io.run_for(timeout_ + std::chrono::seconds{1});
  if (!reply && !failure)
    throw Unreachable(fmt::format("cannot reach the node at {}: no answer within {} s", endpoint_, timeout_.count()));
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const boost::system::system_error& e) {
      if (e.code() == http::error::body_limit)
        fail(fmt::format("the node at {} answered {} {} with more than {} MiB; is it an hreg node?", endpoint_, method,
                         target, MAX_REPLY_BYTES >> 20));
      throw Unreachable(fmt::format("cannot reach the node at {}: {}", endpoint_, cause(e.code(), timeout_)));
    }
  }
  return std::move(*reply);
}

void addNodeOption(CLI::App& command, std::string& endpoint) {
  endpoint = std::string(DEFAULT_NODE);
  command.add_option("--node", endpoint, "the node's API as HOST:PORT (default: $HREG_NODE, else this machine's)")
      ->envname("HREG_NODE")
      ->capture_default_str();
}

}  // namespace hreg::cli
