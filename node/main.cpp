// hreg-node: one office's node of the federated registry. `hreg-node --config FILE`; see
// docs/operations.md. Exit codes: 0 after a clean shutdown (SIGTERM, SIGINT), 2 for a bad config or
// command line, 3 when the node cannot start or fails while running.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "node/file-clock.h"
#include "node/node.h"

namespace {

constexpr int EXIT_OK = 0;
constexpr int EXIT_USAGE = 2;
constexpr int EXIT_FAULT = 3;

std::shared_ptr<spdlog::logger> makeLogger(const hreg::node::NodeConfig& config) {
  auto logger = std::make_shared<spdlog::logger>(config.origin, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  // One line per event: UTC time, level, the node's origin, then the event and its key=value fields.
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %n %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(config.logLevel));
  logger->flush_on(spdlog::level::info);
  return logger;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hreg-node: one office's node of the federated heritage registry"};
  std::string configFile;
  app.add_option("--config", configFile, "the node's config file (TOML); see configs/demo/nodes/ and "
                                         "docs/operations.md")
      ->required();
  bool recover = false;
  app.add_flag("--recover", recover, "after restoring the store from a backup: take back from the parent any "
                                     "entries of this node's own log the backup lacks before appending again");
  app.footer("Example: hreg-node --config configs/demo/nodes/140902.toml");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? EXIT_OK : EXIT_USAGE;
  }
  auto config = hreg::node::loadConfig(configFile);
  if (!config) {
    fmt::print(stderr, "hreg-node: {}\n", config.error().detail);
    return EXIT_USAGE;
  }
  config.value().recover = recover;
  auto log = makeLogger(config.value());
  std::unique_ptr<hreg::Clock> clock;
  if (config.value().clockStart) {
    clock = std::make_unique<hreg::StartedClock>(*config.value().clockStart);
    log->warn("clock-simulated start={} (config clock.start: for tests and the demo only)",
              hreg::formatUtc(*config.value().clockStart));
  } else if (!config.value().clockFile.empty()) {
    auto fileClock = hreg::node::FileClock::open(config.value().clockFile);
    if (!fileClock) {
      fmt::print(stderr, "hreg-node: {}: {}\n", config.value().file.string(), fileClock.error().detail);
      return EXIT_USAGE;
    }
    clock = std::move(fileClock).value();
    log->warn("clock-simulated file={} now={} (config clock.file: for tests and the demo only)",
              config.value().clockFile.string(), hreg::formatUtc(clock->now()));
  } else {
    clock = std::make_unique<hreg::SystemClock>();
  }
  try {
    boost::asio::io_context io;
    hreg::node::Node node(io, config.value(), *clock, log);
    node.start();
    boost::asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      log->info("signal-received signal={}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      node.stop();
      io.stop();  // every commit is synchronous: nothing is half written between handlers
    });
    io.run();
    log->info("node-stopped");
    return EXIT_OK;
  } catch (const hreg::Fault& fault) {
    log->critical("node-failed detail=\"{}\"", fault.what());
    fmt::print(stderr, "hreg-node: {}\n", fault.what());
    return EXIT_FAULT;
  } catch (const std::exception& e) {
    log->critical("node-failed detail=\"{}\"", e.what());
    fmt::print(stderr, "hreg-node: {}\n", e.what());
    return EXIT_FAULT;
  }
}
