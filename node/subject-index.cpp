#include "node/subject-index.h"

#include <fmt/format.h>

#include <set>

#include "protocol/canonical.h"
#include "protocol/core/result.h"

namespace hreg::node {

void SubjectIndex::update(const store::Snapshot& snapshot) {
  for (const std::string& origin : snapshot.origins()) {
    auto state = snapshot.log(origin);
    if (!state) continue;
    Log& log = logs_[origin];
    if (state->checkpointSize <= log.indexed) continue;
    snapshot.forEachEntry(origin, log.indexed, state->checkpointSize, [&](std::uint64_t index, ByteView bytes) {
      auto parsed = protocol::parseEntry(bytes);
      if (!parsed) fail(fmt::format("entry {} of {} in the store cannot be read ({}); run hreg tlog audit on the store",
                                    index, origin, parsed.error().detail));
      auto body = parsed.value().reader().getSigned().getDecision().getBody();
      if (rules::isAuthorityRecord(body.which())) log.authority.push_back(index);
      for (std::string& subject : rules::subjectsOf(body)) bySubject_[std::move(subject)].push_back({origin, index});
      return true;
    });
    log.indexed = state->checkpointSize;
  }
}

std::vector<rules::Position> SubjectIndex::positions(std::string_view subject) const {
  auto it = bySubject_.find(subject);
  return it == bySubject_.end() ? std::vector<rules::Position>{} : it->second;
}

std::vector<std::string> SubjectIndex::subjectIds(std::string_view region) const {
  std::vector<std::string> out;
  for (auto it = bySubject_.lower_bound(region); it != bySubject_.end() && it->first.starts_with(region); ++it)
    out.push_back(it->first);
  return out;
}

rules::SubjectBundle SubjectIndex::bundle(const store::Snapshot& snapshot, const trust::AuthorityView& authority,
                                          const std::string& rootOrigin, std::string_view subject,
                                          const MapOf& mapOf) const {
  rules::SubjectBundle out;
  out.subject = std::string(subject);
  out.decisions = positions(subject);
  // The logs that may hold the subject's entries (the root log, those chartered on its path), those
  // that do, and every log above them up to the root log.
  std::map<std::string, std::set<std::uint64_t>> wanted;
  auto want = [&](const std::string& origin) {
    wanted[origin];
    for (auto above = authority.charteredBy(origin); above; above = authority.charteredBy(*above)) wanted[*above];
  };
  want(rootOrigin);
  if (std::string code = rules::homeCode(subject); !code.empty())
    for (const std::string& origin : authority.originsOnPath(code)) want(origin);
  for (const rules::Position& p : out.decisions) {
    want(p.origin);
    wanted[p.origin].insert(p.index);
  }
  const map::Key subjectKey = map::subjectKey(subject);
  for (auto& [origin, indexes] : wanted) {
    if (auto log = logs_.find(origin); log != logs_.end()) indexes.insert(log->second.authority.begin(), log->second.authority.end());
    auto state = snapshot.log(origin);
    if (!state) continue;  // not held here: the asker's check says the answer is incomplete
    std::vector<std::uint64_t> proven;
    for (std::uint64_t i : indexes)
      if (i < state->checkpointSize) proven.push_back(i);
    out.logs.push_back(trust::extractLog(snapshot, origin, proven));
    out.cosignatures.push_back(snapshot.cosignatures(origin, state->checkpointSize));
    const map::SubjectMap& subjects = mapOf(origin);
    out.maps.push_back({subjects.prove(subjectKey), subjects.prove(map::authorityKey())});
  }
  return out;
}

}  // namespace hreg::node
