// The commands that talk to a node (docs/user-guide.md): `hreg submit`, the lookups `status`,
// `history`, `proof` and `qr`, which check the node's proof bundle from the trust root before they
// show anything, `verify` (the same check offline, from a saved bundle), the supervisors' `overdue`,
// `report quarterly` and `policy show`, `officials`, and the operators' `peers`. Every command takes
// --node (or HREG_NODE) and --json; a node that does not answer is EXIT_UNREACHABLE with what to try.
// Only the lookups carry proof; overdue, report, policy, officials and peers show the node's own view.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <variant>

#include "admin-cli/commands.h"
#include "admin-cli/decision-file.h"
#include "admin-cli/node-client.h"
#include "admin-cli/qr.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/note.h"
#include "ledger/rules/date.h"
#include "ledger/rules/subject.h"
#include "ledger/trust/trust-root-file.h"
#include "protocol/canonical.h"

namespace hreg::cli {
namespace {

using tlog::Json;
using tlog::UsageError;

// MAX_FILE_BYTES bounds a bundle or trust root file read from disk, as NodeClient bounds an answer.
constexpr std::size_t MAX_FILE_BYTES = std::size_t{64} << 20;

// Options holds every flag of the commands below; each command uses its own few.
struct Options {
  std::string node, trust, at, id, file, out, png, origin, region, quarter;
  bool json = false;
};
using OptionsPtr = std::shared_ptr<Options>;

// ---- Output helpers ----------------------------------------------------------------------------

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

std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ") {
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
int unreachable(const Unreachable& e, bool json, std::string_view then = {}) {
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

// ---- A subject, proven ---------------------------------------------------------------------------

// Checked is a bundle that passed rules::checkSubject, with what its entries say of the subject.
struct Checked {
  rules::SubjectBundle bundle;
  rules::SubjectReport report;
  Timestamp asOf = 0;
  std::string node;  // the endpoint asked; empty for a bundle read from a file
  std::string name, level, plaque;
  // What the node said of how it got the answer (docs/protocol.md, "Lookups across regions"): not
  // proven, shown as the node's word. Empty for a bundle read from a file.
  std::vector<std::string> route;
  std::string cachedBy;
  Json stale;
};

// Facts reads the subject's name, level and plaque from its proven decisions, in time order.
void readFacts(Checked& c) {
  std::map<std::pair<std::string, std::uint64_t>, const Bytes*> entries;
  for (const trust::LogExtract& log : c.bundle.logs)
    for (const trust::ProvenEntry& e : log.entries) entries[{log.origin, e.index}] = &e.entry;
  for (const rules::ProvenStep& step : c.report.steps) {
    auto found = entries.find({step.at.origin, step.at.index});
    if (found == entries.end()) continue;
    auto parsed = protocol::parseEntry(*found->second);
    if (!parsed) continue;  // checkSubject parsed it already
    auto body = parsed.value().reader().getSigned().getDecision().getBody();
    if (body.isApplication()) {
      c.level = trust::levelName(body.getApplication().getLevel());
      if (body.getApplication().getFacts().hasName()) c.name = body.getApplication().getFacts().getName().cStr();
    } else if (body.isLegacyImport()) {
      auto l = body.getLegacyImport();
      c.level = trust::levelName(l.getLevel());
      if (l.getFacts().hasName()) c.name = l.getFacts().getName().cStr();
      if (l.hasPlaque() && l.getPlaque().size() > 0) c.plaque = l.getPlaque().cStr();
    } else if (body.isCertification()) {
      auto cert = body.getCertification();
      c.level = trust::levelName(cert.getLevel());
      if (cert.hasName() && cert.getName().size() > 0) c.name = cert.getName().cStr();
      if (cert.hasPlaque() && cert.getPlaque().size() > 0) c.plaque = cert.getPlaque().cStr();
    } else if (body.isConfirmation()) {
      if (body.getConfirmation().getFacts().hasName()) c.name = body.getConfirmation().getFacts().getName().cStr();
    }
  }
}

// check verifies `bundle` from the trust root as of `asOf`.
Result<Checked> check(const trust::TrustAnchor& root, rules::SubjectBundle bundle, Timestamp asOf) {
  HREG_TRY(report, rules::checkSubject(root, bundle, asOf));
  Checked c;
  c.bundle = std::move(bundle);
  c.report = std::move(report);
  c.asOf = asOf;
  readFacts(c);
  return c;
}

// fetchChecked asks the node for the subject's bundle and checks it. On anything but success it has
// reported the problem and returns the exit code.
std::variant<Checked, int> fetchChecked(const Options& o) {
  trust::TrustAnchor root = loadTrust(o.trust);
  Timestamp asOf = asOfFrom(o.at);
  NodeClient client(o.node);
  std::string target = "/v1/subject?id=" + urlEncoded(o.id);
  HttpReply reply = client.get(target);
  if (reply.status == 404) {
    std::string code = rules::homeCode(o.id);
    return refusedAs("index-out-of-range",
                     fmt::format("the node at {} holds no decision about {}; ask a node of its region{} or the "
                                 "federation root's node, which holds every filed log",
                                 client.endpoint(), o.id, code.empty() ? "" : fmt::format(" ({} or above)", code)),
                     o.json);
  }
  if (reply.status != 200) return nodeError(client, reply, target, o.json);
  auto bundle = rules::subjectBundleFromJson(reply.body);
  if (!bundle) return tlog::refused(bundle.error(), o.json, fmt::format("the answer of the node at {}", client.endpoint()));
  if (bundle.value().subject != o.id)
    return refusedAs("subject-mismatch",
                     fmt::format("asked about {}, the node at {} answered about '{}'", o.id, client.endpoint(),
                                 bundle.value().subject),
                     o.json);
  auto checked = check(root, std::move(bundle.value()), asOf);
  if (!checked)
    return tlog::refused(checked.error(), o.json,
                         fmt::format("the answer of the node at {} does not hold", client.endpoint()));
  checked.value().node = client.endpoint();
  auto said = Json::parse(reply.body, nullptr, false);
  if (said.is_object()) {
    if (said.contains("route") && said["route"].is_array())
      for (const Json& r : said["route"])
        if (r.is_string()) checked.value().route.push_back(r.get<std::string>());
    if (said.contains("cachedBy") && said["cachedBy"].is_string()) checked.value().cachedBy = said["cachedBy"];
    if (said.contains("stale") && said["stale"].is_object()) checked.value().stale = said["stale"];
  }
  return std::move(checked.value());
}

// stageAfter is the stage each step led to, when the lifecycle's replay lines up with the steps.
std::string stageAfter(const Checked& c, std::size_t i) {
  const auto& steps = c.report.status.steps;
  return steps.size() == c.report.steps.size() ? std::string(rules::stageName(steps[i].to)) : std::string();
}

Json subjectJson(const Checked& c) {
  const rules::Status& s = c.report.status;
  Json deadlines = Json::array(), unrecorded = Json::array(), logs = Json::array(), history = Json::array();
  for (const rules::DeadlineStatus& d : s.deadlines)
    deadlines.push_back({{"what", d.what}, {"lastDay", rules::formatDate(d.deadline.lastDay)},
                         {"endsAt", d.deadline.endsAt}, {"supervisory", d.supervisory}, {"met", d.met},
                         {"overdue", d.overdue}});
  for (const rules::Derived& d : s.derived)
    unrecorded.push_back({{"what", d.what}, {"at", d.at}, {"stage", rules::stageName(d.to)},
                          {"toRecord", d.record ? Json(rules::kindName(*d.record)) : Json(nullptr)}});
  for (const rules::ProvenLog& l : c.report.logs)
    logs.push_back({{"origin", l.checkpoint.origin}, {"treeSize", l.checkpoint.size}, {"root", tlog::hex(l.checkpoint.root)},
                    {"cosigners", l.cosigners},
                    {"newestCosignature", l.newestCosignature ? Json(l.newestCosignature) : Json(nullptr)},
                    {"cosignatureAgeSeconds", l.newestCosignature ? Json(c.asOf - l.newestCosignature) : Json(nullptr)}});
  for (std::size_t i = 0; i < c.report.steps.size(); ++i) {
    const rules::ProvenStep& step = c.report.steps[i];
    Json signers = Json::array();
    for (const trust::OfficialGrant& g : step.signers)
      signers.push_back({{"person", g.person}, {"department", g.department}, {"key", toHex(ByteView(g.key))}});
    history.push_back({{"origin", step.at.origin}, {"index", step.at.index}, {"decidedAt", step.decidedAt},
                       {"beijing", beijing(step.decidedAt)}, {"kind", rules::kindName(step.kind)},
                       {"stage", stageAfter(c, i)}, {"signers", signers}, {"policyVersion", step.policyVersion}});
  }
  auto orNull = [](const std::string& v) { return v.empty() ? Json(nullptr) : Json(v); };
  return Json{{"subject", c.report.subject},
              {"name", orNull(c.name)},
              {"stage", rules::stageName(s.stage)},
              {"recordedStage", rules::stageName(s.recorded)},
              {"since", s.since},
              {"level", orNull(c.level)},
              {"plaque", orNull(c.plaque)},
              {"policyVersion", c.report.policyVersion},
              {"asOf", c.asOf},
              {"answeredBy", c.bundle.answeredBy},
              {"answeredAt", c.bundle.answeredAt},
              {"node", orNull(c.node)},
              {"route", c.route},
              {"cachedBy", orNull(c.cachedBy)},
              {"stale", c.stale.is_object() ? c.stale : Json(nullptr)},
              {"deadlines", deadlines},
              {"unrecorded", unrecorded},
              {"logs", logs},
              {"history", history}};
}

void printStatus(const Checked& c) {
  const rules::Status& s = c.report.status;
  fmt::print("{}{}\n", c.report.subject, c.name.empty() ? "" : "  " + c.name);
  fmt::print("stage        {}", rules::stageName(s.stage));
  if (s.since) fmt::print(" since {} (Beijing)", beijing(s.since));
  if (s.stage != s.recorded) fmt::print("  (recorded: {})", rules::stageName(s.recorded));
  fmt::print("\nlevel        {}\nplaque       {}\n", c.level.empty() ? "-" : c.level,
             c.plaque.empty() ? "- (none recorded)" : c.plaque);
  if (s.deadlines.empty()) fmt::print("deadlines    none running\n");
  for (std::size_t i = 0; i < s.deadlines.size(); ++i) {
    const rules::DeadlineStatus& d = s.deadlines[i];
    // A period nothing awaits (a notice, an appeal window that passed unused) is closed once it ends.
    std::string state = d.overdue ? "OVERDUE" : d.met ? "met" : c.asOf >= d.deadline.endsAt ? "closed" : "running";
    fmt::print("{}{:<24} last day {}  {}{}\n", i == 0 ? "deadlines    " : "             ", d.what,
               rules::formatDate(d.deadline.lastDay), state, d.supervisory ? " (supervisory)" : "");
  }
  for (const rules::Derived& d : s.derived)
    fmt::print("unrecorded   {} since {} (Beijing){}\n", d.what, beijing(d.at),
               d.record ? fmt::format(": the officials responsible should sign a {}", rules::kindName(*d.record)) : "");
  fmt::print("policy       {}\n", c.report.policyVersion);
  fmt::print("answered by  {} at {} (Beijing){}\n", c.bundle.answeredBy, beijing(c.bundle.answeredAt),
             c.node.empty() ? "" : ", asked at " + c.node);
  if (c.route.size() > 1 || !c.cachedBy.empty())
    fmt::print("route        {}{}\n", joined(c.route, " -> "),
               c.cachedBy.empty() ? "" : fmt::format(" (from the cache of {})", c.cachedBy));
  if (c.stale.is_object() && c.stale.contains("lags") && c.stale["lags"].is_array())
    for (const Json& l : c.stale["lags"])
      if (l.is_object())
        fmt::print("STALE        {}'s copy of {} holds {} entries, {} behind what was announced{}\n",
                   c.route.empty() ? std::string("the node") : c.route.back(), l.value("origin", "?"),
                   l.value("held", std::uint64_t{0}), l.value("behind", std::uint64_t{0}),
                   l.contains("secondsBehind") && l["secondsBehind"].is_number()
                       ? fmt::format(" {} ago", age(l["secondsBehind"].get<Timestamp>()))
                       : std::string());
  fmt::print("proven under\n");
  for (const rules::ProvenLog& l : c.report.logs) {
    std::string cosigned = l.newestCosignature
                               ? fmt::format("cosigned by {}, newest {} (Beijing), {} old", joined(l.cosigners),
                                             beijing(l.newestCosignature), age(c.asOf - l.newestCosignature))
                               : std::string("no cosignature");
    fmt::print("  {:<26} size {:<6} {}\n", l.checkpoint.origin, l.checkpoint.size, cosigned);
  }
  fmt::print("checked from the trust root as of {} (Beijing)\n", beijing(c.asOf));
}

void printHistory(const Checked& c) {
  fmt::print("history of {}: {} decision{}, proven from the trust root\n", c.report.subject, c.report.steps.size(),
             c.report.steps.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < c.report.steps.size(); ++i) {
    const rules::ProvenStep& step = c.report.steps[i];
    std::string stage = stageAfter(c, i);
    fmt::print("{}  {} #{}  {}{}\n", beijing(step.decidedAt), step.at.origin, step.at.index, rules::kindName(step.kind),
               stage.empty() ? "" : " -> " + stage);
    std::vector<std::string> signers;
    for (const trust::OfficialGrant& g : step.signers) signers.push_back(fmt::format("{} ({})", g.person, g.department));
    fmt::print("                  signed by {}\n", signers.empty() ? "-" : joined(signers));
    fmt::print("                  policy {}\n", step.policyVersion);
  }
}

// ---- hreg submit ---------------------------------------------------------------------------------

// Receipt is a node's answer to a submission, checked.
struct Receipt {
  std::string origin, checkpointNote;
  std::uint64_t index = 0;
  merkle::Hash leafHash{};
  note::Checkpoint checkpoint;
  std::vector<merkle::Hash> proof;
  bool entryChecked = false;  // the entry was fetched: its leaf hash, index and decision match
};

// checkReceipt checks that the receipt's inclusion proof takes its leaf hash to its checkpoint's root.
Result<Receipt> checkReceipt(const Json& answer) {
  Receipt r;
  try {
    r.origin = answer.at("origin").get<std::string>();
    r.index = answer.at("index").get<std::uint64_t>();
    r.checkpointNote = answer.at("checkpoint").get<std::string>();
    auto leaf = fromHex(answer.at("leaf_hash").get<std::string>());
    if (!leaf || leaf->size() != r.leafHash.size())
      return refuse(Reason::MALFORMED_PROOF, "the receipt's leaf_hash is not 32 bytes of hex");
    std::copy(leaf->begin(), leaf->end(), r.leafHash.begin());
    std::vector<Bytes> hashes;
    for (const auto& h : answer.at("inclusion_proof")) {
      auto bytes = fromHex(h.get<std::string>());
      if (!bytes) return refuse(Reason::MALFORMED_PROOF, "the receipt's inclusion_proof holds a hash that is not hex");
      hashes.push_back(std::move(*bytes));
    }
    HREG_TRY(proof, merkle::proofFromBytes(hashes));
    r.proof = std::move(proof);
  } catch (const Json::exception& e) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("the receipt lacks a field: {}", e.what()));
  }
  HREG_TRY(n, note::parseNote(r.checkpointNote));
  HREG_TRY(checkpoint, note::parseCheckpoint(n.text));
  r.checkpoint = std::move(checkpoint);
  if (r.checkpoint.origin != r.origin)
    return refuse(Reason::WRONG_ORIGIN, fmt::format("the receipt is for {} but its checkpoint is of {}", r.origin,
                                                    r.checkpoint.origin));
  HREG_TRY(merkle::verifyInclusion(r.leafHash, r.index, r.checkpoint.size, r.proof, r.checkpoint.root));
  return r;
}

// checkEntry fetches the appended entry and checks that it is the decision sent, at the receipt's
// index, with the receipt's leaf hash: SHA-256(0x00 || canonical Entry).
Result<void> checkEntry(const NodeClient& client, const Receipt& r, ByteView sent) {
  std::string target = fmt::format("/v1/entry?origin={}&index={}", urlEncoded(r.origin), r.index);
  HttpReply reply = client.get(target);
  if (reply.status != 200)
    return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("the node does not serve the entry it just appended "
                                                          "(HTTP {})", reply.status));
  auto body = Json::parse(reply.body, nullptr, false);
  auto bytes = body.is_object() && body.contains("entry") && body["entry"].is_string()
                   ? fromBase64(body["entry"].get<std::string>())
                   : std::nullopt;
  if (!bytes) return refuse(Reason::MALFORMED_ENTRY, "the node's entry is not base64");
  HREG_TRY(entry, protocol::parseEntry(*bytes));
  if (merkle::leafHash(*bytes) != r.leafHash)
    return refuse(Reason::ROOT_MISMATCH, "the appended entry's leaf hash is not the receipt's");
  if (entry.reader().getIndex() != r.index)
    return refuse(Reason::WRONG_INDEX, fmt::format("the appended entry says index {}, the receipt {}",
                                                   entry.reader().getIndex(), r.index));
  Bytes inside = protocol::canonicalBytes(entry.reader().getSigned());
  if (!std::equal(inside.begin(), inside.end(), sent.begin(), sent.end()))
    return refuse(Reason::ROOT_MISMATCH, "the appended entry holds another decision than the one sent");
  return outcome::success();
}

