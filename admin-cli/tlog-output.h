#pragma once
// Output and exit codes of `hreg tlog` subcommands. Each subcommand prints human-readable text, or with
// --json one JSON object on stdout whose "ok" field says whether the command succeeded. A refusal prints
// `hreg: refused (<reason>): <detail>` on stderr and exits EXIT_REFUSED; a UsageError prints
// `hreg: <message>` and exits EXIT_USAGE; a Fault goes on to main(), which exits EXIT_FAULT.
#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "ledger/merkle/hash.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/key.h"
#include "protocol/core/result.h"

namespace hreg::cli::tlog {

using Json = nlohmann::ordered_json;  // fields print in the order they are documented

// runCommand makes a subcommand's CLI11 callback from its body, which returns an exit code.
// A UsageError thrown by the body is printed and becomes EXIT_USAGE. A non-zero code is thrown as
// CLI::RuntimeError, which main() returns as the process's exit code.
[[nodiscard]] std::function<void()> runCommand(std::function<int()> body);

// addJsonFlag adds --json to a subcommand.
void addJsonFlag(CLI::App& command, bool& json);

// withExample sets the --help footer of a subcommand to a one-line example.
void withExample(CLI::App& command, std::string_view example);

// refused prints a refusal (and with --json, {"ok": false, "reason", "detail"} on stdout) and returns
// EXIT_REFUSED. `context` (e.g. the file name) prefixes the detail when not empty.
[[nodiscard]] int refused(const Refusal& refusal, bool json, std::string_view context = {});

// writeNewSecretFile creates `path` with mode 0600 (whatever the umask) and writes `content`, as key files
// are written. Refuses (UsageError) to overwrite anything: the file is opened with O_EXCL, so a key is
// never lost to a second run. A failing disk is a Fault, and the partial file is removed.
void writeNewSecretFile(const std::string& path, std::string_view content);

// writeFileAtomically writes `content` (mode 0644) to a temporary file beside `path`, synced, and then
// moves it into place, so that a crash leaves the old file or the new one, never half of one. With
// `replace` false an existing `path` is refused (UsageError) and never replaced, even by a race. A file
// that cannot be created is a UsageError; a failing write a Fault (the temporary file is removed).
void writeFileAtomically(const std::string& path, std::string_view content, bool replace = true);

// printJson prints one JSON object with "ok": true prepended.
void printJson(Json object);

// hex is the lowercase hex of a hash.
[[nodiscard]] std::string hex(const merkle::Hash& hash);

// keyTypeName is "ed25519" or "cosignature/v1".
[[nodiscard]] std::string_view keyTypeName(note::KeyType type);

// keyHashHex is the 8 hex digits of a key hash, as key strings spell it.
[[nodiscard]] std::string keyHashHex(note::KeyHash hash);

// checkpointJson is {"origin", "treeSize", "root" (hex), "rootBase64", "extensions"}.
[[nodiscard]] Json checkpointJson(const note::Checkpoint& checkpoint);

// printCheckpoint prints a checkpoint's origin, size and root, one per line.
void printCheckpoint(const note::Checkpoint& checkpoint);

}  // namespace hreg::cli::tlog
