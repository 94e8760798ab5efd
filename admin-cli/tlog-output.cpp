#include "admin-cli/tlog-output.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"

namespace hreg::cli::tlog {
namespace {

// writeAll writes all of `content` to `fd`, going on after a short or interrupted write, and syncs it
// to the disk. It answers 0, or the errno of the first failure (EIO for a write that wrote nothing).
int writeAll(int fd, std::string_view content) {
  for (std::size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    done += static_cast<std::size_t>(n);
  }
  return ::fsync(fd) == 0 ? 0 : errno;
}

}  // namespace

std::function<void()> runCommand(std::function<int()> body) {
  return [body = std::move(body)] {
    int code = EXIT_OK;
    try {
      code = body();
    } catch (const UsageError& e) {
      fmt::print(stderr, "hreg: {}\n", e.what());
      code = EXIT_USAGE;
    }
    if (code != EXIT_OK) throw CLI::RuntimeError(code);  // main() returns it as the exit code
  };
}

void addJsonFlag(CLI::App& command, bool& json) {
  command.add_flag("--json", json, "print one JSON object instead of text (field names are stable)");
}

void withExample(CLI::App& command, std::string_view example) {
  command.footer(fmt::format("Example: {}", example));
}

int refused(const Refusal& refusal, bool json, std::string_view context) {
  std::string detail = context.empty() ? refusal.detail : fmt::format("{}: {}", context, refusal.detail);
  std::string_view reason = reasonName(refusal.reason);
  fmt::print(stderr, "hreg: refused ({}): {}\n", reason, detail);
  if (json) fmt::print("{}\n", Json{{"ok", false}, {"reason", reason}, {"detail", detail}}.dump(2));
  return EXIT_REFUSED;
}

void writeNewSecretFile(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST)
    throw UsageError(fmt::format("{} already exists; hreg never overwrites a key file: choose another --out", path));
  if (fd < 0) throw UsageError(fmt::format("cannot create {}: {}; check the directory", path, std::strerror(errno)));
  int error = ::fchmod(fd, 0600) == 0 ? 0 : errno;  // exactly 0600, whatever the umask
  if (error == 0) error = writeAll(fd, content);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(path.c_str());
    fail(fmt::format("writing {} failed: {}", path, std::strerror(error)));
  }
}

void printJson(Json object) {
  Json out = {{"ok", true}};
  for (auto& [key, value] : object.items()) out[key] = std::move(value);
  fmt::print("{}\n", out.dump(2));
}

std::string hex(const merkle::Hash& hash) { return toHex(hash); }

std::string_view keyTypeName(note::KeyType type) {
  return type == note::KeyType::COSIGNATURE_V1 ? "cosignature/v1" : "ed25519";
}

std::string keyHashHex(note::KeyHash hash) { return fmt::format("{:08x}", hash); }

Json checkpointJson(const note::Checkpoint& checkpoint) {
  return Json{{"origin", checkpoint.origin},
              {"treeSize", checkpoint.size},
              {"root", hex(checkpoint.root)},
              {"rootBase64", toBase64(checkpoint.root)},
              {"extensions", checkpoint.extensions}};
}

void printCheckpoint(const note::Checkpoint& checkpoint) {
  fmt::print("origin      {}\n", checkpoint.origin);
  fmt::print("tree size   {}\n", checkpoint.size);
  fmt::print("root        {}\n", hex(checkpoint.root));
  fmt::print("root base64 {}\n", toBase64(checkpoint.root));
  for (const std::string& extension : checkpoint.extensions) fmt::print("extension   {}\n", extension);
}

void writeFileAtomically(const std::string& path, std::string_view content, bool replace) {
  std::string temporary = fmt::format("{}.tmp-{}", path, ::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw UsageError(fmt::format("cannot create {}: {}; check the directory", path, std::strerror(errno)));
  int error = writeAll(fd, content);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    fail(fmt::format("writing {} failed: {}", path, std::strerror(error)));
  }
  // link() refuses an existing name: a file another run wrote meanwhile is never replaced.
  if ((replace ? ::rename(temporary.c_str(), path.c_str()) : ::link(temporary.c_str(), path.c_str())) != 0) {
    error = errno;
    ::unlink(temporary.c_str());
    if (error == EEXIST) throw UsageError(fmt::format("{} exists; choose another name, or remove it first", path));
    throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(error)));
  }
  if (!replace) ::unlink(temporary.c_str());
}

}  // namespace hreg::cli::tlog
