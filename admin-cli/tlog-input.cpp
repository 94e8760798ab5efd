#include "admin-cli/tlog-input.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "protocol/limits.h"

namespace hreg::cli::tlog {
namespace {

// MAX_QUOTE bounds how much of a bad value a message repeats: enough to recognise it, not a whole file.
constexpr std::size_t MAX_QUOTE = 24;
// A key file holds one line of about 100 characters.
constexpr std::size_t MAX_KEY_FILE_BYTES = 4096;
// A proof file holds at most limits::MAX_PROOF_HASHES lines of 64 hex digits; this leaves room for
// blank lines and '\r' and still bounds the read.
constexpr std::size_t MAX_PROOF_FILE_BYTES = 64 * 1024;

// quote repeats a bad value in a message, shortened.
std::string quote(std::string_view text) {
  if (text.size() <= MAX_QUOTE) return fmt::format("'{}'", text);
  return fmt::format("'{}...' ({} characters)", text.substr(0, MAX_QUOTE), text.size());
}

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// readAtMost reads up to maxBytes from `in`.
std::string readAtMost(std::FILE* in, std::size_t maxBytes) {
  std::string out;
  char buffer[1 << 16];
  while (out.size() < maxBytes) {
    std::size_t n = std::fread(buffer, 1, std::min(sizeof buffer, maxBytes - out.size()), in);
    if (n == 0) break;
    out.append(buffer, n);
  }
  return out;
}

// checkBounded refuses (as a usage error) a file longer than `limit`.
void checkBounded(const std::string& path, const std::string& content, std::size_t limit, std::string_view what) {
  if (content.size() > limit)
    throw UsageError(fmt::format("{}: longer than {} bytes; this is not a {}", displayName(path), limit,
                                 what));
}

// lineName is "file:line" (1-based) for messages; stdin is called "stdin".
std::string lineName(const std::string& path, std::size_t index) {
  return fmt::format("{}:{}", displayName(path), index + 1);
}

// trimKeyText drops the final newline (and spaces) a key file usually ends with.
std::string_view trimKeyText(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

void warnIfOthersCanRead(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    fmt::print(stderr, "hreg: warning: {} holds a private key but others may read it; run `chmod 600 {}`\n", path,
               path);
}

}  // namespace

std::string displayName(const std::string& path) { return path == STDIN ? std::string("stdin") : path; }

std::string readInput(const std::string& path, std::size_t maxBytes) {
  if (path == STDIN) {
    std::string content = readAtMost(stdin, maxBytes);
    if (std::ferror(stdin)) throw UsageError(fmt::format("cannot read standard input: {}", std::strerror(errno)));
    return content;
  }
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status))
    throw UsageError(fmt::format("{}: no such file; check the path", path));
  if (std::filesystem::is_directory(status))
    throw UsageError(fmt::format("{}: is a directory; pass a file", path));
  std::unique_ptr<std::FILE, CloseFile> in(std::fopen(path.c_str(), "rb"));
  if (!in) throw UsageError(fmt::format("{}: cannot be read ({}); check its permissions", path, std::strerror(errno)));
  std::string content = readAtMost(in.get(), maxBytes);
  if (std::ferror(in.get())) throw UsageError(fmt::format("{}: reading failed ({})", path, std::strerror(errno)));
  return content;
}

std::string readNote(const std::string& path) { return readInput(path, limits::MAX_NOTE_BYTES + 1); }

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (end != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

Bytes parseHex(std::string_view text, std::string_view where) {
  auto bytes = fromHex(text);
  if (!bytes) {
    auto bad = std::find_if(text.begin(), text.end(), [](char c) { return !std::isxdigit(static_cast<unsigned char>(c)); });
    std::string why = bad != text.end() ? fmt::format("holds {}", quote(std::string_view(&*bad, 1)))
                                        : std::string("has an odd number of digits");
    throw UsageError(fmt::format("{}: {} is not hex: it {}; write bytes as pairs of hex digits", where, quote(text),
                                 why));
  }
  return std::move(*bytes);
}

merkle::Hash parseHash(std::string_view text, std::string_view where) {
  constexpr std::size_t BASE64_LENGTH = (merkle::HASH_BYTES + 2) / 3 * 4;
  std::optional<Bytes> bytes;
  if (text.size() == BASE64_LENGTH && text.ends_with('=')) {
    bytes = fromBase64(text);
    if (!bytes) throw UsageError(fmt::format("{}: {} is not base64 of a hash", where, quote(text)));
  } else {
    bytes = parseHex(text, where);
  }
  if (bytes->size() != merkle::HASH_BYTES)
    throw UsageError(fmt::format("{}: a SHA-256 hash is {} bytes ({} hex digits); {} is {} bytes", where,
                                 merkle::HASH_BYTES, 2 * merkle::HASH_BYTES, quote(text), bytes->size()));
  merkle::Hash hash;
  std::copy(bytes->begin(), bytes->end(), hash.begin());
  return hash;
}

std::vector<Bytes> readLeaves(const std::string& path) {
  std::string content = readInput(path);
  auto lines = splitLines(content);
  std::vector<Bytes> leaves;
  leaves.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) leaves.push_back(parseHex(lines[i], lineName(path, i)));
  return leaves;
}

std::vector<merkle::Hash> readProof(const std::string& path) {
  std::string content = readInput(path, MAX_PROOF_FILE_BYTES + 1);
  checkBounded(path, content, MAX_PROOF_FILE_BYTES, "proof file");
  auto lines = splitLines(content);
  std::vector<merkle::Hash> proof;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!lines[i].empty()) proof.push_back(parseHash(lines[i], lineName(path, i)));
  return proof;
}

note::SignerKey readSignerKey(const std::string& path) {
  std::string content = readInput(path, MAX_KEY_FILE_BYTES + 1);
  checkBounded(path, content, MAX_KEY_FILE_BYTES, "key file");
  auto key = note::SignerKey::parse(trimKeyText(content));
  if (!key)
    throw UsageError(fmt::format("{}: not a signer key: {}; make one with `hreg tlog key generate`", path,
                                 key.error().detail));
  if (path != STDIN) warnIfOthersCanRead(path);
  return std::move(key).value();
}

note::VerifierKey parseVerifierKey(std::string_view text, std::string_view flag) {
  auto key = note::parseVerifierKey(text);
  if (key) return std::move(key).value();
  std::error_code ec;
  if (!text.empty() && std::filesystem::is_regular_file(std::string(text), ec))
    throw UsageError(fmt::format("{} takes the verifier key string, not a file: pass {} \"$(cat {})\"", flag, flag,
                                 text));
  throw UsageError(fmt::format("{} {}: not a verifier key: {}; a verifier key looks like name+1a2b3c4d+AZ8...", flag,
                               quote(text), key.error().detail));
}

CLI::Validator unsignedNumber() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        return digits ? std::string() : "must be a decimal number of 0 or more";
      },
      "UINT");
}

}  // namespace hreg::cli::tlog
