#pragma once
// What the commands that talk to a node share (admin-cli/lookup.cpp: submit and the proven lookups;
// admin-cli/register.cpp: the office's own views): their flags, how they print times and refusals,
// and how a node's error answers and silence become exit codes (docs/user-guide.md, "Exit codes").
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>

#include "admin-cli/node-client.h"
#include "admin-cli/tlog-output.h"
#include "ledger/trust/authority.h"
#include "protocol/core/clock.h"

namespace hreg::cli::nodecmd {

using tlog::Json;

// MAX_FILE_BYTES bounds a bundle or trust root file read from disk, as NodeClient bounds an answer.
inline constexpr std::size_t MAX_FILE_BYTES = std::size_t{64} << 20;

// Options holds every flag of the node commands; each command uses its own few.
struct Options {
  std::string node, trust, at, id, file, out, png, origin, region, quarter, year;
  std::string plaque;  // hreg status --plaque: look the subject up by its plaque number
  bool json = false;
};
using OptionsPtr = std::shared_ptr<Options>;

// beijing writes a time as the date and minute in China Standard Time: "2026-01-01 08:05".
[[nodiscard]] std::string beijing(Timestamp t);
// age writes a duration for people: "42 s", "3 min", "5 h", "12 days".
[[nodiscard]] std::string age(Timestamp seconds);
[[nodiscard]] std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ");
// urlEncoded percent-encodes a query value, keeping '/' (origins) as the API reads it as is.
[[nodiscard]] std::string urlEncoded(std::string_view value);
// refusedAs prints a refusal whose reason is a name from the node (or this tool) and returns EXIT_REFUSED.
int refusedAs(std::string_view reason, std::string_view detail, bool json);
// unreachable reports a node that did not answer and returns EXIT_UNREACHABLE; `then` adds what
// happened to the user's input.
int unreachable(const Unreachable& e, bool json, std::string_view then = {});
// nodeCommand is runCommand for a command that asks a node: Unreachable becomes EXIT_UNREACHABLE.
[[nodiscard]] std::function<void()> nodeCommand(OptionsPtr o, std::function<int()> body);
// parsedBody is a 200 answer's JSON. An answer that is not JSON is a Fault: not an hreg node, or a broken one.
[[nodiscard]] Json parsedBody(const NodeClient& client, const HttpReply& reply, std::string_view target);
// nodeError reports an error answer ({"error": {"reason", "detail"}}) and returns its exit code:
// 400 is a usage error, 404, 409, 413 and 422 are refusals, anything else a fault of the node.
int nodeError(const NodeClient& client, const HttpReply& reply, std::string_view target, bool json);
// askNode GETs `target` and, on 200, gives its JSON; otherwise reports the error and gives its exit code.
[[nodiscard]] std::variant<Json, int> askNode(const NodeClient& client, const std::string& target, bool json);
// asOfFrom reads --at: UTC seconds, a date (the end of that day in Beijing) or a Beijing date and
// time "2026-03-31T09:30[:00]"; empty is now, by this machine's clock. The lookups' only clock.
[[nodiscard]] Timestamp asOfFrom(const std::string& at);
// loadTrust reads the federation's trust root from --trust (or HREG_TRUST).
[[nodiscard]] trust::TrustAnchor loadTrust(const std::string& path);
void addTrustOption(CLI::App& command, Options& o);
void addAtOption(CLI::App& command, Options& o);
// nodeSubcommand adds a subcommand with --node, --json and its --help example.
CLI::App* nodeSubcommand(CLI::App& parent, const std::string& name, const std::string& what, Options& o,
                         std::string_view example);

// addRegisterCommands registers officials, overdue, report quarterly and yearly, policy show and peers (register.cpp).
void addRegisterCommands(CLI::App& app);
// addDraftsCommand registers drafts: the records time alone made due, as decision files (consequence-drafts.cpp).
void addDraftsCommand(CLI::App& app);
// addDrawCommand registers draw: a panel draw or a recusal's replacement drafted by the node (panel-draw.cpp).
void addDrawCommand(CLI::App& app);

}  // namespace hreg::cli::nodecmd
