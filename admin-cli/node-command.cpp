// The helpers the node commands share (node-command.h).
#include "admin-cli/node-command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"
#include "ledger/rules/date.h"
#include "ledger/trust/trust-root-file.h"

namespace hreg::cli::nodecmd {

using tlog::UsageError;

// beijing writes a time as the date and minute in China Standard Time: "2026-01-01 08:05".
std::string beijing(Timestamp t) {
  std::time_t seconds = static_cast<std::time_t>(t + rules::CST_OFFSET_SECONDS);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return std::to_string(t);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", &tm);
  return buffer;
}

// age writes a duration for people: "42 s", "3 min", "5 h", "12 days".
std::string age(Timestamp seconds) {
  if (seconds < 0) return fmt::format("{} s ahead", -seconds);
  if (seconds < 120) return fmt::format("{} s", seconds);
  if (seconds < 7200) return fmt::format("{} min", seconds / 60);
  if (seconds < 2 * 86'400) return fmt::format("{} h", seconds / 3600);
  return fmt::format("{} days", seconds / 86'400);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// urlEncoded percent-encodes a query value, keeping '/' (origins) as the API reads it as is.
std::string urlEncoded(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

// refusedAs prints a refusal whose reason is a name from the node (or this tool) and returns EXIT_REFUSED.
int refusedAs(std::string_view reason, std::string_view detail, bool json) {
  fmt::print(stderr, "hreg: refused ({}): {}\n", reason, detail);
  if (json) fmt::print("{}\n", Json{{"ok", false}, {"reason", reason}, {"detail", detail}}.dump(2));
  return EXIT_REFUSED;
}

// unreachable reports a node that did not answer and returns EXIT_UNREACHABLE; `then` adds what
// happened to the user's input.
int unreachable(const Unreachable& e, bool json, std::string_view then) {
  std::string detail = fmt::format("{}; check --node or HREG_NODE, and that the node runs", e.what());
  fmt::print(stderr, "hreg: {}\n", detail);
  if (!then.empty()) fmt::print(stderr, "hreg: {}\n", then);
  if (json) {
    Json out{{"ok", false}, {"reason", "unreachable"}, {"detail", detail}};
    if (!then.empty()) out["then"] = then;
    fmt::print("{}\n", out.dump(2));
  }
  return EXIT_UNREACHABLE;
}

// nodeCommand is runCommand for a command that asks a node: Unreachable becomes EXIT_UNREACHABLE.
std::function<void()> nodeCommand(OptionsPtr o, std::function<int()> body) {
  return tlog::runCommand([o, body = std::move(body)] {
    try {
      return body();
    } catch (const Unreachable& e) {
      return unreachable(e, o->json);
    }
  });
}

// parsedBody is a 200 answer's JSON. An answer that is not JSON is a Fault: not an hreg node, or a broken one.
Json parsedBody(const NodeClient& client, const HttpReply& reply, std::string_view target) {
  auto body = Json::parse(reply.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    fail(fmt::format("the node at {} answered {} with something that is not a JSON object; is it an hreg node's API?",
                     client.endpoint(), target));
  return body;
}

// nodeError reports an error answer ({"error": {"reason", "detail"}}) and returns its exit code:
// 400 is a usage error, 404, 409, 413 and 422 are refusals, anything else a fault of the node.
int nodeError(const NodeClient& client, const HttpReply& reply, std::string_view target, bool json) {
  auto body = Json::parse(reply.body, nullptr, false);
  std::string reason = "unavailable", detail = reply.body.substr(0, 500);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    reason = body["error"].value("reason", reason);
    detail = body["error"].value("detail", detail);
  }
  if (reply.status == 400) {
    std::string message = fmt::format("the node at {} could not use the request {} ({}): {}", client.endpoint(),
                                      target, reason, detail);
    if (json) fmt::print("{}\n", Json{{"ok", false}, {"reason", reason}, {"detail", message}}.dump(2));
    throw UsageError(message);
  }
  if (reply.status == 404 || reply.status == 409 || reply.status == 413 || reply.status == 422)
    return refusedAs(reason, detail, json);
  std::string message = fmt::format("the node at {} failed to answer {} (HTTP {}, {}): {}; retrying may help, else "
                                    "tell its operator",
                                    client.endpoint(), target, reply.status, reason, detail);
  if (json) fmt::print("{}\n", Json{{"ok", false}, {"reason", reason}, {"detail", message}}.dump(2));
  fmt::print(stderr, "hreg: {}\n", message);
  return EXIT_FAULT;
}

// askNode GETs `target` and, on 200, gives its JSON; otherwise reports the error and gives its exit code.
std::variant<Json, int> askNode(const NodeClient& client, const std::string& target, bool json) {
  HttpReply reply = client.get(target);
  if (reply.status != 200) return nodeError(client, reply, target, json);
  return parsedBody(client, reply, target);
}

// asOfFrom reads --at: UTC seconds, a date (the end of that day in Beijing) or a Beijing date and
// time "2026-03-31T09:30[:00]"; empty is now, by this machine's clock. The lookups' only clock.
Timestamp asOfFrom(const std::string& at) {
  if (at.empty()) return SystemClock().now();
  if (std::all_of(at.begin(), at.end(), [](char c) { return c >= '0' && c <= '9'; }) && at.size() <= 12)
    return std::stoll(at);
  if (auto date = rules::parseDate(at)) return rules::startOfDay(*date) + 86'400 - 1;
  if (at.size() >= 16 && at[10] == 'T') {
    auto date = rules::parseDate(std::string_view(at).substr(0, 10));
    int h = 0, m = 0, s = 0;
    char tail = 0;
    int fields = std::sscanf(at.c_str() + 11, "%2d:%2d:%2d%c", &h, &m, &s, &tail);
    bool shape = at.size() == 16 ? fields >= 2 : at.size() == 19 && fields == 3;
    if (date && shape && h < 24 && m < 60 && s < 60 && h >= 0 && m >= 0 && s >= 0)
      return rules::startOfDay(*date) + h * 3600 + m * 60 + s;
  }
  throw UsageError(fmt::format("--at '{}' is not a time: write 2026-03-31 (the end of that day in Beijing), "
                               "2026-03-31T09:30 (Beijing time) or UTC seconds",
                               at));
}

// loadTrust reads the federation's trust root from --trust (or HREG_TRUST).
trust::TrustAnchor loadTrust(const std::string& path) {
  if (path.empty())
    throw UsageError("pass the federation's trust root with --trust FILE (the demo's is configs/demo/trust-root.toml) "
                     "or set HREG_TRUST: hreg checks every answer from it before showing anything");
  auto root = trust::parseTrustRootFile(tlog::readInput(path, MAX_FILE_BYTES + 1));
  if (!root) throw UsageError(fmt::format("--trust {}: {}", path, root.error().detail));
  return root.value();
}

void addTrustOption(CLI::App& command, Options& o) {
  command.add_option("--trust", o.trust, "the federation's trust root file (default: $HREG_TRUST)")
      ->envname("HREG_TRUST");
}

void addAtOption(CLI::App& command, Options& o) {
  command.add_option("--at", o.at, "judge deadlines as of this time: 2026-03-31 (end of day, Beijing), "
                                   "2026-03-31T09:30 (Beijing) or UTC seconds (default: now)");
}

CLI::App* nodeSubcommand(CLI::App& parent, const std::string& name, const std::string& what, Options& o,
                         std::string_view example) {
  CLI::App* cmd = parent.add_subcommand(name, what);
  addNodeOption(*cmd, o.node);
  tlog::addJsonFlag(*cmd, o.json);
  tlog::withExample(*cmd, example);
  return cmd;
}

}  // namespace hreg::cli::nodecmd
