#include "ledger/trust/authority.h"

#include <fmt/format.h>
#include <kj/exception.h>

#include <algorithm>
#include <set>

#include "protocol/core/bytes.h"

namespace hreg::trust {
namespace {

std::optional<PublicKey> toKey(capnp::Data::Reader data) {
  if (data.size() != crypto::PUBLIC_KEY_BYTES) return std::nullopt;
  PublicKey key;
  std::copy(data.begin(), data.end(), key.begin());
  return key;
}

std::string keyName(const PublicKey& key) { return toHex(key).substr(0, 16) + "…"; }

// levelOfCode is the administrative level a division code's length names.
std::optional<schema::Level> levelOfCode(std::string_view code) {
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  switch (code.size()) {
    case 2: return schema::Level::PROVINCE;
    case 4: return schema::Level::PREFECTURE;
    case 6: return schema::Level::COUNTY;
    case 9: return schema::Level::TOWNSHIP;
    default: return std::nullopt;
  }
}

// isDirectChild: a province under the root (empty parent code), or the next level down sharing the prefix.
bool isDirectChild(std::string_view parent, std::string_view child) {
  static constexpr std::size_t NEXT[] = {2, 4, 6, 9};
  std::size_t want = 0;
  for (std::size_t i = 0; i < 4; ++i)
    if ((i == 0 && parent.empty()) || (i > 0 && parent.size() == NEXT[i - 1])) want = NEXT[i];
  return want != 0 && child.size() == want && child.starts_with(parent);
}

bool validAt(Timestamp from, Timestamp until, const std::optional<Timestamp>& revokedAt, Timestamp t) {
  return from <= t && (until == 0 || t < until) && (!revokedAt || t < *revokedAt);
}

std::string_view recordDepartment(schema::Body::Reader body) {
  if (body.isJointReviewFinding()) return body.getJointReviewFinding().getDepartment().cStr();
  return {};
}

}  // namespace

const char* levelName(schema::Level level) {
  switch (level) {
    case schema::Level::NATIONAL: return "national";
    case schema::Level::PROVINCE: return "province";
    case schema::Level::PREFECTURE: return "prefecture";
    case schema::Level::COUNTY: return "county";
    case schema::Level::TOWNSHIP: return "township";
  }
  return "unknown";
}

AuthorityView::AuthorityView(TrustAnchor root, SigningRules rules) : rules_(std::move(rules)) {
  checkpointKeys_.insert(root.checkpointKey);
  roots_.push_back(std::move(root));
}

const TrustAnchor& AuthorityView::rootAt(Timestamp time) const {
  const TrustAnchor* found = &roots_.front();
  for (const TrustAnchor& r : roots_)
    if (r.validFrom <= time) found = &r;
  return *found;
}

std::optional<ChartedNode> AuthorityView::nodeAt(std::string_view origin, Timestamp time) const {
  auto it = charters_.find(origin);
  if (it == charters_.end()) return std::nullopt;
  const ChartedNode* current = nullptr;
  for (const ChartedNode& c : it->second)
    if (c.validFrom <= time) current = &c;  // a later charter replaces an earlier one
  if (current == nullptr || !validAt(current->validFrom, current->validUntil, current->revokedAt, time))
    return std::nullopt;
  if (current->charteredIn != rootAt(time).origin && !nodeAt(current->charteredIn, time)) return std::nullopt;
  return *current;
}

std::vector<PublicKey> AuthorityView::checkpointKeysOf(std::string_view origin) const {
  std::vector<PublicKey> keys;
  auto add = [&](const PublicKey& k) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  };
  for (auto r = roots_.rbegin(); r != roots_.rend(); ++r)
    if (r->origin == origin) add(r->checkpointKey);
  if (auto c = charters_.find(origin); c != charters_.end())
    for (auto it = c->second.rbegin(); it != c->second.rend(); ++it) add(it->checkpointKey);
  return keys;
}

