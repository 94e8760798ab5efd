// `hreg tlog verify-store`: an auditor's whole-log check of a node's store (ledger/log/audit.h), run
// offline on a copy or beside the running node: the store is opened read-only and read in one snapshot.
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "admin-cli/tlog.h"
#include "ledger/log/audit.h"
#include "ledger/store/store.h"

namespace hreg::cli::tlog {
namespace {

// MAX_THREADS bounds --threads: verification is CPU-bound, and more threads than cores only add overhead.
constexpr unsigned MAX_THREADS = 1024;

struct VerifyStoreOptions {
  std::string directory, origin, key;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool json = false;
};

// checkStoreDirectory turns the common mistakes (a wrong path) into usage errors before LMDB sees them.
void checkStoreDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw UsageError(fmt::format("{}: no such directory; pass the directory of a node's store", dir.string()));
  if (!std::filesystem::exists(dir / "data.mdb", ec))
    throw UsageError(fmt::format("{}: not an hreg store (it holds no data.mdb); pass the directory of a node's "
                                 "store", dir.string()));
}

std::string knownOrigins(const store::Snapshot& snapshot) {
  std::string out;
  for (const std::string& origin : snapshot.origins()) out += (out.empty() ? "" : ", ") + origin;
  return out.empty() ? "none" : out;
}

void printReport(const log::AuditReport& report, std::string_view origin, bool json) {
  if (json) {
    printJson({{"origin", origin}, {"entries", report.entries}, {"signatures", report.signatures},
               {"checkpoint", checkpointJson(report.checkpoint)}});
    return;
  }
  fmt::print("verified    the log {} in the store\n", origin);
  fmt::print("entries     {}\n", report.entries);
  fmt::print("signatures  {}\n", report.signatures);
  fmt::print("checkpoint  (the newest signed one)\n");
  printCheckpoint(report.checkpoint);
}

int verifyStore(const VerifyStoreOptions& o) {
  note::VerifierKey key = parseVerifierKey(o.key, "--key");
  checkStoreDirectory(o.directory);
  store::Store store({.directory = o.directory, .readOnly = true});
  store::Snapshot snapshot = store.snapshot();
  auto state = snapshot.log(o.origin);
  if (!state)
    fmt::print(stderr, "hreg: the store holds these logs: {}\n", knownOrigins(snapshot));
  else
    fmt::print(stderr, "hreg: verifying {} entries of {} on {} thread(s)...\n", state->size, o.origin, o.threads);
  auto started = std::chrono::steady_clock::now();
  // Progress on stderr: redrawn in place on a terminal, one line per tenth of the log otherwise.
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  std::uint64_t lastTenth = 0;
  auto progress = [&](std::uint64_t done, std::uint64_t total) {
    if (total < 2 * log::PROGRESS_STEP) return;  // quick enough not to need it
    std::uint64_t tenth = done * 10 / total;
    if (terminal) {
      fmt::print(stderr, "\rhreg: signatures checked for {} of {} entries ({}%)", done, total, done * 100 / total);
      if (done == total) fmt::print(stderr, "; checking the tree...\n");
    } else if (tenth > lastTenth) {
      lastTenth = tenth;
      fmt::print(stderr, "hreg: signatures checked for {} of {} entries ({}%)\n", done, total, done * 100 / total);
    }
  };
  auto report = log::verifyLog(snapshot, o.origin, key, o.threads, progress);
  if (!report) return refused(report.error(), o.json, o.directory);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  fmt::print(stderr, "hreg: done in {:.2f} s\n", took.count());
  printReport(report.value(), o.origin, o.json);
  return EXIT_OK;
}

void addVerifyStore(CLI::App& tlog) {
  auto o = std::make_shared<VerifyStoreOptions>();
  auto* cmd = tlog.add_subcommand("verify-store", "verify a whole log in an hreg store: every entry, signature "
                                                  "and stored hash, and the newest signed checkpoint");
  cmd->add_option("DIR", o->directory, "the store directory (opened read-only)")->required();
  cmd->add_option("--origin", o->origin, "the log to verify, e.g. hreg.example/140902")->required();
  cmd->add_option("--key", o->key, "the log's checkpoint verifier key string")->required();
  cmd->add_option("--threads", o->threads, "threads that check signatures (default: one per core)")
      ->check(CLI::Range(1u, MAX_THREADS));
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog verify-store /var/lib/hreg/store --origin hreg.example/140902 --key \"$(cat "
                    "log.vkey)\"");
  cmd->callback(runCommand([o] { return verifyStore(*o); }));
}

}  // namespace

void addStoreCommands(CLI::App& tlog) { addVerifyStore(tlog); }

}  // namespace hreg::cli::tlog
