#pragma once
// Limits on input that a peer, a file or a flag controls. Each says why it exists.
#include <cstddef>
#include <cstdint>

namespace hreg::limits {

// An entry carries facts and document hashes, never documents: 1 MiB is generous and bounds the
// memory a single hostile entry can make a node allocate.
inline constexpr std::size_t MAX_ENTRY_BYTES = 1 << 20;
// Joint reviews need five or six departments; a panel conclusion at most a few dozen signers.
inline constexpr std::size_t MAX_SIGNATURES = 64;
// Cap'n Proto nesting depth for entries: our schema nests fewer than 8 levels.
inline constexpr int MAX_NESTING = 16;
// A signed note (a checkpoint with its cosignatures) stays small; C2SP suggests verifiers cap
// signatures to bound work.
inline constexpr std::size_t MAX_NOTE_BYTES = 64 * 1024;
inline constexpr std::size_t MAX_NOTE_SIGNATURES = 100;
// Proofs have at most one hash per tree level.
inline constexpr std::size_t MAX_PROOF_HASHES = 64;
// A subject bundle holds one subject's decisions and the authority records of the logs above them,
// tens of KiB in practice; 8 MiB bounds what one lookup answer makes a node hold, within one frame.
inline constexpr std::size_t MAX_BUNDLE_BYTES = std::size_t{8} << 20;
// An identifier is "<division code>-<W|C>-<serial>"; 128 bytes is ample and bounds a query.
inline constexpr std::size_t MAX_SUBJECT_BYTES = 128;
// From a township to the root is four hops; a lookup forwarded further than eight is going round.
inline constexpr unsigned MAX_LOOKUP_HOPS = 8;

}  // namespace hreg::limits
