#include "ledger/rules/policy.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "admin-cli/demo-federation.h"
#include "ledger/log/signing.h"
#include "ledger/rules/calendar-file.h"
#include "tests/support/files.h"

namespace hreg::rules {
namespace {

constexpr Timestamp T = 1'767'225'600 + 86'400;  // 2026-01-02T00:00:00Z, after the demo's charters
constexpr Timestamp DAY = 86'400;
const cli::DemoFederation FEDERATION(std::string(HREG_SOURCE_DIR) + "/configs/demo");

std::string originOf(const std::string& code) { return "hreg.example/" + code; }

struct SettingDraft {
  std::string key;
  bool mandatory = false;
  std::function<void(schema::Setting::Value::Builder)> value;
};

SettingDraft integer(const std::string& key, std::int64_t v, bool mandatory = false) {
  return {key, mandatory, [v](schema::Setting::Value::Builder b) { b.setInteger(v); }};
}

SettingDraft officials(const std::string& kind, std::vector<std::string> departments, bool mandatory) {
  return {"signing." + kind, mandatory, [departments](schema::Setting::Value::Builder b) {
            auto r = b.initSigningRule();
            r.setSigners(schema::SigningRuleSetting::Signers::OFFICIALS);
            r.initLevels(1).set(0, schema::Level::TOWNSHIP);
            auto list = r.initDepartments(static_cast<unsigned>(departments.size()));
            for (unsigned i = 0; i < departments.size(); ++i) list.set(i, departments[i]);
            r.setRole("reviewer");
          }};
}

SettingDraft calendarOf(const std::string& key, const CalendarLayer& layer) {
  return {key, false, [layer](schema::Setting::Value::Builder b) {
            auto year = b.initCalendar(1)[0];
            year.setYear(static_cast<std::uint16_t>(layer.year));
            std::vector<std::string> days;
            for (const auto& block : layer.holidays)
              for (const Date& d : block.days) days.push_back(formatDate(d));
            auto holidays = year.initHolidays(static_cast<unsigned>(days.size()));
            for (unsigned i = 0; i < days.size(); ++i) holidays.set(i, days[i]);
            auto workdays = year.initWorkdays(static_cast<unsigned>(layer.workdays.size()));
            for (unsigned i = 0; i < layer.workdays.size(); ++i) workdays.set(i, formatDate(layer.workdays[i]));
          }};
}

// The demo federation's charters and grants, admitted by the authority and policy views together.
struct Policies : ::testing::Test {
  trust::AuthorityView authority{FEDERATION.root()};
  PolicyView policy{authority};
  RegistryAdmission admission{authority, policy};

