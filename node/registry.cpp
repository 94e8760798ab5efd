#include "node/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

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

// heldEntries are the entries about `subject` in `snapshot`, parsed.
std::vector<protocol::Parsed<schema::Entry>> heldEntries(const store::Snapshot& snapshot, const SubjectIndex& index,
                                                         std::string_view subject) {
  std::vector<protocol::Parsed<schema::Entry>> entries;
  for (const rules::Position& p : index.positions(subject)) {
    auto bytes = snapshot.entry(p.origin, p.index);
    if (!bytes) continue;
    if (auto parsed = protocol::parseEntry(*bytes)) entries.push_back(std::move(parsed.value()));
  }
  return entries;
}

void byTime(std::vector<schema::Decision::Reader>& decisions) {
  std::stable_sort(decisions.begin(), decisions.end(), [](auto a, auto b) {
    return a.getHeader().getTime() < b.getHeader().getTime();
  });
}

// homeOf is the log whose policy judges a subject: the one its code names, else `fallback`.
std::string homeOf(const std::vector<std::string>& origins, std::string_view subject, std::string fallback) {
  std::string home = originOfCode(origins, rules::homeCode(subject));
  return home.empty() ? fallback : home;
}

Result<rules::Status> judge(std::span<const schema::Decision::Reader> decisions, const rules::PolicyView& policy,
                            const std::string& home, Timestamp asOf) {
  rules::EffectivePolicy now = policy.at(home, asOf);
  HREG_TRY(calendar, now.calendar());
  rules::PolicyAt policyAt = [&](Timestamp t) { return rules::LifecyclePolicy::from(policy.at(home, t)); };
  return rules::status(decisions, policyAt, calendar, asOf);
}

}  // namespace

Result<void> lifecycleAdmits(const store::Snapshot& snapshot, const SubjectIndex& index, const rules::PolicyView& policy,
                             schema::Decision::Reader decision, Timestamp asOf) {
  // Only the kinds a transition table has rows for (workshops' or craftsmen's): policy, expert pools
  // and quarterly reports are no step of a subject's lifecycle.
  if (!rules::lifecycleJudges(decision.getBody().which())) return outcome::success();
  std::vector<std::string> origins = snapshot.origins();
  for (const std::string& subject : rules::subjectsOf(decision.getBody())) {
    auto entries = heldEntries(snapshot, index, subject);
    std::vector<schema::Decision::Reader> held;
    for (const auto& e : entries) held.push_back(e.reader().getSigned().getDecision());
    byTime(held);
    std::string home = homeOf(origins, subject, decision.getHeader().getOrigin().cStr());
    if (!judge(held, policy, home, asOf)) continue;  // already a finding; not this decision's fault
    held.push_back(decision);
    byTime(held);
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
    auto entries = heldEntries(snapshot, index, subject);
    std::vector<schema::Decision::Reader> decisions;
    for (const auto& e : entries)  // as of `asOf`: later decisions had not been made
      if (auto d = e.reader().getSigned().getDecision(); d.getHeader().getTime() <= asOf) decisions.push_back(d);
    byTime(decisions);
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
    if (auto status = judge(decisions, policy, state.home, asOf)) state.status = std::move(status.value());
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
