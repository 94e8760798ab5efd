// `hreg tlog`: the auditor's offline toolset. Registers the subcommand groups of admin-cli/tlog-*.cpp.
#include "admin-cli/tlog.h"

#include "admin-cli/commands.h"

namespace hreg::cli {

void addTlogCommands(CLI::App& app) {
  auto* tlog = app.add_subcommand("tlog", "offline tools for transparency logs: tree heads and proofs (RFC 9162), "
                                          "signed notes, checkpoints and cosignatures (C2SP), whole-log audits");
  tlog->require_subcommand(1);
  tlog->footer("Example: hreg tlog root leaves.txt   (each subcommand has --help; see docs/tlog.md)");
  tlog::addTreeCommands(*tlog);
  tlog::addKeyCommands(*tlog);
  tlog::addNoteCommands(*tlog);
  tlog::addStoreCommands(*tlog);
}

}  // namespace hreg::cli
