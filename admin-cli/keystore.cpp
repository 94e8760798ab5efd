// Officials' keystores (admin-cli/keystore.h) and `hreg keygen`, `hreg key show`, `hreg key import`.
// The sealing (libsodium's crypto_pwhash and crypto_aead_xchacha20poly1305_ietf) lives here, the only
// code that seals or unseals a secret; signing with the opened key stays in ledger/crypto.
#include "admin-cli/keystore.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "ledger/note/text.h"
#include "protocol/core/bytes.h"

namespace hreg::cli {
namespace {

using tlog::Json;
using tlog::UsageError;

// --- secrets in memory ------------------------------------------------------------------------------

// Wiped holds secret bytes (a derived key, a seed, a line typed at the terminal) and zeroes them when it
// goes out of scope, however that happens.
template <std::size_t N>
struct Wiped {
  std::array<std::uint8_t, N> bytes{};
  Wiped() = default;
  Wiped(const Wiped&) = delete;
  Wiped& operator=(const Wiped&) = delete;
  ~Wiped() { sodium_memzero(bytes.data(), bytes.size()); }
};

// WipedString holds a passphrase, or a file that holds a seed, and zeroes it at the end of its scope.
// (Copies the standard library made while the string grew are beyond reach; the readers below size
// their buffers first so that there are none.)
struct WipedString {
  std::string text;
  WipedString() = default;
  explicit WipedString(std::string t) : text(std::move(t)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { sodium_memzero(text.data(), text.size()); }
};

// --- the key file format (docs/formats.md, "Officials' key files") ------------------------------------

// A key file is five lines and about 400 bytes; anything much longer is another file.
constexpr std::size_t MAX_KEY_FILE_BYTES = 1024;
constexpr std::size_t SALT_BYTES = crypto_pwhash_argon2id_SALTBYTES;                    // 16
constexpr std::size_t NONCE_BYTES = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;      // 24
constexpr std::size_t SEAL_KEY_BYTES = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;    // 32
constexpr std::size_t TAG_BYTES = crypto_aead_xchacha20poly1305_ietf_ABYTES;           // 16
constexpr std::size_t SEALED_BYTES = NONCE_BYTES + crypto::SEED_BYTES + TAG_BYTES;     // 72
static_assert(SEALED_BYTES == 72 && SALT_BYTES == 16 && SEAL_KEY_BYTES == 32);

// The KDF work hreg asks for when it writes a key: libsodium's INTERACTIVE limits (2 passes over 64 MiB,
// about 0.2 s here). An official opens the key for every decision signed, and the demo imports and opens
// dozens of keys on small shared machines; MODERATE (3 passes over 256 MiB, about 0.9 s) would quadruple
// that. The limits are recorded in each file, so a later hreg can write stronger ones and still open these.
constexpr unsigned long long WRITE_OPS = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr std::size_t WRITE_MEM = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
// The most KDF work hreg does to open a file: SENSITIVE's memory (1 GiB) and 16 passes. A file asking
// for more, written by hand or by an attacker, would make hreg hang or exhaust memory; it is refused.
constexpr unsigned long long MAX_OPS = 16;
constexpr std::size_t MAX_MEM = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
constexpr unsigned long long MIN_OPS = crypto_pwhash_argon2id_OPSLIMIT_MIN;
constexpr std::size_t MIN_MEM = crypto_pwhash_argon2id_MEMLIMIT_MIN;

struct Kdf {
  unsigned long long ops = WRITE_OPS;
  std::size_t mem = WRITE_MEM;
  std::array<std::uint8_t, SALT_BYTES> salt{};
};

// ParsedKeyFile is a key file's fields; `header` is its first four lines, the associated data of the seal.
struct ParsedKeyFile {
  KeyFile key;
  Kdf kdf;
  std::array<std::uint8_t, SEALED_BYTES> sealed{};
  std::string header;
};

// headerText is the first four lines of a key file: what it shows, and what the seal binds.
std::string headerText(const KeyFile& key, const Kdf& kdf) {
  return fmt::format("{}\nlabel {}\npublic {}\nkdf argon2id13 ops={} mem={} salt={}\n", KEY_FILE_MAGIC, key.label,
                     toHex(key.publicKey), kdf.ops, kdf.mem, toHex(kdf.salt));
}

// labelProblem says what is wrong with a label, or nothing.
std::optional<std::string> labelProblem(std::string_view label) {
  if (label.empty()) return "the label is empty; name the holder, e.g. \"140902 culture 张三\"";
  if (label.size() > MAX_LABEL_BYTES) return fmt::format("the label is {} bytes; at most {}", label.size(),
                                                         MAX_LABEL_BYTES);
  if (!note::validUtf8(label)) return std::string("the label is not UTF-8");
  if (note::containsControl(label) || label.find('\n') != std::string_view::npos)
    return std::string("the label holds a control character (a newline, a tab); write it on one line");
  return std::nullopt;
}

// fixedHex decodes exactly N bytes of hex, or nothing.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> fixedHex(std::string_view text) {
  auto bytes = fromHex(text);
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<std::uint8_t, N> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// decimal reads a number without sign or leading zeros.
template <class T>
std::optional<T> decimal(std::string_view text) {
  T value{};
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// field is the rest of `line` after "<name> ", or nothing.
std::optional<std::string_view> field(std::string_view line, std::string_view name) {
  if (!line.starts_with(name) || line.substr(name.size(), 1) != " ") return std::nullopt;
  return line.substr(name.size() + 1);
}

Result<Kdf> parseKdf(std::string_view line) {
  auto bad = [] {
    return refuse(Reason::MALFORMED_FILE, "line 4 must read 'kdf argon2id13 ops=N mem=N salt=<32 hex digits>'");
  };
  auto rest = field(line, "kdf");
  if (!rest || !rest->starts_with("argon2id13 ops=")) return bad();
  std::vector<std::string_view> words;
  for (std::string_view r = *rest; !r.empty();) {
    auto space = r.find(' ');
    words.push_back(r.substr(0, space));
    r = space == std::string_view::npos ? std::string_view() : r.substr(space + 1);
  }
  if (words.size() != 4 || !words[2].starts_with("mem=") || !words[3].starts_with("salt=")) return bad();
  auto ops = decimal<unsigned long long>(words[1].substr(4));
  auto mem = decimal<std::size_t>(words[2].substr(4));
  auto salt = fixedHex<SALT_BYTES>(words[3].substr(5));
  if (!ops || !mem || !salt) return bad();
  if (*ops < MIN_OPS || *ops > MAX_OPS || *mem < MIN_MEM || *mem > MAX_MEM)
    return refuse(Reason::MALFORMED_FILE, fmt::format("line 4 asks for ops={} mem={}; hreg opens keys with "
                                                      "ops {}..{} and mem {}..{} bytes only", *ops, *mem, MIN_OPS,
                                                      MAX_OPS, MIN_MEM, MAX_MEM));
  return Kdf{*ops, *mem, *salt};
}

// parseKeyFile reads the five lines of a key file, accepting only the canonical spelling (lowercase hex,
// no leading zeros, '\n' line ends) so that one file has one header. Refuses MALFORMED_FILE naming the line.
Result<ParsedKeyFile> parseKeyFile(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    auto end = rest.find('\n');
    if (end == std::string_view::npos) return refuse(Reason::MALFORMED_FILE, "the last line has no newline");
    lines.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  if (lines.empty() || lines[0] != KEY_FILE_MAGIC) {
    if (!lines.empty() && lines[0].starts_with("hreg-key "))
      return refuse(Reason::MALFORMED_FILE, fmt::format("it is an hreg key file of format '{}', and this hreg "
                                                        "reads '{}' only: use a newer hreg", lines[0], KEY_FILE_MAGIC));
    return refuse(Reason::MALFORMED_FILE, fmt::format("not an hreg key file: the first line is not '{}'",
                                                      KEY_FILE_MAGIC));
  }
  if (lines.size() != 5) return refuse(Reason::MALFORMED_FILE, fmt::format("{} lines instead of 5", lines.size()));
  ParsedKeyFile out;
  auto label = field(lines[1], "label");
  if (!label) return refuse(Reason::MALFORMED_FILE, "line 2 must read 'label <who holds the key>'");
  if (auto problem = labelProblem(*label)) return refuse(Reason::MALFORMED_FILE, "line 2: " + *problem);
  out.key.label = std::string(*label);
  auto publicHex = field(lines[2], "public");
  auto publicKey = publicHex ? fixedHex<crypto::PUBLIC_KEY_BYTES>(*publicHex) : std::nullopt;
  if (!publicKey) return refuse(Reason::MALFORMED_FILE, "line 3 must read 'public <64 hex digits>'");
  out.key.publicKey = *publicKey;
  HREG_TRY(kdf, parseKdf(lines[3]));
  out.kdf = kdf;
  auto sealedHex = field(lines[4], "sealed");
  auto sealed = sealedHex ? fixedHex<SEALED_BYTES>(*sealedHex) : std::nullopt;
  if (!sealed) return refuse(Reason::MALFORMED_FILE, fmt::format("line 5 must read 'sealed <{} hex digits>'",
                                                                 2 * SEALED_BYTES));
  out.sealed = *sealed;
  out.header = headerText(out.key, out.kdf);
  if (text.substr(0, out.header.size()) != out.header || text.size() != out.header.size() + lines[4].size() + 1 ||
      lines[4] != "sealed " + toHex(out.sealed))
    return refuse(Reason::MALFORMED_FILE, "not in canonical form (hex must be lowercase, numbers without "
                                          "leading zeros)");
  return out;
}

// readKeyText is a key file's content. Throws UsageError when it is missing, unreadable or too long.
std::string readKeyText(const std::filesystem::path& path) {
  std::string text = tlog::readInput(path.string(), MAX_KEY_FILE_BYTES + 1);
  if (text.size() > MAX_KEY_FILE_BYTES)
    throw UsageError(fmt::format("{}: longer than {} bytes; this is not an hreg key file", path.string(),
                                 MAX_KEY_FILE_BYTES));
  return text;
}

// --- sealing ----------------------------------------------------------------------------------------

void ensureSodium() {
  static const int ready = sodium_init();  // idempotent and thread-safe
  if (ready < 0) fail("libsodium could not initialise");
}

// deriveSealKey runs Argon2id over the passphrase. Throws a Fault when the memory cannot be had.
void deriveSealKey(std::string_view passphrase, const Kdf& kdf, Wiped<SEAL_KEY_BYTES>& key) {
  ensureSodium();
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(), kdf.salt.data(),
                    kdf.ops, kdf.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    fail(fmt::format("deriving the key from the passphrase needs {} MiB of memory, which could not be had; close "
                     "other programs and try again", kdf.mem >> 20));
}

// seal encrypts the seed: nonce || ciphertext || tag, bound to `header`.
std::array<std::uint8_t, SEALED_BYTES> seal(const crypto::Seed& seed, std::string_view header,
                                            const Wiped<SEAL_KEY_BYTES>& key) {
  std::array<std::uint8_t, SEALED_BYTES> sealed{};
  crypto::randomBytes(std::span(sealed.data(), NONCE_BYTES));
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + NONCE_BYTES, nullptr, seed.data(), seed.size(),
                                             asBytes(header).data(), header.size(), nullptr, sealed.data(),
                                             key.bytes.data());
  return sealed;
}

// unseal decrypts the seed into `seed`; false when the tag does not verify.
bool unseal(const std::array<std::uint8_t, SEALED_BYTES>& sealed, std::string_view header,
            const Wiped<SEAL_KEY_BYTES>& key, Wiped<crypto::SEED_BYTES>& seed) {
  return crypto_aead_xchacha20poly1305_ietf_decrypt(seed.bytes.data(), nullptr, nullptr, sealed.data() + NONCE_BYTES,
                                                    SEALED_BYTES - NONCE_BYTES, asBytes(header).data(),
                                                    header.size(), sealed.data(), key.bytes.data()) == 0;
}

// --- passphrases ------------------------------------------------------------------------------------

// firstLine is a passphrase file's first line, without its "\n" or "\r\n".
std::string firstLine(const std::string& file) {
  WipedString text{tlog::readInput(file, MAX_PASSPHRASE_BYTES + 2)};
  std::string_view line = text.text;
  line = line.substr(0, line.find('\n'));
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.size() > MAX_PASSPHRASE_BYTES)
    throw UsageError(fmt::format("{}: the first line is longer than {} bytes; put the passphrase alone on it",
                                 tlog::displayName(file), MAX_PASSPHRASE_BYTES));
  return std::string(line);
}

// The signal that arrived while the terminal's echo was off: the handler only records it, so that the
// terminal is restored before the signal is raised again. (A signal handler can only reach a global.)
volatile std::sig_atomic_t caughtSignal = 0;
constexpr int RESTORE_SIGNALS[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// TerminalWithoutEcho turns the terminal's echo off (newlines still show) and restores it, and the
// signal handlers, at the end of its scope.
class TerminalWithoutEcho {
 public:
  explicit TerminalWithoutEcho(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0)
      throw UsageError(fmt::format("cannot set up the terminal to ask the passphrase ({}); give --passphrase-file",
                                   std::strerror(errno)));
    caughtSignal = 0;
    struct sigaction record {};
    record.sa_handler = [](int number) { caughtSignal = number; };
    sigemptyset(&record.sa_mask);  // no SA_RESTART: the read returns EINTR
    for (std::size_t i = 0; i < std::size(RESTORE_SIGNALS); ++i)
      ::sigaction(RESTORE_SIGNALS[i], &record, &handlers_[i]);
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    if (::tcsetattr(fd_, TCSAFLUSH, &quiet) != 0) {
      int error = errno;
      restoreHandlers();
      throw UsageError(fmt::format("cannot turn the terminal's echo off ({}); give --passphrase-file",
                                   std::strerror(error)));
    }
  }
  TerminalWithoutEcho(const TerminalWithoutEcho&) = delete;
  TerminalWithoutEcho& operator=(const TerminalWithoutEcho&) = delete;
  ~TerminalWithoutEcho() {
    ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    restoreHandlers();
    if (caughtSignal != 0) std::raise(caughtSignal);  // as if it had come now; ends hreg unless ignored
  }

 private:
  void restoreHandlers() {
    for (std::size_t i = 0; i < std::size(RESTORE_SIGNALS); ++i)
      ::sigaction(RESTORE_SIGNALS[i], &handlers_[i], nullptr);
  }

  int fd_;
  termios saved_{};
  struct sigaction handlers_[std::size(RESTORE_SIGNALS)] {};
};

// askOnTerminal shows `prompt` on the terminal `fd` and reads one line without echo.
std::string askOnTerminal(int fd, std::string_view prompt) {
  Wiped<MAX_PASSPHRASE_BYTES> line;
  std::size_t length = 0;
  bool tooLong = false;
  {
    TerminalWithoutEcho quiet(fd);
    [[maybe_unused]] ssize_t shown = ::write(fd, prompt.data(), prompt.size());  // read the answer anyway
    for (char c; caughtSignal == 0;) {
      ssize_t n = ::read(fd, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || c == '\n') break;
      if (length == line.bytes.size()) tooLong = true;
      else line.bytes[length++] = static_cast<std::uint8_t>(c);
    }
  }
  if (caughtSignal != 0) throw UsageError("interrupted while asking the passphrase; nothing was done");
  if (tooLong) throw UsageError(fmt::format("the passphrase is longer than {} bytes", MAX_PASSPHRASE_BYTES));
  return std::string(asChars(std::span(line.bytes.data(), length)));
}

// TerminalFile is /dev/tty, opened to ask and closed at the end of its scope.
struct TerminalFile {
  int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  TerminalFile() = default;
  TerminalFile(const TerminalFile&) = delete;
  TerminalFile& operator=(const TerminalFile&) = delete;
  ~TerminalFile() {
    if (fd >= 0) ::close(fd);
  }
};

// --- raw seeds (hreg key import) --------------------------------------------------------------------

// readSeedFile reads a raw Ed25519 key as configs/demo/keys/*.key hold it, and as DemoFederation::key
// reads it: a line `seed = "<64 hex digits>"`, with `#` comments and an optional `public_key = "<64 hex
// digits>"` line, which must then match the seed's public key. A file that is only the 64 hex digits is
// read too. Throws UsageError naming the file and what is wrong.
crypto::KeyPair readSeedFile(const std::string& path) {
  WipedString text{tlog::readInput(path, 4096)};
  std::optional<Wiped<crypto::SEED_BYTES>> seed;
  std::optional<crypto::PublicKey> expected;
  auto where = [&](std::size_t i) { return fmt::format("{}:{}", tlog::displayName(path), i + 1); };
  auto lines = tlog::splitLines(text.text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty() || line.starts_with('#')) continue;
    std::string_view hex = line;
    bool isPublic = line.starts_with("public_key = \"") && line.ends_with('"');
    if (isPublic) hex = line.substr(14, line.size() - 15);
    else if (line.starts_with("seed = \"") && line.ends_with('"')) hex = line.substr(8, line.size() - 9);
    auto bytes = fromHex(hex);
    if (!bytes || bytes->size() != crypto::SEED_BYTES || (!isPublic && seed))
      throw UsageError(fmt::format("{}: expected one line seed = \"<64 hex digits>\" (and optionally public_key = "
                                   "\"<64 hex digits>\"), as configs/demo/keys/*.key hold them", where(i)));
    if (isPublic) {
      expected.emplace();
      std::copy(bytes->begin(), bytes->end(), expected->begin());
    } else {
      std::copy(bytes->begin(), bytes->end(), seed.emplace().bytes.begin());
    }
    sodium_memzero(bytes->data(), bytes->size());
  }
  if (!seed) throw UsageError(fmt::format("{}: no seed = \"<64 hex digits>\" line", tlog::displayName(path)));
  crypto::KeyPair key = crypto::KeyPair::fromSeed(seed->bytes);
  if (expected && *expected != key.publicKey())
    throw UsageError(fmt::format("{}: its public_key is not the seed's public key ({}); the file is damaged",
                                 tlog::displayName(path), toHex(key.publicKey())));
  return key;
}

// --- commands ---------------------------------------------------------------------------------------

Json keyJson(const std::string& file, const KeyFile& key) {
  return Json{{"file", file}, {"label", key.label}, {"publicKey", toHex(key.publicKey)},
              {"keyId", toHex(key.publicKey)}};
}

void printKey(const std::string& file, const KeyFile& key) {
  fmt::print("file        {}\n", file);
  fmt::print("label       {}\n", key.label);
  fmt::print("public key  {}\n", toHex(key.publicKey));
  fmt::print("key id      {}  (as grants name it)\n", toHex(key.publicKey));
}

// checkNewKeyFile refuses a bad label or an existing file before anyone types a passphrase.
void checkNewKeyFile(const std::string& out, const std::string& label) {
  if (auto problem = labelProblem(label)) throw UsageError("--label: " + *problem);
  if (std::filesystem::exists(std::filesystem::symlink_status(out)))
    throw UsageError(fmt::format("{} already exists; hreg never overwrites a key file: choose another --out", out));
}

struct NewKeyOptions {
  std::string out, label, seedFile;
  PassphraseOptions passphrase;
  bool json = false;
};

// sealNewKey asks a passphrase for a new key file (twice on the terminal; an empty one is refused), writes
// `key` to it and reports it.
int sealNewKey(const NewKeyOptions& o, const crypto::KeyPair& key) {
  std::string prompt = fmt::format("Passphrase for the new key file {}: ", o.out);
  WipedString passphrase{readPassphrase(o.passphrase, prompt, true)};
  if (passphrase.text.empty())
    throw UsageError("the passphrase is empty; a key file is only as safe as its passphrase: choose one");
  writeKeyFile(o.out, key, o.label, passphrase.text);
  KeyFile written{o.label, key.publicKey()};
  if (o.json) tlog::printJson(keyJson(o.out, written));
  else printKey(o.out, written);
  fmt::print(stderr, "hreg: wrote the key of {} to {} (mode 0600, sealed with your passphrase); give the key id "
                     "to your office's authority for a grant, and keep a copy of the file: without the file and "
                     "its passphrase nobody can sign with this key\n", o.label, o.out);
  return EXIT_OK;
}

void addNewKeyOptions(CLI::App& cmd, NewKeyOptions& o) {
  cmd.add_option("-o,--out", o.out, "the new key file (created with mode 0600; never overwritten)")->required();
  cmd.add_option("--label", o.label, "who holds the key: division code, department, name")->required();
  addPassphraseOptions(cmd, o.passphrase);
  tlog::addJsonFlag(cmd, o.json);
}

void addKeygen(CLI::App& app) {
  auto o = std::make_shared<NewKeyOptions>();
  auto* cmd = app.add_subcommand("keygen", "make an official's new signing key, sealed with a passphrase in a new "
                                           "file; print its key id for the grant");
  addNewKeyOptions(*cmd, *o);
  tlog::withExample(*cmd, "hreg keygen -o zhang.key --label \"140902 culture 张三\"");
  cmd->callback(tlog::runCommand([o] {
    checkNewKeyFile(o->out, o->label);
    return sealNewKey(*o, crypto::KeyPair::generate());
  }));
}

void addImport(CLI::App& key) {
  auto o = std::make_shared<NewKeyOptions>();
  auto* cmd = key.add_subcommand("import", "seal an existing raw key (a seed file) with a passphrase in a new key "
                                           "file");
  cmd->add_option("--seed-file", o->seedFile, "the raw key: a line seed = \"<64 hex digits>\", as in "
                                              "configs/demo/keys/*.key")->required();
  addNewKeyOptions(*cmd, *o);
  tlog::withExample(*cmd, "hreg key import --seed-file configs/demo/keys/official-140902-culture.key -o culture.key "
                          "--label \"140902 culture DEMO\"");
  cmd->callback(tlog::runCommand([o] {
    checkNewKeyFile(o->out, o->label);
    crypto::KeyPair raw = readSeedFile(o->seedFile);
    int code = sealNewKey(*o, raw);
    fmt::print(stderr, "hreg: {} still holds the key unsealed: once `hreg key show {} --check` opens the new file, "
                       "delete it (shred -u), unless it is a published DEMO key\n", o->seedFile, o->out);
    return code;
  }));
}

struct ShowOptions {
  std::string file;
  bool check = false;
  PassphraseOptions passphrase;
  bool json = false;
};

int show(const ShowOptions& o) {
  KeyFile key = readKeyFileHeader(o.file);
  if (o.check) {
    WipedString passphrase{readPassphrase(o.passphrase, fmt::format("Passphrase for {}: ", o.file), false)};
    auto opened = openKeyFile(o.file, passphrase.text);
    if (!opened) return tlog::refused(opened.error(), o.json);
  }
  if (o.json) {
    Json j = keyJson(o.file, key);
    if (o.check) j["passphraseOpens"] = true;
    tlog::printJson(std::move(j));
  } else {
    printKey(o.file, key);
    if (o.check) fmt::print("passphrase  opens the key\n");
  }
  return EXIT_OK;
}

void addShow(CLI::App& key) {
  auto o = std::make_shared<ShowOptions>();
  auto* cmd = key.add_subcommand("show", "print a key file's label and key id; with --check, whether a passphrase "
                                         "opens it");
  cmd->add_option("FILE", o->file, "the key file")->required();
  cmd->add_flag("--check", o->check, "also ask the passphrase and say whether it opens the key");
  addPassphraseOptions(*cmd, o->passphrase);
  tlog::addJsonFlag(*cmd, o->json);
  tlog::withExample(*cmd, "hreg key show zhang.key --check");
  cmd->callback(tlog::runCommand([o] { return show(*o); }));
}

}  // namespace

