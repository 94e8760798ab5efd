#pragma once
// The subject index of one node: for every workshop or craftsman identifier, the entries about it in
// the logs the node holds, and for every log, its authority and policy records. Kept in memory and
// brought up to date from the store before each lookup, so it sees exactly the committed entries
// under each log's newest checkpoint (the ones a proof can be given for). A bundle answering a
// lookup is made from it (rules::SubjectBundle).
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/rules/subject.h"
#include "ledger/store/store.h"
#include "ledger/trust/authority.h"

namespace hreg::node {

class SubjectIndex {
 public:
  // update indexes the entries committed since the last update, up to each log's newest checkpoint.
  // Throws Fault if a stored entry cannot be read (the store is damaged: run whole-log verification).
  void update(const store::Snapshot& snapshot);

  // positions are the entries about `subject`, log by log in index order.
  [[nodiscard]] std::vector<rules::Position> positions(std::string_view subject) const;

  // MapOf is the subject map of a held log at its newest checkpoint.
  using MapOf = std::function<const map::SubjectMap&(const std::string& origin)>;

  // bundle proves the entries about `subject` in the root log `rootOrigin`, in every log chartered on
  // the subject's path and in every log holding one, and the authority records of those logs and of
  // every log above them; each log against its newest checkpoint, with the cosignatures held on it
  // and the proofs of its subject map that nothing was left out. Empty `decisions` when the node
  // holds nothing about the subject.
  [[nodiscard]] rules::SubjectBundle bundle(const store::Snapshot& snapshot, const trust::AuthorityView& authority,
                                            const std::string& rootOrigin, std::string_view subject,
                                            const MapOf& mapOf) const;

  // subjectIds are the identifiers whose code starts with `region` ("" for all), in order.
  [[nodiscard]] std::vector<std::string> subjectIds(std::string_view region) const;

  // subjects is how many identifiers the index knows.
  [[nodiscard]] std::size_t subjects() const { return bySubject_.size(); }

 private:
  struct Log {
    std::uint64_t indexed = 0;             // entries [0, indexed) are indexed
    std::vector<std::uint64_t> authority;  // indexes of authority and policy records
  };
  std::map<std::string, Log, std::less<>> logs_;
  std::map<std::string, std::vector<rules::Position>, std::less<>> bySubject_;
};

}  // namespace hreg::node
