#include "node/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ledger/merkle/hash.h"
#include "ledger/merkle/tree.h"
#include "ledger/rules/panel-draw.h"
#include "ledger/rules/subject.h"
#include "protocol/canonical.h"

namespace hreg::node {
namespace {

// originOfCode finds the log a division code names among those held ("hreg.example/140902").
std::string originOfCode(const std::vector<std::string>& origins, std::string_view code) {
  for (const std::string& o : origins)
    if (o.size() > code.size() && o.ends_with(code) && o[o.size() - code.size() - 1] == '/') return o;
  return "";
}

void takeFacts(SubjectState& state, schema::WorkshopFacts::Reader facts) {
  if (facts.hasName()) state.name = facts.getName().cStr();
  state.employees = facts.getEmployees();
  state.povertyAlleviated = facts.getPovertyAlleviatedEmployees();
}

// homeOf is the log whose policy judges a subject: the one its code names, else `fallback`.
std::string homeOf(const std::vector<std::string>& origins, std::string_view subject, std::string fallback) {
  std::string home = originOfCode(origins, rules::homeCode(subject));
  return home.empty() ? fallback : home;
}

// judge replays `judged` through the lifecycle under the policy in force at `home`, checking each
// EntryRef against where the decisions stand.
Result<rules::Status> judge(const Judged& judged, const rules::PolicyView& policy, const std::string& home,
                            Timestamp asOf) {
  rules::EffectivePolicy now = policy.at(home, asOf);
  HREG_TRY(calendar, now.calendar());
  rules::PolicyAt policyAt = [&](Timestamp t) { return rules::LifecyclePolicy::from(policy.at(home, t)); };
  return rules::status(judged.decisions, judged.at, policyAt, calendar, asOf);
}

// namedEntry is the entry an EntryRef names, when the store holds one at its place with its leaf hash.
std::optional<protocol::Parsed<schema::Entry>> namedEntry(const store::Snapshot& snapshot,
                                                          schema::EntryRef::Reader ref) {
  auto bytes = snapshot.entry(ref.getOrigin().cStr(), ref.getIndex());
  if (!bytes) return std::nullopt;
  auto parsed = protocol::parseEntry(*bytes);
  if (!parsed) return std::nullopt;
  const merkle::Hash leaf = merkle::leafHash(parsed.value().bytes());
  const auto want = ref.getLeafHash();
  if (want.size() != leaf.size() || !std::equal(leaf.begin(), leaf.end(), want.begin())) return std::nullopt;
  return std::move(parsed.value());
}

// drawPool is the experts of the pool versions a draw names, read from the store: what its seed
// orders. The pools' qualifications were checked when each was admitted.
Result<std::vector<std::string>> drawPool(const store::Snapshot& snapshot, schema::PanelDraw::Reader draw) {
  std::vector<std::string> experts;
  for (auto p : draw.getPools()) {
    const auto ref = p.getPool();
    auto entry = namedEntry(snapshot, ref);
    if (!entry)
      return refuse(Reason::PREREQUISITE_MISSING,
                    fmt::format("the expert pool it names ({} #{}) is not held here with that leaf hash: the draw is "
                                "re-checked against the pool itself; name the pool's entry as its log's receipt gives "
                                "it, or wait until that log has replicated here",
                                ref.getOrigin().cStr(), ref.getIndex()));
    const auto body = entry->reader().getSigned().getDecision().getBody();
    if (!body.isExpertPool() || body.getExpertPool().getVersion() != p.getVersion())
      return refuse(Reason::DRAW_MISMATCH, fmt::format("{} #{} is not version {} of an expert pool",
                                                       ref.getOrigin().cStr(), ref.getIndex(), p.getVersion()));
    for (auto e : body.getExpertPool().getExperts()) experts.emplace_back(e.getId().cStr());
  }
  return experts;
}

// seedHeld checks a draw's seed against the log it names, as this store holds it: the root of the
// log at the seed's size is the seed's root and, for a draw about to be appended (`published`), a
// checkpoint of that size was published (a seed is a signed checkpoint, not any prefix of the log).
Result<void> seedHeld(const store::Snapshot& snapshot, const rules::DrawSeed& seed, bool published) {
  const auto log = snapshot.log(seed.origin);
  if (!log || log->size < seed.treeSize)
    return refuse(Reason::PREREQUISITE_MISSING,
                  fmt::format("the seed is the checkpoint of {} at size {}, but this node holds that log only to size "
                              "{}: wait until it has replicated here",
                              seed.origin, seed.treeSize, log ? log->size : 0));
  if (published && !snapshot.checkpoint(seed.origin, seed.treeSize))
    return refuse(Reason::DRAW_MISMATCH,
                  fmt::format("no checkpoint of {} at size {} was published: a draw's seed is one of the log's signed "
                              "checkpoints (its latest: size {}); draw from it",
                              seed.origin, seed.treeSize, log->checkpointSize));
  const merkle::Hash root = merkle::rootHash(*snapshot.tree(seed.origin), seed.treeSize);
  if (root != seed.root)
    return refuse(Reason::DRAW_MISMATCH,
                  fmt::format("the seed's root hash {} is not the root of {} at size {} ({}): a draw's seed names a "
                              "checkpoint as it was published",
                              toHex(ByteView(seed.root)), seed.origin, seed.treeSize, toHex(ByteView(root))));
  return outcome::success();
}

// Drawn is a panel draw re-checked: what its seed orders and who has withdrawn from it since.
struct Drawn {
  rules::DrawSeed seed;
  std::string subject;  // drawSubject of its subjects
  std::vector<std::string> pool;
  std::size_t count = 0, minimumSize = 0;
  std::vector<std::string> recused;
};

// recheckPanel re-checks the panel records among a subject's decisions (in replay order) from what
// the store holds, as every node can: each draw's experts are exactly what its seed gives from the
// pools it names (checkDraw), its seed a checkpoint of its log with that root; each granted recusal's
// replacement the next expert of that draw's order. `appending`, when given, is the decision about to
// be appended: its seed must also be a published checkpoint. Refuses DRAW_MISMATCH (naming what the
// seed gives), PREREQUISITE_MISSING when a pool or the seed's log is not held.
Result<void> recheckPanel(const store::Snapshot& snapshot, const rules::PolicyView& policy, const Judged& judged,
                          std::optional<std::size_t> appending) {
  std::map<std::pair<std::string, std::uint64_t>, Drawn> draws;  // by where each draw stands
  for (std::size_t i = 0; i < judged.decisions.size(); ++i) {
    const auto d = judged.decisions[i];
    const auto body = d.getBody();
    if (body.isPanelDraw()) {
      const auto draw = body.getPanelDraw();
      HREG_TRY(seed, rules::seedOf(draw));
      HREG_TRY(seedHeld(snapshot, seed, appending == i));
      HREG_TRY(pool, drawPool(snapshot, draw));
      const std::int64_t minimum =
          policy.at(d.getHeader().getOrigin().cStr(), d.getHeader().getTime()).integer("panel.min-size");
      Drawn drawn{seed, {}, std::move(pool), draw.getCount(), static_cast<std::size_t>(std::max<std::int64_t>(minimum, 0)), {}};
      HREG_TRY(rules::checkDraw(draw, drawn.pool, drawn.minimumSize));
      std::vector<std::string> subjects;
      for (auto t : draw.getSubjects()) subjects.emplace_back(t.cStr());
      drawn.subject = rules::drawSubject(subjects);
      draws[{judged.at[i].origin, judged.at[i].index}] = std::move(drawn);
    } else if (body.isRecusal() && body.getRecusal().getGranted()) {
      const auto recusal = body.getRecusal();
      auto found = draws.find({recusal.getDraw().getOrigin().cStr(), recusal.getDraw().getIndex()});
      if (found == draws.end()) continue;  // the lifecycle refuses a recusal naming no panel draw
      Drawn& drawn = found->second;
      const std::string withdrawn = recusal.getExpert().cStr();
      HREG_TRY(next, rules::nextInOrder(drawn.seed, drawn.subject, drawn.pool, drawn.count, drawn.minimumSize,
                                        drawn.recused, withdrawn));
      if (next != recusal.getReplacement().cStr())
        return refuse(Reason::DRAW_MISMATCH,
                      fmt::format("the replacement for {} is {}, but the draw's order (its seed, the checkpoint of {} "
                                  "at size {}) gives {} next: name {}",
                                  recusal.getExpert().cStr(), recusal.getReplacement().cStr(), drawn.seed.origin,
                                  drawn.seed.treeSize, next, next));
      drawn.recused.push_back(withdrawn);
    }
  }
  return outcome::success();
}

}  // namespace

HeldEntries heldEntries(const store::Snapshot& snapshot, const SubjectIndex& index, std::string_view subject) {
  HeldEntries held;
  for (const rules::Position& p : index.positions(subject)) {
    auto bytes = snapshot.entry(p.origin, p.index);
    if (!bytes) continue;
    auto parsed = protocol::parseEntry(*bytes);
    if (!parsed) continue;
    held.at.push_back({p.origin, p.index, merkle::leafHash(parsed.value().bytes())});
    held.entries.push_back(std::move(parsed.value()));
  }
  return held;
}

void Judged::add(schema::Decision::Reader d, rules::DecisionAt where) {
  decisions.push_back(d);
  at.push_back(std::move(where));
}

void Judged::byTime() {
  std::vector<std::size_t> order(decisions.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return decisions[a].getHeader().getTime() < decisions[b].getHeader().getTime();
  });
  Judged sorted;
  for (std::size_t i : order) sorted.add(decisions[i], at[i]);
  *this = std::move(sorted);
}

