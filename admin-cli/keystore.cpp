// `hreg keygen`, `hreg key show`: officials' keystores. (Being written; see admin-cli/commands.h.)
#include "admin-cli/commands.h"

namespace hreg::cli {
void addKeyCommands(CLI::App&) {}
}  // namespace hreg::cli
