// `hreg drafts`: the records time alone made due at an office (docs/rules.md, "Automatic
// consequences"; docs/user-guide.md, "Records time alone makes due"), as the office's node drafts them
// (GET /v1/drafts), written as decision files for its officials to check with `hreg show`, sign with
// `hreg sign` and submit with `hreg submit`, the same files they pass for any decision. The node's
// drafts are its own word: each is checked to be an unsigned decision of the kind and log it says,
// and the node judges the signed record again when it is submitted.
#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "admin-cli/commands.h"
#include "admin-cli/decision-file.h"
#include "admin-cli/node-command.h"
#include "admin-cli/tlog-input.h"
#include "protocol/canonical.h"

namespace hreg::cli::nodecmd {
namespace {

namespace fs = std::filesystem;

// draftBytes are the decision a draft carries, checked to be what the node says it is: canonical,
// unsigned, for the log and of the kind it names. A draft that is not is the node's fault.
Bytes draftBytes(const Json& draft) {
  const std::string subject = draft.value("subject", "");
  auto bytes = fromBase64(draft.value("decision", ""));
  if (!bytes) throw Fault(Fault::Kind::FAILED, fmt::format("the node's draft for {} is not base64", subject));
  auto parsed = protocol::parseSignedDecision(*bytes);
  if (!parsed)
    throw Fault(Fault::Kind::FAILED, fmt::format("the node's draft for {} is no decision: {}", subject,
                                                 parsed.error().detail));
  auto decision = parsed.value().reader().getDecision();
  if (parsed.value().reader().getSignatures().size() != 0 ||
      std::string(decision.getHeader().getOrigin().cStr()) != draft.value("origin", ""))
    throw Fault(Fault::Kind::FAILED, fmt::format("the node's draft for {} is signed already or for another log than "
                                                 "it says", subject));
  return std::move(*bytes);
}

// fileName is where a draft goes in --out: the subject and the record, e.g. 140902-W-0001-cancellation.decision.
std::string fileName(const Json& draft) {
  return fmt::format("{}-{}.decision", draft.value("subject", ""), draft.value("kind", ""));
}

// signersText says who must sign, for people: "an approver of each of culture, hrss, rural (…)".
std::string signersText(const Json& signing) {
  const std::string signers = signing.value("signers", "");
  if (signers != "officials") return fmt::format("the {} keys, at their threshold", signers);
  std::vector<std::string> departments = signing.value("departments", std::vector<std::string>{});
  std::string who = departments.size() == 1 ? fmt::format("a {} of {}", signing.value("role", ""), departments[0])
                                            : fmt::format("a {} of each of {}", signing.value("role", ""),
                                                          joined(departments));
  std::vector<std::string> officials;
  for (const Json& o : signing["officials"])
    officials.push_back(fmt::format("{} ({}, {}…)", o.value("person", ""), o.value("department", ""),
                                    o.value("key", "").substr(0, 16)));
  return fmt::format("{}; can sign: {}", who, officials.empty() ? std::string("nobody granted here now")
                                                                : joined(officials, "; "));
}

// writeDraft writes one draft into `dir`, never over a file there (it may hold signatures already):
// "written" or "kept".
std::string writeDraft(const fs::path& dir, const Json& draft) {
  const fs::path file = dir / fileName(draft);
  if (fs::exists(file)) return "kept";
  writeDecisionFile(file, draftBytes(draft), false);
  return "written";
}

void printDrafts(const Json& body, const Json& written) {
  std::string region = body.value("region", "");
  fmt::print("{}, region {}, as of {} (Beijing): {}\n", body.value("node", ""), region.empty() ? "all held" : region,
             beijing(body.value("asOf", Timestamp{0})),
             written.empty() ? std::string("nothing to record") : fmt::format("{} record(s) to sign", written.size()));
  for (const Json& d : written) {
    const bool kept = d.value("status", "") == "kept";
    fmt::print("  {} {}\n", kept ? "kept   " : "wrote  ", d.value("file", ""));
    fmt::print("    {} of {} {}: {} since {} (Beijing), in {}\n", d.value("kind", ""), d.value("subject", ""),
               d.value("name", ""), d.value("what", ""), beijing(d.value("at", Timestamp{0})), d.value("origin", ""));
    fmt::print("    needs: {}\n", signersText(d["signing"]));
    if (kept) fmt::print("    (the file exists already, perhaps signed: left as it is; delete it to draft it again)\n");
  }
  for (const Json& f : body["findings"])
    fmt::print("  not drafted: {} {}: refused ({}): {}\n", f.value("subject", ""), f.value("what", ""),
               f.value("reason", ""), f.value("detail", ""));
  if (!written.empty())
    fmt::print("then each official: hreg show FILE --officials officials.json; hreg sign FILE --key THEIR.key; "
               "and the last: hreg submit FILE\n");
}

int drafts(const Options& o) {
  NodeClient client(o.node);
  const std::string target = "/v1/drafts" + (o.region.empty() ? std::string() : "?region=" + urlEncoded(o.region));
  auto answer = askNode(client, target, o.json);
  if (auto* code = std::get_if<int>(&answer)) return *code;
  Json body = std::get<Json>(std::move(answer));
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec || !fs::is_directory(o.out))
    throw tlog::UsageError(fmt::format("--out {}: cannot make a directory there: {}", o.out, ec.message()));
  Json written = Json::array();
  for (Json d : body["drafts"]) {
    d["status"] = writeDraft(o.out, d);
    d["file"] = (fs::path(o.out) / fileName(d)).string();
    d.erase("decision");
    written.push_back(std::move(d));
  }
  if (o.json) {
    body["drafts"] = std::move(written);
    tlog::printJson(std::move(body));
  } else {
    printDrafts(body, written);
  }
  return EXIT_OK;
}

}  // namespace

void addDraftsCommand(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = nodeSubcommand(app, "drafts", "write the records time alone made due at the node's office (a revocation "
                                            "made final, a cancellation) as decision files to sign and submit",
                             *o, "hreg drafts --node 127.0.0.1:47131 --region 140902 --out drafts/");
  cmd->add_option("--region", o->region, "a division code: the subjects whose identifier starts with it (default: all)");
  cmd->add_option("-o,--out", o->out, "the directory to write the decision files in (made if missing; an existing "
                                      "file is never overwritten)")
      ->required();
  cmd->callback(nodeCommand(o, [o] { return drafts(*o); }));
}

}  // namespace hreg::cli::nodecmd
