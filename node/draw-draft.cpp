#include "node/draw-draft.h"

#include <capnp/message.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <functional>

#include "ledger/log/signing.h"
#include "ledger/merkle/tree.h"
#include "ledger/rules/subject.h"
#include "protocol/canonical.h"

namespace hreg::node {
namespace {

// Names here are unlike registry.cpp's (namedEntry, drawPool, seedHeld, ...): one unity file may hold both.

// splitEntryName reads "ORIGIN#INDEX"; nullopt index for a bare "ORIGIN".
Result<std::pair<std::string, std::optional<std::uint64_t>>> splitEntryName(std::string_view named,
                                                                            std::string_view what) {
  const auto hash = named.rfind('#');
  std::string origin(named.substr(0, hash));
  if (origin.empty() || origin.find_first_of(" \t\n#") != std::string::npos)
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("{} \"{}\" is not ORIGIN#INDEX (e.g. hreg.example/1409#3; "
                                                       "'#' is %23 in a URL)", what, named));
  if (hash == std::string_view::npos) return std::make_pair(std::move(origin), std::optional<std::uint64_t>{});
  std::string_view digits = named.substr(hash + 1);
  std::uint64_t index = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("{} \"{}\" is not ORIGIN#INDEX: \"{}\" is not an index", what,
                                                       named, digits));
  return std::make_pair(std::move(origin), std::optional<std::uint64_t>{index});
}

// heldEntryAt is the parsed entry at (origin, index) and its leaf hash, or nullopt when not held.
struct HeldAt {
  protocol::Parsed<schema::Entry> entry;
  merkle::Hash leafHash;
};
std::optional<HeldAt> heldEntryAt(const store::Snapshot& snapshot, const std::string& origin, std::uint64_t index) {
  auto bytes = snapshot.entry(origin, index);
  if (!bytes) return std::nullopt;
  auto parsed = protocol::parseEntry(*bytes);
  if (!parsed) return std::nullopt;
  const merkle::Hash leaf = merkle::leafHash(parsed.value().bytes());
  return HeldAt{std::move(parsed.value()), leaf};
}

NamedPool poolFromEntry(const std::string& origin, std::uint64_t index, const HeldAt& held) {
  const auto pool = held.entry.reader().getSigned().getDecision().getBody().getExpertPool();
  NamedPool out{origin, index, held.leafHash, pool.getVersion(), pool.getName().cStr(), {}};
  for (auto e : pool.getExperts()) out.experts.emplace_back(e.getId().cStr());
  return out;
}

bool isExpertPool(const HeldAt& held) { return held.entry.reader().getSigned().getDecision().getBody().isExpertPool(); }

// drawnPoolIds is the pool the seed orders: every named pool's experts, pools in the order named.
std::vector<std::string> drawnPoolIds(const std::vector<NamedPool>& pools) {
  std::vector<std::string> ids;
  for (const NamedPool& p : pools) ids.insert(ids.end(), p.experts.begin(), p.experts.end());
  return ids;
}


void setEntryRef(schema::EntryRef::Builder ref, const std::string& origin, std::uint64_t index, const merkle::Hash& leaf) {
  ref.setOrigin(origin);
  ref.setIndex(index);
  ref.setLeafHash(capnp::Data::Reader(leaf.data(), leaf.size()));
}

}  // namespace

Result<NamedPool> resolvePool(const store::Snapshot& snapshot, std::string_view named) {
  HREG_TRY(where, splitEntryName(named, "the pool"));
  const auto& [origin, index] = where;
  const auto log = snapshot.log(origin);
  if (!log)
    return refuse(Reason::PREREQUISITE_MISSING, fmt::format("this node holds no log {}: name a pool of a log it holds "
                                                            "(GET /v1/peers lists them)", origin));
  if (index) {
    auto held = heldEntryAt(snapshot, origin, *index);
    if (!held)
      return refuse(Reason::PREREQUISITE_MISSING, fmt::format("{} #{} is not held here (the log holds {} entries)",
                                                              origin, *index, log->size));
    if (!isExpertPool(*held))
      return refuse(Reason::DRAW_MISMATCH, fmt::format("{} #{} is a {}, not an expert pool", origin, *index,
                                                       rules::kindName(held->entry.reader().getSigned().getDecision()
                                                                           .getBody().which())));
    return poolFromEntry(origin, *index, *held);
  }
  for (std::uint64_t i = log->size; i-- > 0;) {
    auto held = heldEntryAt(snapshot, origin, i);
    if (held && isExpertPool(*held)) return poolFromEntry(origin, i, *held);
  }
  return refuse(Reason::PREREQUISITE_MISSING, fmt::format("{} holds no expert pool here (its {} entries)", origin,
                                                          log->size));
}