void addPassphraseOptions(CLI::App& command, PassphraseOptions& options) {
  command.add_option("--passphrase-file", options.file,
                     fmt::format("read the passphrase from the first line of this file (- for stdin); else from "
                                 "${} if set; else ask on the terminal", options.envName));
}

std::string readPassphrase(const PassphraseOptions& options, std::string_view prompt, bool confirm) {
  if (!options.file.empty()) return firstLine(options.file);
  if (const char* value = options.envName.empty() ? nullptr : std::getenv(options.envName.c_str())) {
    if (std::strlen(value) > MAX_PASSPHRASE_BYTES)
      throw UsageError(fmt::format("${} is longer than {} bytes", options.envName, MAX_PASSPHRASE_BYTES));
    return value;
  }
  std::string nowhere = fmt::format("no passphrase: give --passphrase-file FILE or set {}", options.envName);
  if (!options.prompt) throw UsageError(nowhere);
  TerminalFile tty;
  if (tty.fd < 0) throw UsageError(fmt::format("{} (there is no terminal to ask on: /dev/tty: {})", nowhere,
                                               std::strerror(errno)));
  WipedString first{askOnTerminal(tty.fd, prompt)};
  if (confirm) {
    WipedString again{askOnTerminal(tty.fd, "Same passphrase again: ")};
    if (again.text != first.text)
      throw UsageError("the two passphrases differ; nothing was written: run the command again");
  }
  return std::move(first.text);
}