int submit(const Options& o) {
  auto file = readDecisionFile(o.file);
  if (!file) return tlog::refused(file.error(), o.json, o.file);
  NodeClient client(o.node);
  const std::string kept = fmt::format("{} is kept unchanged: submit it again when the node is back (if the node "
                                       "then refuses it as duplicate-decision or wrong-stage, an earlier try was "
                                       "appended after all: hreg history shows it)",
                                       o.file);
  HttpReply reply;
  try {
    reply = client.post("/v1/submit", std::string(file.value().bytes.begin(), file.value().bytes.end()));
  } catch (const Unreachable& e) {
    return unreachable(e, o.json, kept);
  }
  if (reply.status != 200) {
    int code = nodeError(client, reply, "/v1/submit", o.json);
    if (code == EXIT_REFUSED)
      fmt::print(stderr, "hreg: nothing was appended; {} is unchanged: put right what the reason names (a missing "
                         "signature, a record that must come first), then submit it again\n", o.file);
    return code;
  }
  auto receipt = checkReceipt(parsedBody(client, reply, "/v1/submit"));
  if (!receipt)
    return tlog::refused(receipt.error(), o.json,
                         fmt::format("the node at {} accepted {}, but its receipt does not hold", client.endpoint(), o.file));
  Receipt& r = receipt.value();
  std::string entryNote;
  try {
    if (auto entry = checkEntry(client, r, file.value().bytes); !entry)
      return tlog::refused(entry.error(), o.json,
                           fmt::format("the node at {} accepted {}, but what it appended", client.endpoint(), o.file));
    r.entryChecked = true;
  } catch (const Unreachable& e) {
    entryNote = fmt::format("the entry itself could not be fetched to check its leaf hash ({})", e.what());
  }
  if (o.json) {
    Json proof = Json::array();
    for (const merkle::Hash& h : r.proof) proof.push_back(tlog::hex(h));
    tlog::printJson({{"file", o.file}, {"origin", r.origin}, {"index", r.index}, {"leafHash", tlog::hex(r.leafHash)},
                     {"treeSize", r.checkpoint.size}, {"root", tlog::hex(r.checkpoint.root)},
                     {"checkpoint", r.checkpointNote}, {"inclusionProof", proof}, {"proofChecked", true},
                     {"entryChecked", r.entryChecked}});
    return EXIT_OK;
  }
  fmt::print("accepted: {} entry {}\n", r.origin, r.index);
  fmt::print("leaf hash  {}\n", tlog::hex(r.leafHash));
  fmt::print("checkpoint {} size {} root {} (inclusion proof checked{})\n", r.checkpoint.origin, r.checkpoint.size,
             tlog::hex(r.checkpoint.root), r.entryChecked ? "; the entry is the decision sent" : "");
  fmt::print("signed checkpoint (keep it as the receipt):\n{}", r.checkpointNote);
  if (!entryNote.empty()) fmt::print(stderr, "hreg: warning: {}\n", entryNote);
  return EXIT_OK;
}

