#pragma once
// Input of `hreg tlog`: files (or stdin for "-"), hex and hashes, leaves and proof files, and key strings.
// Everything here is what the user passed, so a problem is a UsageError (EXIT_USAGE) whose message names
// the file and line and says what to do; it is never a crash. What the user asks hreg to *check* (a note,
// a proof's hashes against a root) is judged by the ledger and refused there instead.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "ledger/merkle/hash.h"
#include "ledger/note/key.h"

namespace hreg::cli::tlog {

// UsageError is a bad flag value or an unreadable or malformed input file. Thrown by the readers
// below and caught at the subcommand's edge (runCommand), which prints it and exits with EXIT_USAGE.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// STDIN is the file name that reads standard input instead.
inline constexpr std::string_view STDIN = "-";

// NO_LIMIT reads a whole file: leaves files may be as long as the user's tree.
inline constexpr std::size_t NO_LIMIT = SIZE_MAX;

// displayName is how messages name an input: its path, or "stdin" for "-".
[[nodiscard]] std::string displayName(const std::string& path);

// readInput is the content of `path`, or of standard input for "-", cut after `maxBytes` bytes so that
// /dev/zero or a wrong huge file cannot exhaust memory; callers pass one more byte than they accept, to
// tell an input that is too long. Throws UsageError when it is missing, a directory, or unreadable.
[[nodiscard]] std::string readInput(const std::string& path, std::size_t maxBytes = NO_LIMIT);

// readNote reads a note file, cut one byte past limits::MAX_NOTE_BYTES so that the note parser
// refuses a longer one (LIMIT_EXCEEDED).
[[nodiscard]] std::string readNote(const std::string& path);

// splitLines cuts text into lines. A final '\n' ends the last line rather than starting an empty one,
// and a '\r' before a '\n' is dropped, so files saved with either line ending read the same.
[[nodiscard]] std::vector<std::string_view> splitLines(std::string_view text);

// parseHex decodes hex (either case). `where` names the flag or "file:line" for the message.
// Throws UsageError on an odd length or a non-hex character.
[[nodiscard]] Bytes parseHex(std::string_view text, std::string_view where);

// parseHash reads a SHA-256 hash as 64 hex digits, or as 44 characters of base64 (as checkpoints
// print roots). Throws UsageError on bad encoding or a length other than 32 bytes.
[[nodiscard]] merkle::Hash parseHash(std::string_view text, std::string_view where);

// readLeaves reads a leaves file: one leaf per line as hex, an empty line for the empty leaf.
// Throws UsageError naming the first bad line.
[[nodiscard]] std::vector<Bytes> readLeaves(const std::string& path);

// readProof reads a proof file: one hash per line as hex (blank lines are skipped; an empty file is an
// empty proof). Throws UsageError naming the first bad line. How many hashes a proof needs is for the
// verifier to judge, not this reader.
[[nodiscard]] std::vector<merkle::Hash> readProof(const std::string& path);

// readSignerKey reads a file holding one signer key string (PRIVATE+KEY+...), with or without a final
// newline. Throws UsageError when it does not parse; warns on stderr when others may read the file.
[[nodiscard]] note::SignerKey readSignerKey(const std::string& path);

// parseVerifierKey reads a verifier key string given as the value of `flag`. Throws UsageError.
[[nodiscard]] note::VerifierKey parseVerifierKey(std::string_view text, std::string_view flag);

// unsignedNumber is a CLI11 check that a flag is a decimal number without sign (CLI11 itself would wrap
// "-1" around to 2^64 - 1 for an unsigned option).
[[nodiscard]] CLI::Validator unsignedNumber();

}  // namespace hreg::cli::tlog