  void SetUp() override {
    // The charters and grants only: these tests publish policy from none (the demo's root calendar left out).
    for (const auto& [origin, bytes] : FEDERATION.decisions()) {
      if (protocol::parseSignedDecision(bytes).value().reader().getDecision().getBody().isPolicy()) continue;
      auto ok = admission.admit(origin, protocol::parseSignedDecision(bytes).value().reader());
      ASSERT_TRUE(ok) << ok.error().detail;
    }
  }
  // publish signs a policy of the node `code` ("root" for the root log) with two of its keys.
  Result<void> publish(const std::string& code, std::uint32_t version, Timestamp effective,
                       const std::vector<SettingDraft>& settings) {
    auto a = FEDERATION.key(code == "root" ? "root-1.key" : "authority-" + code + "-1.key");
    auto b = FEDERATION.key(code == "root" ? "root-2.key" : "authority-" + code + "-2.key");
    Bytes bytes = log::signedDecision(originOf(code), effective, [&](schema::Body::Builder body) {
      auto p = body.initPolicy();
      p.setVersion(version);
      p.setEffective(effective);
      auto list = p.initSettings(static_cast<unsigned>(settings.size()));
      for (unsigned i = 0; i < settings.size(); ++i) {
        list[i].setKey(settings[i].key);
        list[i].setMandatory(settings[i].mandatory);
        settings[i].value(list[i].initValue());
      }
    }, {&a, &b});
    return admission.admit(originOf(code), protocol::parseSignedDecision(bytes).value().reader());
  }
  Reason refusal(const Result<void>& r) { return r ? Reason::MALFORMED_ENTRY : r.error().reason; }
  // refusedSaying: `r` was refused for `reason` with a detail that says `says`.
  template <class T>
  ::testing::AssertionResult refusedSaying(const Result<T>& r, Reason reason, const std::string& says) {
    if (r) return ::testing::AssertionFailure() << "accepted; expected " << reasonName(reason);
    if (r.error().reason != reason)
      return ::testing::AssertionFailure() << "refused " << reasonName(r.error().reason) << ": " << r.error().detail;
    if (r.error().detail.find(says) == std::string::npos)
      return ::testing::AssertionFailure() << "the detail does not say '" << says << "': " << r.error().detail;
    return ::testing::AssertionSuccess();
  }
};

TEST_F(Policies, WithoutPolicyTheBuiltInSettingsHold) {
  auto p = policy.at(originOf("654201"), T);
  EXPECT_EQ(p.integer("notice.working-days"), 5);
  EXPECT_EQ(p.integer("reapplication-ban.years"), 3);
  EXPECT_EQ(p.version(), "built-in");
}

TEST_F(Policies, ALevelsPolicyIsInheritedByItsSubtreeAndNamedInTheVersion) {
  ASSERT_TRUE(publish("root", 1, T, {integer("notice.working-days", 5, true)}));
  ASSERT_TRUE(publish("65", 1, T, {integer("condition.site-area-m2", 60, true), integer("panel.min-size", 5)}));
  auto tacheng = policy.at(originOf("654201001"), T + DAY);
  EXPECT_EQ(tacheng.integer("condition.site-area-m2"), 60);
  EXPECT_EQ(tacheng.setting("condition.site-area-m2").source, "hreg.example/65 v1");
  EXPECT_EQ(tacheng.version(), "hreg.example/root v1, hreg.example/65 v1");
  EXPECT_EQ(policy.at(originOf("140902"), T + DAY).integer("condition.site-area-m2"), 0) << "not in Shanxi";
}

TEST_F(Policies, ALowerLevelMayTightenAMandatorySettingButNotRelaxIt) {
  ASSERT_TRUE(publish("65", 1, T, {integer("condition.site-area-m2", 60, true)}));
  ASSERT_TRUE(publish("6542", 1, T, {integer("condition.site-area-m2", 80)}));
  EXPECT_EQ(policy.at(originOf("654201"), T).integer("condition.site-area-m2"), 80);
  EXPECT_TRUE(refusedSaying(publish("654201", 1, T, {integer("condition.site-area-m2", 50)}), Reason::POLICY_RELAXED,
                            "'condition.site-area-m2' is mandatory at hreg.example/6542 v1 (80); "
                            "hreg.example/654201 would relax it to 50"));
}

TEST_F(Policies, ADeadlineOnOfficialsIsRelaxedByLengtheningIt) {
  ASSERT_TRUE(publish("root", 1, T, {integer("appeal.review-working-days", 10, true)}));
  EXPECT_TRUE(refusedSaying(publish("65", 1, T, {integer("appeal.review-working-days", 12)}), Reason::POLICY_RELAXED,
                            "hreg.example/65 would relax it to 12"));
  EXPECT_TRUE(publish("65", 1, T, {integer("appeal.review-working-days", 8)}));
}

TEST_F(Policies, ASettingNotMadeMandatoryMayBeChangedEitherWay) {
  ASSERT_TRUE(publish("65", 1, T, {integer("panel.min-size", 7)}));
  EXPECT_TRUE(publish("6542", 1, T, {integer("panel.min-size", 5)}));
  EXPECT_EQ(policy.at(originOf("6542"), T).integer("panel.min-size"), 5);
}

TEST_F(Policies, VersionsCountUpAndNeverGoBackInTime) {
  ASSERT_TRUE(publish("65", 1, T, {integer("panel.min-size", 7)}));
  EXPECT_TRUE(refusedSaying(publish("65", 3, T + DAY, {integer("panel.min-size", 9)}), Reason::POLICY_VERSION,
                            "hreg.example/65's next policy is version 2, not 3"));
  EXPECT_TRUE(refusedSaying(publish("65", 2, T - DAY, {integer("panel.min-size", 9)}), Reason::POLICY_VERSION,
                            "version 2 takes effect before version 1 did"));
  ASSERT_TRUE(publish("65", 2, T + 10 * DAY, {integer("panel.min-size", 9)}));
  EXPECT_EQ(policy.at(originOf("6542"), T + 5 * DAY).integer("panel.min-size"), 7) << "version 1 still in force";
  EXPECT_EQ(policy.at(originOf("6542"), T + 11 * DAY).integer("panel.min-size"), 9);
}

TEST_F(Policies, AnUnknownSettingOrAWrongTypeIsRefused) {
  EXPECT_TRUE(refusedSaying(publish("65", 1, T, {integer("notice.days", 5)}), Reason::UNKNOWN_SETTING,
                            "'notice.days' is not a setting hreg knows"));
  EXPECT_TRUE(refusedSaying(publish("65", 1, T, {{"departments", false, [](auto b) { b.setInteger(3); }}}),
                            Reason::UNKNOWN_SETTING, "'departments' takes another type of value"));
  auto tiers = [](std::vector<std::string> names) {
    return SettingDraft{"craftsman.panel-tiers", false, [names](schema::Setting::Value::Builder b) {
                          auto t = b.initTexts(static_cast<unsigned>(names.size()));
                          for (unsigned i = 0; i < names.size(); ++i) t.set(i, names[i]);
                        }};
  };
  EXPECT_TRUE(refusedSaying(publish("65", 1, T, {tiers({"master", "grandmaster"})}), Reason::UNKNOWN_SETTING,
                            "'craftsman.panel-tiers' names the tier 'grandmaster'"));
  ASSERT_TRUE(publish("65", 1, T, {tiers({"master", "grand-master"})}));
  EXPECT_EQ(policy.at(originOf("6542"), T + DAY).texts("craftsman.panel-tiers"),
            (std::vector<std::string>{"master", "grand-master"}));
}

TEST_F(Policies, AProvinceSigningRuleBindsItsTownships) {
  // Shanxi makes the township's preliminary review need culture and rural, mandatory.
  ASSERT_TRUE(publish("14", 1, T, {officials("preliminaryReview", {"culture", "rural"}, true)}));
  auto culture = FEDERATION.key("official-140902001-culture.key");
  Bytes review = log::signedDecision(originOf("140902001"), T + DAY, [](schema::Body::Builder body) {
    auto r = body.initPreliminaryReview();
    r.setSubject("140902001-W-0001");
    r.setOutcome(schema::ReviewOutcome::PASS);
  }, {&culture});
  auto admitted = admission.admit(originOf("140902001"), protocol::parseSignedDecision(review).value().reader());
  ASSERT_FALSE(admitted);
  EXPECT_EQ(admitted.error().reason, Reason::WRONG_DEPARTMENT);
  // The county may not take the rural department back out of the rule.
  EXPECT_EQ(refusal(publish("140902", 1, T, {officials("preliminaryReview", {"culture"}, false)})),
            Reason::POLICY_RELAXED);
  // In Xinjiang, where no such policy was published, the built-in rule (culture alone) holds.
  auto tacheng = FEDERATION.key("official-654201001-culture.key");
  Bytes other = log::signedDecision(originOf("654201001"), T + DAY, [](schema::Body::Builder body) {
    auto r = body.initPreliminaryReview();
    r.setSubject("654201001-W-0001");
    r.setOutcome(schema::ReviewOutcome::PASS);
  }, {&tacheng});
  EXPECT_TRUE(admission.admit(originOf("654201001"), protocol::parseSignedDecision(other).value().reader()));
}

// A log holds decisions only about subjects of its own division or below: a township may not
// review a workshop registered in its county seat or in another township, nor name a malformed one.
TEST_F(Policies, ALogDecidesOnlyAboutSubjectsOfItsDivision) {
  auto culture = FEDERATION.key("official-654201001-culture.key");
  auto reviewOf = [&](std::string subject) {
    Bytes bytes = log::signedDecision(originOf("654201001"), T + DAY, [&](schema::Body::Builder body) {
      auto r = body.initPreliminaryReview();
      r.setSubject(subject);
      r.setOutcome(schema::ReviewOutcome::PASS);
    }, {&culture});
    return admission.admit(originOf("654201001"), protocol::parseSignedDecision(bytes).value().reader());
  };
  auto above = reviewOf("654201-W-0001");
  ASSERT_FALSE(above);
  EXPECT_EQ(above.error().reason, Reason::OUT_OF_JURISDICTION);
  EXPECT_NE(above.error().detail.find("submit it to the office of 654201"), std::string::npos) << above.error().detail;
  EXPECT_EQ(refusal(reviewOf("654201002-W-0001")), Reason::OUT_OF_JURISDICTION) << "a sibling township's";
  EXPECT_TRUE(refusedSaying(reviewOf("W-0001"), Reason::MALFORMED_ENTRY,
                            "'W-0001' is not an identifier: write <division code>-W-<serial>"));
  EXPECT_TRUE(reviewOf("654201001-W-0001"));
}

TEST_F(Policies, TheNationalCalendarIsPolicyAndARegionAddsItsOwnHolidays) {
  auto national = parseNationalCalendarFile(testing::sourceFile("configs/calendar/CN-2026.toml"), "CN-2026.toml");
  ASSERT_TRUE(national) << national.error().detail;
  ASSERT_TRUE(publish("root", 1, T, {calendarOf("calendar.national", national.value())}));
  EXPECT_TRUE(refusedSaying(publish("65", 1, T, {calendarOf("calendar.national", national.value())}),
                            Reason::WRONG_LEVEL, "only the national (root) policy sets the national calendar"));
  CalendarLayer local{LayerScope::LOCAL, "test", "65", 2026, {{"古尔邦节", {Date{2026, 5, 27}, Date{2026, 5, 28}}}}, {}};
  ASSERT_TRUE(publish("65", 1, T, {calendarOf("calendar.local", local)}));
  auto xinjiang = policy.at(originOf("654201"), T).calendar();
  auto shanxi = policy.at(originOf("140902"), T).calendar();
  ASSERT_TRUE(xinjiang) << xinjiang.error().detail;
  ASSERT_TRUE(shanxi) << shanxi.error().detail;
  // A notice opened on Tuesday 2026-05-26 closes after 5 working days: Xinjiang's two days off push it.
  auto there = xinjiang.value().nthWorkingDayAfter(Date{2026, 5, 26}, 5);
  auto here = shanxi.value().nthWorkingDayAfter(Date{2026, 5, 26}, 5);
  EXPECT_EQ(formatDate(here.date), "2026-06-02");
  EXPECT_EQ(formatDate(there.date), "2026-06-04");
  EXPECT_TRUE(there.coverage.published());
}

// A calendar setting's dates are read when the calendar is built: a holiday or a make-up working day
// not written YYYY-MM-DD is refused there, naming the policy and the date as written.
TEST_F(Policies, ACalendarDateNotWrittenYyyyMmDdIsRefusedWhenTheCalendarIsBuilt) {
  auto written = [](const std::vector<std::string>& holidays, const std::vector<std::string>& workdays) {
    return SettingDraft{"calendar.local", false, [holidays, workdays](schema::Setting::Value::Builder b) {
                          auto year = b.initCalendar(1)[0];
                          year.setYear(2026);
                          auto h = year.initHolidays(static_cast<unsigned>(holidays.size()));
                          for (unsigned i = 0; i < holidays.size(); ++i) h.set(i, holidays[i]);
                          auto w = year.initWorkdays(static_cast<unsigned>(workdays.size()));
                          for (unsigned i = 0; i < workdays.size(); ++i) w.set(i, workdays[i]);
                        }};
  };
  ASSERT_TRUE(publish("65", 1, T, {written({"2026-05-27", "2026-5-28"}, {})}));
  EXPECT_TRUE(refusedSaying(policy.at(originOf("654201"), T).calendar(), Reason::MALFORMED_FILE,
                            "hreg.example/65 v1: '2026-5-28' is not YYYY-MM-DD"));
  ASSERT_TRUE(publish("6542", 1, T, {written({}, {"2026-05-30T00:00"})}));
  EXPECT_TRUE(refusedSaying(policy.at(originOf("654201"), T).calendar(), Reason::MALFORMED_FILE,
                            "'2026-05-30T00:00' is not YYYY-MM-DD"));
  EXPECT_TRUE(policy.at(originOf("140902"), T).calendar()) << "Shanxi inherits neither";
}

// A decision's date is bounded by the appending node's clock: not ahead of it beyond the clock
// difference policy allows, not older than policy lets a decision travel to its log. This bounds
// back-dating by any key, authority and root keys included.
TEST_F(Policies, ADecisionsDateIsBoundedByTheNodesClock) {
  auto culture = FEDERATION.key("official-654201001-culture.key");
  auto review = [&](Timestamp dated) {
    return log::signedDecision(originOf("654201001"), dated, [dated](schema::Body::Builder body) {
      auto r = body.initPreliminaryReview();
      r.setSubject(fmt::format("654201001-W-{}", dated));
      r.setOutcome(schema::ReviewOutcome::PASS);
    }, {&culture});
  };
  auto admitAt = [&](Timestamp dated, Timestamp now) {
    Bytes bytes = review(dated);
    return admission.admit(originOf("654201001"), protocol::parseSignedDecision(bytes).value().reader(), now);
  };
  const Timestamp now = T + 60 * DAY;
  EXPECT_TRUE(admitAt(now - 29 * DAY, now));
  EXPECT_TRUE(refusedSaying(admitAt(now - 31 * DAY, now), Reason::DECISION_TIME,
                            "more than 30 days before it reached its log"));
  EXPECT_TRUE(admitAt(now + 5 * 60, now));
  EXPECT_TRUE(refusedSaying(admitAt(now + 11 * 60, now), Reason::DECISION_TIME,
                            "after the node's clock (2026-03-03T00:00:00Z) allows; policy allows 10 minutes"));
  // Xinjiang allows a week, mandatory: the same 8-day-old decision is now refused there.
  ASSERT_TRUE(publish("65", 1, T, {integer("decision.max-age-days", 7, true)}));
  EXPECT_TRUE(refusedSaying(admitAt(now - 8 * DAY, now), Reason::DECISION_TIME, "more than 7 days before it reached"));
  EXPECT_TRUE(refusedSaying(publish("6542", 1, T, {integer("decision.max-age-days", 30)}), Reason::POLICY_RELAXED,
                            "'decision.max-age-days' is mandatory at hreg.example/65 v1"));
}

}  // namespace
}  // namespace hreg::rules