// ---- hreg status, history, proof, verify, qr ------------------------------------------------------

int status(const Options& o, bool history) {
  auto fetched = fetchChecked(o);
  if (const int* code = std::get_if<int>(&fetched)) return *code;
  const Checked& c = std::get<Checked>(fetched);
  if (o.json) tlog::printJson(subjectJson(c));
  else if (history) printHistory(c);
  else printStatus(c);
  return EXIT_OK;
}

int proof(const Options& o) {
  auto fetched = fetchChecked(o);
  if (const int* code = std::get_if<int>(&fetched)) return *code;
  const Checked& c = std::get<Checked>(fetched);
  tlog::writeFileAtomically(o.out, rules::toJson(c.bundle).dump(2) + "\n");
  if (o.json) {
    tlog::printJson({{"file", o.out}, {"subject", c.report.subject}, {"stage", rules::stageName(c.report.status.stage)},
                     {"decisions", c.bundle.decisions.size()}, {"answeredBy", c.bundle.answeredBy}});
    return EXIT_OK;
  }
  fmt::print("saved the proof bundle of {} to {}: {} decision{}, stage {}, checked from the trust root\n",
             c.report.subject, o.out, c.bundle.decisions.size(), c.bundle.decisions.size() == 1 ? "" : "s",
             rules::stageName(c.report.status.stage));
  fmt::print("check it anywhere: hreg verify {} --trust TRUST-ROOT\n", o.out);
  return EXIT_OK;
}

