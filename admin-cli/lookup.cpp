// The commands that talk to a node (docs/user-guide.md): `hreg submit`, the lookups `status`,
// `history`, `proof` and `qr`, which check the node's proof bundle from the trust root before they
// show anything, `verify` (the same check offline, from a saved bundle), the supervisors' `overdue`,
// `report quarterly` and `policy show`, `officials`, and the operators' `peers` (register.cpp). Every command takes
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
#include "admin-cli/node-command.h"
#include "admin-cli/qr.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "ledger/merkle/hash.h"
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

using namespace nodecmd;

// ---- A subject, proven ---------------------------------------------------------------------------

// Checked is a bundle that passed rules::checkSubject, with what its entries say of the subject.
struct Checked {
  rules::SubjectBundle bundle;
  rules::SubjectReport report;
  Timestamp asOf = 0;
  std::string node;  // the endpoint asked; empty for a bundle read from a file
  std::string name, level, plaque;
  std::vector<std::string> plaques;  // every plaque number its proven decisions give, in time order
  // Each step's leaf hash (report.steps[i]'s is leafHashes[i]): with its origin and index, what an
  // EntryRef naming it holds, for officials to copy into a later decision.
  std::vector<merkle::Hash> leafHashes;
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
    c.leafHashes.push_back(found == entries.end() ? merkle::Hash{} : merkle::leafHash(*found->second));
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
      if (l.hasPlaque() && l.getPlaque().size() > 0) c.plaques.push_back(c.plaque = l.getPlaque().cStr());
    } else if (body.isCertification()) {
      auto cert = body.getCertification();
      c.level = trust::levelName(cert.getLevel());
      if (cert.hasName() && cert.getName().size() > 0) c.name = cert.getName().cStr();
      if (cert.hasPlaque() && cert.getPlaque().size() > 0) c.plaques.push_back(c.plaque = cert.getPlaque().cStr());
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
  // By plaque number the node resolves the number, unsigned; the proven record must give it (below).
  const bool byPlaque = !o.plaque.empty();
  std::string target = byPlaque ? "/v1/subject?plaque=" + urlEncoded(o.plaque) : "/v1/subject?id=" + urlEncoded(o.id);
  HttpReply reply = client.get(target);
  if (reply.status == 404 && byPlaque) return nodeError(client, reply, target, o.json);
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
  if (!byPlaque && bundle.value().subject != o.id)
    return refusedAs("subject-mismatch",
                     fmt::format("asked about {}, the node at {} answered about '{}'", o.id, client.endpoint(),
                                 bundle.value().subject),
                     o.json);
  auto checked = check(root, std::move(bundle.value()), asOf);
  if (!checked)
    return tlog::refused(checked.error(), o.json,
                         fmt::format("the answer of the node at {} does not hold", client.endpoint()));
  checked.value().node = client.endpoint();
  const std::vector<std::string>& given = checked.value().plaques;
  if (byPlaque && std::find(given.begin(), given.end(), o.plaque) == given.end())
    return refusedAs("subject-mismatch",
                     fmt::format("asked about plaque {}, the node at {} answered with the record of {}, whose proven "
                                 "decisions give {}; nothing of it is shown",
                                 o.plaque, client.endpoint(), checked.value().report.subject,
                                 given.empty() ? std::string("no plaque") : "plaque " + joined(given)),
                     o.json);
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

// reference is the EntryRef naming step `i`, as `hreg draft --set FIELD=...` takes it.
Json reference(const Checked& c, std::size_t i) {
  const rules::ProvenStep& step = c.report.steps[i];
  return Json{{"origin", step.at.origin}, {"index", step.at.index},
              {"leafHash", i < c.leafHashes.size() ? tlog::hex(c.leafHashes[i]) : std::string()}};
}

// pendingJson is a certified workshop's procedure toward a higher level, or null.
Json pendingJson(const rules::Status& s) {
  if (!s.pending) return nullptr;
  return {{"level", trust::levelName(s.pending->level)}, {"stage", rules::stageName(s.pending->stage)},
          {"since", s.pending->since}};
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
                    {"aboutSubject", l.aboutSubject}, {"complete", true},
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
                       {"leafHash", reference(c, i)["leafHash"]}, {"stage", stageAfter(c, i)}, {"signers", signers},
                       {"policyVersion", step.policyVersion}});
  }
  auto orNull = [](const std::string& v) { return v.empty() ? Json(nullptr) : Json(v); };
  return Json{{"subject", c.report.subject},
              {"name", orNull(c.name)},
              {"stage", rules::stageName(s.stage)},
              {"recordedStage", rules::stageName(s.recorded)},
              {"since", s.since},
              {"level", orNull(c.level)},
              {"pending", pendingJson(s)},
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
  fmt::print("\nlevel        {}\n", c.level.empty() ? "-" : c.level);
  if (s.pending)
    fmt::print("pending      recommended for {} level: {} since {} (Beijing); certified at {} level meanwhile\n",
               trust::levelName(s.pending->level), rules::stageName(s.pending->stage), beijing(s.pending->since),
               c.level.empty() ? "-" : c.level);
  fmt::print("plaque       {}\n", c.plaque.empty() ? "- (none recorded)" : c.plaque);
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
  fmt::print("proven complete under (every entry about {} that each log's subject map commits to)\n",
             c.report.subject);
  for (const rules::ProvenLog& l : c.report.logs) {
    std::string cosigned = l.newestCosignature
                               ? fmt::format("cosigned by {}, newest {} (Beijing), {} old", joined(l.cosigners),
                                             beijing(l.newestCosignature), age(c.asOf - l.newestCosignature))
                               : std::string("no cosignature");
    fmt::print("  {:<26} size {:<6} {:>2} about it  {}\n", l.checkpoint.origin, l.checkpoint.size, l.aboutSubject,
               cosigned);
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
    fmt::print("                  reference {}\n", reference(c, i).dump());
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
    auto said = Json::parse(reply.body, nullptr, false);
    if (code == EXIT_REFUSED && said.is_object() && said.contains("error") && said["error"].is_object() &&
        said["error"].value("reason", "") == "prerequisite-missing" &&
        said["error"].value("detail", "").find(" it must name ") != std::string::npos)
      fmt::print(stderr, "hreg: a reference in {} names another record than it must: `hreg history SUBJECT` prints "
                         "each decision's reference; draft the decision again with it (hreg draft ... --set "
                         "FIELD='{{\"origin\": ..., \"index\": ..., \"leafHash\": ...}}') and have it signed again: "
                         "the signatures cover the reference\n", o.file);
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
  if (o.id.empty() == o.plaque.empty())
    throw UsageError("name the workshop or craftsman by its identifier or by --plaque NUMBER, one of them");
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

void addSubjectCommands(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = nodeSubcommand(app, "status", "a workshop's or craftsman's status, checked from the trust root", *o,
                             "hreg status 140902001-W-0001 --node 127.0.0.1:47131 --trust configs/demo/trust-root.toml");
  cmd->add_option("ID", o->id, "the identifier, e.g. 140902001-W-0001");
  cmd->add_option("--plaque", o->plaque, "instead of ID, the plaque number: the node resolves it, and the proven "
                                         "record must give it");
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

}  // namespace

void addNodeCommands(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = nodeSubcommand(app, "submit", "send a signed decision file to the office's node and check its receipt",
                             *o, "hreg submit joint-review-result.decision --node 127.0.0.1:47131");
  cmd->add_option("FILE", o->file, "the decision file, signed by every official it needs")->required();
  cmd->callback(nodeCommand(o, [o] { return submit(*o); }));
  addSubjectCommands(app);
  nodecmd::addRegisterCommands(app);
  nodecmd::addDraftsCommand(app);
  nodecmd::addDrawCommand(app);
}

}  // namespace hreg::cli
