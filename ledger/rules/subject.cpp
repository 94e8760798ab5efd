#include "ledger/rules/subject.h"

#include <capnp/dynamic.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"
#include "ledger/rules/policy.h"
#include "protocol/canonical.h"

namespace hreg::rules {
namespace {

using Json = nlohmann::ordered_json;

std::string positionName(const Position& p) { return fmt::format("entry {} of {}", p.index, p.origin); }

Result<Bytes> base64Field(const Json& j, std::string_view field) {
  if (!j.contains(field) || !j[field].is_string())
    return refuse(Reason::MALFORMED_FILE, fmt::format("\"{}\" is missing or not a base64 string", field));
  auto bytes = fromBase64(j[field].get<std::string>());
  if (!bytes) return refuse(Reason::MALFORMED_FILE, fmt::format("\"{}\" is not padded standard base64", field));
  return std::move(*bytes);
}

Result<merkle::Hash> hashOf(const Json& j) {
  if (!j.is_string()) return refuse(Reason::MALFORMED_FILE, "a proof hash is not a hex string");
  auto bytes = fromHex(j.get<std::string>());
  if (!bytes || bytes->size() != merkle::HASH_BYTES)
    return refuse(Reason::MALFORMED_FILE, "a proof hash is not 64 hex digits");
  merkle::Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

Json proofJson(const map::Proof& proof) {
  Json siblings = Json::array();
  for (const merkle::Hash& h : proof.siblings) siblings.push_back(toHex(ByteView(h)));
  Json leaf = nullptr;
  if (proof.terminal)
    leaf = {{"key", toHex(ByteView(proof.terminal->key))},
            {"count", proof.terminal->value.count},
            {"newest", proof.terminal->value.newest},
            {"chain", toHex(ByteView(proof.terminal->value.chain))}};
  return {{"siblings", siblings}, {"leaf", leaf}};
}

Result<map::Proof> proofFromJson(const Json& j) {
  map::Proof proof;
  if (!j.is_object() || !j.contains("siblings") || !j["siblings"].is_array() || !j.contains("leaf"))
    return refuse(Reason::MALFORMED_FILE, "a map proof needs \"siblings\" (a list) and \"leaf\" (null or an object)");
  if (j["siblings"].size() > 256) return refuse(Reason::MALFORMED_FILE, "a map proof has more than 256 siblings");
  for (const Json& h : j["siblings"]) {
    HREG_TRY(hash, hashOf(h));
    proof.siblings.push_back(hash);
  }
  const Json& leaf = j["leaf"];
  if (leaf.is_null()) return proof;
  HREG_TRY(key, hashOf(leaf.at("key")));
  HREG_TRY(chain, hashOf(leaf.at("chain")));
  proof.terminal = map::Leaf{key, {leaf.at("count").get<std::uint64_t>(), leaf.at("newest").get<std::uint64_t>(), chain}};
  return proof;
}

// originCode is the division code a log's origin ends in ("hreg.example/140902" -> "140902").
std::string_view originCode(std::string_view origin) {
  auto slash = origin.rfind('/');
  return slash == std::string_view::npos ? origin : origin.substr(slash + 1);
}

// cosigners are the names of the chartered nodes whose cosignature lines on `checkpoint` verify.
ProvenLog provenLog(const note::Checkpoint& checkpoint, const std::vector<std::string>& lines,
                    const trust::AuthorityView& view, const trust::TrustAnchor& root) {
  ProvenLog out{checkpoint, 0, {}, 0};
  std::string body = checkpoint.body();
  for (const std::string& line : lines) {
    auto parsed = note::parseNote(fmt::format("x\n\n{}", line));
    if (!parsed || parsed.value().signatures.size() != 1) continue;
    const note::NoteSignature& sig = parsed.value().signatures.front();
    std::vector<trust::PublicKey> keys = view.checkpointKeysOf(sig.name);
    if (sig.name == root.origin) keys.push_back(root.checkpointKey);
    for (const trust::PublicKey& k : keys) {
      auto key = note::makeVerifierKey(sig.name, note::KeyType::COSIGNATURE_V1, k);
      if (!key || key.value().hash != sig.hash) continue;
      if (auto time = note::verifyCosignature(key.value(), body, sig)) {
        out.cosigners.push_back(sig.name);
        out.newestCosignature = std::max(out.newestCosignature, time.value());
        break;
      }
    }
  }
  return out;
}

}  // namespace

std::string kindName(schema::Body::Which kind) {
  auto fields = capnp::Schema::from<schema::Body>().getUnionFields();
  for (auto field : fields)
    if (field.getProto().getDiscriminantValue() == static_cast<std::uint16_t>(kind)) {
      std::string out;
      for (char c : std::string_view(field.getProto().getName().cStr())) {
        if (c >= 'A' && c <= 'Z') {
          out += '-';
          out += static_cast<char>(c - 'A' + 'a');
        } else {
          out += c;
        }
      }
      return out;
    }
  return fmt::format("kind-{}", static_cast<int>(kind));
}

std::string homeCode(std::string_view subject) {
  auto dash = subject.find('-');
  if (dash == std::string_view::npos || subject.size() < dash + 3 || subject[dash + 2] != '-') return "";
  std::string_view code = subject.substr(0, dash);
  char kind = subject[dash + 1];
  bool digits = !code.empty() && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  std::size_t n = code.size();
  if (!digits || (n != 2 && n != 4 && n != 6 && n != 9) || (kind != 'W' && kind != 'C')) return "";
  return std::string(code);
}

Result<void> jurisdiction(std::string_view origin, std::string_view rootOrigin, std::string_view subject) {
  std::string home = homeCode(subject);
  if (home.empty())
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("'{}' is not an identifier: write <division code>-W-<serial> "
                                                       "for a workshop, <division code>-C-<serial> for a craftsman",
                                                       subject));
  if (origin == rootOrigin || home.starts_with(originCode(origin))) return outcome::success();
  return refuse(Reason::OUT_OF_JURISDICTION,
                fmt::format("{} is registered in division {}; {} decides only about its own division and those "
                            "below it: submit it to the office of {} or one above", subject, home, origin, home));
}

Json toJson(const SubjectBundle& bundle) {
  Json logs = Json::array();
  for (std::size_t i = 0; i < bundle.logs.size(); ++i) {
    const trust::LogExtract& log = bundle.logs[i];
    Json entries = Json::array();
    for (const trust::ProvenEntry& e : log.entries) {
      Json proof = Json::array();
      for (const merkle::Hash& h : e.proof) proof.push_back(toHex(ByteView(h)));
      entries.push_back({{"index", e.index}, {"entry", toBase64(e.entry)}, {"proof", proof}});
    }
    Json maps = nullptr;
    if (i < bundle.maps.size())
      maps = {{"subject", proofJson(bundle.maps[i].subject)}, {"authority", proofJson(bundle.maps[i].authority)}};
    logs.push_back({{"origin", log.origin},
                    {"checkpoint", log.checkpoint},
                    {"cosignatures", i < bundle.cosignatures.size() ? bundle.cosignatures[i] : std::vector<std::string>{}},
                    {"entries", entries},
                    {"map", maps}});
  }
  Json decisions = Json::array();
  for (const Position& p : bundle.decisions) decisions.push_back({{"origin", p.origin}, {"index", p.index}});
  return {{"format", "hreg-subject-bundle/v2"}, {"subject", bundle.subject},   {"answeredBy", bundle.answeredBy},
          {"answeredAt", bundle.answeredAt},    {"decisions", decisions},     {"logs", logs}};
}

Result<SubjectBundle> subjectBundleFromJson(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return refuse(Reason::MALFORMED_FILE, "not a JSON object");
  if (j.value("format", "") != "hreg-subject-bundle/v2")
    return refuse(Reason::MALFORMED_FILE, "\"format\" is not \"hreg-subject-bundle/v2\" (a bundle without subject "
                                          "maps proves no completeness: fetch it again with `hreg proof`)");
  SubjectBundle b;
  try {
    b.subject = j.at("subject").get<std::string>();
    b.answeredBy = j.value("answeredBy", "");
    b.answeredAt = j.value("answeredAt", Timestamp{0});
    for (const Json& d : j.at("decisions"))
      b.decisions.push_back({d.at("origin").get<std::string>(), d.at("index").get<std::uint64_t>()});
    for (const Json& l : j.at("logs")) {
      trust::LogExtract log{l.at("origin").get<std::string>(), l.at("checkpoint").get<std::string>(), {}};
      for (const Json& e : l.at("entries")) {
        trust::ProvenEntry proven;
        proven.index = e.at("index").get<std::uint64_t>();
        HREG_TRY(entry, base64Field(e, "entry"));
        proven.entry = std::move(entry);
        for (const Json& h : e.at("proof")) {
          HREG_TRY(hash, hashOf(h));
          proven.proof.push_back(hash);
        }
        log.entries.push_back(std::move(proven));
      }
      if (!l.contains("map") || !l["map"].is_object())
        return refuse(Reason::MALFORMED_FILE, fmt::format("the extract of {} has no \"map\"", log.origin));
      MapProofs proofs;
      HREG_TRY(subject, proofFromJson(l["map"].value("subject", Json())));
      HREG_TRY(authority, proofFromJson(l["map"].value("authority", Json())));
      b.maps.push_back({std::move(subject), std::move(authority)});
      b.logs.push_back(std::move(log));
      b.cosignatures.push_back(l.value("cosignatures", std::vector<std::string>{}));
    }
  } catch (const Json::exception& e) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("a field is missing or of the wrong type: {}", e.what()));
  }
  return b;
}

