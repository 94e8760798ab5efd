#include "ledger/rules/policy.h"

#include <fmt/format.h>
#include <capnp/schema.h>
#include <kj/exception.h>

#include <algorithm>

#include "ledger/rules/expert-pool.h"
#include "ledger/rules/subject.h"

namespace hreg::rules {
namespace {

std::vector<std::string> textsOf(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  for (auto t : list) out.emplace_back(t.cStr());
  return out;
}

trust::SigningRule ruleOf(schema::SigningRuleSetting::Reader r) {
  trust::SigningRule rule;
  switch (r.getSigners()) {
    case schema::SigningRuleSetting::Signers::ROOT: rule.signers = trust::Signers::ROOT; break;
    case schema::SigningRuleSetting::Signers::AUTHORITY: rule.signers = trust::Signers::AUTHORITY; break;
    case schema::SigningRuleSetting::Signers::OFFICIALS: rule.signers = trust::Signers::OFFICIALS; break;
  }
  for (auto level : r.getLevels()) rule.levels.push_back(level);
  rule.departments = textsOf(r.getDepartments());
  rule.role = r.getRole().cStr();
  return rule;
}

// valueOf reads a setting's value, if it has the type its key needs.
std::optional<SettingValue> valueOf(schema::Setting::Reader s, SettingType type) {
  auto v = s.getValue();
  switch (type) {
    case SettingType::INTEGER:
      if (v.isInteger()) return SettingValue{v.getInteger()};
      break;
    case SettingType::TEXTS:
      if (v.isTexts()) return SettingValue{textsOf(v.getTexts())};
      break;
    case SettingType::SIGNING_RULE:
      if (v.isSigningRule()) return SettingValue{ruleOf(v.getSigningRule())};
      break;
    case SettingType::CALENDAR:
      if (v.isCalendar()) {
        std::vector<CalendarYearSetting> years;
        for (auto y : v.getCalendar()) years.push_back({y.getYear(), textsOf(y.getHolidays()), textsOf(y.getWorkdays())});
        return SettingValue{years};
      }
      break;
  }
  return std::nullopt;
}

std::string where(std::string_view origin, std::uint32_t version) { return fmt::format("{} v{}", origin, version); }

}  // namespace

const ResolvedSetting& EffectivePolicy::setting(std::string_view key) const {
  auto it = settings_.find(key);
  if (it == settings_.end()) fail(fmt::format("no setting '{}'; see ledger/rules/settings.cpp", key));
  return it->second;
}

std::int64_t EffectivePolicy::integer(std::string_view key) const {
  return std::get<std::int64_t>(setting(key).value);
}

const std::vector<std::string>& EffectivePolicy::texts(std::string_view key) const {
  return std::get<std::vector<std::string>>(setting(key).value);
}

trust::SigningRule EffectivePolicy::signingRule(schema::Body::Which kind) const { return signing_.ruleFor(kind); }

Result<Calendar> EffectivePolicy::calendar() const {
  std::vector<CalendarLayer> layers;
  for (auto [key, scope] : {std::pair{"calendar.national", LayerScope::NATIONAL}, {"calendar.local", LayerScope::LOCAL}}) {
    const auto& resolved = setting(key);
    for (const CalendarYearSetting& y : std::get<std::vector<CalendarYearSetting>>(resolved.value)) {
      std::string region = scope == LayerScope::LOCAL ? resolved.origin.substr(resolved.origin.rfind('/') + 1) : "";
      CalendarLayer layer{scope, resolved.source, region, y.year, {}, {}};
      HolidayBlock block{"holidays of " + resolved.source, {}};
      for (const std::string& d : y.holidays) {
        auto date = parseDate(d);
        if (!date) return refuse(Reason::MALFORMED_FILE, fmt::format("{}: '{}' is not YYYY-MM-DD", resolved.source, d));
        block.days.push_back(*date);
      }
      if (!block.days.empty()) layer.holidays.push_back(std::move(block));
      for (const std::string& d : y.workdays) {
        auto date = parseDate(d);
        if (!date) return refuse(Reason::MALFORMED_FILE, fmt::format("{}: '{}' is not YYYY-MM-DD", resolved.source, d));
        layer.workdays.push_back(*date);
      }
      layers.push_back(std::move(layer));
    }
  }
  return Calendar::fromLayers(std::move(layers));
}

std::vector<std::string> PolicyView::chainOf(std::string_view origin, Timestamp time) const {
  std::vector<std::string> chain;
  const std::string& root = authority_.rootAt(time).origin;
  std::string current(origin);
  for (int depth = 0; depth < 8 && current != root; ++depth) {
    chain.push_back(current);
    auto node = authority_.nodeAt(current, time);
    if (!node) break;
    current = node->charteredIn;
  }
  chain.push_back(root);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

EffectivePolicy PolicyView::resolve(const std::vector<std::string>& chain, Timestamp time) const {
  EffectivePolicy policy;
  for (const SettingSpec& spec : settingSpecs()) policy.settings_[spec.key] = {spec.builtin, false, "built-in", {}};
  std::vector<std::string> versions;
  for (const std::string& origin : chain) {
    auto it = published_.find(origin);
    if (it == published_.end()) continue;
    const Published* inForce = nullptr;
    for (const Published& p : it->second)
      if (p.effective <= time) inForce = &p;
    if (inForce == nullptr) continue;
    versions.push_back(where(origin, inForce->version));
    for (const auto& [key, entry] : inForce->settings) {
      auto spec = settingSpec(key);
      auto current = policy.settings_.find(key);
      if (current == policy.settings_.end())  // a signing rule not set above: the table's
        current = policy.settings_.emplace(key, ResolvedSetting{spec->builtin, false, "built-in", {}}).first;
      // A level above made it mandatory: a laxer value below does not apply (the view refuses such
      // policies when they are published, but the level above may have made it mandatory later).
      if (current->second.mandatory && !atLeastAsStrict(entry.first, current->second.value, spec->stricter)) continue;
      current->second = {entry.first, current->second.mandatory || entry.second, where(origin, inForce->version),
                         origin};
    }
  }
  policy.signing_ = trust::SigningRules::defaults();
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields()) {
    auto kind = static_cast<schema::Body::Which>(field.getProto().getDiscriminantValue());
    if (auto it = policy.settings_.find(fmt::format("signing.{}", field.getProto().getName().cStr()));
        it != policy.settings_.end())
      policy.signing_.set(kind, std::get<trust::SigningRule>(it->second.value));
  }
  if (!versions.empty()) {
    policy.version_.clear();
    for (const std::string& v : versions) policy.version_ += (policy.version_.empty() ? "" : ", ") + v;
  }
  return policy;
}

EffectivePolicy PolicyView::at(std::string_view origin, Timestamp time) const {
  return resolve(chainOf(origin, time), time);
}

const EffectivePolicy& PolicyView::cachedAt(std::string_view origin, Timestamp time) const {
  auto chain = chainOf(origin, time);
  std::vector<std::pair<std::string, std::uint32_t>> inForce;
  inForce.reserve(chain.size());
  for (const std::string& o : chain) {
    std::uint32_t version = 0;
    if (auto it = published_.find(o); it != published_.end())
      for (const Published& p : it->second)
        if (p.effective <= time) version = p.version;
    inForce.emplace_back(o, version);
  }
  auto it = cache_.find(origin);
  if (it == cache_.end()) it = cache_.emplace(std::string(origin), Cached{}).first;
  else if (it->second.inForce == inForce) return it->second.policy;
  it->second.policy = resolve(chain, time);
  it->second.inForce = std::move(inForce);
  return it->second.policy;
}

trust::SigningRule PolicyView::ruleFor(std::string_view origin, schema::Body::Which kind, std::int64_t time) const {
  return cachedAt(origin, time).signingRule(kind);
}

Result<void> PolicyView::check(std::string_view origin, schema::SignedDecision::Reader decision) const {
  try {
    auto body = decision.getDecision().getBody();
    if (!body.isPolicy()) return outcome::success();
    auto policy = body.getPolicy();
    auto it = published_.find(origin);
    std::uint32_t last = it == published_.end() ? 0 : it->second.back().version;
    if (policy.getVersion() != last + 1)
      return refuse(Reason::POLICY_VERSION, fmt::format("{}'s next policy is version {}, not {}", origin, last + 1,
                                                        policy.getVersion()));
    if (it != published_.end() && policy.getEffective() < it->second.back().effective)
      return refuse(Reason::POLICY_VERSION, fmt::format("version {} takes effect before version {} did",
                                                        policy.getVersion(), last));
    const Timestamp effective = policy.getEffective();
    auto chain = chainOf(origin, effective);
    chain.pop_back();  // what the levels above make it, at the time it takes effect
    EffectivePolicy above = resolve(chain, effective);
    const bool isRoot = origin == authority_.rootAt(effective).origin;
    for (auto s : policy.getSettings()) {
      std::string key = s.getKey().cStr();
      auto spec = settingSpec(key);
      if (!spec)
        return refuse(Reason::UNKNOWN_SETTING, fmt::format("'{}' is not a setting hreg knows (docs/rules.md, "
                                                           "\"Policy\")", key));
      auto value = valueOf(s, spec->type);
      if (!value) return refuse(Reason::UNKNOWN_SETTING, fmt::format("'{}' takes another type of value", key));
      if (key == "craftsman.panel-tiers")
        for (const std::string& tier : std::get<std::vector<std::string>>(*value))
          if (tier != "craftsman" && tier != "master" && tier != "grand-master")
            return refuse(Reason::UNKNOWN_SETTING, fmt::format("'{}' names the tier '{}': a tier is craftsman, master "
                                                               "or grand-master", key, tier));
      if (key == "calendar.national" && !isRoot)
        return refuse(Reason::WRONG_LEVEL, "only the national (root) policy sets the national calendar; a region "
                                           "adds its own holidays with calendar.local");
      if (isRoot) continue;
      auto found = above.settings_.find(key);
      const ResolvedSetting inherited = found != above.settings_.end()
                                            ? found->second
                                            : ResolvedSetting{spec->builtin, false, "built-in", {}};
      if (inherited.mandatory && !atLeastAsStrict(*value, inherited.value, spec->stricter))
        return refuse(Reason::POLICY_RELAXED,
                      fmt::format("'{}' is mandatory at {} ({}); {} would relax it to {}", key, inherited.source,
                                  describe(inherited.value), origin, describe(*value)));
    }
    return outcome::success();
  } catch (const kj::Exception& e) {
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("unreadable policy: {}", e.getDescription().cStr()));
  }
}

