#pragma once
// `hreg tlog`: the auditor's offline tools over RFC 9162 trees and C2SP signed notes, checkpoints and
// cosignatures. Each file registers one group of subcommands on the `tlog` command; docs/tlog.md shows
// every command with real output, the file formats and the exit codes.
#include <CLI/CLI.hpp>

namespace hreg::cli::tlog {

// addTreeCommands registers root, inclusion-proof, verify-inclusion, consistency-proof and
// verify-consistency (admin-cli/tlog-tree.cpp).
void addTreeCommands(CLI::App& tlog);
// addKeyCommands registers `key generate` and `key verifier` (admin-cli/tlog-key.cpp).
void addKeyCommands(CLI::App& tlog);
// addNoteCommands registers sign, verify and cosign (admin-cli/tlog-note.cpp).
void addNoteCommands(CLI::App& tlog);
// addStoreCommands registers verify-store (admin-cli/tlog-store.cpp).
void addStoreCommands(CLI::App& tlog);

}  // namespace hreg::cli::tlog