Result<PanelDrawDraft> draftPanelDraw(const store::Snapshot& snapshot, std::string_view ownOrigin,
                                      std::span<const std::string> subjects, std::span<const std::string> poolNames,
                                      std::uint32_t count, std::size_t minimumSize, Timestamp now) {
  if (subjects.empty())
    return refuse(Reason::MALFORMED_ENTRY, "name the applicants the panel reviews: subject=140902001-W-0002");
  for (const std::string& s : subjects)
    if (rules::homeCode(s).empty())
      return refuse(Reason::MALFORMED_ENTRY, fmt::format("the subject \"{}\" is not an identifier <code>-<W|C>-<serial> "
                                                         "(e.g. 140902001-W-0002)", s));
  if (poolNames.empty())
    return refuse(Reason::MALFORMED_ENTRY, "name the expert pools to draw from: pool=ORIGIN#INDEX, or pool=ORIGIN "
                                           "for that log's latest expert pool");
  PanelDrawDraft d;
  d.origin = std::string(ownOrigin);
  d.time = now;
  d.subjects.assign(subjects.begin(), subjects.end());
  d.count = count;
  d.minimumSize = minimumSize;
  for (const std::string& name : poolNames) {
    HREG_TRY(pool, resolvePool(snapshot, name));
    d.pools.push_back(std::move(pool));
  }
  const auto log = snapshot.log(ownOrigin);
  if (!log || log->checkpointSize == 0 || !snapshot.checkpoint(ownOrigin, log->checkpointSize))
    return refuse(Reason::PREREQUISITE_MISSING, fmt::format("{} has published no checkpoint yet to seed a draw", ownOrigin));
  d.seed = {d.origin, log->checkpointSize, merkle::rootHash(*snapshot.tree(ownOrigin), log->checkpointSize)};
  std::vector<rules::Fixed> fixed;
  for (const NamedPool& p : d.pools) fixed.push_back({"the expert pool", p.origin, p.index});
  if (auto after = rules::seedAfter(d.seed, fixed); !after)
    return refuse(after.error().reason, after.error().detail + " (the node's next checkpoint will do: ask again)");
  const std::vector<std::string> ids = drawnPoolIds(d.pools);
  HREG_TRY(experts, rules::drawPanel(d.seed, rules::drawSubject(d.subjects), ids, count, minimumSize));
  d.experts = std::move(experts);
  d.signedDecision = log::signedDecision(d.origin, now, [&](schema::Body::Builder body) {
    auto draw = body.initPanelDraw();
    auto s = draw.initSubjects(static_cast<unsigned>(d.subjects.size()));
    for (unsigned i = 0; i < d.subjects.size(); ++i) s.set(i, d.subjects[i]);
    auto pools = draw.initPools(static_cast<unsigned>(d.pools.size()));
    for (unsigned i = 0; i < d.pools.size(); ++i) {
      setEntryRef(pools[i].initPool(), d.pools[i].origin, d.pools[i].index, d.pools[i].leafHash);
      pools[i].setVersion(d.pools[i].version);
    }
    auto seed = draw.initSeed();
    seed.setOrigin(d.seed.origin);
    seed.setTreeSize(d.seed.treeSize);
    seed.setRootHash(capnp::Data::Reader(d.seed.root.data(), d.seed.root.size()));
    draw.setMethod(std::string(rules::DRAW_METHOD));
    draw.setCount(static_cast<std::uint8_t>(count));
    auto e = draw.initExperts(static_cast<unsigned>(d.experts.size()));
    for (unsigned i = 0; i < d.experts.size(); ++i) e.set(i, d.experts[i]);
  }, {});
  return d;
}

