#include "node/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "node/file-clock.h"

namespace hreg::node {
namespace {

Result<std::string> readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return refuse(Reason::MALFORMED_FILE, fmt::format("{}: cannot read the file", file.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string Endpoint::toString() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

Result<Endpoint> parseEndpoint(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
    return refuse(Reason::MALFORMED_FILE, fmt::format("'{}' is not host:port (e.g. \"127.0.0.1:7400\")", text));
  std::string_view host = text.substr(0, colon);
  // IPv4 or a name has no ':' or brackets; an IPv6 address must be bracketed: "[::1]:7400".
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']' || host.substr(1, host.size() - 2).find_first_of("[]") !=
                                                     std::string_view::npos)
      return refuse(Reason::MALFORMED_FILE, fmt::format("'{}': write an IPv6 host in brackets, e.g. \"[::1]:7400\"",
                                                        text));
    host = host.substr(1, host.size() - 2);
  } else if (host.find_first_of(":[]") != std::string_view::npos) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("'{}' is not host:port; write an IPv6 host in brackets, e.g. "
                                                      "\"[::1]:7400\"", text));
  }
  unsigned port = 0;
  auto digits = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port > 65535)
    return refuse(Reason::MALFORMED_FILE, fmt::format("'{}': the port must be a number from 0 to 65535", text));
  return Endpoint{std::string(host), static_cast<std::uint16_t>(port)};
}

Result<note::SignerKey> loadSignerKey(const std::filesystem::path& file) {
  HREG_TRY(text, readText(file));
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    auto key = note::SignerKey::parse(line);
    if (!key)
      return refuse(Reason::MALFORMED_KEY, fmt::format("{}: {} (expected a PRIVATE+KEY+... line, as `hreg tlog key "
                                                       "generate` writes)", file.string(), key.error().detail));
    return std::move(key).value();
  }
  return refuse(Reason::MALFORMED_KEY, fmt::format("{}: no key line", file.string()));
}

