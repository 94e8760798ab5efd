#pragma once
// The plaque index of one node: for every plaque (牌匾) number a certification or a legacy import in
// the logs the node holds names, the subject it was given to. GET /v1/subject?plaque= resolves a number
// here, then looks the subject up as ?id= does (node/lookup.h). A number named more than once (a plaque
// reissued after a revocation, or a clerical clash) resolves to the newest naming by decision time,
// and the answer lists the earlier ones. Nothing here is proven: the asker checks that the proven
// record of the subject carries the number (docs/protocol.md, "Lookups across regions"). Left out:
// resolving a number the node does not hold (the wire protocol asks by identifier only).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/rules/subject.h"
#include "ledger/store/store.h"

namespace hreg::node {

// PlaqueNaming is one record naming a plaque number: whom it gave it to, where, and when decided.
struct PlaqueNaming {
  std::string subject;
  rules::Position at;
  Timestamp decidedAt = 0;
};

// PlaqueResolution is what a plaque number resolves to here: the newest naming, and the earlier ones
// (newest first) that named it to a subject, the same or another.
struct PlaqueResolution {
  std::string plaque;
  PlaqueNaming newest;
  std::vector<PlaqueNaming> earlier;
};

// plaqueOf is the plaque number a record gives, or "" (only a certification or a legacy import gives one).
[[nodiscard]] std::string plaqueOf(schema::Body::Reader body);

class PlaqueIndex {
 public:
  // update indexes the entries committed since the last update, up to each log's newest checkpoint.
  // Throws Fault if a stored entry cannot be read (the store is damaged: run whole-log verification).
  void update(const store::Snapshot& snapshot);
  // add records one naming; update calls it for each record that gives a plaque.
  void add(const std::string& plaque, PlaqueNaming naming);
  // resolve is what `plaque` resolves to, or nullopt when no record held here names it.
  [[nodiscard]] std::optional<PlaqueResolution> resolve(std::string_view plaque) const;

 private:
  std::map<std::string, std::uint64_t, std::less<>> indexed_;              // per log: entries [0, n) indexed
  std::map<std::string, std::vector<PlaqueNaming>, std::less<>> byPlaque_;  // in the order indexed
};

}  // namespace hreg::node
