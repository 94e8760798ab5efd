// `hreg demo`: the demo federation as real nodes. (Being written; see admin-cli/commands.h.)
#include "admin-cli/commands.h"

namespace hreg::cli {
void addNetworkDemoCommand(CLI::App&) {}
}  // namespace hreg::cli
