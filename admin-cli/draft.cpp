// `hreg draft`, `hreg show`, `hreg sign`: officials drafting and co-signing decision files offline
// (admin-cli/decision-file.h; docs/user-guide.md, "Drafting and co-signing a decision"). A draft is
// written unsigned; each official checks it with `show` and adds a signature with `sign`; `show` says
// which departments' signatures the signing rule still needs. Nothing here talks to a node: the
// officials a node grants come in as the file GET /v1/officials answers (--officials).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <capnp/message.h>
#include <fmt/format.h>
#include <sodium.h>
#include <toml++/toml.h>

#include "admin-cli/commands.h"
#include "admin-cli/decision-file.h"
#include "admin-cli/decision-json.h"
#include "admin-cli/keystore.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/log/signing.h"
#include "ledger/rules/calendar.h"
#include "ledger/rules/date.h"
#include "ledger/rules/lifecycle.h"
#include "ledger/rules/office-policy.h"
#include "ledger/rules/subject.h"
#include "ledger/trust/authority.h"
#include "ledger/trust/signing-rules.h"
#include "protocol/canonical.h"
#include "protocol/limits.h"

namespace hreg::cli {
namespace {

using tlog::UsageError;
using Which = schema::Body::Which;

// An officials file (GET /v1/officials) is a few hundred bytes per official; 4 MiB holds any office.
constexpr std::size_t MAX_OFFICIALS_FILE_BYTES = 4 << 20;
// A --from file holds one record's fields; a record is at most one entry.
constexpr std::size_t MAX_FROM_FILE_BYTES = limits::MAX_ENTRY_BYTES * 4;

// --- officials (GET /v1/officials) --------------------------------------------------------------------

struct Official {
  std::string person, department;
  std::vector<std::string> roles;
  Timestamp validFrom = 0, validUntil = 0;  // validUntil 0: no end
  bool revoked = false;
};

struct Officials {
  std::string file, origin;
  std::map<std::string, Official> byKey;  // lowercase hex of the key
  std::optional<rules::OfficePolicy> policy;  // what the node said is in force there (its "policy")
};

Officials readOfficials(const std::string& file) {
  std::string text = tlog::readInput(file, MAX_OFFICIALS_FILE_BYTES + 1);
  const std::string name = tlog::displayName(file);
  if (text.size() > MAX_OFFICIALS_FILE_BYTES)
    throw UsageError(fmt::format("{}: longer than {} bytes; this is not a node's officials list", name,
                                 MAX_OFFICIALS_FILE_BYTES));
  auto bad = [&](std::string_view what) {
    return UsageError(fmt::format("{}: {}; save the answer of GET /v1/officials?origin=<log> from your node "
                                  "(curl -s http://HOST:PORT/v1/officials > officials.json)", name, what));
  };
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw bad("not a JSON object");
  if (!j.contains("origin") || !j["origin"].is_string()) throw bad("no \"origin\" string");
  if (!j.contains("officials") || !j["officials"].is_array()) throw bad("no \"officials\" array");
  Officials out{file, j["origin"].get<std::string>(), {}, std::nullopt};
  if (j.contains("policy")) {
    auto policy = rules::officePolicyFromJson(j["policy"]);
    if (!policy) throw bad(policy.error().detail);
    out.policy = std::move(policy).value();
  }
  std::size_t i = 0;
  for (const Json& o : j["officials"]) {
    auto where = [&](std::string_view field) { return fmt::format("officials[{}].{}", i, field); };
    if (!o.is_object()) throw bad(fmt::format("officials[{}] is not an object", i));
    auto textOf = [&](std::string_view field) {
      if (!o.contains(field) || !o[field].is_string()) throw bad(fmt::format("{} is not a string", where(field)));
      return o[field].get<std::string>();
    };
    auto number = [&](std::string_view field) -> Timestamp {
      if (!o.contains(field)) return 0;
      if (!o[field].is_number_integer()) throw bad(fmt::format("{} is not an integer", where(field)));
      return o[field].get<Timestamp>();
    };
    std::string key = textOf("key");
    auto bytes = fromHex(key);
    if (!bytes || bytes->size() != crypto::PUBLIC_KEY_BYTES) throw bad(fmt::format("{} is not 64 hex digits", where("key")));
    Official official{textOf("person"), textOf("department"), {}, number("validFrom"), number("validUntil"), false};
    if (o.contains("roles")) {
      if (!o["roles"].is_array()) throw bad(fmt::format("{} is not an array", where("roles")));
      for (const Json& r : o["roles"]) {
        if (!r.is_string()) throw bad(fmt::format("{} holds a non-string", where("roles")));
        official.roles.push_back(r.get<std::string>());
      }
    }
    if (o.contains("revoked")) {
      if (!o["revoked"].is_boolean()) throw bad(fmt::format("{} is not true or false", where("revoked")));
      official.revoked = o["revoked"].get<bool>();
    }
    out.byKey[toHex(*bytes)] = std::move(official);
    ++i;
  }
  return out;
}

// --- what a decision file holds, checked ---------------------------------------------------------------

struct SignatureCheck {
  std::string key;                   // hex
  bool valid = false;                // verifies over the signing message
  const Official* official = nullptr;  // as --officials names it
  std::string problem;               // why the official does not count for the rule, if so
};

struct Summary {
  Which kind;
  std::string origin;
  Timestamp time = 0;
  std::vector<std::string> subjects;
  Json record;
  std::vector<SignatureCheck> signatures;
  trust::SigningRule rule;
  std::string recordDepartment;      // for a rule naming "the record's department"
  std::vector<std::string> missing;  // department ids, or "authority keys" / "trust root keys"
  std::vector<std::string> warnings;
  bool officialsKnown = false;
  std::string ruleSource;              // whose rule `rule` is, for people
  std::vector<std::string> deadlines;  // the periods the decision opens, counted in working days
};

// levelOfOrigin is the level an origin's division code names ("hreg.example/140902" -> county).
std::optional<schema::Level> levelOfOrigin(std::string_view origin) {
  std::string_view code = origin.substr(origin.rfind('/') + 1);
  if (code.empty() || code.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  switch (code.size()) {
    case 2: return schema::Level::PROVINCE;
    case 4: return schema::Level::PREFECTURE;
    case 6: return schema::Level::COUNTY;
    case 9: return schema::Level::TOWNSHIP;
    default: return std::nullopt;
  }
}


bool hasRole(const Official& o, const std::string& role) {
  return std::find(o.roles.begin(), o.roles.end(), role) != o.roles.end();
}

// missingOfficials are the rule's departments that no counted signer with the rule's role covers.
std::vector<std::string> missingOfficials(const Summary& s) {
  std::vector<std::string> missing;
  for (std::string department : s.rule.departments) {
    if (department == trust::RECORD_DEPARTMENT) department = s.recordDepartment.empty() ? "the record's department"
                                                                                        : s.recordDepartment;
    bool covered = false;
    for (const SignatureCheck& sig : s.signatures)
      covered = covered || (sig.valid && sig.official && sig.problem.empty() && sig.official->department == department &&
                            hasRole(*sig.official, s.rule.role));
    if (!covered) missing.push_back(department);
  }
  return missing;
}

// deadlinesOf says when the periods a decision opens end (docs/rules.md): objections to a notice,
// an appeal against a proposed revocation, and the supervisory deadlines to verify an objection and
// re-examine an appeal. Counted on the office's calendar and periods when the officials file gives
// them, else on hreg's built-in periods and weekends alone, which it says.
std::vector<std::string> deadlinesOf(schema::Body::Reader body, Timestamp decided,
                                     const std::optional<rules::OfficePolicy>& policy) {
  struct Period {
    const char* setting;
    Timestamp from;
    const char* what;
  };
  std::optional<Period> p;
  switch (body.which()) {
    case Which::NOTICE:
      p = Period{"notice.working-days", body.getNotice().getPublishedAt(), "objections are received until"};
      break;
    case Which::REVOCATION_PROPOSAL:
      p = Period{"appeal.working-days", body.getRevocationProposal().getServedAt(), "the workshop may appeal until"};
      break;
    case Which::OBJECTION:
      p = Period{"objection.verification-working-days", body.getObjection().getReceivedAt(),
                 "to be verified (supervisory) by"};
      break;
    case Which::APPEAL:
      p = Period{"appeal.review-working-days", body.getAppeal().getReceivedAt(), "to be re-examined (supervisory) by"};
      break;
    default: return {};
  }
  if (p->from == 0) p->from = decided;
  rules::LifecyclePolicy builtIn;
  std::int64_t days = policy ? policy->periods.at(p->setting)
                     : std::string_view(p->setting) == "notice.working-days"       ? builtIn.noticeWorkingDays
                     : std::string_view(p->setting) == "appeal.working-days"       ? builtIn.appealWorkingDays
                     : std::string_view(p->setting) == "appeal.review-working-days" ? builtIn.appealReviewWorkingDays
                                                                                    : builtIn.objectionVerificationWorkingDays;
  rules::Calendar weekendsOnly;
  const rules::Calendar& calendar = policy ? policy->calendar : weekendsOnly;
  rules::Deadline d = calendar.deadlineAfter(p->from, static_cast<int>(days));
  return {fmt::format("{} the end of {} ({} working days from {}, {}; {}{})", p->what, rules::formatDate(d.lastDay),
                      days, rules::formatDate(rules::dateOf(p->from)), p->setting, rules::describeCoverage(d.coverage),
                      policy ? "" : ", built-in periods: pass --officials FILE for the office's own")};
}

Summary summarize(const DecisionFile& file, const std::optional<Officials>& officials) {
  auto decision = file.decision.reader().getDecision();
  auto body = decision.getBody();
  Summary s{body.which(), decision.getHeader().getOrigin().cStr(), decision.getHeader().getTime(),
            rules::subjectsOf(body), recordJson(body), {}, trust::SigningRules::defaults().ruleFor(body.which()),
            "", {}, {}, officials.has_value(), "", {}};
  if (officials && officials->policy && officials->policy->signing.contains(s.kind)) {
    s.rule = officials->policy->signing.at(s.kind);
    s.ruleSource = fmt::format("the signing rule in force at {} ({}), as {} records it; the node judges again "
                               "when you submit", officials->origin, officials->policy->version, officials->file);
  } else {
    s.ruleSource = fmt::format("hreg's default signing rules; when you submit, {}'s node judges under the policy in "
                               "force at its log{}", s.origin,
                               officials ? "" : " (pass --officials FILE, saved by `hreg officials -o`, for it)");
  }
  s.deadlines = deadlinesOf(body, decision.getHeader().getTime(), officials ? officials->policy : std::nullopt);
  if (s.record.is_object() && s.record.contains("department") && s.record["department"].is_string())
    s.recordDepartment = s.record["department"].get<std::string>();
  auto message = protocol::signingMessageOf(file.bytes, decision);
  for (auto sig : file.decision.reader().getSignatures()) {
    auto key = sig.getKeyId();
    auto signature = sig.getSignature();
    SignatureCheck check;
    check.key = toHex(ByteView(key.begin(), key.size()));
    check.valid = crypto::verify(ByteView(key.begin(), key.size()), message.bytes(),
                                 ByteView(signature.begin(), signature.size()));
    if (officials) {
      auto found = officials->byKey.find(check.key);
      if (found == officials->byKey.end()) {
        check.problem = fmt::format("not an official of {} (by {})", officials->origin, officials->file);
      } else {
        const Official& o = found->second;
        check.official = &o;
        if (o.revoked) check.problem = "the grant of this key is revoked";
        else if (s.time < o.validFrom || (o.validUntil != 0 && s.time >= o.validUntil))
          check.problem = fmt::format("the grant is valid from {} until {}, not at the decision's time",
                                      beijingTimeForPeople(o.validFrom),
                                      o.validUntil ? beijingTimeForPeople(o.validUntil) : "no end");
      }
    }
    s.signatures.push_back(std::move(check));
  }
  switch (s.rule.signers) {
    case trust::Signers::ROOT:
      if (s.signatures.empty()) s.missing.push_back("trust root keys");
      break;
    case trust::Signers::AUTHORITY:
      if (s.signatures.empty()) s.missing.push_back("authority keys");
      break;
    case trust::Signers::OFFICIALS: s.missing = missingOfficials(s); break;
  }
  auto level = levelOfOrigin(s.origin);
  if (!s.rule.levels.empty() && level &&
      std::find(s.rule.levels.begin(), s.rule.levels.end(), *level) == s.rule.levels.end())
    s.warnings.push_back(fmt::format("a {} office does not make a {} (wrong-level): draft it for the log of the "
                                     "office that decides it", trust::levelName(*level), rules::kindName(s.kind)));
  if (s.rule.signers == trust::Signers::OFFICIALS && s.subjects.empty())
    s.warnings.push_back("the record names no subject: set it with --subject");
  return s;
}

// badSignature refuses a file one of whose signatures does not verify: it was altered after signing.
std::optional<Refusal> badSignature(const Summary& s) {
  for (std::size_t i = 0; i < s.signatures.size(); ++i)
    if (!s.signatures[i].valid)
      return Refusal{Reason::BAD_SIGNATURE,
                     fmt::format("signature {} (key {}) does not verify: the decision was altered after it was "
                                 "signed; do not sign or submit it, ask the official who sent it for the file again",
                                 i + 1, s.signatures[i].key)};
  return std::nullopt;
}

std::string subjectText(const Summary& s) {
  std::string out;
  for (const std::string& subject : s.subjects) out += (out.empty() ? "" : ", ") + subject;
  return out;
}

// ruleDepartments are the departments the rule names, the record's own in place of "*record*".
std::vector<std::string> ruleDepartments(const Summary& s) {
  std::vector<std::string> departments;
  for (const std::string& d : s.rule.departments)
    departments.push_back(d == trust::RECORD_DEPARTMENT ? (s.recordDepartment.empty() ? "the record's department"
                                                                                      : s.recordDepartment)
                                                        : d);
  return departments;
}

// requirementText says who the rule asks for, e.g. "a reviewer of each of culture, rural".
std::string requirementText(const Summary& s) {
  switch (s.rule.signers) {
    case trust::Signers::ROOT: return "the trust root's keys, at its threshold";
    case trust::Signers::AUTHORITY: return fmt::format("the authority keys of {}, at its charter's threshold", s.origin);
    case trust::Signers::OFFICIALS: break;
  }
  std::vector<std::string> departments = ruleDepartments(s);
  std::string list;
  for (const std::string& d : departments) list += (list.empty() ? "" : ", ") + d;
  return departments.size() == 1 ? fmt::format("a {} of {}", s.rule.role, list)
                                 : fmt::format("a {} of each of {}", s.rule.role, list);
}

Json summaryJson(const Summary& s) {
  Json signatures = Json::array();
  for (const SignatureCheck& sig : s.signatures) {
    Json j{{"key", sig.key}, {"valid", sig.valid}};
    if (sig.official) {
      j["person"] = sig.official->person;
      j["department"] = sig.official->department;
      j["roles"] = sig.official->roles;
    }
    if (!sig.problem.empty()) j["problem"] = sig.problem;
    signatures.push_back(std::move(j));
  }
  const char* signers = s.rule.signers == trust::Signers::ROOT        ? "root"
                        : s.rule.signers == trust::Signers::AUTHORITY ? "authority"
                                                                      : "officials";
  Json rule{{"signers", signers}, {"departments", ruleDepartments(s)}, {"role", s.rule.role}};
  return Json{{"kind", rules::kindName(s.kind)},
              {"log", s.origin},
              {"time", beijingTime(s.time)},
              {"subjects", s.subjects},
              {"record", s.record},
              {"signatures", std::move(signatures)},
              {"rule", std::move(rule)},
              {"missing", s.missing},
              {"complete", s.missing.empty()},
              {"officialsKnown", s.officialsKnown},
              {"ruleSource", s.ruleSource},
              {"deadlines", s.deadlines},
              {"warnings", s.warnings}};
}

// --- text for people --------------------------------------------------------------------------------

std::string scalarText(const Json& j) {
  if (j.is_string()) {
    std::string text = j.get<std::string>();
    if (text.empty()) return "-";
    // Times are shown as beijingTime writes them; say them the way people read them.
    if (auto t = parseTime(text); t && text.size() == 25 && text.ends_with("+08:00")) return beijingTimeForPeople(*t);
    return text;
  }
  if (j.is_null()) return "-";
  return j.dump();
}

bool isScalar(const Json& j) { return !j.is_object() && !j.is_array(); }

void printRecord(const Json& j, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (j.is_object()) {
    std::size_t width = 0;
    for (const auto& [key, value] : j.items()) width = std::max(width, key.size());
    for (const auto& [key, value] : j.items()) {
      if (isScalar(value)) fmt::print("{}{:<{}}  {}\n", pad, key, width, scalarText(value));
      else if (value.empty()) fmt::print("{}{:<{}}  (none)\n", pad, key, width);
      else {
        fmt::print("{}{}:\n", pad, key);
        printRecord(value, indent + 2);
      }
    }
    return;
  }
  std::size_t i = 0;
  for (const Json& item : j) {
    ++i;
    if (isScalar(item)) fmt::print("{}{}. {}\n", pad, i, scalarText(item));
    else {
      fmt::print("{}{}.\n", pad, i);
      printRecord(item, indent + 3);
    }
  }
}

void printMissing(const Summary& s) {
  const std::string& under = s.ruleSource;
  if (s.rule.signers != trust::Signers::OFFICIALS) {
    if (s.missing.empty())
      fmt::print("signers: {} signature(s); the node counts them against {}\n  ({})\n", s.signatures.size(),
                 requirementText(s), under);
    else fmt::print("still missing: {}\n  ({})\n", requirementText(s), under);
    return;
  }
  fmt::print("needs: {}\n  ({})\n", requirementText(s), under);
  if (s.missing.empty()) {
    fmt::print("complete: every department the rule names has signed; submit it with `hreg submit FILE`\n");
    return;
  }
  if (s.officialsKnown || s.signatures.empty()) fmt::print("still missing ({}):\n", s.missing.size());
  else fmt::print("still missing, or not counted without --officials ({}):\n", s.missing.size());
  for (const std::string& d : s.missing) fmt::print("  {}\n", d);
  if (!s.officialsKnown && !s.signatures.empty())
    fmt::print("  (the signers' departments are unknown here: pass --officials FILE, the answer of your node's "
               "GET /v1/officials, to count them)\n");
}

void printSummary(const Summary& s) {
  std::string subjects = subjectText(s);
  fmt::print("{}{}\n", rules::kindName(s.kind), subjects.empty() ? "" : " for " + subjects);
  fmt::print("  log        {}\n", s.origin);
  fmt::print("  decided    {} ({})\n", beijingTimeForPeople(s.time), formatUtc(s.time));
  fmt::print("record:\n");
  printRecord(s.record, 2);
  fmt::print("signatures ({}):\n", s.signatures.size());
  if (s.signatures.empty()) fmt::print("  none yet\n");
  for (std::size_t i = 0; i < s.signatures.size(); ++i) {
    const SignatureCheck& sig = s.signatures[i];
    std::string who = "(unnamed: pass --officials FILE to name the signers)";
    if (sig.official) {
      std::string roles;
      for (const std::string& r : sig.official->roles) roles += (roles.empty() ? "" : ", ") + r;
      who = fmt::format("{}, {} ({})", sig.official->person, sig.official->department, roles);
    }
    if (!sig.problem.empty()) who = sig.official ? fmt::format("{}; does not count: {}", who, sig.problem) : sig.problem;
    fmt::print("  {}. {} {}  {}\n", i + 1, sig.key, sig.valid ? "valid" : "BAD", who);
  }
  for (const std::string& d : s.deadlines) fmt::print("period:    {}\n", d);
  printMissing(s);
  for (const std::string& w : s.warnings) fmt::print("warning: {}\n", w);
}

// --- drafting -------------------------------------------------------------------------------------------

Json tomlJson(const toml::node& node);

std::string tomlTime(const toml::time& t) { return fmt::format("{:02}:{:02}:{:02}", t.hour, t.minute, t.second); }

std::string tomlDate(const toml::date& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

Json tomlJson(const toml::node& node) {
  if (const toml::table* t = node.as_table()) {
    Json out = Json::object();
    for (const auto& [key, value] : *t) out[std::string(key.str())] = tomlJson(value);
    return out;
  }
  if (const toml::array* a = node.as_array()) {
    Json out = Json::array();
    for (const toml::node& item : *a) out.push_back(tomlJson(item));
    return out;
  }
  if (auto v = node.value<std::string>(); v && node.is_string()) return *v;
  if (node.is_integer()) return node.as_integer()->get();
  if (node.is_floating_point()) return node.as_floating_point()->get();
  if (node.is_boolean()) return node.as_boolean()->get();
  if (node.is_date()) return tomlDate(node.as_date()->get());
  if (node.is_time()) return tomlTime(node.as_time()->get());
  if (node.is_date_time()) {
    const toml::date_time& dt = node.as_date_time()->get();
    std::string out = tomlDate(dt.date) + "T" + tomlTime(dt.time);
    if (dt.offset) {
      int minutes = dt.offset->minutes;
      out += fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', std::abs(minutes) / 60, std::abs(minutes) % 60);
    }
    return out;
  }
  return nullptr;
}

// readFields reads a --from file: JSON when it is named *.json or starts with '{', else TOML.
Json readFields(const std::string& file) {
  std::string text = tlog::readInput(file, MAX_FROM_FILE_BYTES + 1);
  const std::string name = tlog::displayName(file);
  if (text.size() > MAX_FROM_FILE_BYTES)
    throw UsageError(fmt::format("{}: longer than {} bytes, more than any record holds", name, MAX_FROM_FILE_BYTES));
  auto first = text.find_first_not_of(" \t\r\n");
  if (file.ends_with(".json") || (first != std::string::npos && text[first] == '{')) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      throw UsageError(fmt::format("{}: not a JSON object of the record's fields", name));
    return j;
  }
  try {
    return tomlJson(toml::parse(text, file));
  } catch (const toml::parse_error& e) {
    throw UsageError(fmt::format("{}:{}:{}: {} (a --from file is TOML, or JSON named *.json)", name,
                                 e.source().begin.line, e.source().begin.column, e.description()));
  }
}

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    auto dot = path.find('.', start);
    out.emplace_back(path.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

bool isIndex(const std::string& s) {
  return !s.empty() && s.size() < 7 && s.find_first_not_of("0123456789") == std::string::npos;
}

// applySet applies one --set PATH=VALUE to the record's fields.
void applySet(Json& record, Which kind, const std::string& assignment) {
  auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw UsageError(fmt::format("--set {}: write PATH=VALUE, e.g. --set facts.siteArea=800", assignment));
  std::vector<std::string> path = splitPath(assignment.substr(0, equals));
  std::string raw = assignment.substr(equals + 1);
  Json value;
  if (isTextPath(kind, path)) value = raw;
  else {
    value = Json::parse(raw, nullptr, false);
    if (value.is_discarded()) value = raw;
  }
  Json* at = &record;
  std::string walked;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = path[i];
    if (segment.empty()) throw UsageError(fmt::format("--set {}: an empty name in the path", assignment));
    walked += (walked.empty() ? "" : ".") + segment;
    Json* next = nullptr;
    if (isIndex(segment) && (at->is_array() || at->is_null())) {
      if (at->is_null()) *at = Json::array();
      std::size_t index = std::stoul(segment);
      if (index > at->size())
        throw UsageError(fmt::format("--set {}: {} has {} element(s); set them in order (index {} next)", assignment,
                                     walked, at->size(), at->size()));
      if (index == at->size()) at->push_back(nullptr);
      next = &(*at)[index];
    } else {
      if (at->is_null()) *at = Json::object();
      if (!at->is_object())
        throw UsageError(fmt::format("--set {}: {} is not an object", assignment, walked));
      next = &(*at)[segment];
    }
    at = next;
  }
  *at = std::move(value);
}

// setSubjects puts --subject values in the record's `subject`, or appends them to its `subjects`.
void setSubjects(Json& record, Which kind, const std::vector<std::string>& subjects) {
  if (subjects.empty()) return;
  if (isTextPath(kind, {"subject"})) {
    if (subjects.size() > 1)
      throw UsageError(fmt::format("{} records are about one subject; give --subject once", rules::kindName(kind)));
    record["subject"] = subjects.front();
  } else if (isTextPath(kind, {"subjects", "0"})) {
    if (!record.contains("subjects") || record["subjects"].is_null()) record["subjects"] = Json::array();
    if (!record["subjects"].is_array()) throw UsageError("subjects: expected an array of subject identifiers");
    for (const std::string& s : subjects) record["subjects"].push_back(s);
  } else {
    throw UsageError(fmt::format("{} records name no subject; leave out --subject", rules::kindName(kind)));
  }
}

struct DraftOptions {
  std::string kind, log, from, time, out;
  std::vector<std::string> subjects, sets;
  bool json = false;
};

Which kindOrUsage(const std::string& name) {
  if (auto kind = kindFromName(name)) return *kind;
  std::string list;
  for (const std::string& k : kindNames()) list += (list.empty() ? "" : ", ") + k;
  throw UsageError(fmt::format("unknown kind '{}'; the kinds are: {}", name, list));
}

void checkOrigin(const std::string& origin) {
  bool bad = origin.empty() || origin.size() > 200;
  for (char c : origin) bad = bad || static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
  if (bad)
    throw UsageError(fmt::format("--log '{}': give the origin of your office's log, e.g. hreg.example/140902 "
                                 "(no spaces)", origin));
}

Bytes draftBytes(const DraftOptions& o, Which kind, Timestamp time, const Json& record) {
  capnp::MallocMessageBuilder builder;
  auto draft = builder.initRoot<schema::SignedDecision>();
  auto header = draft.initDecision().initHeader();
  header.setOrigin(capnp::Text::Reader(o.log.c_str(), o.log.size()));
  header.setTime(time);
  try {
    fillRecord(draft.getDecision().initBody(), kind, record);
  } catch (const kj::Exception& e) {
    fail(fmt::format("drafting the {}: {}", rules::kindName(kind), e.getDescription().cStr()));
  }
  return protocol::canonicalBytes(draft.asReader());
}

int draft(const DraftOptions& o) {
  Which kind = kindOrUsage(o.kind);
  checkOrigin(o.log);
  Timestamp time = SystemClock().now();
  if (!o.time.empty()) {
    auto t = parseTime(o.time);
    if (!t)
      throw UsageError(fmt::format("--time '{}': give a Beijing date 2026-03-02, a Beijing time 2026-03-02T10:30, "
                                   "or a time with its offset 2026-03-02T02:30Z", o.time));
    time = *t;
  }
  Json record = o.from.empty() ? Json::object() : readFields(o.from);
  for (const std::string& set : o.sets) applySet(record, kind, set);
  setSubjects(record, kind, o.subjects);
  Bytes bytes = draftBytes(o, kind, time, record);
  auto parsed = protocol::parseSignedDecision(bytes);
  if (!parsed) return tlog::refused(parsed.error(), o.json, o.out);
  writeDecisionFile(o.out, bytes, false);
  auto file = readDecisionFile(o.out);
  if (!file) return tlog::refused(file.error(), o.json);
  Summary s = summarize(file.value(), std::nullopt);
  if (o.json) {
    Json j{{"file", o.out}};
    Json summary = summaryJson(s);
    for (auto& [key, value] : summary.items()) j[key] = std::move(value);
    tlog::printJson(std::move(j));
  } else {
    fmt::print("drafted {}\n", o.out);
    printSummary(s);
  }
  fmt::print(stderr, "hreg: wrote the unsigned draft to {}; check it with `hreg show {}`, then each official signs "
                     "it with `hreg sign {} --key THEIR.key`\n", o.out, o.out, o.out);
  return EXIT_OK;
}

void addDraft(CLI::App& app) {
  auto o = std::make_shared<DraftOptions>();
  auto* cmd = app.add_subcommand("draft", "draft an unsigned decision file: a record of KIND for your office's log, "
                                          "its fields from --from and --set");
  cmd->add_option("KIND", o->kind, "the record kind in kebab-case, e.g. application, joint-review-result, notice")
      ->required();
  cmd->add_option("--log", o->log, "the origin of the log the decision is for, e.g. hreg.example/140902")->required();
  cmd->add_option("--subject", o->subjects, "the workshop or craftsman it is about, e.g. 140902-W-0001 (sets "
                                            "`subject`, or appends to `subjects`)")
      ->allow_extra_args(false);
  cmd->add_option("--set", o->sets, "PATH=VALUE: a field, dotted (facts.siteArea=800, level=county, "
                                    "findings.0.index=3); VALUE is JSON when it parses as JSON, else text")
      ->allow_extra_args(false);
  cmd->add_option("--from", o->from, "a TOML file (or JSON, *.json) of the record's fields; --set applies after it");
  cmd->add_option("--time", o->time, "when it was decided, in Beijing time: 2026-03-02 or 2026-03-02T10:30 (default: "
                                     "now)");
  cmd->add_option("-o,--out", o->out, "the decision file to write (never overwritten)")->required();
  tlog::addJsonFlag(*cmd, o->json);
  tlog::withExample(*cmd, "hreg draft joint-review-result --log hreg.example/140902 --subject 140902-W-0001 "
                          "--set outcome=pass --set reasons=\"六部门一致通过\" -o result.decision");
  cmd->callback(tlog::runCommand([o] { return draft(*o); }));
}

// --- showing ----------------------------------------------------------------------------------------

std::optional<Officials> officialsFor(const std::string& file, const std::string& origin) {
  if (file.empty()) return std::nullopt;
  Officials officials = readOfficials(file);
  if (officials.origin != origin)
    throw UsageError(fmt::format("{} lists the officials of {}, and the decision is for {}: save GET "
                                 "/v1/officials?origin={} instead", file, officials.origin, origin, origin));
  return officials;
}

struct ShowOptions {
  std::string file, officials;
  bool json = false;
};

int show(const ShowOptions& o) {
  auto file = readDecisionFile(o.file);
  if (!file) return tlog::refused(file.error(), o.json);
  auto officials = officialsFor(o.officials, file.value().decision.reader().getDecision().getHeader().getOrigin().cStr());
  Summary s = summarize(file.value(), officials);
  if (auto bad = badSignature(s)) return tlog::refused(*bad, o.json, o.file);
  if (o.json) tlog::printJson(summaryJson(s));
  else printSummary(s);
  return EXIT_OK;
}

void addShow(CLI::App& app) {
  auto o = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "show a decision file: what it decides, its signatures (each verified), "
                                         "and whose signatures are still missing");
  cmd->add_option("FILE", o->file, "the decision file")->required();
  cmd->add_option("--officials", o->officials, "the office's officials, as GET /v1/officials answers them: names "
                                               "the signers and counts their departments");
  tlog::addJsonFlag(*cmd, o->json);
  tlog::withExample(*cmd, "hreg show result.decision --officials officials.json");
  cmd->callback(tlog::runCommand([o] { return show(*o); }));
}

// --- signing ----------------------------------------------------------------------------------------

// askYes asks `question` on the terminal; true for "y" or "yes". Throws UsageError without a terminal.
bool askYes(const std::string& question) {
  int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    throw UsageError(fmt::format("there is no terminal to ask \"{}\" on ({}); check the file with `hreg show`, "
                                 "then pass --yes to sign without asking", question, std::strerror(errno)));
  std::string prompt = question + " [y/N] ";
  [[maybe_unused]] ssize_t shown = ::write(fd, prompt.data(), prompt.size());
  std::string answer;
  for (char c; answer.size() < 16;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    answer += c;
  }
  ::close(fd);
  while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes" || answer == "YES";
}

struct SignOptions {
  std::string file, key, officials;
  bool yes = false, json = false;
  PassphraseOptions passphrase;
};

int sign(const SignOptions& o) {
  auto file = readDecisionFile(o.file);
  if (!file) return tlog::refused(file.error(), o.json);
  KeyFile key = readKeyFileHeader(o.key);
  const std::string keyHex = toHex(key.publicKey);
  auto officials = officialsFor(o.officials, file.value().decision.reader().getDecision().getHeader().getOrigin().cStr());
  Summary before = summarize(file.value(), officials);
  if (auto bad = badSignature(before)) return tlog::refused(*bad, o.json, o.file);
  for (std::size_t i = 0; i < before.signatures.size(); ++i)
    if (before.signatures[i].key == keyHex)
      return tlog::refused(Refusal{Reason::DUPLICATE_DECISION,
                                   fmt::format("{} ({}) signed this decision already, as signature {}; nothing to do: "
                                               "pass the file to the next official", key.label, keyHex, i + 1)},
                           o.json, o.file);
  if (!o.json) printSummary(before);
  if (!o.yes) {
    std::string subjects = subjectText(before);
    std::string question = fmt::format("Sign this {}{} as {}?", rules::kindName(before.kind),
                                       subjects.empty() ? "" : " for " + subjects, key.label);
    if (!askYes(question)) {
      fmt::print(stderr, "hreg: not signed (you answered no); {} is unchanged\n", o.file);
      return EXIT_REFUSED;
    }
  }
  std::string passphrase = readPassphrase(o.passphrase, fmt::format("Passphrase for {}: ", o.key), false);
  auto opened = openKeyFile(o.key, passphrase);
  sodium_memzero(passphrase.data(), passphrase.size());
  if (!opened) return tlog::refused(opened.error(), o.json);
  Bytes signedBytes = log::addSignature(file.value().decision.reader(), opened.value());
  // Another official may have signed the same file meanwhile (while this one typed the passphrase):
  // write only over the bytes that were checked, so that no signature is lost.
  auto again = readDecisionFile(o.file);
  if (!again || again.value().bytes != file.value().bytes)
    throw UsageError(fmt::format("{} changed while you were signing it (another official signed it?); nothing was "
                                 "written: run hreg sign again", o.file));
  writeDecisionFile(o.file, signedBytes, true);
  auto written = readDecisionFile(o.file);
  if (!written) return tlog::refused(written.error(), o.json);
  Summary after = summarize(written.value(), officials);
  if (o.json) {
    Json j{{"file", o.file}, {"signedBy", {{"key", keyHex}, {"label", key.label}}}};
    Json summary = summaryJson(after);
    for (auto& [k, value] : summary.items()) j[k] = std::move(value);
    tlog::printJson(std::move(j));
  } else {
    fmt::print("signed {} as {} ({}); it now holds {} signature(s)\n", o.file, key.label, keyHex,
               after.signatures.size());
    printMissing(after);
  }
  return EXIT_OK;
}

void addSign(CLI::App& app) {
  auto o = std::make_shared<SignOptions>();
  auto* cmd = app.add_subcommand("sign", "check a decision file, then add your signature to it with your key file "
                                         "(the file is rewritten in place)");
  cmd->add_option("FILE", o->file, "the decision file")->required();
  cmd->add_option("--key", o->key, "your key file (hreg keygen, hreg key import)")->required();
  cmd->add_option("--officials", o->officials, "the office's officials, as GET /v1/officials answers them");
  cmd->add_flag("--yes", o->yes, "sign without asking on the terminal (check the file with hreg show first)");
  addPassphraseOptions(*cmd, o->passphrase);
  tlog::addJsonFlag(*cmd, o->json);
  tlog::withExample(*cmd, "hreg sign result.decision --key zhang.key --officials officials.json");
  cmd->callback(tlog::runCommand([o] { return sign(*o); }));
}

}  // namespace

void addDecisionCommands(CLI::App& app) {
  addDraft(app);
  addShow(app);
  addSign(app);
}

}  // namespace hreg::cli
