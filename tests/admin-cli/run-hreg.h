#pragma once
// Runs the real `hreg` binary (HREG_CLI, set by tests/admin-cli/CMakeLists.txt) as a user would: a
// subprocess in a temporary directory, with its exit code, stdout and stderr captured. Also reads the
// repository's test vectors.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/temp-dir.h"

extern char** environ;

namespace hreg::testing {

struct CliResult {
  int exitCode = -1;
  std::string out, err;
  // json parses stdout as one JSON object (a test failure if it is not).
  nlohmann::json json() const {
    auto j = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON: " << out;
    return j;
  }
};

inline std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void writeText(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Cli runs hreg with its working directory's files in a fresh TempDir.
class Cli {
 public:
  const TempDir& dir() const { return dir_; }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }
  // file writes `text` to a file in the temp dir and returns its path.
  std::string file(const std::string& name, std::string_view text) const {
    writeText(path(name), text);
    return path(name).string();
  }

  // setEnv sets (or, with std::nullopt, removes) an environment variable of the runs that follow; the
  // rest of their environment is the test's.
  void setEnv(const std::string& name, std::optional<std::string> value) { env_[name] = std::move(value); }
  // detachTerminal starts the runs that follow in a new session, without a controlling terminal, as
  // under CI: a command that would ask on /dev/tty must then fail instead of waiting for an answer.
  void detachTerminal() { detached_ = true; }

  // run starts `hreg args...` with `input` on stdin and waits for it.
  CliResult run(const std::vector<std::string>& args, std::string_view input = {}) const {
    writeText(path(".stdin"), input);
    std::vector<std::string> argv{HREG_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, path(".stdin").c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, path(".stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, path(".stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    if (detached_) posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    std::vector<std::string> env = environment();
    std::vector<char*> cenv;
    for (std::string& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    pid_t pid;
    CliResult r;
    int rc = posix_spawn(&pid, HREG_CLI, &actions, &attributes, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
      ADD_FAILURE() << "cannot start " << HREG_CLI;
      return r;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readText(path(".stdout"));
    r.err = readText(path(".stderr"));
    return r;
  }

 private:
  // environment is the test's environment with setEnv's changes.
  std::vector<std::string> environment() const {
    std::vector<std::string> out;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry(*e);
      if (!env_.contains(entry.substr(0, entry.find('=')))) out.push_back(entry);
    }
    for (const auto& [name, value] : env_)
      if (value) out.push_back(name + "=" + *value);
    return out;
  }

  TempDir dir_;
  std::map<std::string, std::optional<std::string>> env_;
  bool detached_ = false;
};

// vector is the content of a file in tests/vectors.
inline std::string vector(const std::string& name) { return readText(std::filesystem::path(HREG_VECTORS_DIR) / name); }

inline std::string vectorPath(const std::string& name) {
  return (std::filesystem::path(HREG_VECTORS_DIR) / name).string();
}

// dataLines are the lines of a vectors file that are not empty and not '#' comments.
inline std::vector<std::string> dataLines(const std::string& name) {
  std::vector<std::string> lines;
  std::istringstream in(vector(name));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

// words splits a line at spaces.
inline std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// keyVector is c2sp-keys.txt as label -> field -> value.
inline std::map<std::string, std::map<std::string, std::string>> keyVectors() {
  std::map<std::string, std::map<std::string, std::string>> keys;
  for (const std::string& line : dataLines("c2sp-keys.txt")) {
    auto w = words(line);
    if (w.size() == 3) keys[w[0]][w[1]] = w[2];
  }
  return keys;
}

// rfc6962Leaves is tests/vectors/rfc6962-leaves.txt in the CLI's leaves format: one hex leaf per
// line, an empty line for the empty leaf (the vectors file writes it as '-').
inline std::vector<std::string> rfc6962Leaves() {
  std::vector<std::string> leaves;
  for (const std::string& line : dataLines("rfc6962-leaves.txt")) leaves.push_back(line == "-" ? "" : line);
  return leaves;
}

inline std::string leavesFile(const std::vector<std::string>& leaves, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += leaves[i] + "\n";
  return out;
}

}  // namespace hreg::testing
