#pragma once
// A subject's record, proven: which entries are about a workshop or craftsman, the proof bundle a
// node answers a lookup with, and its check from the trust root alone — every entry authentic and
// entitled, the policy each step was judged under, and the status the lifecycle derives from them
// (docs/formats.md, "Subject bundles"), complete: each log's subject map, which its checkpoint signs,
// proves that no entry about the subject was left out, and jurisdiction that no other log holds one
// (docs/trust.md, "Completeness").
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/map/subject-map.h"
#include "ledger/rules/lifecycle.h"
#include "ledger/trust/authority.h"
#include "ledger/trust/bundle.h"

namespace hreg::rules {

// subjectsOf (the subjects a record is about) and isAuthorityRecord (a record a verifier needs to
// judge others): the subject map's, so that a map and a bundle agree on what "about" means.
using map::isAuthorityRecord;
using map::subjectsOf;

// kindName is the kebab-case name of a record kind, from the schema: "joint-review-finding".
[[nodiscard]] std::string kindName(schema::Body::Which kind);

// homeCode is the division code an identifier names ("140902-W-0001" -> "140902"), or "" when the
// identifier does not have the form <code>-<W|C>-<serial> (registry.capnp).
[[nodiscard]] std::string homeCode(std::string_view subject);

// jurisdiction decides whether the log `origin` may hold a decision about `subject`: the root log
// `rootOrigin` may, and a log whose division code (the last part of its origin) the subject's home
// code starts with (its home division, or one above it). Refuses OUT_OF_JURISDICTION, and
// MALFORMED_ENTRY for a subject that is not an identifier <code>-<W|C>-<serial>.
[[nodiscard]] Result<void> jurisdiction(std::string_view origin, std::string_view rootOrigin, std::string_view subject);

struct Position {
  std::string origin;
  std::uint64_t index = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

// SubjectBundle is a node's answer to a lookup: extracts of the logs that hold entries about the
// subject and of the logs above them (their authority and policy records), each proven against a
// signed checkpoint, with the cosignatures the node holds on it.
// MapProofs prove, from one extract's checkpoint, what its log holds about the subject and which
// authority records it holds (docs/formats.md, "Subject maps").
struct MapProofs {
  map::Proof subject;
  map::Proof authority;
};

struct SubjectBundle {
  std::string subject;
  std::string answeredBy;                 // the log of the node that answered
  Timestamp answeredAt = 0;               // its clock
  std::vector<trust::LogExtract> logs;
  std::vector<std::vector<std::string>> cosignatures;  // per extract, cosignature lines on its checkpoint
  std::vector<MapProofs> maps;                          // per extract
  std::vector<Position> decisions;        // the subject's entries, in the order the node found them
};

// toJson / subjectBundleFromJson: the bundle file (docs/formats.md, "Subject bundles"). Parsing
// refuses MALFORMED_FILE naming the field that is missing or wrong.
[[nodiscard]] nlohmann::ordered_json toJson(const SubjectBundle& bundle);
[[nodiscard]] Result<SubjectBundle> subjectBundleFromJson(std::string_view text);

// ProvenStep is one decision about the subject, authentic and entitled.
struct ProvenStep {
  Position at;
  Timestamp decidedAt = 0;
  schema::Body::Which kind;
  std::vector<trust::OfficialGrant> signers;  // as the grants in the bundle name them
  std::string policyVersion;                  // the policy in force at its log on its date
};

struct ProvenLog {
  note::Checkpoint checkpoint;
  std::uint64_t aboutSubject = 0;      // entries about the subject, all of them by the log's subject map
  std::vector<std::string> cosigners;  // names of the keys whose cosignature lines verify
  Timestamp newestCosignature = 0;     // 0: none
};

// SubjectReport is what a checked bundle proves.
struct SubjectReport {
  std::string subject;
  Status status;                        // the lifecycle's stage, deadlines and derived consequences
  std::vector<ProvenStep> steps;        // the subject's decisions, in time order
  std::vector<ProvenLog> logs;          // each extract's checkpoint, as verified
  std::string policyVersion;            // in force at the subject's home log at asOf
};

// checkSubject verifies `bundle` from `root` alone and replays the subject's decisions through the
// lifecycle as of `asOf`. Refuses: whatever trust::verifyExtracts refuses; an entry about the subject
// that is unentitled (its reason, naming the entry); an extract entry about the subject the bundle
// does not list, or a listed one that is not about it (SUBJECT_MISMATCH); a listed entry missing
// from the extracts (INDEX_OUT_OF_RANGE); an entry about the subject in a log off its path
// (OUT_OF_JURISDICTION); a map proof that does not verify (MAP_MISMATCH, ROOT_MISMATCH,
// MALFORMED_PROOF); an extract holding fewer entries about the subject, or fewer authority records,
// than its log's subject map proves, or a missing extract of the root log or of a log chartered on
// the subject's path (INCOMPLETE); the lifecycle's refusal of the sequence (WRONG_STAGE, …), which
// checks each EntryRef against where the decisions stand (PREREQUISITE_MISSING for one naming another
// record than it should).
[[nodiscard]] Result<SubjectReport> checkSubject(const trust::TrustAnchor& root, const SubjectBundle& bundle,
                                                 Timestamp asOf);

}  // namespace hreg::rules
