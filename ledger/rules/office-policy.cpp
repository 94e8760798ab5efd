// OfficePolicy (office-policy.h).
#include "ledger/rules/office-policy.h"

#include <capnp/schema.h>
#include <fmt/format.h>

#include "ledger/rules/date.h"
#include "ledger/rules/subject.h"
#include "ledger/trust/authority.h"

namespace hreg::rules {

using nlohmann::json;

namespace {

constexpr schema::Level LEVELS[] = {schema::Level::NATIONAL, schema::Level::PROVINCE, schema::Level::PREFECTURE,
                                    schema::Level::COUNTY, schema::Level::TOWNSHIP};

const char* signersName(trust::Signers s) {
  switch (s) {
    case trust::Signers::ROOT: return "root";
    case trust::Signers::AUTHORITY: return "authority";
    case trust::Signers::OFFICIALS: return "officials";
  }
  return "officials";
}

std::vector<schema::Body::Which> allKinds() {
  std::vector<schema::Body::Which> kinds;
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields())
    kinds.push_back(static_cast<schema::Body::Which>(field.getProto().getDiscriminantValue()));
  return kinds;
}

json datesJson(const std::vector<Date>& dates) {
  json out = json::array();
  for (const Date& d : dates) out.push_back(formatDate(d));
  return out;
}

}  // namespace

json officePolicyJson(const EffectivePolicy& policy) {
  json signing = json::object();
  for (schema::Body::Which kind : allKinds()) {
    trust::SigningRule rule = policy.signingRule(kind);
    json levels = json::array();
    for (schema::Level l : rule.levels) levels.push_back(trust::levelName(l));
    signing[kindName(kind)] = {{"signers", signersName(rule.signers)}, {"levels", levels},
                               {"departments", rule.departments}, {"role", rule.role}};
  }
  json periods = json::object();
  for (const char* key : OFFICE_PERIODS) periods[key] = policy.integer(key);
  json calendar = json::array();
  if (auto built = policy.calendar())
    for (const CalendarLayer& layer : built.value().layers()) {
      json holidays = json::array();
      for (const HolidayBlock& h : layer.holidays) holidays.push_back({{"name", h.name}, {"days", datesJson(h.days)}});
      calendar.push_back({{"scope", layer.scope == LayerScope::NATIONAL ? "national" : "local"},
                          {"region", layer.region}, {"year", layer.year}, {"source", layer.source},
                          {"holidays", holidays}, {"workdays", datesJson(layer.workdays)}});
    }
  return {{"version", policy.version()}, {"signing", signing}, {"periods", periods}, {"calendar", calendar}};
}

Result<OfficePolicy> officePolicyFromJson(const json& j) {
  auto bad = [](const std::string& what) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("policy: {}", what));
  };
  if (!j.is_object()) return bad("is not an object");
  OfficePolicy out;
  if (!j.contains("version") || !j["version"].is_string()) return bad("version is not a string");
  out.version = j["version"].get<std::string>();

  if (!j.contains("signing") || !j["signing"].is_object()) return bad("signing is not an object");
  for (schema::Body::Which kind : allKinds()) {
    std::string name = kindName(kind);
    if (!j["signing"].contains(name)) continue;
    const json& r = j["signing"][name];
    auto where = [&](const char* field) { return fmt::format("signing.{}.{}", name, field); };
    if (!r.is_object() || !r.value("signers", json()).is_string() || !r.value("role", json()).is_string() ||
        !r.value("levels", json()).is_array() || !r.value("departments", json()).is_array())
      return bad(fmt::format("signing.{} needs signers, levels, departments and role", name));
    trust::SigningRule rule;
    std::string signers = r["signers"].get<std::string>();
    if (signers == "root") rule.signers = trust::Signers::ROOT;
    else if (signers == "authority") rule.signers = trust::Signers::AUTHORITY;
    else if (signers == "officials") rule.signers = trust::Signers::OFFICIALS;
    else return bad(fmt::format("{} is '{}', not root, authority or officials", where("signers"), signers));
    for (const json& l : r["levels"]) {
      auto level = std::find_if(std::begin(LEVELS), std::end(LEVELS), [&](schema::Level x) {
        return l.is_string() && l.get<std::string>() == trust::levelName(x);
      });
      if (level == std::end(LEVELS)) return bad(fmt::format("{} holds an unknown level", where("levels")));
      rule.levels.push_back(*level);
    }
    for (const json& d : r["departments"]) {
      if (!d.is_string()) return bad(fmt::format("{} holds a non-string", where("departments")));
      rule.departments.push_back(d.get<std::string>());
    }
    rule.role = r["role"].get<std::string>();
    out.signing[kind] = std::move(rule);
  }

  if (!j.contains("periods") || !j["periods"].is_object()) return bad("periods is not an object");
  for (const char* key : OFFICE_PERIODS) {
    const json& v = j["periods"].value(key, json());
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 366)
      return bad(fmt::format("periods.{} is not a number of working days", key));
    out.periods[key] = v.get<std::int64_t>();
  }

  if (!j.contains("calendar") || !j["calendar"].is_array()) return bad("calendar is not an array");
  std::vector<CalendarLayer> layers;
  std::size_t i = 0;
  for (const json& l : j["calendar"]) {
    auto where = [&](const char* field) { return fmt::format("calendar[{}].{}", i, field); };
    if (!l.is_object() || !l.value("year", json()).is_number_integer() || !l.value("holidays", json()).is_array() ||
        !l.value("workdays", json()).is_array() || !l.value("scope", json()).is_string())
      return bad(fmt::format("calendar[{}] needs scope, year, holidays and workdays", i));
    CalendarLayer layer;
    layer.scope = l["scope"].get<std::string>() == "local" ? LayerScope::LOCAL : LayerScope::NATIONAL;
    layer.region = l.value("region", std::string());
    layer.source = l.value("source", std::string("the office's policy"));
    layer.year = l["year"].get<int>();
    auto dates = [&](const json& list, const std::string& field, std::vector<Date>& into) -> Result<void> {
      for (const json& d : list) {
        auto date = d.is_string() ? parseDate(d.get<std::string>()) : std::nullopt;
        if (!date) return bad(fmt::format("{} holds a date that is not YYYY-MM-DD", field));
        into.push_back(*date);
      }
      return outcome::success();
    };
    for (const json& h : l["holidays"]) {
      if (!h.is_object() || !h.value("days", json()).is_array())
        return bad(fmt::format("{} holds a holiday without days", where("holidays")));
      HolidayBlock block{h.value("name", std::string()), {}};
      HREG_TRY(dates(h["days"], where("holidays"), block.days));
      layer.holidays.push_back(std::move(block));
    }
    HREG_TRY(dates(l["workdays"], where("workdays"), layer.workdays));
    layers.push_back(std::move(layer));
    ++i;
  }
  auto calendar = Calendar::fromLayers(std::move(layers));
  if (!calendar) return bad(calendar.error().detail);
  out.calendar = std::move(calendar).value();
  return out;
}

}  // namespace hreg::rules
