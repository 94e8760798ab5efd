#pragma once
// The random draw of an expert panel (001 art. 6: at least 5 experts, an odd number, drawn at random
// from the talent pools) that anyone can re-check. The randomness is a public seed fixed before the
// draw: a checkpoint of the drawing node's log (origin, tree size, root), named in the draw's record
// before anyone can know which experts it selects. From the seed and the subject, every node computes
// the same order of the whole eligible pool; the panel is the first `size` experts of that order who
// have not withdrawn (回避), so a recusal, recorded, is filled by the next in the order.
// What it leaves out: who is eligible (qualifications, conflicts) is decided before, by the records.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/hash.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::rules {

// DrawSeed is the checkpoint whose root seeds the draw.
struct DrawSeed {
  std::string origin;
  std::uint64_t treeSize = 0;
  merkle::Hash root{};
};

// DRAW_METHOD is the method a PanelDraw record names for this algorithm.
inline constexpr std::string_view DRAW_METHOD = "hreg/panel-draw/v1";

// DRAW_CONTEXT separates the draw's hashes from every other use of SHA-256 in hreg.
inline constexpr std::string_view DRAW_CONTEXT = "hreg/panel-draw/v1\n";

// drawOrder is the order of the eligible `pool` (duplicates removed) that the seed and `subject`
// (what is drawn for: a PanelDraw record's subjects, one per line) give: a Fisher–Yates shuffle of the pool in byte order, driven by SHA-256(DRAW_CONTEXT || origin ||
// "\n" || treeSize (8 bytes, big-endian) || root || subject || "\n" || counter (8 bytes, big-endian)),
// each 32-byte output read as four 64-bit big-endian numbers, with rejection so each choice is uniform.
[[nodiscard]] std::vector<std::string> drawOrder(const DrawSeed& seed, std::string_view subject,
                                                 std::span<const std::string> pool);

// drawPanel is the first `size` experts of drawOrder() not in `recused`. Refuses PANEL_SIZE for an
// even size or one below `minimumSize` (policy's panel.min-size), POOL_TOO_SMALL when too few
// experts are eligible.
[[nodiscard]] Result<std::vector<std::string>> drawPanel(const DrawSeed& seed, std::string_view subject,
                                                         std::span<const std::string> pool, std::size_t size,
                                                         std::size_t minimumSize,
                                                         std::span<const std::string> recused = {});

// nextInOrder is who replaces `withdrawn` when that expert withdraws after the experts of `recused`:
// the expert of drawPanel(..., recused + withdrawn) not in drawPanel(..., recused), what a granted
// Recusal's replacement must be. Refuses what drawPanel refuses (POOL_TOO_SMALL when nobody is left).
[[nodiscard]] Result<std::string> nextInOrder(const DrawSeed& seed, std::string_view subject,
                                              std::span<const std::string> pool, std::size_t size,
                                              std::size_t minimumSize, std::span<const std::string> recused,
                                              const std::string& withdrawn);

// drawSubject is what a draw is for: a PanelDraw record's subjects, one per line ("\n" between them).
[[nodiscard]] std::string drawSubject(std::span<const std::string> subjects);

// Fixed is a record a draw's seed must come after: what it is ("the expert pool", "the recommendation"),
// and where it stands (its log and index).
struct Fixed {
  std::string what;
  std::string origin;
  std::uint64_t index = 0;
};

// poolsOf is the expert pools a draw names (its PoolVersions), as records its seed must come after.
[[nodiscard]] std::vector<Fixed> poolsOf(schema::PanelDraw::Reader draw);

// seedAfter checks that the seed, a checkpoint of `origin` at `treeSize`, was made after each record of
// `fixed` kept in the same log: the record's index is below the tree size, so the checkpoint's root
// commits to it and nobody could choose the seed knowing the pool or the subjects before they were
// fixed. A record in another log has no position in the seed's log to compare (docs/rules.md). Refuses
// DRAW_MISMATCH naming the seed's position and the record's.
[[nodiscard]] Result<void> seedAfter(const DrawSeed& seed, std::span<const Fixed> fixed);

// seedBefore checks that the seed is a checkpoint of the drawing node's own log (`drawOrigin`, where the
// draw is recorded) that existed before the draw (its tree size at most the draw's index `drawIndex`):
// the seed was fixed before anyone could know the panel, and every node holding that log can compute
// its root. Refuses DRAW_MISMATCH naming the seed and where the draw stands.
[[nodiscard]] Result<void> seedBefore(const DrawSeed& seed, std::string_view drawOrigin, std::uint64_t drawIndex);

// seedOf reads a draw's seed. Refuses DRAW_MISMATCH when its root is not 32 bytes.
[[nodiscard]] Result<DrawSeed> seedOf(schema::PanelDraw::Reader draw);

// checkDraw re-checks a PanelDraw record from its public seed and the `pool` its PoolVersions name (the
// caller reads them): its method is DRAW_METHOD, and its experts are exactly drawPanel(seed,
// drawSubject(subjects), pool, count, minimumSize), in order, from a seed made after the pools it names
// (seedAfter). Returns the panel after the experts in `recused` withdrew, each filled by the next in
// the order — what a Recusal's replacement must be. Refuses DRAW_MISMATCH (another method, other
// experts, a malformed seed, a seed made before a pool), and what drawPanel refuses.
[[nodiscard]] Result<std::vector<std::string>> checkDraw(schema::PanelDraw::Reader draw,
                                                         std::span<const std::string> pool, std::size_t minimumSize,
                                                         std::span<const std::string> recused = {});

}  // namespace hreg::rules