Judged judgedAsOf(const HeldEntries& held, Timestamp asOf) {
  Judged judged;
  for (std::size_t i = 0; i < held.entries.size(); ++i)  // as of `asOf`: later decisions had not been made
    if (auto d = held.entries[i].reader().getSigned().getDecision(); d.getHeader().getTime() <= asOf)
      judged.add(d, held.at[i]);
  judged.byTime();
  return judged;
}

Result<void> lifecycleAdmits(const store::Snapshot& snapshot, const SubjectIndex& index, const rules::PolicyView& policy,
                             schema::Decision::Reader decision, Timestamp asOf) {
  // Only the kinds a transition table has rows for (workshops' or craftsmen's): policy, expert pools
  // and quarterly reports are no step of a subject's lifecycle.
  if (!rules::lifecycleJudges(decision.getBody().which())) return outcome::success();
  std::vector<std::string> origins = snapshot.origins();
  // Where `decision` will stand is not known before it is appended (its leaf hash covers the
  // sequencing time): no earlier record can name it, so its own place needs no more than its log.
  const std::string ownOrigin = decision.getHeader().getOrigin().cStr();
  const auto own = snapshot.log(ownOrigin);
  const rules::DecisionAt pending{ownOrigin, own ? own->size : 0, {}};
  for (const std::string& subject : rules::subjectsOf(decision.getBody())) {
    HeldEntries entries = heldEntries(snapshot, index, subject);
    Judged held;
    for (std::size_t i = 0; i < entries.entries.size(); ++i)
      held.add(entries.entries[i].reader().getSigned().getDecision(), entries.at[i]);
    held.byTime();
    std::string home = homeOf(origins, subject, ownOrigin);
    if (!judge(held, policy, home, asOf)) continue;  // already a finding; not this decision's fault
    const bool heldPanelsHold = static_cast<bool>(recheckPanel(snapshot, policy, held, std::nullopt));
    held.add(decision, pending);
    held.byTime();
    if (auto judged = judge(held, policy, home, asOf); !judged)
      return refuse(judged.error().reason, fmt::format("for {}: {}", subject, judged.error().detail));
    // The panel's records re-checked against the pools and the seed's log as this node holds them.
    if (!heldPanelsHold) continue;
    std::optional<std::size_t> appending;
    for (std::size_t i = 0; i < held.at.size(); ++i)
      if (held.at[i].origin == pending.origin && held.at[i].index == pending.index) appending = i;
    if (auto rechecked = recheckPanel(snapshot, policy, held, appending); !rechecked)
      return refuse(rechecked.error().reason, fmt::format("for {}: {}", subject, rechecked.error().detail));
  }
  return outcome::success();
}