int verify(const Options& o) {
  trust::TrustAnchor root = loadTrust(o.trust);
  Timestamp asOf = asOfFrom(o.at);
  auto bundle = rules::subjectBundleFromJson(tlog::readInput(o.file, MAX_FILE_BYTES + 1));
  if (!bundle) return tlog::refused(bundle.error(), o.json, o.file);
  auto checked = check(root, std::move(bundle.value()), asOf);
  if (!checked) return tlog::refused(checked.error(), o.json, o.file);
  if (o.json) {
    tlog::printJson(subjectJson(checked.value()));
    return EXIT_OK;
  }
  printStatus(checked.value());
  fmt::print("\n");
  printHistory(checked.value());
  return EXIT_OK;
}

// plaquePayload is the plaque QR payload (docs/formats.md, "Plaque QR payload"): hreg-plaque/v1, the
// identifier, the stage, then the signed checkpoint of the log that holds the newest decision.
std::string plaquePayload(const Checked& c) {
  const std::string& origin = c.report.steps.back().at.origin;
  std::string note;
  for (const trust::LogExtract& log : c.bundle.logs)
    if (log.origin == origin) note = log.checkpoint;
  return fmt::format("hreg-plaque/v1\n{}\n{}\n{}", c.report.subject, rules::stageName(c.report.status.stage), note);
}

