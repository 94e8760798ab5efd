// The node commands that show an office's own records, for its officials, supervisors and operator
// (docs/user-guide.md): `hreg officials`, `overdue`, `report quarterly` and `yearly`, `policy show` and `peers`.
// They carry no proof: a status to rely on comes from the lookups (lookup.cpp).
#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "admin-cli/commands.h"
#include "admin-cli/node-command.h"
#include "admin-cli/tlog-input.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/note.h"

namespace hreg::cli::nodecmd {
namespace {

// ---- hreg officials, overdue, report quarterly, policy show ---------------------------------------

// query is "?name=value&..." of the values given, or "".
std::string query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params)
    if (!value.empty()) out += fmt::format("{}{}={}", out.empty() ? "?" : "&", name, urlEncoded(value));
  return out;
}

// showAnswer is what these commands share: GET `target` from the node, then show its JSON answer,
// whole under --json, else through `render`, for people. `received`, when given, sees the answer
// first (`officials -o` saves it). A node that answers with an error, or not at all, gives its exit
// code (nodeError, nodeCommand). `render` gets the answer mutable, as its operator[] then reads a
// field the node left out as null instead of failing.
int showAnswer(const Options& o, const std::string& target, const std::function<void(Json&)>& render,
               const std::function<void(const HttpReply&, Json&)>& received = {}) {
  NodeClient client(o.node);
  HttpReply reply = client.get(target);
  if (reply.status != 200) return nodeError(client, reply, target, o.json);
  Json body = parsedBody(client, reply, target);
  if (received) received(reply, body);
  if (o.json) tlog::printJson(std::move(body));
  else render(body);
  return EXIT_OK;
}

void renderOfficials(const Options& o, Json& body) {
  const Json& list = body["officials"];
  fmt::print("officials of {} as of {} (Beijing): {}\n", body.value("origin", ""), beijing(body.value("asOf", Timestamp{0})),
             list.size());
  // The person goes last: names in Chinese are wider on screen than their bytes, and would shift the columns.
  fmt::print("  {:<12} {:<24} {:<17} {:<17} {:<17} {}\n", "department", "roles", "key", "valid from", "until", "person");
  for (const Json& g : list) {
    std::vector<std::string> roles = g.value("roles", std::vector<std::string>{});
    Timestamp until = g.value("validUntil", Timestamp{0});
    fmt::print("  {:<12} {:<24} {:<17} {:<17} {:<17} {}{}\n", g.value("department", ""), joined(roles, ","),
               g.value("key", "").substr(0, 16), beijing(g.value("validFrom", Timestamp{0})),
               until ? beijing(until) : std::string("-"), g.value("person", ""),
               g.value("revoked", false) ? "  REVOKED" : "");
  }
  if (!o.out.empty()) fmt::print("saved to {} (hreg show and hreg sign read it with --officials)\n", o.out);
}

int officials(const Options& o) {
  // -o saves the node's answer as it came: hreg show and hreg sign read the node's own words.
  auto save = [&o](const HttpReply& reply, Json& body) {
    if (o.out.empty()) return;
    tlog::writeFileAtomically(o.out, reply.body);
    if (o.json) body["file"] = o.out;
  };
  return showAnswer(o, "/v1/officials" + query({{"origin", o.origin}}),
                    [&o](Json& body) { renderOfficials(o, body); }, save);
}