Result<NodeConfig> loadConfig(const std::filesystem::path& file) {
  NodeConfig c;
  c.file = file;
  const auto dir = file.parent_path();
  auto bad = [&](std::string_view key, std::string_view problem) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("{}: {}: {}", file.string(), key, problem));
  };
  HREG_TRY(text, readText(file));
  toml::table t;
  try {
    t = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                                      e.source().begin.column, e.description()));
  }
  // Every key must be one hreg-node knows: a misspelt key would otherwise be silently ignored.
  static const std::map<std::string, std::set<std::string>> KNOWN = {
      {"node", {"origin", "data_dir", "checkpoint_key_file", "trust_root", "verify_threads"}},
      {"peer", {"listen"}},
      {"api", {"listen"}},
      {"parent", {"origin", "address", "key"}},
      {"clock", {"start", "file"}},
      {"log", {"level"}},
      {"limits", {"batch_entries", "api_requests_per_second", "api_burst"}}};
  for (const auto& [section, value] : t) {
    std::string name(section.str());
    auto known = KNOWN.find(name);
    if (known == KNOWN.end() || !value.is_table())
      return bad(name, "is not a section hreg-node knows (node, peer, api, parent, clock, log, limits)");
    for (const auto& [key, ignored] : *value.as_table())
      if (!known->second.count(std::string(key.str())))
        return bad(name + "." + std::string(key.str()),
                   fmt::format("is not a key hreg-node knows; [{}] holds {} (docs/operations.md)", name,
                               fmt::join(known->second, ", ")));
  }
  auto path = [&](std::string_view v) { return std::filesystem::path(v).is_absolute() ? std::filesystem::path(v) : dir / v; };
  auto text_ = [&](std::string_view key, bool required) -> Result<std::string> {
    auto node = t.at_path(key);
    if (!node) {
      if (required) return bad(key, "missing");
      return std::string();
    }
    auto s = node.value<std::string>();
    if (!s) return bad(key, "must be a string");
    return *s;
  };
  // shown is a value as the file spells it, for an error message: 'fast', -1, 2.5, true.
  auto shown = [&](std::string_view key) {
    std::ostringstream s;
    s << t.at_path(key);
    return s.str();
  };
  // A whole number: a TOML integer, or a float without a fraction (2.0). Not a boolean, which
  // toml++'s value<std::int64_t>() would read as 0 or 1.
  auto whole = [&](std::string_view key) -> std::optional<std::int64_t> {
    auto n = t.at_path(key);
    if (auto i = n.value_exact<std::int64_t>()) return *i;
    auto d = n.value_exact<double>();
    if (!d || !(*d >= -9.0e18 && *d <= 9.0e18) || *d != static_cast<double>(static_cast<std::int64_t>(*d)))
      return std::nullopt;
    return static_cast<std::int64_t>(*d);
  };
  // A number: a TOML integer or float.
  auto number = [&](std::string_view key) -> std::optional<double> {
    auto n = t.at_path(key);
    if (auto i = n.value_exact<std::int64_t>()) return static_cast<double>(*i);
    return n.value_exact<double>();
  };
  HREG_TRY(origin, text_("node.origin", true));
  if (!note::validKeyName(origin)) return bad("node.origin", "must be a log origin such as \"hreg.example/140902\"");
  c.origin = origin;
  HREG_TRY(data, text_("node.data_dir", true));
  c.dataDir = path(data);
  HREG_TRY(keyFile, text_("node.checkpoint_key_file", true));
  c.checkpointKeyFile = path(keyFile);
  HREG_TRY(trustRoot, text_("node.trust_root", true));
  c.trustRootFile = path(trustRoot);
  if (t.at_path("node.verify_threads")) {
    auto v = whole("node.verify_threads");
    if (!v || *v < 1 || *v > 256)
      return bad("node.verify_threads",
                 fmt::format("is {}; must be a whole number from 1 to 256", shown("node.verify_threads")));
    c.verifyThreads = static_cast<unsigned>(*v);
  }
  HREG_TRY(peer, text_("peer.listen", true));
  auto peerEndpoint = parseEndpoint(peer);
  if (!peerEndpoint) return bad("peer.listen", peerEndpoint.error().detail);
  c.peerListen = peerEndpoint.value();
  HREG_TRY(api, text_("api.listen", true));
  auto apiEndpoint = parseEndpoint(api);
  if (!apiEndpoint) return bad("api.listen", apiEndpoint.error().detail);
  c.apiListen = apiEndpoint.value();
  if (t.contains("parent")) {
    ParentConfig p;
    HREG_TRY(parentOrigin, text_("parent.origin", true));
    p.origin = parentOrigin;
    HREG_TRY(address, text_("parent.address", true));
    auto endpoint = parseEndpoint(address);
    if (!endpoint) return bad("parent.address", endpoint.error().detail);
    p.address = endpoint.value();
    HREG_TRY(keyText, text_("parent.key", true));
    auto key = note::parseVerifierKey(keyText);
    if (!key) return bad("parent.key", key.error().detail + " (the parent's checkpoint verifier key, name+hash+key)");
    if (key.value().name != p.origin) return bad("parent.key", "names another log than parent.origin");
    p.key = key.value();
    c.parent = p;
  }
  if (t.at_path("clock.start")) {
    auto v = whole("clock.start");
    if (!v || *v < 0)
      return bad("clock.start", fmt::format("is {}; must be UTC seconds since the epoch, e.g. 1767225900",
                                            shown("clock.start")));
    c.clockStart = *v;
  }
  HREG_TRY(clockFile, text_("clock.file", false));
  if (!clockFile.empty()) {
    if (c.clockStart) return bad("clock.file", "and clock.start cannot both be set: choose one");
    c.clockFile = path(clockFile);
    // Checked here too, so that a wrong clock file is one of the config's errors, named with its key.
    if (auto time = clockFileTime(c.clockFile); !time) return bad("clock.file", time.error().detail);
  }
  HREG_TRY(level, text_("log.level", false));
  if (!level.empty()) {
    if (level != "debug" && level != "info" && level != "warn" && level != "error")
      return bad("log.level", "must be one of debug, info, warn, error");
    c.logLevel = level;
  }
  if (t.at_path("limits.batch_entries")) {
    auto v = whole("limits.batch_entries");
    if (!v || *v < 1 || *v > 65536)
      return bad("limits.batch_entries", fmt::format("is {}; must be a whole number of entries from 1 to 65536 "
                                                     "(default 1024)", shown("limits.batch_entries")));
    c.batchEntries = static_cast<std::uint32_t>(*v);
  }
  if (t.at_path("limits.api_requests_per_second")) {
    auto v = number("limits.api_requests_per_second");
    if (!v || !(*v >= 0 && *v <= 1e6))
      return bad("limits.api_requests_per_second",
                 fmt::format("is {}; must be a number of requests a second per client address, from 0 (no limit) "
                             "to 1000000, e.g. 20 or 0.5", shown("limits.api_requests_per_second")));
    c.apiRequestsPerSecond = *v;
  }
  if (t.at_path("limits.api_burst")) {
    // Whole: a bucket admits whole requests, so a fraction would only blur the size it gives.
    auto v = whole("limits.api_burst");
    if (!v || *v < 1 || *v > 1'000'000)
      return bad("limits.api_burst", fmt::format("is {}; must be a whole number of requests from 1 to 1000000 (to "
                                                 "lift the limit, set limits.api_requests_per_second = 0)",
                                                 shown("limits.api_burst")));
    c.apiBurst = static_cast<double>(*v);
  }
  return c;
}

}  // namespace hreg::node
