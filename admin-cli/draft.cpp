// `hreg draft`, `hreg show`, `hreg sign`: decision files. (Being written; see admin-cli/commands.h.)
#include "admin-cli/commands.h"

namespace hreg::cli {
void addDecisionCommands(CLI::App&) {}
}  // namespace hreg::cli