std::optional<std::string> AuthorityView::nodeWithCheckpointKey(const PublicKey& key, Timestamp time) const {
  if (!checkpointKeys_.count(key)) return std::nullopt;
  for (const auto& [origin, charters] : charters_)
    if (auto node = nodeAt(origin, time); node && node->checkpointKey == key) return origin;
  return std::nullopt;
}

std::vector<OfficialGrant> AuthorityView::officialsOf(std::string_view origin) const {
  std::vector<OfficialGrant> out;
  for (const auto& [key, grant] : grants_)
    if (grant.origin == origin) out.push_back(grant);
  return out;
}

std::vector<std::string> AuthorityView::originsOnPath(std::string_view code) const {
  std::vector<std::string> out;
  for (std::size_t length = 1; length <= code.size(); ++length)
    if (auto it = originsOfCode_.find(code.substr(0, length)); it != originsOfCode_.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  return out;
}

std::optional<std::string> AuthorityView::charteredBy(std::string_view origin) const {
  auto it = charters_.find(origin);
  if (it == charters_.end() || it->second.empty()) return std::nullopt;
  return it->second.back().charteredIn;
}

Result<OfficialGrant> AuthorityView::officialAt(std::string_view origin, const PublicKey& key, Timestamp time) const {
  if (!nodeAt(origin, time))
    return refuse(Reason::NOT_CHARTERED, fmt::format("{} is not a chartered node at {}", origin, formatUtc(time)));
  auto [first, last] = grants_.equal_range(key);
  const OfficialGrant* revoked = nullptr;
  const OfficialGrant* expired = nullptr;
  std::string elsewhere;
  for (auto it = first; it != last; ++it) {
    const OfficialGrant& g = it->second;
    if (g.origin != origin) {
      elsewhere = g.origin;
      continue;
    }
    if (validAt(g.validFrom, g.validUntil, g.revokedAt, time)) return g;
    if (g.revokedAt && *g.revokedAt <= time) revoked = &g;
    else expired = &g;
  }
  if (revoked != nullptr)
    return refuse(Reason::SIGNER_REVOKED, fmt::format("key {} of {} ({}) was revoked at {} ({}), before this "
                                                      "signature at {}", keyName(key), revoked->person, origin,
                                                      formatUtc(*revoked->revokedAt), revoked->revocationReason,
                                                      formatUtc(time)));
  if (expired != nullptr)
    return refuse(Reason::SIGNER_EXPIRED, fmt::format("the grant of key {} to {} at {} is valid from {} until {}; "
                                                      "the signature is at {}", keyName(key), expired->person, origin,
                                                      formatUtc(expired->validFrom),
                                                      expired->validUntil ? formatUtc(expired->validUntil) : "no end",
                                                      formatUtc(time)));
  return refuse(Reason::SIGNER_UNKNOWN,
                elsewhere.empty()
                    ? fmt::format("key {} is not an official of {}", keyName(key), origin)
                    : fmt::format("key {} is an official of {}, not of {}", keyName(key), elsewhere, origin));
}

bool AuthorityView::isCheckpointKey(const PublicKey& key) const { return checkpointKeys_.count(key) != 0; }

Result<void> AuthorityView::checkThreshold(std::span<const PublicKey> keys, std::uint8_t threshold,
                                           capnp::List<schema::Signature>::Reader signatures, std::string_view whose,
                                           Timestamp time) const {
  std::set<PublicKey> counted;
  for (auto sig : signatures) {
    auto key = toKey(sig.getKeyId());
    if (!key || std::find(keys.begin(), keys.end(), *key) == keys.end())
      return refuse(Reason::SIGNER_UNKNOWN, fmt::format("key {} is not one of the {} keys at {}",
                                                        key ? keyName(*key) : "(malformed)", whose, formatUtc(time)));
    counted.insert(*key);
  }
  if (counted.size() < threshold)
    return refuse(Reason::BELOW_THRESHOLD, fmt::format("{} of the {} keys signed; the threshold is {}", counted.size(),
                                                       whose, threshold));
  return outcome::success();
}

Result<void> AuthorityView::checkAuthority(std::string_view origin, capnp::List<schema::Signature>::Reader signatures,
                                           Timestamp time) const {
  const TrustAnchor& root = rootAt(time);
  if (origin == root.origin) return checkThreshold(root.keys, root.threshold, signatures, "trust root's", time);
  auto node = nodeAt(origin, time);
  if (!node) return refuse(Reason::NOT_CHARTERED, fmt::format("{} is not chartered at {}", origin, formatUtc(time)));
  return checkThreshold(node->authorityKeys, node->authorityThreshold, signatures,
                        fmt::format("{} {} authority", node->code, node->name), time);
}

Result<void> AuthorityView::checkOfficials(std::string_view origin, const SigningRule& rule,
                                           std::string_view department,
                                           capnp::List<schema::Signature>::Reader signatures, Timestamp time) const {
  std::vector<OfficialGrant> signers;
  for (auto sig : signatures) {
    auto key = toKey(sig.getKeyId());
    if (!key) return refuse(Reason::SIGNER_UNKNOWN, "a signature's key id is not an Ed25519 key");
    HREG_TRY(grant, officialAt(origin, *key, time));
    // A revocation already in the log stops the key from signing anything appended after it, even
    // a decision dated before the revocation's effective time: otherwise a stolen key could sign
    // back-dated decisions for ever. A decision signed in time but not yet submitted must be
    // signed again by an official in office.
    if (grant.revokedAt)
      return refuse(Reason::SIGNER_REVOKED, fmt::format("key {} of {} ({}) was revoked with effect from {} ({}); "
                                                        "the revocation is logged, so the key signs nothing more "
                                                        "here, whatever date a decision bears", keyName(*key),
                                                        grant.person, origin, formatUtc(*grant.revokedAt),
                                                        grant.revocationReason));
    signers.push_back(std::move(grant));
  }
  for (std::string_view required : rule.departments) {
    if (required == RECORD_DEPARTMENT) required = department;
    bool inDepartment = false, withRole = false;
    for (const OfficialGrant& g : signers) {
      if (g.department != required) continue;
      inDepartment = true;
      withRole = withRole || std::find(g.roles.begin(), g.roles.end(), rule.role) != g.roles.end();
    }
    if (!inDepartment)
      return refuse(Reason::WRONG_DEPARTMENT, fmt::format("the rule needs a signature by an official of '{}' at {}; "
                                                          "none of the signers is one", required, origin));
    if (!withRole)
      return refuse(Reason::WRONG_ROLE, fmt::format("the rule needs an official of '{}' with the role '{}'; the "
                                                    "signers of '{}' lack it", required, rule.role, required));
  }
  return outcome::success();
}

Result<void> AuthorityView::checkCharter(std::string_view origin, schema::Charter::Reader charter,
                                         Timestamp time) const {
  std::string_view code = charter.getCode().cStr();
  std::string parentCode;
  if (origin != rootAt(time).origin) {
    auto parent = nodeAt(origin, time);
    if (!parent) return refuse(Reason::NOT_CHARTERED, fmt::format("{} is not chartered at {}", origin, formatUtc(time)));
    parentCode = parent->code;
  }
  if (!isDirectChild(parentCode, code))
    return refuse(Reason::NOT_A_CHILD, fmt::format("{} may charter only its direct children; {} is not one of them",
                                                   parentCode.empty() ? "the trust root" : parentCode, code));
  auto level = levelOfCode(code);
  if (!level || *level != charter.getLevel())
    return refuse(Reason::WRONG_LEVEL, fmt::format("code {} names a {}, not a {}", code,
                                                   level ? levelName(*level) : "no level",
                                                   levelName(charter.getLevel())));
  auto keys = charter.getAuthorityKeys();
  std::uint8_t threshold = charter.getAuthorityThreshold();
  bool keysWellFormed = toKey(charter.getCheckpointKey()).has_value();
  for (auto k : keys) keysWellFormed = keysWellFormed && toKey(k).has_value();
  if (!keysWellFormed || threshold == 0 || threshold > keys.size() || charter.getOrigin().size() == 0)
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("the charter of {} needs an origin, 32-byte keys and a "
                                                       "threshold between 1 and its {} authority keys", code,
                                                       keys.size()));
  // A log's division is the last part of its origin (jurisdiction, rules::jurisdiction): a charter
  // may not give a log the name of another division.
  std::string_view chartered = charter.getOrigin().cStr();
  if (!chartered.ends_with(code) || chartered.size() == code.size() || chartered[chartered.size() - code.size() - 1] != '/')
    return refuse(Reason::WRONG_ORIGIN, fmt::format("the charter of {} names the log '{}': a node's log must be "
                                                    "named <domain>/{}", code, chartered, code));
  return outcome::success();
}