int qr(const Options& o) {
  auto fetched = fetchChecked(o);
  if (const int* code = std::get_if<int>(&fetched)) return *code;
  const Checked& c = std::get<Checked>(fetched);
  if (c.report.steps.empty()) return refusedAs("subject-mismatch", "the bundle proves no decision about it", o.json);
  std::string payload = plaquePayload(c);
  if (!o.png.empty()) writeQrPng(o.png, payload);
  if (o.json) {
    tlog::printJson({{"subject", c.report.subject}, {"stage", rules::stageName(c.report.status.stage)},
                     {"payload", payload}, {"png", o.png.empty() ? Json(nullptr) : Json(o.png)}});
    return EXIT_OK;
  }
  fmt::print("{}", qrTerminal(payload));
  fmt::print("{}", payload);
  if (!o.png.empty()) fmt::print("written to {}\n", o.png);
  return EXIT_OK;
}

// ---- hreg officials, overdue, report quarterly, policy show ---------------------------------------

// query is "?name=value&..." of the values given, or "".
std::string query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params)
    if (!value.empty()) out += fmt::format("{}{}={}", out.empty() ? "?" : "&", name, urlEncoded(value));
  return out;
}

int officials(const Options& o) {
  NodeClient client(o.node);
  std::string target = "/v1/officials" + query({{"origin", o.origin}});
  HttpReply reply = client.get(target);
  if (reply.status != 200) return nodeError(client, reply, target, o.json);
  Json body = parsedBody(client, reply, target);
  if (!o.out.empty()) tlog::writeFileAtomically(o.out, reply.body);
  if (o.json) {
    if (!o.out.empty()) body["file"] = o.out;
    tlog::printJson(std::move(body));
    return EXIT_OK;
  }
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
  return EXIT_OK;
}

