#include "node/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ledger/merkle/hash.h"
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
    held.add(decision, pending);
    held.byTime();
    if (auto judged = judge(held, policy, home, asOf); !judged)
      return refuse(judged.error().reason, fmt::format("for {}: {}", subject, judged.error().detail));
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