void renderOverdue(Json& body) {
  const Json& list = body["overdue"];
  std::string region = body.value("region", "");
  fmt::print("{}, region {}, as of {} (Beijing): {}\n", body.value("node", ""), region.empty() ? "all held" : region,
             beijing(body.value("asOf", Timestamp{0})),
             list.empty() ? std::string("nothing overdue") : fmt::format("{} overdue", list.size()));
  for (const Json& item : list) {
    std::string what = item.value("what", "");
    std::string when = item.contains("lastDay") ? "last day " + item.value("lastDay", "")
                                                : "since " + beijing(item.value("since", Timestamp{0})) + " (Beijing)";
    std::string toSign = item.contains("toRecord") ? ": sign a " + item.value("toRecord", "") : "";
    fmt::print("  {:<20} {:<16} {:<20} {}{}, {}{}\n", item.value("subject", ""), item.value("stage", ""),
               item.value("name", ""), what, item.value("supervisory", false) ? " (supervisory)" : "", when, toSign);
  }
  const Json& findings = body["findings"];
  if (!findings.empty()) {
    fmt::print("records the node could not replay ({}):\n", findings.size());
    for (const Json& f : findings)
      fmt::print("  {}: refused ({}): {}\n", f.value("subject", ""), f.value("reason", ""), f.value("detail", ""));
  }
}

int overdue(const Options& o) { return showAnswer(o, "/v1/overdue" + query({{"region", o.region}}), renderOverdue); }

// pairs writes {"certified": 2, "applied": 1} as "certified 2, applied 1", or "-".
std::string pairs(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [key, value] : object.items()) out.push_back(fmt::format("{} {}", key, value.dump()));
  return out.empty() ? std::string("-") : joined(out);
}