int overdue(const Options& o) {
  NodeClient client(o.node);
  std::string target = "/v1/overdue" + query({{"region", o.region}});
  auto asked = askNode(client, target, o.json);
  if (const int* code = std::get_if<int>(&asked)) return *code;
  Json& body = std::get<Json>(asked);
  if (o.json) {
    tlog::printJson(std::move(body));
    return EXIT_OK;
  }
  const Json& list = body["overdue"];
  std::string region = body.value("region", "");
  fmt::print("{}, region {}, as of {} (Beijing): {}\n", body.value("node", ""), region.empty() ? "all held" : region,
             beijing(body.value("asOf", Timestamp{0})),
             list.empty() ? std::string("nothing overdue") : fmt::format("{} overdue", list.size()));
  for (const Json& item : list) {
    std::string what = item.value("what", "");
    std::string when = item.contains("lastDay") ? "last day " + item.value("lastDay", "")
                                                : "since " + beijing(item.value("since", Timestamp{0})) + " (Beijing)";
    std::string todo = item.contains("toRecord") ? ": sign a " + item.value("toRecord", "") : "";
    fmt::print("  {:<20} {:<16} {:<20} {}{}, {}{}\n", item.value("subject", ""), item.value("stage", ""),
               item.value("name", ""), what, item.value("supervisory", false) ? " (supervisory)" : "", when, todo);
  }
  const Json& findings = body["findings"];
  if (!findings.empty()) {
    fmt::print("records the node could not replay ({}):\n", findings.size());
    for (const Json& f : findings)
      fmt::print("  {}: refused ({}): {}\n", f.value("subject", ""), f.value("reason", ""), f.value("detail", ""));
  }
  return EXIT_OK;
}