std::vector<SubjectState> registryStates(const store::Snapshot& snapshot, const SubjectIndex& index,
                                         const rules::PolicyView& policy, std::string_view region, Timestamp asOf) {
  std::vector<SubjectState> out;
  std::vector<std::string> origins = snapshot.origins();
  for (const std::string& subject : index.subjectIds(region)) {
    SubjectState state;
    state.subject = subject;
    const HeldEntries entries = heldEntries(snapshot, index, subject);
    const Judged judged = judgedAsOf(entries, asOf);
    const auto& decisions = judged.decisions;
    state.home = homeOf(origins, subject, decisions.empty() ? "" : decisions.front().getHeader().getOrigin().cStr());
    for (auto d : decisions) {
      auto body = d.getBody();
      if (body.isApplication()) {
        takeFacts(state, body.getApplication().getFacts());
        state.level = body.getApplication().getLevel();
      } else if (body.isLegacyImport()) {
        takeFacts(state, body.getLegacyImport().getFacts());
        state.level = body.getLegacyImport().getLevel();
      } else if (body.isConfirmation()) {
        takeFacts(state, body.getConfirmation().getFacts());
      } else if (body.isCertification()) {
        state.level = body.getCertification().getLevel();
        if (body.getCertification().hasName()) state.name = body.getCertification().getName().cStr();
      }
    }
    state.policyVersion = policy.at(state.home, asOf).version();
    if (auto status = judge(judged, policy, state.home, asOf)) state.status = std::move(status.value());
    else state.refused = status.error();
    // A draw or replacement its seed and pools do not give is a finding too; a pool or seed log not
    // yet replicated here is not.
    if (!state.refused)
      if (auto rechecked = recheckPanel(snapshot, policy, judged, std::nullopt);
          !rechecked && rechecked.error().reason == Reason::DRAW_MISMATCH)
        state.refused = rechecked.error();
    out.push_back(std::move(state));
  }
  return out;
}

Result<Quarter> parseQuarter(std::string_view text) {
  int year = 0, number = 0;
  if (text.size() != 6 || text[4] != 'Q' || std::sscanf(std::string(text).c_str(), "%4dQ%1d", &year, &number) != 2 ||
      number < 1 || number > 4 || year < 2000)
    return refuse(Reason::MALFORMED_FILE, fmt::format("'{}' is not a quarter: write it as 2026Q3", text));
  return Quarter{year, number};
}

}  // namespace hreg::node
