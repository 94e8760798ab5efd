#pragma once
// Drafts of an expert panel's draw and of a recusal's replacement (docs/rules.md, `panelDraw`,
// `recusal`; docs/user-guide.md, "Drawing an expert panel"), as the drawing node computes them from
// its store: nobody can compute rules::drawPanel by hand, and the node refuses any draw its seed and
// pools do not give (registry.cpp re-checks each one appended). GET /v1/draw and
// GET /v1/draw/replacement serve them; `hreg draw` writes them as decision files for the officials to
// sign and submit like any other. A draft is an unsigned SignedDecision in canonical bytes, as
// rules::draftConsequence makes them; the node judges the signed record again when it is submitted.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/hash.h"
#include "ledger/rules/panel-draw.h"
#include "ledger/store/store.h"
#include "protocol/core/bytes.h"
#include "protocol/core/clock.h"
#include "protocol/core/result.h"

namespace hreg::node {

// NamedPool is an expert pool version a draw names, read from the store.
struct NamedPool {
  std::string origin;
  std::uint64_t index = 0;
  merkle::Hash leafHash{};
  std::uint32_t version = 0;
  std::string name;
  std::vector<std::string> experts;  // its experts' ids, as the pool lists them
};

// PanelDrawDraft is a PanelDraw record drafted for the node's own log.
struct PanelDrawDraft {
  std::string origin;                // the drawing node's log: the draft's, and the seed's
  Timestamp time = 0;
  std::vector<std::string> subjects;
  std::vector<NamedPool> pools;      // in the order the draw names them
  rules::DrawSeed seed;              // the latest checkpoint of `origin` the store holds
  std::uint32_t count = 0;
  std::size_t minimumSize = 0;       // policy's panel.min-size at `origin` at `time`
  std::vector<std::string> experts;  // drawPanel(seed, drawSubject(subjects), pool ids, count, minimumSize)
  Bytes signedDecision;              // canonical SignedDecision bytes, no signatures yet
};

// resolvePool finds the expert pool `named` names in `snapshot`: "ORIGIN#INDEX" is that entry, "ORIGIN"
// the latest ExpertPool entry of that log. Refuses MALFORMED_ENTRY for a name of neither form,
// PREREQUISITE_MISSING when the log or entry is not held here (or that log holds no expert pool),
// DRAW_MISMATCH when the entry is not an ExpertPool.
[[nodiscard]] Result<NamedPool> resolvePool(const store::Snapshot& snapshot, std::string_view named);

// draftPanelDraw drafts, dated `now`, the PanelDraw of `count` experts for `subjects` from the pools
// `poolNames` name (resolvePool), for the log `ownOrigin`, seeded by its latest checkpoint held in
// `snapshot`. The pool the seed orders is the ids of the experts of every named pool, in the order the
// pools are named, then as each lists them: what the node re-checks. Refuses MALFORMED_ENTRY for a
// subject that is not an identifier <code>-<W|C>-<serial> or no subject or pool at all, what
// resolvePool refuses, PREREQUISITE_MISSING when the own log has no checkpoint yet, DRAW_MISMATCH when
// the latest checkpoint was made before a pool of the own log (wait for the next one), and what
// rules::drawPanel refuses (PANEL_SIZE for an even count or one below `minimumSize`, POOL_TOO_SMALL).
[[nodiscard]] Result<PanelDrawDraft> draftPanelDraw(const store::Snapshot& snapshot, std::string_view ownOrigin,
                                                    std::span<const std::string> subjects,
                                                    std::span<const std::string> poolNames, std::uint32_t count,
                                                    std::size_t minimumSize, Timestamp now);

// Replaced is one withdrawal from a draw and who the draw's order gives instead.
struct Replaced {
  std::string expert;
  std::string replacement;
};

// DrawnPanel is a held PanelDraw read back: where it stands, what it named, and its order's panel.
struct DrawnPanel {
  std::string origin;
  std::uint64_t index = 0;
  merkle::Hash leafHash{};
  std::string drawOrigin;            // the log the draw's header names (whose policy sized it)
  Timestamp drawTime = 0;
  std::vector<std::string> subjects;
  std::vector<NamedPool> pools;
  rules::DrawSeed seed;
  std::uint32_t count = 0;
  std::vector<std::string> experts;  // as recorded
};

// readDrawnPanel reads the PanelDraw at "ORIGIN#INDEX" and the pools it names, each checked against
// its leaf hash. Refuses MALFORMED_ENTRY for another form, PREREQUISITE_MISSING when the draw or a
// pool is not held here, DRAW_MISMATCH when the entry is no PanelDraw or a pool not that version.
[[nodiscard]] Result<DrawnPanel> readDrawnPanel(const store::Snapshot& snapshot, std::string_view named);

// replacementsOf is, for each expert of `withdrawn` in turn (the draw's recusals in the order they are
// recorded), the expert the draw's order gives next: the one in drawPanel(..., withdrawn[0..i]) that
// is not in drawPanel(..., withdrawn[0..i-1]), what a granted Recusal's replacement must be. Refuses
// NOT_ON_PANEL for an expert not on the panel at their turn, and what rules::drawPanel refuses
// (POOL_TOO_SMALL when the order has nobody left).
[[nodiscard]] Result<std::vector<Replaced>> replacementsOf(const DrawnPanel& draw, std::span<const std::string> withdrawn,
                                                           std::size_t minimumSize);

// draftRecusal drafts, dated `now`, for the log `ownOrigin`, the granted Recusal of `replaced.expert`
// from `draw` about `subject`, requested by `requestedBy` for `reason`, naming `replaced.replacement`.
[[nodiscard]] Bytes draftRecusal(const DrawnPanel& draw, std::string_view ownOrigin, std::string_view subject,
                                 const Replaced& replaced, schema::RecusalRequester requestedBy,
                                 std::string_view reason, Timestamp now);

}  // namespace hreg::node