int reportQuarterly(const Options& o) {
  NodeClient client(o.node);
  std::string target = "/v1/report" + query({{"quarter", o.quarter}, {"region", o.region}});
  auto asked = askNode(client, target, o.json);
  if (const int* code = std::get_if<int>(&asked)) return *code;
  Json& body = std::get<Json>(asked);
  if (o.json) {
    tlog::printJson(std::move(body));
    return EXIT_OK;
  }
  auto pairs = [](const Json& object) {
    std::vector<std::string> out;
    for (const auto& [key, value] : object.items()) out.push_back(fmt::format("{} {}", key, value.dump()));
    return out.empty() ? std::string("-") : joined(out);
  };
  fmt::print("quarterly report {}, region {} ({}, as of {} Beijing)\n", body.value("quarter", ""),
             body.value("region", ""), body.value("node", ""), beijing(body.value("asOf", Timestamp{0})));
  fmt::print("report due        {}\n", body["reportDue"].is_string() ? body["reportDue"].get<std::string>()
                                                                     : std::string("- (no calendar in force)"));
  fmt::print("subjects          {}\n", body.value("subjects", 0));
  fmt::print("by stage          {}\n", pairs(body["byStage"]));
  fmt::print("certified         {}\n", body.value("certified", 0));
  fmt::print("by level          {}\n", pairs(body["certifiedByLevel"]));
  fmt::print("jobs              {} (poverty-alleviated {})\n", body.value("jobs", 0),
             body.value("povertyAlleviatedJobs", 0));
  fmt::print("policy            {}\n", body.value("policyVersion", ""));
  for (const Json& r : body["refused"])
    fmt::print("not counted       {}: refused ({})\n", r.value("subject", ""), r.value("reason", ""));
  return EXIT_OK;
}

int policyShow(const Options& o) {
  NodeClient client(o.node);
  std::string target = "/v1/policy" + query({{"origin", o.origin}});
  auto asked = askNode(client, target, o.json);
  if (const int* code = std::get_if<int>(&asked)) return *code;
  Json& body = std::get<Json>(asked);
  if (o.json) {
    tlog::printJson(std::move(body));
    return EXIT_OK;
  }
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
  return EXIT_OK;
}

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

// ---- Registration --------------------------------------------------------------------------------

CLI::App* nodeSubcommand(CLI::App& parent, const std::string& name, const std::string& what, Options& o,
                         std::string_view example) {
  CLI::App* cmd = parent.add_subcommand(name, what);
  addNodeOption(*cmd, o.node);
  tlog::addJsonFlag(*cmd, o.json);
  tlog::withExample(*cmd, example);
  return cmd;
}

