#pragma once
// The subcommands of `hreg`, each registered on the CLI11 app by its own file.
#include <CLI/CLI.hpp>

namespace hreg::cli {

// addTlogCommands registers `hreg tlog ...`: the auditor's offline tools (admin-cli/tlog.cpp).
void addTlogCommands(CLI::App& app);
// addDemoCommand registers `hreg demo-ledger`, the ledger alone in one process (admin-cli/demo.cpp).
void addDemoCommand(CLI::App& app);
// addNetworkDemoCommand registers `hreg demo`: the demo federation as real nodes on loopback, officials
// drafting, co-signing and submitting with the hreg commands, lookups verified across the country
// (admin-cli/demo-network.cpp).
void addNetworkDemoCommand(CLI::App& app);
// addDemoFederationCommand registers `hreg demo-federation` (admin-cli/demo-federation.cpp).
void addDemoFederationCommand(CLI::App& app);

// addKeyCommands registers `hreg keygen` and `hreg key ...`: officials' keystores (admin-cli/keystore.cpp).
void addKeyCommands(CLI::App& app);
// addDecisionCommands registers `hreg draft`, `hreg show` and `hreg sign`: decision files drafted and
// co-signed offline (admin-cli/decision-file.cpp, admin-cli/draft.cpp).
void addDecisionCommands(CLI::App& app);
// addNodeCommands registers the commands that talk to a node: `hreg submit`, `hreg status`,
// `hreg history`, `hreg proof`, `hreg verify`, `hreg peers`, `hreg qr` (admin-cli/lookup.cpp, admin-cli/qr.cpp).
void addNodeCommands(CLI::App& app);

// Exit codes of every hreg command (docs/user-guide.md).
inline constexpr int EXIT_OK = 0;
inline constexpr int EXIT_REFUSED = 1;   // the input was checked and refused (bad proof, bad signature...)
inline constexpr int EXIT_USAGE = 2;     // wrong flags or unreadable input files
inline constexpr int EXIT_FAULT = 3;     // something broke (disk, store); retrying may help
inline constexpr int EXIT_UNREACHABLE = 4;  // the node could not be reached; the input is kept, try again

}  // namespace hreg::cli