// yuan writes an amount in fen as yuan, e.g. 123456 -> "1234.56".
std::string yuan(std::int64_t fen) { return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", std::abs(fen) / 100, std::abs(fen) % 100); }

void renderQuarter(const Json& q) {
  if (q.contains("refused")) {
    fmt::print("{}            not summed: refused ({}): {}\n", q.value("quarter", ""), q["refused"].value("reason", ""),
               q["refused"].value("detail", ""));
    return;
  }
  const Json& total = q["total"];
  std::size_t owing = q["counties"].size();
  fmt::print("{}            report due {}; {} of {} counties reported, {} late\n", q.value("quarter", ""),
             q.value("reportDue", ""), total.value("countiesReporting", 0), owing, total.value("lateReports", 0));
  auto figures = [](const Json& f) {
    return fmt::format("{} workshops, {} jobs ({} poverty-alleviated), revenue {} yuan, wages {} yuan",
                       f.value("workshops", 0), f.value("jobs", 0), f.value("povertyAlleviatedWorkers", 0),
                       yuan(f.value("revenue", std::int64_t{0})), yuan(f.value("wagesPaid", std::int64_t{0})));
  };
  fmt::print("  total           {}\n", figures(total));
  for (const Json& r : q["regions"]) fmt::print("  {:<15} {}\n", r.value("region", ""), figures(r));
  for (const Json& c : q["counties"]) {
    std::string state = c["reportedAt"].is_number()
                            ? fmt::format("reported {} (Beijing){}", beijing(c["reportedAt"].get<Timestamp>()),
                                          c.value("overdue", false) ? ", LATE" : "")
                            : c.value("overdue", false) ? "no report: OVERDUE" : "no report yet";
    fmt::print("  {:<28} {}\n", c.value("origin", ""), state);
  }
}

void renderReport(Json& body) {
  std::string region = body.value("region", "");
  fmt::print("report {}, region {} (as of {} Beijing; policy {})\n", body.value("period", ""),
             region.empty() ? "all held" : region, beijing(body.value("asOf", Timestamp{0})),
             body.value("policyVersion", ""));
  const Json& w = body["workshops"];
  fmt::print("workshops         {}: {}\n", w.value("total", 0), pairs(w["byStage"]));
  fmt::print("  certified       {}: {}{}\n", w.value("certified", 0), pairs(w["certifiedByLevel"]),
             w.value("pendingUpward", 0) ? fmt::format("; {} recommended to a higher level", w.value("pendingUpward", 0))
                                         : std::string());
  const Json& c = body["craftsmen"];
  fmt::print("craftsmen         {}: {}\n", c.value("total", 0), pairs(c["byStage"]));
  fmt::print("  certified       {}: {}\n", c.value("certified", 0), pairs(c["certifiedByTier"]));
  for (const Json& q : body["quarters"]) renderQuarter(q);
  for (const Json& r : body["refused"])
    fmt::print("not counted       {}: refused ({})\n", r.value("subject", ""), r.value("reason", ""));
}

int reportQuarterly(const Options& o) {
  return showAnswer(o, "/v1/report" + query({{"quarter", o.quarter}, {"region", o.region}}), renderReport);
}

int reportYearly(const Options& o) {
  return showAnswer(o, "/v1/report" + query({{"year", o.year}, {"region", o.region}}), renderReport);
}

void renderPolicy(Json& body) {
  fmt::print("policy in force at {}: {} (as of {} Beijing)\n", body.value("origin", ""), body.value("version", ""),
             beijing(body.value("asOf", Timestamp{0})));
  // Columns as wide as their widest cell; a value longer than MAX_VALUE is cut (--json has it whole).
  constexpr std::size_t MAX_VALUE = 60;
  std::vector<std::array<std::string, 4>> rows{{"setting", "value", "source", ""}};
  for (const auto& [key, setting] : body["settings"].items()) {
    std::string value = setting.value("value", "");
    if (value.size() > MAX_VALUE) value = value.substr(0, MAX_VALUE - 3) + "...";
    rows.push_back({key, value, setting.value("source", ""), setting.value("mandatory", false) ? "mandatory below" : ""});
  }
  std::array<std::size_t, 3> width{};
  for (const auto& row : rows)
    for (std::size_t i = 0; i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (const auto& row : rows) {
    std::string line = fmt::format("  {:<{}}  {:<{}}  {:<{}}  {}", row[0], width[0], row[1], width[1], row[2], width[2],
                                   row[3]);
    fmt::print("{}\n", line.substr(0, line.find_last_not_of(' ') + 1));
  }
}

int policyShow(const Options& o) { return showAnswer(o, "/v1/policy" + query({{"origin", o.origin}}), renderPolicy); }

// ---- hreg peers ----------------------------------------------------------------------------------

// metricSeries reads the values of one labelled series family from a Prometheus text exposition:
// origin -> value, for lines `name{origin="..."} value`.
std::map<std::string, double> metricSeries(const std::string& exposition, std::string_view name) {
  std::map<std::string, double> out;
  std::string prefix = fmt::format("{}{{origin=\"", name);
  for (std::string_view rest = exposition; !rest.empty();) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    if (!line.starts_with(prefix)) continue;
    auto close = line.find("\"} ");
    if (close == std::string_view::npos) continue;
    try {
      out[std::string(line.substr(prefix.size(), close - prefix.size()))] = std::stod(std::string(line.substr(close + 3)));
    } catch (const std::exception&) {
      continue;  // not a number: leave it out
    }
  }
  return out;
}

// cosignatureTime is the time in a cosignature/v1 line (its 8 bytes after the key hash), or nothing.
std::optional<Timestamp> cosignatureTime(const std::string& line) {
  auto parsed = note::parseNote("x\n\n" + line);
  if (!parsed || parsed.value().signatures.size() != 1) return std::nullopt;
  const Bytes& s = parsed.value().signatures.front().signature;
  if (s.size() != 72) return std::nullopt;
  std::uint64_t t = 0;
  for (int i = 0; i < 8; ++i) t = (t << 8) | s[static_cast<std::size_t>(i)];
  return static_cast<Timestamp>(t);
}

int peers(const Options& o) {
  NodeClient client(o.node);
  auto health = askNode(client, "/v1/health", o.json);
  if (const int* code = std::get_if<int>(&health)) return *code;
  auto logs = askNode(client, "/v1/logs", o.json);
  if (const int* code = std::get_if<int>(&logs)) return *code;
  auto evidence = askNode(client, "/v1/evidence", o.json);
  if (const int* code = std::get_if<int>(&evidence)) return *code;
  HttpReply metrics = client.get("/metrics");  // the node's own lag and ages, by its clock
  std::map<std::string, double> lag, ages;
  if (metrics.status == 200) {
    lag = metricSeries(metrics.body, "hreg_child_lag_entries");
    ages = metricSeries(metrics.body, "hreg_cosignature_age_seconds");
  }
  const Json& h = std::get<Json>(health);
  const Json& equivocations = std::get<Json>(evidence)["equivocations"];

  Json rows = Json::array();
  for (const Json& l : std::get<Json>(logs)["logs"]) {
    std::string origin = l.value("origin", "");
    std::vector<std::string> cosigners;
    std::optional<Timestamp> newest;
    for (const Json& line : l.value("cosignatures", Json::array())) {
      std::string text = line.get<std::string>();
      auto n = note::parseNote("x\n\n" + text);
      if (n && n.value().signatures.size() == 1) cosigners.push_back(n.value().signatures.front().name);
      if (auto t = cosignatureTime(text); t && (!newest || *t > *newest)) newest = t;
    }
    rows.push_back({{"origin", origin}, {"size", l.value("size", std::uint64_t{0})}, {"root", l.value("root", "")},
                    {"frozen", l.value("frozen", false)},
                    {"lag", lag.contains(origin) ? Json(static_cast<std::uint64_t>(lag[origin])) : Json(nullptr)},
                    {"cosigners", cosigners}, {"newestCosignature", newest ? Json(*newest) : Json(nullptr)},
                    {"cosignatureAgeSeconds",
                     ages.contains(origin) ? Json(static_cast<std::int64_t>(ages[origin])) : Json(nullptr)}});
  }
  int code = equivocations.empty() ? EXIT_OK : EXIT_REFUSED;
  if (o.json) {
    Json out{{"node", h.value("origin", "")},      {"status", h.value("status", "")},
             {"submissions", h.value("submissions", "")}, {"parent", h.value("parent", Json(nullptr))},
             {"logs", rows},                        {"equivocations", equivocations}};
    if (code == EXIT_OK) tlog::printJson(std::move(out));
    else {
      Json alarm{{"ok", false}, {"reason", "equivocation"}};
      alarm.update(out);
      fmt::print("{}\n", alarm.dump(2));
    }
  } else {
    const Json& parent = h.value("parent", Json(nullptr));
    fmt::print("{}: {}; submissions {}; {}\n", h.value("origin", ""), h.value("status", ""),
               h.value("submissions", ""),
               parent.is_object() ? fmt::format("parent {} ({})", parent.value("origin", ""),
                                                parent.value("connected", false) ? "connected" : "NOT CONNECTED")
                                  : std::string("the root: no parent"));
    fmt::print("  {:<28} {:>8} {:>5}  {:<36} {}\n", "log", "entries", "lag", "newest cosignature", "cosigned by");
    for (const Json& r : rows) {
      std::string newest = "none";
      if (r["newestCosignature"].is_number())
        newest = beijing(r["newestCosignature"].get<Timestamp>()) +
                 (r["cosignatureAgeSeconds"].is_number()
                      ? fmt::format(" ({} ago)", age(r["cosignatureAgeSeconds"].get<Timestamp>()))
                      : std::string());
      fmt::print("  {:<28} {:>8} {:>5}  {:<36} {}{}\n", r["origin"].get<std::string>(), r["size"].get<std::uint64_t>(),
                 r["lag"].is_number() ? std::to_string(r["lag"].get<std::uint64_t>()) : "-", newest,
                 r["cosigners"].empty() ? "-" : joined(r["cosigners"].get<std::vector<std::string>>()),
                 r["frozen"].get<bool>() ? "  FROZEN" : "");
    }
    if (equivocations.empty()) fmt::print("no equivocation detected\n");
  }
  for (const Json& e : equivocations) {
    std::string alarm = fmt::format("EQUIVOCATION on {}: {} (detected {} Beijing); the log is frozen on this node: keep "
                                    "the evidence (GET /v1/evidence) and tell the authority (docs/operations.md)",
                                    e.value("origin", ""), e.value("detail", ""),
                                    beijing(e.value("detected_at", Timestamp{0})));
    if (!o.json) fmt::print("!!! {}\n", alarm);
    fmt::print(stderr, "hreg: ALARM: {}\n", alarm);
  }
  return code;
}

}  // namespace

