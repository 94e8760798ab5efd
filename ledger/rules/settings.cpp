#include "ledger/rules/settings.h"

#include <capnp/schema.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace hreg::rules {

const std::vector<SettingSpec>& settingSpecs() {
  using T = SettingType;
  using S = Stricter;
  using Texts = std::vector<std::string>;
  static const std::vector<SettingSpec> specs = {
      {"departments", T::TEXTS, S::SUPERSET, Texts{"culture", "hrss", "rural", "finance", "market", "land"},
       "the departments (部门) of the level, by id"},
      {"notice.working-days", T::INTEGER, S::HIGHER, std::int64_t{5}, "length of the public notice 公示"},
      {"objection.verification-working-days", T::INTEGER, S::LOWER, std::int64_t{5},
       "deadline to verify an objection 异议 and answer the objector"},
      {"appeal.working-days", T::INTEGER, S::HIGHER, std::int64_t{5},
       "window to appeal 申诉 a proposed revocation, after its written notice"},
      {"appeal.review-working-days", T::INTEGER, S::LOWER, std::int64_t{10}, "deadline to re-examine an appeal"},
      {"quarterly-report.working-days", T::INTEGER, S::LOWER, std::int64_t{5},
       "deadline of the quarterly report 季报 after the quarter ends"},
      {"reapplication-ban.years", T::INTEGER, S::HIGHER, std::int64_t{3},
       "years a revoked workshop may not apply again"},
      {"evaluation.cycle-years", T::INTEGER, S::LOWER, std::int64_t{2}, "years between evaluations 绩效评估"},
      {"confirmation.missed-years-to-cancel", T::INTEGER, S::LOWER, std::int64_t{2},
       "consecutive years without confirmation 信息更新 that cancel a certification"},
      {"condition.site-area-m2", T::INTEGER, S::HIGHER, std::int64_t{0}, "minimum site area, m²"},
      {"condition.trainings", T::INTEGER, S::HIGHER, std::int64_t{0}, "minimum traditional-skill trainings"},
      {"condition.practitioners", T::INTEGER, S::HIGHER, std::int64_t{0},
       "minimum inheritors or practitioners in production"},
      {"condition.welfare-activities", T::INTEGER, S::HIGHER, std::int64_t{0},
       "minimum public-welfare activities"},
      {"panel.min-size", T::INTEGER, S::HIGHER, std::int64_t{5}, "smallest expert panel (always odd)"},
      {"craftsman.panel-tiers", T::TEXTS, S::SUPERSET, Texts{},
       "craftsman tiers (craftsman, master, grand-master) chosen by an expert panel; empty: none"},
      {"expert.min-years", T::INTEGER, S::HIGHER, std::int64_t{5},
       "years of relevant work an expert without a senior title needs"},
      {"decision.max-age-days", T::INTEGER, S::LOWER, std::int64_t{30},
       "days a decision may take from its date to its log (bounds back-dating by any key)"},
      {"decision.max-future-minutes", T::INTEGER, S::LOWER, std::int64_t{10},
       "minutes a decision's date may lie ahead of the node's clock"},
      {"application.months", T::TEXTS, S::NONE, Texts{}, "months in which applications are received; empty: any"},
      {"calendar.national", T::CALENDAR, S::NONE, std::vector<CalendarYearSetting>{},
       "the State Council's working-day calendar, year by year"},
      {"calendar.local", T::CALENDAR, S::NONE, std::vector<CalendarYearSetting>{},
       "a region's own holidays, year by year (days off only)"},
  };
  return specs;
}

std::string signingKey(schema::Body::Which kind) {
  auto fields = capnp::Schema::from<schema::Body>().getUnionFields();
  for (auto field : fields)
    if (field.getProto().getDiscriminantValue() == static_cast<std::uint16_t>(kind))
      return fmt::format("signing.{}", field.getProto().getName().cStr());
  return "signing.unknown";
}

std::optional<SettingSpec> settingSpec(std::string_view key) {
  for (const SettingSpec& spec : settingSpecs())
    if (spec.key == key) return spec;
  if (key.starts_with("signing.")) {
    for (auto field : capnp::Schema::from<schema::Body>().getUnionFields()) {
      auto kind = static_cast<schema::Body::Which>(field.getProto().getDiscriminantValue());
      if (signingKey(kind) == key)
        return SettingSpec{std::string(key), SettingType::SIGNING_RULE, Stricter::SUPERSET,
                           trust::SigningRules::defaults().ruleFor(kind), "who signs this kind of decision"};
    }
  }
  return std::nullopt;
}

namespace {

bool superset(const std::vector<std::string>& refined, const std::vector<std::string>& base) {
  return std::all_of(base.begin(), base.end(), [&](const std::string& b) {
    return std::find(refined.begin(), refined.end(), b) != refined.end();
  });
}

}  // namespace

bool atLeastAsStrict(const SettingValue& refined, const SettingValue& base, Stricter stricter) {
  if (refined.index() != base.index()) return false;
  if (const auto* r = std::get_if<std::int64_t>(&refined)) {
    std::int64_t b = std::get<std::int64_t>(base);
    return stricter == Stricter::HIGHER ? *r >= b : stricter == Stricter::LOWER ? *r <= b : *r == b;
  }
  if (const auto* r = std::get_if<std::vector<std::string>>(&refined)) {
    const auto& b = std::get<std::vector<std::string>>(base);
    return stricter == Stricter::SUPERSET ? superset(*r, b) : *r == b;
  }
  if (const auto* r = std::get_if<trust::SigningRule>(&refined)) {
    const auto& b = std::get<trust::SigningRule>(base);
    // The same signers, at the same levels and role, with at least the departments above.
    return r->signers == b.signers && r->levels == b.levels && r->role == b.role &&
           superset(r->departments, b.departments);
  }
  return std::get<std::vector<CalendarYearSetting>>(refined) == std::get<std::vector<CalendarYearSetting>>(base);
}

std::string describe(const SettingValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return fmt::format("{}", *i);
  if (const auto* t = std::get_if<std::vector<std::string>>(&value)) return fmt::format("[{}]", fmt::join(*t, ", "));
  if (const auto* r = std::get_if<trust::SigningRule>(&value)) {
    const char* who = r->signers == trust::Signers::ROOT        ? "the trust root's keys"
                      : r->signers == trust::Signers::AUTHORITY ? "the node's authority keys"
                                                                 : "officials";
    return r->signers == trust::Signers::OFFICIALS
               ? fmt::format("officials of [{}] as {}", fmt::join(r->departments, ", "), r->role)
               : std::string(who);
  }
  return fmt::format("a calendar of {} year(s)", std::get<std::vector<CalendarYearSetting>>(value).size());
}

}  // namespace hreg::rules