Result<void> AuthorityView::check(std::string_view origin, schema::SignedDecision::Reader signedDecision) const {
  try {
    auto decision = signedDecision.getDecision();
    auto body = decision.getBody();
    auto signatures = signedDecision.getSignatures();
    const Timestamp time = decision.getHeader().getTime();
    for (auto sig : signatures)
      if (auto key = toKey(sig.getKeyId()); key && isCheckpointKey(*key))
        return refuse(Reason::CHECKPOINT_KEY_SIGNED, fmt::format("key {} is a node's checkpoint key; it signs "
                                                                 "checkpoints only, never a decision", keyName(*key)));
    const bool inRootLog = origin == rootAt(time).origin;
    std::optional<ChartedNode> node;
    if (!inRootLog) {
      node = nodeAt(origin, time);
      if (!node)
        return refuse(Reason::NOT_CHARTERED, fmt::format("{} is not chartered at {}", origin, formatUtc(time)));
    }
    const SigningRule rule = ruleSource_ != nullptr ? ruleSource_->ruleFor(origin, body.which(), time)
                                                    : rules_.ruleFor(body.which());
    if (!rule.levels.empty() &&
        (inRootLog || std::find(rule.levels.begin(), rule.levels.end(), node->level) == rule.levels.end()))
      return refuse(Reason::WRONG_LEVEL, fmt::format("a {} node does not make this kind of decision",
                                                     inRootLog ? "root" : levelName(node->level)));
    switch (rule.signers) {
      case Signers::ROOT: {
        if (!inRootLog) return refuse(Reason::WRONG_LEVEL, "only the root log holds trust root versions");
        const TrustAnchor& old = roots_.back();
        auto next = body.getTrustRoot();
        if (next.getVersion() != old.version + 1)
          return refuse(Reason::ROOT_VERSION, fmt::format("the next trust root is version {}, not {}", old.version + 1,
                                                          next.getVersion()));
        std::size_t keys = next.getKeys().size();
        if (next.getThreshold() == 0 || next.getThreshold() > keys || !toKey(next.getCheckpointKey()))
          return refuse(Reason::MALFORMED_ENTRY, "a trust root needs keys, a threshold between 1 and their number, "
                                                 "and a checkpoint key");
        return checkThreshold(old.keys, old.threshold, signatures, fmt::format("trust root v{}", old.version), time);
      }
      case Signers::AUTHORITY:
        if (body.isCharter()) {
          HREG_TRY(checkCharter(origin, body.getCharter(), time));
        }
        if (body.isCharterRevocation()) {
          std::string_view code = body.getCharterRevocation().getCode().cStr();
          auto chartered = originOfCode_.find(code);
          if (chartered == originOfCode_.end() || charters_.find(chartered->second)->second.back().charteredIn != origin)
            return refuse(Reason::NOT_A_CHILD, fmt::format("{} did not charter {}", origin, code));
        }
        if (body.isGrantRevocation()) {
          auto key = toKey(body.getGrantRevocation().getKey());
          auto [first, last] = key ? grants_.equal_range(*key) : std::pair{grants_.end(), grants_.end()};
          if (std::none_of(first, last, [&](const auto& g) { return g.second.origin == origin; }))
            return refuse(Reason::SIGNER_UNKNOWN, fmt::format("{} never granted key {}; there is nothing to revoke",
                                                              origin, key ? keyName(*key) : "(malformed)"));
        }
        if (body.isGrant() && (inRootLog || !toKey(body.getGrant().getKey()) || body.getGrant().getDepartment().size() == 0))
          return refuse(inRootLog ? Reason::WRONG_LEVEL : Reason::MALFORMED_ENTRY,
                        "a grant names a 32-byte key and a department, at a chartered node");
        return checkAuthority(origin, signatures, time);
      case Signers::OFFICIALS:
        if (inRootLog) return refuse(Reason::WRONG_LEVEL, "the root log holds no registry decisions");
        return checkOfficials(origin, rule, recordDepartment(body), signatures, time);
    }
    return outcome::success();
  } catch (const kj::Exception& e) {
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("unreadable decision: {}", e.getDescription().cStr()));
  }
}