Result<SubjectReport> checkSubject(const trust::TrustAnchor& root, const SubjectBundle& bundle, Timestamp asOf) {
  trust::AuthorityView authority(root);
  PolicyView policy(authority);
  RegistryAdmission admission(authority, policy);
  auto admit = [&](std::string_view origin, schema::SignedDecision::Reader decision) {
    return admission.admit(origin, decision);
  };

  struct Found {
    Bytes entry;  // the subject's decision, kept to replay it once everything is verified
    ProvenStep step;
  };
  std::map<std::pair<std::string, std::uint64_t>, Found> found;
  std::optional<Refusal> unentitled;
  std::vector<ProvenLog> logs;
  std::set<std::pair<std::string, std::uint64_t>> listed;
  for (const Position& p : bundle.decisions) listed.insert({p.origin, p.index});
  // What each extract holds, as its log's subject map counts it: about the subject, and authority.
  std::map<std::string, std::pair<map::Value, map::Value>, std::less<>> held;
  const std::string home = homeCode(bundle.subject);

  HREG_TRY(trust::verifyExtracts(root, bundle.logs, authority, admit, [&](const trust::ExtractEntry& e) {
    auto body = e.decision.getDecision().getBody();
    auto subjects = subjectsOf(body);
    bool about = std::find(subjects.begin(), subjects.end(), bundle.subject) != subjects.end();
    std::pair<std::string, std::uint64_t> key{e.log.origin, e.proven.index};
    auto& [aboutHeld, authorityHeld] = held[e.log.origin];
    const merkle::Hash leaf = merkle::leafHash(e.proven.entry);
    if (about) aboutHeld = map::extend(aboutHeld, e.proven.index, leaf);
    if (isAuthorityRecord(body.which())) authorityHeld = map::extend(authorityHeld, e.proven.index, leaf);
    if (about && !unentitled)
      if (auto within = jurisdiction(e.log.origin, root.origin, bundle.subject); !within)
        unentitled = Refusal{within.error().reason, fmt::format("{}: {}", positionName({e.log.origin, e.proven.index}),
                                                                within.error().detail)};
    if (!about) {
      if (listed.count(key) && !unentitled)
        unentitled = Refusal{Reason::SUBJECT_MISMATCH, fmt::format("{} is listed as a decision about {} but is not "
                                                                   "about it", positionName({e.log.origin, e.proven.index}),
                                                                   bundle.subject)};
      return;
    }
    if (!listed.count(key) && !unentitled)
      unentitled = Refusal{Reason::SUBJECT_MISMATCH,
                           fmt::format("{} is about {} but the bundle does not list it: the answer hides a decision",
                                       positionName({e.log.origin, e.proven.index}), bundle.subject)};
    if (!e.admitted && !unentitled)
      unentitled = Refusal{e.admitted.error().reason, fmt::format("{}: {}", positionName({e.log.origin, e.proven.index}),
                                                                  e.admitted.error().detail)};
    ProvenStep step;
    step.at = {e.log.origin, e.proven.index};
    step.decidedAt = e.decision.getDecision().getHeader().getTime();
    step.kind = body.which();
    step.policyVersion = policy.at(e.log.origin, step.decidedAt).version();
    for (auto sig : e.decision.getSignatures()) {
      trust::PublicKey k;
      auto id = sig.getKeyId();
      if (id.size() != k.size()) continue;
      std::copy(id.begin(), id.end(), k.begin());
      if (auto g = authority.officialAt(e.log.origin, k, step.decidedAt)) step.signers.push_back(g.value());
    }
    found[key] = Found{e.proven.entry, std::move(step)};
  }));
  if (unentitled) return outcome::failure(*unentitled);
  for (const Position& p : bundle.decisions)
    if (!found.count({p.origin, p.index}))
      return refuse(Reason::INDEX_OUT_OF_RANGE,
                    fmt::format("the bundle lists {} but holds no proven entry of it", positionName(p)));

  SubjectReport report;
  report.subject = bundle.subject;
  if (bundle.maps.size() != bundle.logs.size())
    return refuse(Reason::INCOMPLETE, "the bundle does not carry a subject map proof for each log");
  for (std::size_t i = 0; i < bundle.logs.size(); ++i) {
    const std::string& origin = bundle.logs[i].origin;
    auto n = note::parseNote(bundle.logs[i].checkpoint);
    auto c = n ? note::parseCheckpoint(n.value().text) : Result<note::Checkpoint>(n.error());
    if (!c) return outcome::failure(c.error());  // verifyExtracts checked it
    HREG_TRY(mapRoot, map::rootOf(c.value()));
    const auto& [aboutHeld, authorityHeld] = held[origin];
    HREG_TRY(aboutProven, map::verify(mapRoot, map::subjectKey(bundle.subject), bundle.maps[i].subject));
    HREG_TRY(authorityProven, map::verify(mapRoot, map::authorityKey(), bundle.maps[i].authority));
    if (aboutProven.value_or(map::Value{}) != aboutHeld)
      return refuse(Reason::INCOMPLETE,
                    fmt::format("{} holds {} entries about {} up to its checkpoint of size {}, the bundle {}: the "
                                "answer leaves decisions out (a hidden revocation?); do not trust it",
                                origin, aboutProven ? aboutProven->count : 0, bundle.subject, c.value().size,
                                aboutHeld.count));
    if (authorityProven.value_or(map::Value{}) != authorityHeld)
      return refuse(Reason::INCOMPLETE,
                    fmt::format("{} holds {} authority records up to its checkpoint of size {}, the bundle {}: the "
                                "answer leaves a charter, grant or revocation out; do not trust it",
                                origin, authorityProven ? authorityProven->count : 0, c.value().size,
                                authorityHeld.count));
    ProvenLog proven = provenLog(c.value(), i < bundle.cosignatures.size() ? bundle.cosignatures[i]
                                                                           : std::vector<std::string>{},
                                 authority, root);
    proven.aboutSubject = aboutHeld.count;
    report.logs.push_back(std::move(proven));
  }
  // Every log that may hold a decision about the subject: the root log, and every log ever
  // chartered on its path (their charters are complete: the authority chains above).
  std::vector<std::string> required{root.origin};
  if (!home.empty())
    for (std::string& o : authority.originsOnPath(home)) required.push_back(std::move(o));
  for (const std::string& o : required)
    if (std::none_of(bundle.logs.begin(), bundle.logs.end(), [&](const trust::LogExtract& l) { return l.origin == o; }))
      return refuse(Reason::INCOMPLETE, fmt::format("the bundle holds no extract of {}, which may hold decisions about "
                                                    "{}: the answer may leave decisions out", o, bundle.subject));

  // The subject's decisions in time order; within one time, in the order of the logs' chain.
  std::vector<const Found*> ordered;
  for (const auto& [key, f] : found) ordered.push_back(&f);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Found* a, const Found* b) {
    return std::pair(a->step.decidedAt, a->step.at.index) < std::pair(b->step.decidedAt, b->step.at.index);
  });
  std::vector<protocol::Parsed<schema::Entry>> parsed;
  std::vector<schema::Decision::Reader> decisions;
  std::vector<DecisionAt> positions;  // where each stands, so the lifecycle checks the EntryRefs
  parsed.reserve(ordered.size());
  for (const Found* f : ordered) {
    parsed.push_back(protocol::parseEntry(f->entry).value());
    decisions.push_back(parsed.back().reader().getSigned().getDecision());
    positions.push_back({f->step.at.origin, f->step.at.index, merkle::leafHash(f->entry)});
    report.steps.push_back(f->step);
  }

  // Judged under the policy in force at the subject's home log (its code), else its first log.
  std::string homeLog = ordered.empty() ? bundle.answeredBy : ordered.front()->step.at.origin;
  if (!home.empty())
    for (const trust::LogExtract& log : bundle.logs)
      if (log.origin.size() > home.size() && log.origin.ends_with("/" + home)) homeLog = log.origin;
  EffectivePolicy now = policy.at(homeLog, asOf);
  report.policyVersion = now.version();
  auto calendar = now.calendar();
  if (!calendar) return outcome::failure(calendar.error());
  PolicyAt policyAt = [&](Timestamp t) { return LifecyclePolicy::from(policy.at(homeLog, t)); };
  HREG_TRY(status, status(decisions, positions, policyAt, calendar.value(), asOf));
  report.status = std::move(status);
  return report;
}

}  // namespace hreg::rules
