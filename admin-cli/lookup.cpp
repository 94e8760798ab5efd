// Commands that talk to a node. (Being written; see admin-cli/commands.h.)
#include "admin-cli/commands.h"

namespace hreg::cli {
void addNodeCommands(CLI::App&) {}
}  // namespace hreg::cli