KeyFile readKeyFileHeader(const std::filesystem::path& path) {
  auto parsed = parseKeyFile(readKeyText(path));
  if (!parsed) throw UsageError(fmt::format("{}: {}", path.string(), parsed.error().detail));
  return std::move(parsed).value().key;
}

Result<crypto::KeyPair> openKeyFile(const std::filesystem::path& path, std::string_view passphrase) {
  auto parsed = parseKeyFile(readKeyText(path));
  if (!parsed)
    return refuse(Reason::MALFORMED_FILE, fmt::format("{}: {}; the file is damaged: use your copy of it",
                                                      path.string(), parsed.error().detail));
  const ParsedKeyFile& file = parsed.value();
  Wiped<SEAL_KEY_BYTES> sealKey;
  deriveSealKey(passphrase, file.kdf, sealKey);
  Wiped<crypto::SEED_BYTES> seed;
  if (!unseal(file.sealed, file.header, sealKey, seed))
    return refuse(Reason::WRONG_PASSPHRASE,
                  fmt::format("the passphrase does not open {}; try again (if you are sure of it, the file was "
                              "altered or damaged: use your copy of it)", path.string()));
  crypto::KeyPair key = crypto::KeyPair::fromSeed(seed.bytes);
  if (key.publicKey() != file.key.publicKey)
    return refuse(Reason::MALFORMED_FILE, fmt::format("{}: the sealed key is not the public key the file shows; "
                                                      "it was not written by hreg: use your copy of it",
                                                      path.string()));
  return key;
}

void writeKeyFile(const std::filesystem::path& path, const crypto::KeyPair& key, std::string_view label,
                  std::string_view passphrase) {
  if (auto problem = labelProblem(label)) throw UsageError(*problem);
  if (passphrase.empty()) throw UsageError("the passphrase is empty; a key file is only as safe as its passphrase");
  KeyFile shown{std::string(label), key.publicKey()};
  Kdf kdf;
  crypto::randomBytes(kdf.salt);
  std::string header = headerText(shown, kdf);
  Wiped<SEAL_KEY_BYTES> sealKey;
  deriveSealKey(passphrase, kdf, sealKey);
  Wiped<crypto::SEED_BYTES> seed;
  seed.bytes = key.seed();
  tlog::writeNewSecretFile(path.string(), header + "sealed " + toHex(seal(seed.bytes, header, sealKey)) + "\n");
}

void addKeyCommands(CLI::App& app) {
  addKeygen(app);
  auto* key = app.add_subcommand("key", "show an official's key file, check its passphrase, import a raw key");
  key->require_subcommand(1);
  tlog::withExample(*key, "hreg key show zhang.key");
  addShow(*key);
  addImport(*key);
}

}  // namespace hreg::cli