Result<void> AuthorityView::admit(std::string_view origin, schema::SignedDecision::Reader decision,
                                  Timestamp) {
  return admit(origin, decision);
}

Result<void> AuthorityView::admit(std::string_view origin, schema::SignedDecision::Reader decision) {
  HREG_TRY(check(origin, decision));
  record(origin, decision);
  return outcome::success();
}

void AuthorityView::record(std::string_view origin, schema::SignedDecision::Reader signedDecision) {
  auto decision = signedDecision.getDecision();
  auto body = decision.getBody();
  const Timestamp time = decision.getHeader().getTime();
  switch (body.which()) {
    case schema::Body::TRUST_ROOT: {
      auto r = body.getTrustRoot();
      TrustAnchor anchor{r.getVersion(), {}, r.getThreshold(), r.getOrigin(), *toKey(r.getCheckpointKey()),
                         r.getValidFrom() != 0 ? r.getValidFrom() : time};
      for (auto k : r.getKeys()) anchor.keys.push_back(*toKey(k));
      checkpointKeys_.insert(anchor.checkpointKey);
      roots_.push_back(std::move(anchor));
      break;
    }
    case schema::Body::CHARTER: {
      auto c = body.getCharter();
      ChartedNode node{c.getCode(), c.getLevel(), c.getName(), c.getOrigin(), *toKey(c.getCheckpointKey()),
                       {}, c.getAuthorityThreshold(), c.getValidFrom(), c.getValidUntil(), std::string(origin), {}};
      for (auto k : c.getAuthorityKeys()) node.authorityKeys.push_back(*toKey(k));
      originOfCode_[node.code] = node.origin;
      originsOfCode_[node.code].insert(node.origin);
      checkpointKeys_.insert(node.checkpointKey);
      charters_[node.origin].push_back(std::move(node));
      break;
    }
    case schema::Body::CHARTER_REVOCATION: {
      auto r = body.getCharterRevocation();
      auto chartered = originOfCode_.find(std::string_view(r.getCode().cStr()));
      if (chartered == originOfCode_.end()) break;
      for (ChartedNode& c : charters_[chartered->second])
        if (!c.revokedAt || *c.revokedAt > r.getEffective()) c.revokedAt = r.getEffective();
      break;
    }
    case schema::Body::GRANT: {
      auto g = body.getGrant();
      OfficialGrant grant{std::string(origin), g.getPerson(), g.getDepartment(), {}, *toKey(g.getKey()),
                          g.getValidFrom(), g.getValidUntil(), {}, {}};
      for (auto role : g.getRoles()) grant.roles.emplace_back(role.cStr());
      grants_.emplace(grant.key, std::move(grant));
      break;
    }
    case schema::Body::GRANT_REVOCATION: {
      auto r = body.getGrantRevocation();
      auto key = toKey(r.getKey());
      if (!key) break;
      auto [first, last] = grants_.equal_range(*key);
      for (auto it = first; it != last; ++it)
        if (it->second.origin == origin && (!it->second.revokedAt || *it->second.revokedAt > r.getEffective())) {
          it->second.revokedAt = r.getEffective();
          it->second.revocationReason = r.getReason();
        }
      break;
    }
    default: break;  // registry records change who may sign nothing
  }
}

}  // namespace hreg::trust