Result<DrawnPanel> readDrawnPanel(const store::Snapshot& snapshot, std::string_view named) {
  HREG_TRY(where, splitEntryName(named, "the draw"));
  const auto& [origin, index] = where;
  if (!index)
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("name the draw by its log and index: {}#INDEX (its receipt's)",
                                                       origin));
  auto held = heldEntryAt(snapshot, origin, *index);
  if (!held) return refuse(Reason::PREREQUISITE_MISSING, fmt::format("{} #{} is not held here", origin, *index));
  const auto decision = held->entry.reader().getSigned().getDecision();
  if (!decision.getBody().isPanelDraw())
    return refuse(Reason::DRAW_MISMATCH, fmt::format("{} #{} is a {}, not a panel draw", origin, *index,
                                                     rules::kindName(decision.getBody().which())));
  const auto draw = decision.getBody().getPanelDraw();
  DrawnPanel out;
  out.origin = origin;
  out.index = *index;
  out.leafHash = held->leafHash;
  out.drawOrigin = decision.getHeader().getOrigin().cStr();
  out.drawTime = decision.getHeader().getTime();
  for (auto s : draw.getSubjects()) out.subjects.emplace_back(s.cStr());
  HREG_TRY(seed, rules::seedOf(draw));
  out.seed = std::move(seed);
  out.count = draw.getCount();
  for (auto e : draw.getExperts()) out.experts.emplace_back(e.cStr());
  for (auto p : draw.getPools()) {
    const auto ref = p.getPool();
    const std::string poolOrigin = ref.getOrigin().cStr();
    auto pool = heldEntryAt(snapshot, poolOrigin, ref.getIndex());
    const auto want = ref.getLeafHash();
    if (!pool || want.size() != pool->leafHash.size() ||
        !std::equal(pool->leafHash.begin(), pool->leafHash.end(), want.begin()))
      return refuse(Reason::PREREQUISITE_MISSING, fmt::format("the pool the draw names ({} #{}) is not held here with "
                                                              "that leaf hash", poolOrigin, ref.getIndex()));
    if (!isExpertPool(*pool) || pool->entry.reader().getSigned().getDecision().getBody().getExpertPool().getVersion() !=
                                    p.getVersion())
      return refuse(Reason::DRAW_MISMATCH, fmt::format("{} #{} is not version {} of an expert pool", poolOrigin,
                                                       ref.getIndex(), p.getVersion()));
    out.pools.push_back(poolFromEntry(poolOrigin, ref.getIndex(), *pool));
  }
  return out;
}

Result<std::vector<Replaced>> replacementsOf(const DrawnPanel& draw, std::span<const std::string> withdrawn,
                                             std::size_t minimumSize) {
  const std::vector<std::string> ids = drawnPoolIds(draw.pools);
  const std::string subject = rules::drawSubject(draw.subjects);
  std::vector<Replaced> out;
  std::vector<std::string> recused;
  HREG_TRY(panel, rules::drawPanel(draw.seed, subject, ids, draw.count, minimumSize));
  for (const std::string& expert : withdrawn) {
    if (std::find(panel.begin(), panel.end(), expert) == panel.end())
      return refuse(Reason::NOT_ON_PANEL, fmt::format("{} is not on the panel [{}]{}: only a member can withdraw",
                                                      expert, fmt::join(panel, ", "),
                                                      out.empty() ? "" : " (after the withdrawals before it)"));
    HREG_TRY(next, rules::nextInOrder(draw.seed, subject, ids, draw.count, minimumSize, recused, expert));
    recused.push_back(expert);
    HREG_TRY(now, rules::drawPanel(draw.seed, subject, ids, draw.count, minimumSize, recused));
    out.push_back({expert, std::move(next)});
    panel = std::move(now);
  }
  return out;
}

Bytes draftRecusal(const DrawnPanel& draw, std::string_view ownOrigin, std::string_view subject,
                   const Replaced& replaced, schema::RecusalRequester requestedBy, std::string_view reason,
                   Timestamp now) {
  return log::signedDecision(ownOrigin, now, [&](schema::Body::Builder body) {
    auto r = body.initRecusal();
    r.setSubject(std::string(subject));
    setEntryRef(r.initDraw(), draw.origin, draw.index, draw.leafHash);
    r.setExpert(replaced.expert);
    r.setRequestedBy(requestedBy);
    r.setReason(std::string(reason));
    r.setGranted(true);
    r.setReplacement(replaced.replacement);
  }, {});
}

}  // namespace hreg::node
