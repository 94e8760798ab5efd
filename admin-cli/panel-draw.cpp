// `hreg draw`: an expert panel's draw, and a recusal's replacement, as the drawing office's node drafts
// them (GET /v1/draw, GET /v1/draw/replacement; docs/user-guide.md, "Drawing an expert panel"): nobody
// can compute rules::drawPanel by hand, and the node refuses a draw its seed and pools do not give.
// The draft is written as a decision file, like `hreg draft` and `hreg drafts` write theirs, for the
// officials to check with `hreg show`, sign with `hreg sign` and submit with `hreg submit`. The node's
// draft is its own word: it is checked to be an unsigned decision of the log and kind it says, and the
// node judges the signed record again (seed, pools, experts) when it is submitted.
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

#include "admin-cli/commands.h"
#include "admin-cli/decision-file.h"
#include "admin-cli/node-command.h"
#include "admin-cli/tlog-input.h"
#include "ledger/rules/subject.h"
#include "protocol/canonical.h"

namespace hreg::cli::nodecmd {
namespace {

namespace fs = std::filesystem;

// Names here are unlike consequence-drafts.cpp's and draft.cpp's: one unity file may hold them all.

struct DrawFlags : Options {
  std::vector<std::string> subjects, pools, withdrawn;
  unsigned count = 0;
  bool replacement = false;
  std::string draw, requestedBy, reason;
};

// drawnDecisionBytes are the decision the node's answer carries, checked to be what it says it is:
// canonical, unsigned, of its kind and for its log.
Bytes drawnDecisionBytes(const Json& body) {
  auto bytes = fromBase64(body.value("decision", ""));
  if (!bytes) throw Fault(Fault::Kind::FAILED, "the node's draft is not base64");
  auto parsed = protocol::parseSignedDecision(*bytes);
  if (!parsed) throw Fault(Fault::Kind::FAILED, fmt::format("the node's draft is no decision: {}", parsed.error().detail));
  auto decision = parsed.value().reader().getDecision();
  if (parsed.value().reader().getSignatures().size() != 0 ||
      std::string(decision.getHeader().getOrigin().cStr()) != body.value("origin", "") ||
      rules::kindName(decision.getBody().which()) != body.value("kind", ""))
    throw Fault(Fault::Kind::FAILED, "the node's draft is signed already, or of another log or kind than it says");
  return std::move(*bytes);
}

// drawSigningText says who must sign, for people: "an approver of culture; can sign: …".
std::string drawSigningText(const Json& signing) {
  const std::string signers = signing.value("signers", "");
  if (signers != "officials") return fmt::format("the {} keys, at their threshold", signers);
  std::vector<std::string> departments = signing.value("departments", std::vector<std::string>{});
  std::vector<std::string> officials;
  for (const Json& o : signing["officials"])
    officials.push_back(fmt::format("{} ({}, {}…)", o.value("person", ""), o.value("department", ""),
                                    o.value("key", "").substr(0, 16)));
  return fmt::format("a {} of {}; can sign: {}", signing.value("role", ""), joined(departments),
                     officials.empty() ? std::string("nobody granted here now") : joined(officials, "; "));
}

std::string seedText(const Json& seed) {
  return fmt::format("the checkpoint of {} at size {}, root {}", seed.value("origin", ""),
                     seed.value("treeSize", std::uint64_t{0}), seed.value("root", ""));
}

void printDrawn(const Json& body, const std::string& file, bool replacement) {
  fmt::print("{}: {} drafted as of {} (Beijing), for {}\n", body.value("node", ""), body.value("kind", ""),
             beijing(body.value("asOf", Timestamp{0})),
             replacement ? body.value("subject", "") : joined(body.value("subjects", std::vector<std::string>{})));
  fmt::print("  seed:  {}\n", seedText(body["seed"]));
  if (replacement) {
    const Json& draw = body["draw"];
    fmt::print("  draw:  {} #{} (drew {})\n", draw.value("origin", ""), draw.value("index", std::uint64_t{0}),
               joined(body.value("drawn", std::vector<std::string>{})));
    for (const Json& r : body["replacements"])
      fmt::print("  {} withdraws: the draw's order gives {}\n", r.value("expert", ""), r.value("replacement", ""));
  } else {
    for (const Json& p : body["pools"])
      fmt::print("  pool:  {} #{}: version {} {} ({} experts)\n", p.value("origin", ""),
                 p.value("index", std::uint64_t{0}), p.value("version", 0u), p.value("name", ""),
                 p.value("experts", std::size_t{0}));
  }
  const std::vector<std::string> panel = body.value("panel", std::vector<std::string>{});
  fmt::print("  {}: {}\n", replacement ? "panel after the withdrawal(s)" : "panel, in draw order", joined(panel));
  fmt::print("  wrote {}\n", file);
  fmt::print("  needs: {}\n", drawSigningText(body["signing"]));
  fmt::print("then each official: hreg show {} --officials officials.json; hreg sign {} --key THEIR.key; "
             "and the last: hreg submit {}\n", file, file, file);
}

std::string drawTarget(const DrawFlags& o) {
  std::string target;
  auto add = [&](std::string_view name, const std::string& value) {
    target += fmt::format("{}{}={}", target.empty() ? "?" : "&", name, urlEncoded(value));
  };
  if (o.replacement) {
    add("draw", o.draw);
    for (const std::string& w : o.withdrawn) add("withdrawn", w);
    if (!o.subjects.empty()) add("subject", o.subjects.front());
    if (!o.requestedBy.empty()) add("requestedBy", o.requestedBy);
    if (!o.reason.empty()) add("reason", o.reason);
    return "/v1/draw/replacement" + target;
  }
  for (const std::string& s : o.subjects) add("subject", s);
  add("count", std::to_string(o.count));
  for (const std::string& p : o.pools) add("pool", p);
  return "/v1/draw" + target;
}

int runDraw(const DrawFlags& o) {
  if (o.replacement) {
    if (o.draw.empty() || o.withdrawn.empty())
      throw tlog::UsageError("--replacement needs --draw ORIGIN#INDEX (the draw's receipt) and --withdrawn EXPERT");
    if (o.subjects.size() > 1) throw tlog::UsageError("--replacement takes at most one --subject: the recusal's");
  } else {
    if (o.subjects.empty() || o.pools.empty() || o.count == 0)
      throw tlog::UsageError("a draw needs --subject ID, --count N and --pool ORIGIN#INDEX (or --pool ORIGIN for "
                             "that log's latest expert pool)");
  }
  if (fs::exists(o.out))
    throw tlog::UsageError(fmt::format("{} exists already (perhaps signed): it is never overwritten; name another "
                                       "file or delete it", o.out));
  NodeClient client(o.node);
  auto answer = askNode(client, drawTarget(o), o.json);
  if (auto* code = std::get_if<int>(&answer)) return *code;
  Json body = std::get<Json>(std::move(answer));
  writeDecisionFile(o.out, drawnDecisionBytes(body), false);
  if (o.json) {
    body.erase("decision");
    body["file"] = o.out;
    tlog::printJson(std::move(body));
  } else {
    printDrawn(body, o.out, o.replacement);
  }
  return EXIT_OK;
}

}  // namespace

void addDrawCommand(CLI::App& app) {
  auto o = std::make_shared<DrawFlags>();
  auto* cmd = nodeSubcommand(app, "draw", "draft an expert panel's draw (or, with --replacement, a recusal naming the "
                                          "next expert of a draw's order) from the node's latest checkpoint, as a "
                                          "decision file to sign and submit",
                             *o, "hreg draw --node 127.0.0.1:47131 --subject 140902001-W-0002 --count 5 "
                                 "--pool hreg.example/1409 -o draw.decision");
  cmd->add_option("--subject", o->subjects, "an applicant the panel reviews (repeat for several); with --replacement, "
                                            "the recusal's subject (default: the draw's only one)");
  cmd->add_option("--count", o->count, "how many experts to draw: odd, at least the policy's panel.min-size");
  cmd->add_option("--pool", o->pools, "an expert pool: ORIGIN#INDEX (its entry), or ORIGIN (that log's latest "
                                      "expert pool); repeat for several, in the order to name them");
  cmd->add_flag("--replacement", o->replacement, "draft a granted recusal instead: who replaces --withdrawn");
  cmd->add_option("--draw", o->draw, "with --replacement: the draw, ORIGIN#INDEX as its receipt gives it");
  cmd->add_option("--withdrawn", o->withdrawn, "with --replacement: an expert who withdrew; repeat for every "
                                               "withdrawal from the draw in the order recorded, the new one last");
  cmd->add_option("--requested-by", o->requestedBy, "with --replacement: expert (default) or applicant");
  cmd->add_option("--reason", o->reason, "with --replacement: why the expert withdraws, as the record states it");
  cmd->add_option("-o,--out", o->out, "the decision file to write (an existing file is never overwritten)")
      ->required();
  cmd->callback(nodeCommand(o, [o] { return runDraw(*o); }));
}

}  // namespace hreg::cli::nodecmd
