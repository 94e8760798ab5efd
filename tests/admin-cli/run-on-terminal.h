#pragma once
// Runs the real `hreg` binary (HREG_CLI) on a new pseudo-terminal, as an official at a desk would, with
// no passphrase in its environment, answering each prompt when it shows: for the commands that ask on
// /dev/tty (passphrases without echo, the y/N before signing).
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hreg::testing {

struct TerminalRun {
  int exitCode = -1;
  std::string screen;  // everything hreg showed on the terminal, including what it echoed
};

// readUntil reads the terminal into `screen` until `text` shows (true), or the program ends or 20 s pass.
inline bool readUntil(int terminal, std::string& screen, std::string_view text) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (screen.find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd p{terminal, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[512];
    ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) return false;  // EIO: the program ended
    screen.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// runOnTerminal runs hreg with `args`, writing each answer (and a newline) once its prompt shows.
inline TerminalRun runOnTerminal(const std::vector<std::string>& args,
                                 const std::vector<std::pair<std::string, std::string>>& answers) {
  std::vector<std::string> argv{HREG_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  int terminal = -1;
  pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    ::unsetenv("HREG_PASSPHRASE");
    ::execv(HREG_CLI, cargv.data());
    ::_exit(127);
  }
  TerminalRun run;
  if (pid < 0) {
    ADD_FAILURE() << "forkpty: " << std::strerror(errno);
    return run;
  }
  for (const auto& [prompt, answer] : answers) {
    if (!readUntil(terminal, run.screen, prompt)) {
      ADD_FAILURE() << "no prompt '" << prompt << "' on the terminal: " << run.screen;
      break;
    }
    std::string line = answer + "\n";
    EXPECT_EQ(::write(terminal, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  }
  readUntil(terminal, run.screen, "\x01never shown");  // to the end
  ::close(terminal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace hreg::testing
