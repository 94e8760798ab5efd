// The store after SIGKILL at random moments of appending: it opens, verifies end to end, holds
// every batch reported committed, and never part of a batch.
#include "ledger/store/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <cstring>

#include "ledger/log/audit.h"
#include "tests/ledger/store/crash-keys.h"
#include "tests/support/temp-dir.h"

namespace hreg {
namespace {

struct Writer {
  pid_t pid;
  FILE* out;
};

Writer startWriter(const std::filesystem::path& dir) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(HREG_CRASH_WRITER, HREG_CRASH_WRITER, dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  return {pid, fdopen(fds[0], "r")};
}

TEST(StoreCrash, KilledWriterLeavesACommittedVerifiablePrefix) {
  testing::TempDir dir;
  std::mt19937_64 random(std::random_device{}());
  const auto key = testing::crashCheckpointKey().verifier();
  std::uint64_t committed = 0;
  for (int trial = 0; trial < 40; ++trial) {
    Writer w = startWriter(dir.path());
    int batchesBeforeKill = std::uniform_int_distribution<int>(1, 12)(random);
    char line[128];
    int begins = 0;
    while (std::fgets(line, sizeof line, w.out) != nullptr) {
      unsigned long long n = 0;
      if (std::sscanf(line, "committed %llu", &n) == 1) committed = n;
      if (std::strncmp(line, "begin", 5) == 0 && ++begins == batchesBeforeKill) break;
    }
    // Kill at a random instant inside the batch: busy-wait a random 0-3 ms, then SIGKILL.
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(random));
    while (std::chrono::steady_clock::now() < until) {
    }
    kill(w.pid, SIGKILL);
    int status = 0;
    waitpid(w.pid, &status, 0);
    std::fclose(w.out);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended on its own; status " << status;

    store::Store store({dir.path()});
    auto snapshot = store.snapshot();
    auto state = snapshot.log(testing::CRASH_ORIGIN);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->size % testing::CRASH_BATCH, 0u) << "part of a batch is visible";
    EXPECT_GE(state->size, committed) << "a batch reported committed is lost";
    auto report = log::verifyLog(snapshot, testing::CRASH_ORIGIN, key, 2);
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(report.value().checkpoint.size, state->size);
    committed = state->size;
  }
  EXPECT_GT(committed, 0u);
}

// A reader in another process than the writer sees only committed states: whole batches, with the
// checkpoint that covers them, and a log that verifies end to end.
TEST(StoreCrash, AReaderInAnotherProcessSeesOnlyCommittedStates) {
  testing::TempDir dir;
  Writer w = startWriter(dir.path());
  char line[128];
  while (std::fgets(line, sizeof line, w.out) != nullptr && std::strncmp(line, "committed", 9) != 0) {
  }
  const auto key = testing::crashCheckpointKey().verifier();
  store::Store store({dir.path()});
  std::uint64_t last = 0, distinct = 0;
  for (int i = 0; i < 200 && distinct < 20; ++i) {
    auto snapshot = store.snapshot();
    auto state = snapshot.log(testing::CRASH_ORIGIN);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->size % testing::CRASH_BATCH, 0u);
    EXPECT_EQ(state->checkpointSize, state->size);
    EXPECT_GE(state->size, last);
    auto report = log::verifyLog(snapshot, testing::CRASH_ORIGIN, key, 1);
    ASSERT_TRUE(report) << report.error().detail;
    distinct += state->size != last;
    last = state->size;
  }
  kill(w.pid, SIGKILL);
  waitpid(w.pid, nullptr, 0);
  std::fclose(w.out);
  EXPECT_GT(distinct, 1u) << "the reader never saw the writer make progress";
}

}  // namespace
}  // namespace hreg