void PolicyView::record(std::string_view origin, schema::SignedDecision::Reader decision) {
  auto body = decision.getDecision().getBody();
  if (!body.isPolicy()) return;
  auto policy = body.getPolicy();
  Published p{policy.getVersion(), policy.getEffective(), {}};
  for (auto s : policy.getSettings()) {
    auto spec = settingSpec(s.getKey().cStr());
    if (!spec) continue;
    if (auto value = valueOf(s, spec->type)) p.settings[spec->key] = {*value, s.getMandatory()};
  }
  auto it = published_.find(origin);
  if (it == published_.end()) it = published_.emplace(std::string(origin), std::vector<Published>{}).first;
  it->second.push_back(std::move(p));
}

Result<void> RegistryAdmission::admit(std::string_view origin, schema::SignedDecision::Reader decision) {
  return admit(origin, decision, decision.getDecision().getHeader().getTime());
}

Result<void> RegistryAdmission::admit(std::string_view origin, schema::SignedDecision::Reader decision,
                                      Timestamp sequencedAt) {
  HREG_TRY(authority_.check(origin, decision));
  HREG_TRY(policy_.check(origin, decision));
  const Timestamp decided = decision.getDecision().getHeader().getTime();
  // A log holds decisions only about subjects of its division: what lets a bundle prove it complete.
  for (const std::string& subject : subjectsOf(decision.getDecision().getBody())) {
    HREG_TRY(jurisdiction(origin, authority_.rootAt(decided).origin, subject));
  }
  // Remembered per node (PolicyView::cachedAt): resolving the whole policy for each decision was
  // a third of a replica batch's commit.
  const EffectivePolicy& policy = policy_.cachedAt(origin, decided);
  const std::int64_t futureMinutes = policy.integer("decision.max-future-minutes");
  const std::int64_t maxAgeDays = policy.integer("decision.max-age-days");
  if (decided > sequencedAt + futureMinutes * 60)
    return refuse(Reason::DECISION_TIME, fmt::format("the decision is dated {}, after the node's clock ({}) allows; "
                                                     "policy allows {} minutes of clock difference",
                                                     formatUtc(decided), formatUtc(sequencedAt), futureMinutes));
  if (sequencedAt - decided > maxAgeDays * 86'400)
    return refuse(Reason::DECISION_TIME, fmt::format("the decision is dated {}, more than {} days before it reached "
                                                     "its log ({}); have it signed again", formatUtc(decided),
                                                     maxAgeDays, formatUtc(sequencedAt)));
  // 001 art. 6(2): every expert of a pool holds a senior title or policy's years of work, so no panel
  // is ever drawn with an unqualified expert; checked here, so a pool is refused in its own log and
  // in every replica of it.
  if (decision.getDecision().getBody().isExpertPool()) {
    HREG_TRY(expertPoolAllowed(decision.getDecision().getBody().getExpertPool(), policy.integer("expert.min-years"),
                               policy.setting("expert.min-years").source));
  }
  authority_.record(origin, decision);
  policy_.record(origin, decision);
  return outcome::success();
}

}  // namespace hreg::rules
