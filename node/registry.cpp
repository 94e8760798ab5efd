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

}  // namespace

std::vector<SubjectState> registryStates(const store::Snapshot& snapshot, const SubjectIndex& index,
                                         const rules::PolicyView& policy, std::string_view region, Timestamp asOf) {
  std::vector<SubjectState> out;
  std::vector<std::string> origins = snapshot.origins();
  for (const std::string& subject : index.subjectIds(region)) {
    std::string code = rules::homeCode(subject);
    SubjectState state;
    state.subject = subject;
    state.home = originOfCode(origins, code);
    std::vector<protocol::Parsed<schema::Entry>> entries;
    for (const rules::Position& p : index.positions(subject)) {
      auto bytes = snapshot.entry(p.origin, p.index);
      if (!bytes) continue;
      auto parsed = protocol::parseEntry(*bytes);
      if (parsed) entries.push_back(std::move(parsed.value()));
    }
    std::vector<schema::Decision::Reader> decisions;
    for (const auto& e : entries)  // as of `asOf`: later decisions had not been made
      if (auto d = e.reader().getSigned().getDecision(); d.getHeader().getTime() <= asOf) decisions.push_back(d);
    std::stable_sort(decisions.begin(), decisions.end(), [](auto a, auto b) {
      return a.getHeader().getTime() < b.getHeader().getTime();
    });
    if (state.home.empty() && !decisions.empty()) state.home = decisions.front().getHeader().getOrigin().cStr();
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
    rules::EffectivePolicy now = policy.at(state.home, asOf);
    state.policyVersion = now.version();
    auto calendar = now.calendar();
    if (!calendar) {
      state.refused = calendar.error();
    } else {
      rules::PolicyAt policyAt = [&](Timestamp t) { return rules::LifecyclePolicy::from(policy.at(state.home, t)); };
      auto status = rules::status(decisions, policyAt, calendar.value(), asOf);
      if (status) state.status = std::move(status.value());
      else state.refused = status.error();
    }
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
