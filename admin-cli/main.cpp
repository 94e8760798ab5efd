// hreg: the officials' and auditors' tool. main() builds the parts; each subcommand lives in its own file.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "admin-cli/commands.h"
#include "protocol/core/result.h"

int main(int argc, char** argv) {
  CLI::App app{"hreg: the federated registry of heritage workshops and rural craftsmen"};
  app.require_subcommand(1);
  hreg::cli::addKeyCommands(app);
  hreg::cli::addDecisionCommands(app);
  hreg::cli::addNodeCommands(app);
  hreg::cli::addTlogCommands(app);
  hreg::cli::addNetworkDemoCommand(app);
  hreg::cli::addDemoCommand(app);
  hreg::cli::addDemoFederationCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command's own outcome, already reported
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? hreg::cli::EXIT_OK : hreg::cli::EXIT_USAGE;
  } catch (const hreg::Fault& fault) {
    fmt::print(stderr, "hreg: {}\n", fault.what());
    return hreg::cli::EXIT_FAULT;
  } catch (const std::exception& e) {
    fmt::print(stderr, "hreg: {}\n", e.what());
    return hreg::cli::EXIT_FAULT;
  }
  return hreg::cli::EXIT_OK;
}