void addSubjectCommands(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = nodeSubcommand(app, "status", "a workshop's or craftsman's status, checked from the trust root", *o,
                             "hreg status 140902001-W-0001 --node 127.0.0.1:47131 --trust configs/demo/trust-root.toml");
  cmd->add_option("ID", o->id, "the identifier, e.g. 140902001-W-0001")->required();
  addTrustOption(*cmd, *o);
  addAtOption(*cmd, *o);
  cmd->callback(nodeCommand(o, [o] { return status(*o, false); }));

  auto h = std::make_shared<Options>();
  cmd = nodeSubcommand(app, "history", "every decision about a workshop or craftsman: when, what, who signed, under "
                                       "which policy; checked from the trust root",
                       *h, "hreg history 140902001-W-0001 --node 127.0.0.1:47131 --trust configs/demo/trust-root.toml");
  cmd->add_option("ID", h->id, "the identifier, e.g. 140902001-W-0001")->required();
  addTrustOption(*cmd, *h);
  addAtOption(*cmd, *h);
  cmd->callback(nodeCommand(h, [h] { return status(*h, true); }));

  auto p = std::make_shared<Options>();
  cmd = nodeSubcommand(app, "proof", "save a workshop's or craftsman's proof bundle, after checking it", *p,
                       "hreg proof 140902001-W-0001 -o 140902001-W-0001.bundle.json --node 127.0.0.1:47131 "
                       "--trust configs/demo/trust-root.toml");
  cmd->add_option("ID", p->id, "the identifier, e.g. 140902001-W-0001")->required();
  cmd->add_option("-o,--out", p->out, "the bundle file to write (replaced if it exists)")->required();
  addTrustOption(*cmd, *p);
  addAtOption(*cmd, *p);
  cmd->callback(nodeCommand(p, [p] { return proof(*p); }));

  auto q = std::make_shared<Options>();
  cmd = nodeSubcommand(app, "qr", "a plaque's QR code: the identifier, the stage and the signed checkpoint it is "
                                  "proven under, in the terminal and as a PNG",
                       *q, "hreg qr 140902001-W-0001 --png plaque.png --node 127.0.0.1:47131 "
                           "--trust configs/demo/trust-root.toml");
  cmd->add_option("ID", q->id, "the identifier, e.g. 140902001-W-0001")->required();
  cmd->add_option("--png", q->png, "also write the code as a PNG image to print (replaced if it exists)");
  addTrustOption(*cmd, *q);
  addAtOption(*cmd, *q);
  cmd->callback(nodeCommand(q, [q] { return qr(*q); }));

  auto v = std::make_shared<Options>();
  cmd = app.add_subcommand("verify", "check a saved proof bundle offline from the trust root; print its status and "
                                     "history");
  cmd->add_option("FILE", v->file, "the bundle file (hreg proof -o)")->required();
  addTrustOption(*cmd, *v);
  addAtOption(*cmd, *v);
  tlog::addJsonFlag(*cmd, v->json);
  tlog::withExample(*cmd, "hreg verify 140902001-W-0001.bundle.json --trust configs/demo/trust-root.toml");
  cmd->callback(tlog::runCommand([v] { return verify(*v); }));
}

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
  cmd = nodeSubcommand(*report, "quarterly", "a quarter's figures: subjects by stage, certified by level, jobs, the "
                                             "report's due date",
                       *r, "hreg report quarterly --region 1409 --quarter 2026Q3 --node 127.0.0.1:47121");
  cmd->add_option("--region", r->region, "a division code, e.g. 1409")->required();
  cmd->add_option("--quarter", r->quarter, "the quarter, e.g. 2026Q3")->required();
  cmd->callback(nodeCommand(r, [r] { return reportQuarterly(*r); }));

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

}  // namespace

void addNodeCommands(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = nodeSubcommand(app, "submit", "send a signed decision file to the office's node and check its receipt",
                             *o, "hreg submit joint-review-result.decision --node 127.0.0.1:47131");
  cmd->add_option("FILE", o->file, "the decision file, signed by every official it needs")->required();
  cmd->callback(nodeCommand(o, [o] { return submit(*o); }));
  addSubjectCommands(app);
  addRegisterCommands(app);
}

}  // namespace hreg::cli
