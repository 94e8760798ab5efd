#pragma once
// A small synchronous HTTP/1.1 client for a node's local API (Boost.Beast), one connection per
// request. Every request has a time limit, so a node that hangs fails the test instead of hanging it.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace hreg::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// REQUEST_LIMIT bounds one request, connection to last byte: generous, for a sanitized build on two
// busy cores, yet short enough that a hung node fails within a test's deadline.
inline constexpr std::chrono::seconds REQUEST_LIMIT{30};

struct Response {
  int status = 0;     // 0: no HTTP answer at all; `error` says why
  std::string body;
  std::string error;  // below HTTP: connection refused, timed out, reset

  // json is the body parsed; a body that is not JSON fails the test and gives null.
  nlohmann::json json() const {
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << describe();
    return parsed.is_discarded() ? nlohmann::json() : parsed;
  }
  // reason is the refusal's reason name of an error answer ({"error": {"reason": ...}}), or "".
  std::string reason() const {
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
        parsed["error"].value("reason", nlohmann::json()).is_string())
      return parsed["error"]["reason"].get<std::string>();
    return "";
  }
  // describe is the answer for a failure message: "HTTP 422 {...}" or "no answer: Connection refused".
  std::string describe() const {
    if (status == 0) return "no answer: " + error;
    constexpr std::size_t SHOWN = 2000;  // enough to see the refusal, not a whole log listing
    return "HTTP " + std::to_string(status) + " " + (body.size() > SHOWN ? body.substr(0, SHOWN) + "…" : body);
  }
};

namespace detail {

inline asio::awaitable<Response> exchange(std::uint16_t port, http::request<http::string_body> request) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(REQUEST_LIMIT);
  co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                asio::use_awaitable);
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::uint64_t{64} << 20);  // a whole log listing may be large
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  auto response = parser.release();
  co_return Response{static_cast<int>(response.result_int()), std::move(response.body()), {}};
}

}  // namespace detail

// httpRequest sends one request to 127.0.0.1:port and waits for the answer or REQUEST_LIMIT.
inline Response httpRequest(std::uint16_t port, http::verb method, std::string_view target, std::string body = {},
                            std::string_view contentType = {}) {
  // Boost 1.74's Beast takes boost::string_view, which converts from std::string only.
  http::request<http::string_body> request{method, std::string(target), 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  if (!contentType.empty()) request.set(http::field::content_type, std::string(contentType));
  if (method == http::verb::post) request.body() = std::move(body);
  request.prepare_payload();
  asio::io_context io;
  Response result;
  asio::co_spawn(io, detail::exchange(port, std::move(request)), [&](std::exception_ptr failure, Response answer) {
    if (!failure) {
      result = std::move(answer);
      return;
    }
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      result.error = e.what();
    }
  });
  io.run();
  return result;
}

inline Response httpGet(std::uint16_t port, std::string_view target) {
  return httpRequest(port, http::verb::get, target);
}

inline Response httpPost(std::uint16_t port, std::string_view target, std::string body,
                         std::string_view contentType = "application/octet-stream") {
  return httpRequest(port, http::verb::post, target, std::move(body), contentType);
}

// metricValue is the value of one series in a Prometheus text exposition, e.g.
// metricValue(text, "hreg_equivocation{origin=\"hreg.example/140902001\"}"), or nullopt if absent.
inline std::optional<double> metricValue(const std::string& exposition, std::string_view series) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || !line.starts_with(series)) continue;
    std::string_view rest = std::string_view(line).substr(series.size());
    if (rest.empty() || rest[0] != ' ') continue;  // a longer name or other labels
    try {
      return std::stod(std::string(rest.substr(1)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace hreg::testing