void addRegisterCommands(CLI::App& app) {
  auto f = std::make_shared<Options>();
  auto* cmd = nodeSubcommand(app, "officials", "the grants of an office: person, department, roles, key, validity",
                             *f, "hreg officials --node 127.0.0.1:47131 -o officials.json");
  cmd->add_option("--origin", f->origin, "the office's log, e.g. hreg.example/140902 (default: the node's own)");
  cmd->add_option("-o,--out", f->out, "also save the node's answer, as JSON, for hreg show and hreg sign --officials");
  cmd->callback(nodeCommand(f, [f] { return officials(*f); }));

  auto d = std::make_shared<Options>();
  cmd = nodeSubcommand(app, "overdue", "missed deadlines and unrecorded consequences of time in a region (the node's "
                                       "own records; no proof)",
                       *d, "hreg overdue --region 1409 --node 127.0.0.1:47121");
  cmd->add_option("--region", d->region, "a division code: the subjects whose identifier starts with it (default: all)");
  cmd->callback(nodeCommand(d, [d] { return overdue(*d); }));

  auto* report = app.add_subcommand("report", "supervisors' reports from a node's records");
  report->require_subcommand(1);
  auto r = std::make_shared<Options>();
  cmd = nodeSubcommand(*report, "quarterly", "a quarter's figures: workshops by stage and level, craftsmen by stage "
                                             "and tier, the counties' quarterly reports summed by region",
                       *r, "hreg report quarterly --region 1409 --quarter 2026Q3 --node 127.0.0.1:47121");
  cmd->add_option("--region", r->region, "a division code, e.g. 1409")->required();
  cmd->add_option("--quarter", r->quarter, "the quarter, e.g. 2026Q3")->required();
  cmd->callback(nodeCommand(r, [r] { return reportQuarterly(*r); }));
  auto y = std::make_shared<Options>();
  cmd = nodeSubcommand(*report, "yearly", "a year's figures: the register at its end and each quarter's reports",
                       *y, "hreg report yearly --region 1409 --year 2026 --node 127.0.0.1:47121");
  cmd->add_option("--region", y->region, "a division code, e.g. 1409")->required();
  cmd->add_option("--year", y->year, "the year, e.g. 2026")->required();
  cmd->callback(nodeCommand(y, [y] { return reportYearly(*y); }));

  auto* policy = app.add_subcommand("policy", "the policy in force at an office");
  policy->require_subcommand(1);
  auto s = std::make_shared<Options>();
  cmd = nodeSubcommand(*policy, "show", "every setting in force now at an office, where it comes from, whether it is "
                                        "mandatory below",
                       *s, "hreg policy show --node 127.0.0.1:47141");
  cmd->add_option("--origin", s->origin, "the office's log, e.g. hreg.example/140902 (default: the node's own)");
  cmd->callback(nodeCommand(s, [s] { return policyShow(*s); }));

  auto e = std::make_shared<Options>();
  cmd = nodeSubcommand(app, "peers", "replication health: every log held, its size and lag, its newest cosignature, "
                                     "equivocation alarms (exit 1 when there is one)",
                       *e, "hreg peers --node 127.0.0.1:47101");
  cmd->callback(nodeCommand(e, [e] { return peers(*e); }));
}

}  // namespace hreg::cli::nodecmd
