#include "ledger/rules/lifecycle.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ledger/rules/date.h"
#include "ledger/rules/panel-draw.h"
#include "ledger/rules/subject.h"
#include "ledger/trust/authority.h"

namespace hreg::rules {

std::string_view stageName(Stage stage) noexcept {
  switch (stage) {
    case Stage::NONE: return "none";
    case Stage::APPLIED: return "applied";
    case Stage::PRELIMINARY_PASSED: return "preliminary-passed";
    case Stage::PRELIMINARY_REJECTED: return "preliminary-rejected";
    case Stage::JOINT_REVIEW: return "joint-review";
    case Stage::JOINT_PASSED: return "joint-passed";
    case Stage::JOINT_REJECTED: return "joint-rejected";
    case Stage::ON_NOTICE: return "on-notice";
    case Stage::OBJECTION_OPEN: return "objection-open";
    case Stage::OBJECTION_UPHELD: return "objection-upheld";
    case Stage::CERTIFIED: return "certified";
    case Stage::RECTIFICATION: return "rectification";
    case Stage::REVOCATION_PROPOSED: return "revocation-proposed";
    case Stage::APPEALED: return "appealed";
    case Stage::APPEAL_REJECTED: return "appeal-rejected";
    case Stage::REVOKED: return "revoked";
    case Stage::CANCELLED: return "cancelled";
    case Stage::RECOMMENDED: return "recommended";
    case Stage::PANEL_REVIEW: return "panel-review";
    case Stage::PANEL_PASSED: return "panel-passed";
    case Stage::PANEL_REJECTED: return "panel-rejected";
    case Stage::CRAFTSMAN_APPLIED: return "craftsman-applied";
    case Stage::CRAFTSMAN_REJECTED: return "craftsman-rejected";
    case Stage::CRAFTSMAN: return "craftsman";
    case Stage::MASTER: return "master";
    case Stage::GRAND_MASTER: return "grand-master";
    case Stage::EXITED: return "exited";
  }
  return "unknown-stage";
}

SubjectKind subjectKind(std::string_view subject) noexcept {
  return subject.find("-C-") != std::string_view::npos ? SubjectKind::CRAFTSMAN : SubjectKind::WORKSHOP;
}

std::span<const Transition> transitionsFor(SubjectKind kind) noexcept {
  if (kind == SubjectKind::CRAFTSMAN) return CRAFTSMAN_TRANSITIONS;
  return TRANSITIONS;
}

bool lifecycleJudges(schema::Body::Which kind) noexcept {
  auto has = [kind](std::span<const Transition> table) {
    return std::any_of(table.begin(), table.end(), [kind](const Transition& t) { return t.act == kind; });
  };
  return has(TRANSITIONS) || has(CRAFTSMAN_TRANSITIONS);
}

LifecyclePolicy LifecyclePolicy::from(const EffectivePolicy& policy) {
  LifecyclePolicy p;
  auto integer = [&](std::string_view key) { return static_cast<int>(policy.integer(key)); };
  p.noticeWorkingDays = integer("notice.working-days");
  p.objectionVerificationWorkingDays = integer("objection.verification-working-days");
  p.appealWorkingDays = integer("appeal.working-days");
  p.appealReviewWorkingDays = integer("appeal.review-working-days");
  p.reapplicationBanYears = integer("reapplication-ban.years");
  p.missedYearsToCancel = integer("confirmation.missed-years-to-cancel");
  p.evaluationCycleYears = integer("evaluation.cycle-years");
  p.panelMinSize = integer("panel.min-size");
  p.minSiteAreaM2 = integer("condition.site-area-m2");
  p.minTrainings = integer("condition.trainings");
  p.minPractitioners = integer("condition.practitioners");
  p.minWelfareActivities = integer("condition.welfare-activities");
  p.departments = policy.texts("departments");
  p.craftsmanPanelTiers = policy.texts("craftsman.panel-tiers");
  p.version = policy.version();
  return p;
}

namespace {

std::string when(Timestamp t) { return formatDate(dateOf(t)); }

// recordName is the schema's name of a Body kind, e.g. "jointReviewFinding".
std::string recordName(schema::Body::Which kind) { return signingKey(kind).substr(std::string_view("signing.").size()); }

// A time the record holds for an outside event, or the decision's own time when it holds none (0).
Timestamp eventTime(Timestamp recorded, Timestamp decided) { return recorded != 0 ? recorded : decided; }

}  // namespace

Result<void> objectionInTime(Timestamp publishedAt, Timestamp receivedAt, const LifecyclePolicy& policy,
                             const Calendar& calendar) {
  const Deadline closes = calendar.deadlineAfter(publishedAt, policy.noticeWorkingDays);
  if (receivedAt >= closes.endsAt)
    return refuse(Reason::WINDOW_CLOSED,
                  fmt::format("objection received {} after the notice of {} closed with {} ({} working days); "
                              "answer the objector that it is late",
                              when(receivedAt), when(publishedAt), formatDate(closes.lastDay), policy.noticeWorkingDays));
  return outcome::success();
}

StatedConditions statedConditions(schema::WorkshopFacts::Reader facts) {
  return {facts.getSiteArea(), facts.getTrainings().size(), facts.getInheritors().size(),
          facts.getWelfareActivities().size()};
}

namespace {

// unmetConditions lists each minimum condition the stated facts fall short of, "" when all are met.
std::string unmetConditions(const StatedConditions& stated, const LifecyclePolicy& policy) {
  std::vector<std::string> unmet;
  if (stated.siteAreaTenths < static_cast<std::uint64_t>(policy.minSiteAreaM2) * 10)
    unmet.push_back(fmt::format("a site of {}.{} m², at least {} m² required (condition.site-area-m2)",
                                stated.siteAreaTenths / 10, stated.siteAreaTenths % 10, policy.minSiteAreaM2));
  if (stated.trainings < static_cast<std::size_t>(policy.minTrainings))
    unmet.push_back(fmt::format("{} trainings held, at least {} required (condition.trainings)", stated.trainings,
                                policy.minTrainings));
  if (stated.practitioners < static_cast<std::size_t>(policy.minPractitioners))
    unmet.push_back(fmt::format("{} inheritors or practitioners, at least {} required (condition.practitioners)",
                                stated.practitioners, policy.minPractitioners));
  if (stated.welfareActivities < static_cast<std::size_t>(policy.minWelfareActivities))
    unmet.push_back(fmt::format("{} public-welfare activities, at least {} required (condition.welfare-activities)",
                                stated.welfareActivities, policy.minWelfareActivities));
  std::string out;
  for (const std::string& u : unmet) out += (out.empty() ? "" : "; ") + u;
  return out;
}

}  // namespace

Result<void> certificationAllowed(const NoticeFacts& facts, Timestamp at, const LifecyclePolicy& policy,
                                  const Calendar& calendar) {
  if (!facts.reviewPassed)
    return refuse(Reason::PREREQUISITE_MISSING,
                  "no passed joint review or panel conclusion: record a passing review result first");
  if (!facts.noticePublishedAt)
    return refuse(Reason::PREREQUISITE_MISSING, "no public notice: publish the notice first");
  if (facts.objectionUpheld)
    return refuse(Reason::OBJECTION_UPHELD, "an objection was upheld: the candidate lost its proposed certification");
  if (facts.objectionsOpen > 0)
    return refuse(Reason::OBJECTION_PENDING,
                  fmt::format("{} objection(s) still being verified: record their resolutions first", facts.objectionsOpen));
  const Deadline closes = calendar.deadlineAfter(*facts.noticePublishedAt, policy.noticeWorkingDays);
  if (at < closes.endsAt)
    return refuse(Reason::WINDOW_OPEN, fmt::format("the notice runs until the end of {}: certify after it closes",
                                                   formatDate(closes.lastDay)));
  if (facts.stated)
    if (std::string unmet = unmetConditions(*facts.stated, policy); !unmet.empty())
      return refuse(Reason::CONDITION_NOT_MET,
                    fmt::format("the application states {}, under policy {}: the workshop does not meet the minimum "
                                "conditions; refuse the certification, or record a new application with the facts "
                                "as they now are", unmet, policy.version));
  return outcome::success();
}

Result<void> appealInTime(Timestamp servedAt, Timestamp receivedAt, const LifecyclePolicy& policy,
                          const Calendar& calendar) {
  const Deadline closes = calendar.deadlineAfter(servedAt, policy.appealWorkingDays);
  if (receivedAt >= closes.endsAt)
    return refuse(Reason::WINDOW_CLOSED,
                  fmt::format("appeal received {} after its window closed with {} ({} working days from {})",
                              when(receivedAt), formatDate(closes.lastDay), policy.appealWorkingDays, when(servedAt)));
  return outcome::success();
}

Result<void> appealWindowClosed(Timestamp servedAt, Timestamp at, const LifecyclePolicy& policy,
                                const Calendar& calendar) {
  const Deadline closes = calendar.deadlineAfter(servedAt, policy.appealWorkingDays);
  if (at < closes.endsAt)
    return refuse(Reason::WINDOW_OPEN, fmt::format("the appeal window runs until the end of {}: revoke after it closes",
                                                   formatDate(closes.lastDay)));
  return outcome::success();
}

Timestamp banEndsAt(Timestamp revokedAt, const LifecyclePolicy& policy) {
  const Date revoked = dateOf(revokedAt);
  Date end{revoked.year + policy.reapplicationBanYears, revoked.month, revoked.day};
  if (!isValid(end)) end = Date{end.year, 3, 1};  // 29 February in a common year
  return startOfDay(end);
}

Result<void> reapplicationAllowed(std::optional<Timestamp> revokedAt, Timestamp receivedAt,
                                  const LifecyclePolicy& policy) {
  if (!revokedAt) return outcome::success();
  const Timestamp ends = banEndsAt(*revokedAt, policy);
  if (receivedAt < ends)
    return refuse(Reason::REAPPLICATION_BANNED,
                  fmt::format("revoked on {}: it may apply again from {} ({} years)", when(*revokedAt), when(ends),
                              policy.reapplicationBanYears));
  return outcome::success();
}

Result<void> jointReviewPasses(std::span<const Finding> findings, const LifecyclePolicy& policy) {
  std::map<std::string, bool, std::less<>> latest;
  for (const Finding& f : findings) latest[f.department] = f.passed;
  std::vector<std::string> required = policy.departments;
  if (required.empty())
    for (const auto& [department, passed] : latest) required.push_back(department);
  if (required.empty())
    return refuse(Reason::DEPARTMENT_NOT_PASSED, "no department recorded a finding");
  std::vector<std::string> missing;
  for (const std::string& d : required) {
    auto it = latest.find(d);
    if (it == latest.end() || !it->second) missing.push_back(d);
  }
  if (!missing.empty())
    return refuse(Reason::DEPARTMENT_NOT_PASSED,
                  fmt::format("no pass finding from [{}]: each required department must pass it", fmt::join(missing, ", ")));
  return outcome::success();
}

namespace {
int firstYearDue(int certifiedYear, int lastConfirmedYear) { return std::max(certifiedYear, lastConfirmedYear) + 1; }
}  // namespace

Timestamp cancelledAt(int certifiedYear, int lastConfirmedYear, const LifecyclePolicy& policy) {
  return startOfDay(Date{firstYearDue(certifiedYear, lastConfirmedYear) + policy.missedYearsToCancel, 1, 1});
}

std::vector<int> missedYears(int certifiedYear, int lastConfirmedYear, Timestamp at, const LifecyclePolicy& policy) {
  if (at < cancelledAt(certifiedYear, lastConfirmedYear, policy)) return {};
  std::vector<int> years;
  for (int i = 0; i < policy.missedYearsToCancel; ++i) years.push_back(firstYearDue(certifiedYear, lastConfirmedYear) + i);
  return years;
}

Result<void> confirmationsMissed(int certifiedYear, int lastConfirmedYear, Timestamp at, const LifecyclePolicy& policy) {
  if (missedYears(certifiedYear, lastConfirmedYear, at, policy).empty())
    return refuse(Reason::WINDOW_OPEN,
                  fmt::format("fewer than {} years without confirmation have ended: cancellation comes at {}",
                              policy.missedYearsToCancel, when(cancelledAt(certifiedYear, lastConfirmedYear, policy))));
  return outcome::success();
}


Result<void> panelDrawAllowed(std::size_t count, std::span<const std::string> drawn, const LifecyclePolicy& policy) {
  const auto minimum = static_cast<std::size_t>(policy.panelMinSize);
  if (count % 2 == 0 || count < minimum)
    return refuse(Reason::PANEL_SIZE, fmt::format("a panel of {} experts: it must be odd and at least {} (001 art. 6(2); "
                                                  "policy panel.min-size)", count, minimum));
  std::vector<std::string> distinct(drawn.begin(), drawn.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (drawn.size() != count || distinct.size() != count)
    return refuse(Reason::DRAW_MISMATCH, fmt::format("the draw says {} experts but lists {} ({} distinct): list exactly "
                                                     "the experts its seed gives", count, drawn.size(), distinct.size()));
  return outcome::success();
}

namespace {
bool holds(std::span<const std::string> list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}
}  // namespace

Result<void> recusalAllowed(const Panel& panel, std::string_view expert, bool granted, std::string_view replacement) {
  if (!holds(panel.members, expert))
    return refuse(Reason::NOT_ON_PANEL, fmt::format("{} is not on the panel [{}]: only a member can withdraw", expert,
                                                    fmt::join(panel.members, ", ")));
  if (!granted) return outcome::success();
  if (replacement.empty())
    return refuse(Reason::PANEL_SIZE, fmt::format("{} withdraws with no replacement: the panel would have {} experts; "
                                                  "name the next expert of the draw's order", expert,
                                                  panel.members.size() - 1));
  if (holds(panel.members, replacement) || holds(panel.recused, replacement) || replacement == expert)
    return refuse(Reason::DRAW_MISMATCH, fmt::format("the replacement {} is already on the panel or has withdrawn: "
                                                     "take the next expert of the draw's order", replacement));
  return outcome::success();
}

Result<void> scoreAllowed(const Panel& panel, std::string_view expert) {
  if (!holds(panel.members, expert))
    return refuse(Reason::NOT_ON_PANEL,
                  fmt::format("{} is not on the panel [{}]{}: only a drawn, unrecused expert scores", expert,
                              fmt::join(panel.members, ", "), holds(panel.recused, expert) ? " (withdrew)" : ""));
  if (holds(panel.scored, expert))
    return refuse(Reason::WRONG_STAGE, fmt::format("{} has already scored: one independent score per expert", expert));
  return outcome::success();
}

Result<void> conclusionAllowed(const Panel& panel) {
  std::vector<std::string> missing;
  for (const std::string& m : panel.members)
    if (!holds(panel.scored, m)) missing.push_back(m);
  if (!missing.empty())
    return refuse(Reason::PREREQUISITE_MISSING,
                  fmt::format("no independent score from [{}]: the panel deliberates on every member's score "
                              "(独立打分、集中合议, 001 art. 6(2))", fmt::join(missing, ", ")));
  return outcome::success();
}

namespace {
std::string_view tierName(schema::CraftsmanTier tier) {
  switch (tier) {
    case schema::CraftsmanTier::CRAFTSMAN: return "craftsman";
    case schema::CraftsmanTier::MASTER: return "master";
    case schema::CraftsmanTier::GRAND_MASTER: return "grand master";
  }
  return "unknown tier";
}
}  // namespace

Result<void> craftsmanApplicationAllowed(schema::CraftsmanTier tier) {
  if (tier != schema::CraftsmanTier::CRAFTSMAN)
    return refuse(Reason::WRONG_STAGE, fmt::format("an application for {}: a person is first certified a craftsman; masters "
                                                   "are chosen from craftsmen, grand masters from masters, by promotion "
                                                   "(004 §2(2))", tierName(tier)));
  return outcome::success();
}

Result<void> craftsmanCertificationAllowed(std::span<const Finding> findings, std::string_view department,
                                           schema::CraftsmanTier tier) {
  if (auto first = craftsmanApplicationAllowed(tier); !first) return first;
  std::optional<bool> latest;
  for (const Finding& f : findings)
    if (f.department == department) latest = f.passed;
  if (department.empty() || !latest || !*latest)
    return refuse(Reason::DEPARTMENT_NOT_PASSED,
                  fmt::format("no pass finding from the field's department '{}': it checks the qualification (资格审核, "
                              "004 §4(1)) before rural revitalization certifies", department));
  return outcome::success();
}

namespace {
// tierId is a tier as policy's craftsman.panel-tiers names it.
std::string_view tierId(schema::CraftsmanTier tier) {
  switch (tier) {
    case schema::CraftsmanTier::CRAFTSMAN: return "craftsman";
    case schema::CraftsmanTier::MASTER: return "master";
    case schema::CraftsmanTier::GRAND_MASTER: return "grand-master";
  }
  return "unknown-tier";
}
}  // namespace

Result<void> craftsmanPanelAllowed(const std::optional<Panel>& panel, schema::CraftsmanTier tier,
                                   const LifecyclePolicy& policy) {
  if (!panel) {
    if (!holds(policy.craftsmanPanelTiers, tierId(tier))) return outcome::success();
    return refuse(Reason::PREREQUISITE_MISSING,
                  fmt::format("no expert panel drawn for it: under policy {} a {} is chosen by an expert panel "
                              "(craftsman.panel-tiers [{}]); draw it, hear recusals (回避, 004 §4(3)), take the "
                              "independent scores and record its conclusion first", policy.version, tierName(tier),
                              fmt::join(policy.craftsmanPanelTiers, ", ")));
  }
  if (!panel->concluded)
    return refuse(Reason::PREREQUISITE_MISSING,
                  fmt::format("the expert panel drawn for it [{}] has not concluded: record its conclusion (集中合议) "
                              "first", fmt::join(panel->members, ", ")));
  if (!*panel->concluded)
    return refuse(Reason::PREREQUISITE_MISSING,
                  fmt::format("the expert panel [{}] concluded against it: it is not made {}; a new panel may be "
                              "drawn", fmt::join(panel->members, ", "), tierName(tier)));
  return outcome::success();
}

Result<void> promotionAllowed(schema::CraftsmanTier current, schema::CraftsmanTier from, schema::CraftsmanTier to) {
  const auto step = static_cast<int>(to) - static_cast<int>(current);
  if (from != current || step != 1)
    return refuse(Reason::WRONG_STAGE, fmt::format("a promotion from {} to {} of a {}: one tier at a time, craftsman → "
                                                   "master → grand master (004 §2(2))", tierName(from), tierName(to),
                                                   tierName(current)));
  return outcome::success();
}

namespace {

using trust::levelName;

// above: `higher` is a higher level than `lower` (the enum counts down from national).
bool above(schema::Level higher, schema::Level lower) {
  return static_cast<int>(higher) < static_cast<int>(lower);
}

}  // namespace

Result<void> recommendationAllowed(std::optional<schema::Level> certified, schema::Level recommended,
                                   std::optional<Timestamp> cancelled, Timestamp at) {
  if (cancelled && *cancelled <= at)
    return refuse(Reason::WRONG_STAGE,
                  fmt::format("its certification was cancelled on {} by the years without confirmation (derived, "
                              "not yet recorded): record the cancellation; a cancelled workshop applies anew",
                              when(*cancelled)));
  if (certified && !above(recommended, *certified))
    return refuse(Reason::WRONG_LEVEL,
                  fmt::format("certified at {} level and recommended for {} level: a recommendation is for a higher "
                              "level, one level at a time (逐级申报, 001 art. 5)", levelName(*certified),
                              levelName(recommended)));
  return outcome::success();
}

namespace {

// Replay: what the replay knows of the subject so far.
struct Replay {
  Status status;
  std::vector<Finding> findings;
  NoticeFacts notice;
  std::optional<Timestamp> revokedAt;
  std::optional<Timestamp> servedAt;
  int certifiedYear = 0;
  int lastConfirmedYear = 0;
  std::vector<std::size_t> openObjections;  // indexes into status.deadlines
  std::optional<std::size_t> openAppeal;
  std::optional<std::size_t> openEvaluation;     // the evaluation due next, while certified
  std::optional<Rectification> rectification;    // the newest ordered since the certification
  std::optional<std::size_t> openRectification;  // its deadline, until a result settles it
  // Craftsmen:
  std::vector<Finding> qualification;  // the field departments' findings since the application
  std::string fieldDepartment;         // the application's recommending department
  schema::CraftsmanTier tier = schema::CraftsmanTier::CRAFTSMAN;
  // The records an EntryRef must name, by their index among the decisions (kept whether or not their
  // positions are known, so a resolution can settle the objection it names):
  std::optional<std::size_t> noticeAt;          // the latest notice
  std::optional<std::size_t> certificationAt;   // the latest certification or legacy import
  std::optional<std::size_t> confirmationAt;    // the confirmation of the latest year confirmed since it
  int confirmationYear = 0;                     // that year
  std::vector<std::size_t> openObjectionsAt;    // the objections not yet resolved, as openObjections
  std::optional<std::size_t> orderAt;           // the latest rectification order
  std::optional<std::size_t> failedResultAt;    // the latest failed rectification result since that order
  std::optional<std::size_t> proposalAt;        // the latest revocation proposal
  std::optional<std::size_t> appealAt;          // the latest appeal since it
  std::optional<std::size_t> appealDecisionAt;  // the latest appeal decision since it
  std::optional<std::size_t> drawAt;            // the panel draw of the current procedure
  std::vector<std::pair<std::string, std::size_t>> scoresAt;  // its members' scores (expert, index), recusals out
  std::optional<std::size_t> failedEvaluationAt;  // the latest evaluation since the certification, if it failed
  std::optional<std::size_t> preliminaryAt;     // the preliminary review passed since the application
  std::optional<std::size_t> reviewPassedAt;    // the joint review result or panel conclusion passed since
                                                // the procedure started, which a notice rests on
  std::string reviewPassedWhat;                 // its record kind
  // The record the procedure under way started from, which a panel draw's seed must come after: the
  // application or recommendation (workshop), the application or the current tier's decision (craftsman).
  std::optional<std::size_t> procedureAt;
  std::string procedureWhat;  // its record kind, e.g. "recommendation"
};

std::optional<bool> positive(schema::Body::Reader body) {
  using P = schema::ReviewOutcome;
  switch (body.which()) {
    case Act::PRELIMINARY_REVIEW: return body.getPreliminaryReview().getOutcome() == P::PASS;
    case Act::JOINT_REVIEW_RESULT: return body.getJointReviewResult().getOutcome() == P::PASS;
    case Act::EVALUATION: return body.getEvaluation().getOutcome() == P::PASS;
    case Act::RECTIFICATION_RESULT: return body.getRectificationResult().getOutcome() == P::PASS;
    case Act::OBJECTION_RESOLUTION: return body.getObjectionResolution().getUpheld();
    case Act::APPEAL_DECISION: return body.getAppealDecision().getUpheld();
    case Act::PANEL_CONCLUSION: return body.getPanelConclusion().getOutcome() == P::PASS;
    case Act::JOINT_REVIEW_FINDING: return body.getJointReviewFinding().getOutcome() == P::PASS;
    default: return std::nullopt;
  }
}

bool fits(const Transition& t, Stage from, schema::Body::Reader body) {
  if (t.from != from || t.act != body.which()) return false;
  if (t.when == When::ANY) return true;
  const auto p = positive(body);
  return p && *p == (t.when == When::PASS);
}

// procedureLevel: the certification that ends a procedure toward a higher level is at the level
// recommended for (WRONG_LEVEL). Without a pending procedure any level goes.
Result<void> procedureLevel(const Replay& r, schema::Level certified) {
  if (!r.status.pending || r.status.recorded != Stage::CERTIFIED || certified == r.status.pending->level)
    return outcome::success();
  return refuse(Reason::WRONG_LEVEL, fmt::format("a certification at {} level ends a procedure recommended for {} level: "
                                                 "certify at the level recommended", levelName(certified),
                                                 levelName(r.status.pending->level)));
}

// panelOpen: a recusal, score or conclusion needs a panel drawn (PREREQUISITE_MISSING) that has not
// concluded (WRONG_STAGE). A workshop's stage says both; a craftsman's panel runs within a stage.
Result<void> panelOpen(const Replay& r) {
  if (!r.status.panel)
    return refuse(Reason::PREREQUISITE_MISSING, "no expert panel drawn for the decision under way: record the panel "
                                                "draw first");
  if (r.status.panel->concluded)
    return refuse(Reason::WRONG_STAGE, fmt::format("the panel [{}] has concluded ({}): a new panel draw starts a new "
                                                   "panel", fmt::join(r.status.panel->members, ", "),
                                                   *r.status.panel->concluded ? "for" : "against"));
  return outcome::success();
}

Result<void> checkGuard(Guard guard, const Replay& r, schema::Decision::Reader d, const LifecyclePolicy& policy,
                        const Calendar& calendar) {
  const Timestamp at = d.getHeader().getTime();
  const auto body = d.getBody();
  switch (guard) {
    case Guard::NONE: return outcome::success();
    case Guard::REAPPLICATION_BAN_OVER:
      return reapplicationAllowed(r.revokedAt, eventTime(body.getApplication().getReceivedAt(), at), policy);
    case Guard::JOINT_REVIEW_COMPLETE: return jointReviewPasses(r.findings, policy);
    case Guard::OBJECTION_IN_TIME:
      return objectionInTime(*r.notice.noticePublishedAt, eventTime(body.getObjection().getReceivedAt(), at), policy,
                             calendar);
    case Guard::CERTIFICATION_ALLOWED:
      if (auto level = procedureLevel(r, body.getCertification().getLevel()); !level) return level;
      return certificationAllowed(r.notice, at, policy, calendar);
    case Guard::APPEAL_IN_TIME:
      return appealInTime(*r.servedAt, eventTime(body.getAppeal().getReceivedAt(), at), policy, calendar);
    case Guard::APPEAL_WINDOW_CLOSED: return appealWindowClosed(*r.servedAt, at, policy, calendar);
    case Guard::CONFIRMATIONS_MISSED: return confirmationsMissed(r.certifiedYear, r.lastConfirmedYear, at, policy);
    case Guard::PANEL_SIZE_ALLOWED: {
      auto draw = body.getPanelDraw();
      std::vector<std::string> drawn;
      for (auto e : draw.getExperts()) drawn.emplace_back(e.cStr());
      if (auto ok = panelDrawAllowed(draw.getCount(), drawn, policy); !ok) return ok;
      HREG_TRY(seed, seedOf(draw));
      const std::vector<Fixed> pools = poolsOf(draw);
      return seedAfter(seed, pools);
    }
    case Guard::RECUSAL_ON_PANEL: {
      if (auto open = panelOpen(r); !open) return open;
      auto recusal = body.getRecusal();
      return recusalAllowed(*r.status.panel, recusal.getExpert().cStr(), recusal.getGranted(),
                            recusal.getReplacement().cStr());
    }
    case Guard::SCORER_ON_PANEL:
      if (auto open = panelOpen(r); !open) return open;
      return scoreAllowed(*r.status.panel, body.getExpertScore().getExpert().cStr());
    case Guard::PANEL_SCORED:
      if (auto open = panelOpen(r); !open) return open;
      return conclusionAllowed(*r.status.panel);
    case Guard::FIRST_TIER: return craftsmanApplicationAllowed(body.getCraftsmanApplication().getTier());
    case Guard::QUALIFICATION_PASSED: {
      auto c = body.getCraftsmanCertification();
      std::string department = c.hasDepartment() ? c.getDepartment().cStr() : r.fieldDepartment;
      if (auto ok = craftsmanCertificationAllowed(r.qualification, department, c.getTier()); !ok) return ok;
      return craftsmanPanelAllowed(r.status.panel, c.getTier(), policy);
    }
    case Guard::NEXT_TIER: {
      auto p = body.getCraftsmanPromotion();
      if (auto ok = promotionAllowed(r.tier, p.getFrom(), p.getTo()); !ok) return ok;
      return craftsmanPanelAllowed(r.status.panel, p.getTo(), policy);
    }
    case Guard::RECTIFICATION_DEADLINE: return rectificationOrderAllowed(body.getRectificationOrder().getDeadline(), at);
    case Guard::REVOCATION_GROUND:
      return revocationGroundAllowed(body.getRevocationProposal().getGround(), r.rectification, at);
    case Guard::RECOMMENDATION_UPWARD: {
      std::optional<Timestamp> cancelled;
      if (r.certifiedYear != 0 && !missedYears(r.certifiedYear, r.lastConfirmedYear, at, policy).empty())
        cancelled = cancelledAt(r.certifiedYear, r.lastConfirmedYear, policy);
      return recommendationAllowed(r.status.level, body.getRecommendation().getLevel(), cancelled, at);
    }
  }
  return outcome::success();
}

DeadlineStatus running(std::string what, const Calendar& calendar, Timestamp from, int days, bool supervisory) {
  return DeadlineStatus{std::move(what), calendar.deadlineAfter(from, days), supervisory, false, false};
}

void settle(DeadlineStatus& deadline, Timestamp at) {
  deadline.met = at < deadline.deadline.endsAt;
  deadline.overdue = deadline.supervisory && !deadline.met;
}

// close ends an open supervisory deadline whose act will not come (the certification ended, or the
// revocation was proposed): neither met nor awaited any more, overdue only if it had ended by `at`.
void close(std::vector<DeadlineStatus>& deadlines, std::optional<std::size_t>& open, Timestamp at) {
  if (!open) return;
  deadlines[*open].overdue = at >= deadlines[*open].deadline.endsAt;
  open.reset();
}

// startEvaluation opens the next evaluation, due a cycle after `from` (a certification or an evaluation).
void startEvaluation(Replay& r, Timestamp from, const LifecyclePolicy& policy) {
  r.openEvaluation = r.status.deadlines.size();
  r.status.deadlines.push_back(
      DeadlineStatus{"evaluation", evaluationDeadline(from, policy.evaluationCycleYears), true, false, false});
}

// recordRectificationResult settles the rectification's deadline when its result decides it: achieved
// (in time or late), or found not achieved at or after the deadline. A failed check before the deadline
// leaves it running: the order gave the workshop until then.
void recordRectificationResult(Replay& r, schema::RectificationResult::Reader result, Timestamp at) {
  const Timestamp checked = eventTime(result.getCheckedAt(), at);
  const bool achieved = result.getOutcome() == schema::ReviewOutcome::PASS;
  if (achieved && r.rectification) r.rectification->achievedAt = checked;
  if (!r.openRectification) return;
  DeadlineStatus& deadline = r.status.deadlines[*r.openRectification];
  if (!achieved && checked < deadline.deadline.endsAt) return;
  settle(deadline, achieved ? checked : deadline.deadline.endsAt);
  r.openRectification.reset();
}

// ---- EntryRefs: each names the record it should (docs/rules.md, "Records"). ----

std::string shown(schema::EntryRef::Reader ref) {
  if (ref.getOrigin().size() == 0) return "no entry";
  return fmt::format("{} #{}", ref.getOrigin().cStr(), ref.getIndex());
}

bool refersTo(schema::EntryRef::Reader ref, const DecisionAt& at) {
  const auto hash = ref.getLeafHash();
  return ref.getOrigin() == at.origin && ref.getIndex() == at.index && hash.size() == at.leafHash.size() &&
         std::equal(hash.begin(), hash.end(), at.leafHash.begin());
}

// namesRecord checks that `ref`, a decision's field `field`, names the decision `want` (what: what it should
// name). Refuses PREREQUISITE_MISSING otherwise, saying what it names and what it should.
Result<void> namesRecord(schema::EntryRef::Reader ref, std::span<const DecisionAt> at, std::optional<std::size_t> want,
                         std::string_view field, std::string_view what) {
  if (want && refersTo(ref, at[*want])) return outcome::success();
  const bool otherHash = want && ref.getOrigin() == at[*want].origin && ref.getIndex() == at[*want].index;
  return refuse(Reason::PREREQUISITE_MISSING,
                fmt::format("its {} names {}{}: it must name {}{}", field, shown(ref),
                            otherHash ? " with another leaf hash than the entry there" : "", what,
                            want ? fmt::format(" ({} #{})", at[*want].origin, at[*want].index)
                                 : std::string(", and none is recorded")));
}

// basisNames checks that `basis` names the decision `want` (what: what it is, e.g. "the passed joint
// review result"), when there is one. Refuses PREREQUISITE_MISSING otherwise, saying what it must name.
Result<void> basisNames(capnp::List<schema::EntryRef>::Reader basis, std::span<const DecisionAt> at,
                        std::optional<std::size_t> want, const std::string& what) {
  if (!want) return outcome::success();
  for (auto ref : basis)
    if (refersTo(ref, at[*want])) return outcome::success();
  return refuse(Reason::PREREQUISITE_MISSING,
                fmt::format("its basis does not name {} ({} #{}): add it", what, at[*want].origin, at[*want].index));
}

// scoresNamed checks that a panel conclusion's `scores` name exactly the scores recorded for its panel
// draw by the members after recusals (`recorded`), each once. Refuses PREREQUISITE_MISSING otherwise.
Result<void> scoresNamed(capnp::List<schema::EntryRef>::Reader scores, std::span<const DecisionAt> at,
                         std::span<const std::pair<std::string, std::size_t>> recorded) {
  std::vector<std::string> all;
  for (const auto& [expert, k] : recorded) all.push_back(fmt::format("{} #{} ({})", at[k].origin, at[k].index, expert));
  const std::string must = fmt::format("they must name exactly the scores recorded for the panel draw, each once ([{}])",
                                       fmt::join(all, ", "));
  std::vector<bool> named(recorded.size(), false);
  for (auto ref : scores) {
    std::size_t k = 0;
    while (k < recorded.size() && !refersTo(ref, at[recorded[k].second])) ++k;
    if (k == recorded.size())
      return refuse(Reason::PREREQUISITE_MISSING,
                    fmt::format("its scores name {}, not a score recorded for the panel draw: {}", shown(ref), must));
    if (named[k])
      return refuse(Reason::PREREQUISITE_MISSING, fmt::format("its scores name {} twice: {}", shown(ref), must));
    named[k] = true;
  }
  for (std::size_t k = 0; k < recorded.size(); ++k)
    if (!named[k])
      return refuse(Reason::PREREQUISITE_MISSING,
                    fmt::format("its scores leave out {}'s score ({} #{}): {}", recorded[k].first,
                                at[recorded[k].second].origin, at[recorded[k].second].index, must));
  return outcome::success();
}

// checkRefs checks the EntryRefs of decision `d`, standing at `self`, against where the decisions it should
// name stand. A
// resolution naming an open objection moves that objection first, for record() to settle.
Result<void> checkRefs(Replay& r, schema::Decision::Reader d, std::span<const DecisionAt> at, const DecisionAt& self) {
  const auto body = d.getBody();
  switch (body.which()) {
    case Act::OBJECTION: return namesRecord(body.getObjection().getNotice(), at, r.noticeAt, "notice", "the latest notice");
    case Act::OBJECTION_RESOLUTION: {
      const auto ref = body.getObjectionResolution().getObjection();
      for (std::size_t k = 0; k < r.openObjectionsAt.size() && k < r.openObjections.size(); ++k)
        if (refersTo(ref, at[r.openObjectionsAt[k]])) {
          std::rotate(r.openObjectionsAt.begin(), r.openObjectionsAt.begin() + k, r.openObjectionsAt.begin() + k + 1);
          std::rotate(r.openObjections.begin(), r.openObjections.begin() + k, r.openObjections.begin() + k + 1);
          return outcome::success();
        }
      std::vector<std::string> open;
      for (std::size_t k : r.openObjectionsAt) open.push_back(fmt::format("{} #{}", at[k].origin, at[k].index));
      return refuse(Reason::PREREQUISITE_MISSING,
                    fmt::format("its objection names {}: it must name an objection to the subject not yet resolved "
                                "([{}])", shown(ref), fmt::join(open, ", ")));
    }
    case Act::NOTICE:
      return basisNames(body.getNotice().getBasis(), at, r.reviewPassedAt,
                        "the passed " + r.reviewPassedWhat + " it rests on");
    case Act::RECOMMENDATION:
      // From certified (upward): this level's certification; before it: the preliminary review passed.
      if (r.status.recorded == Stage::CERTIFIED)
        return basisNames(body.getRecommendation().getBasis(), at, r.certificationAt,
                          "this level's certification or legacy import, the latest");
      return basisNames(body.getRecommendation().getBasis(), at, r.preliminaryAt, "this level's passed preliminary review");
    case Act::CERTIFICATION:
      return namesRecord(body.getCertification().getNotice(), at, r.noticeAt, "notice", "the notice it followed, the latest");
    case Act::REVOCATION_PROPOSAL: {
      auto p = body.getRevocationProposal();
      if (auto ok = namesRecord(p.getCertification(), at, r.certificationAt, "certification",
                                "the certification or legacy import it would revoke, the latest");
          !ok)
        return ok;
      if (p.getGround() != RECTIFICATION_GROUND) return outcome::success();
      const std::optional<std::size_t> want = r.failedResultAt ? r.failedResultAt : r.orderAt;
      const char* what = r.failedResultAt ? "the failed rectification result" : "the rectification order whose deadline passed";
      for (auto ref : p.getBasis())
        if (want && refersTo(ref, at[*want])) return outcome::success();
      return refuse(Reason::PREREQUISITE_MISSING,
                    fmt::format("ground 9, but its basis does not name {}{}: add it", what,
                                want ? fmt::format(" ({} #{})", at[*want].origin, at[*want].index) : std::string()));
    }
    case Act::CONFIRMATION:
      return namesRecord(body.getConfirmation().getCertification(), at, r.certificationAt, "certification",
                         "the certification or legacy import it confirms, the latest");
    case Act::EVALUATION:
      return namesRecord(body.getEvaluation().getCertification(), at, r.certificationAt, "certification",
                         "the certification or legacy import it evaluates, the latest");
    case Act::CANCELLATION: {
      auto c = body.getCancellation();
      if (auto ok = namesRecord(c.getCertification(), at, r.certificationAt, "certification",
                                "the certification or legacy import it cancels, the latest");
          !ok)
        return ok;
      if (!r.confirmationAt && c.getLastConfirmation().getOrigin().size() == 0) return outcome::success();
      return namesRecord(c.getLastConfirmation(), at, r.confirmationAt, "lastConfirmation",
                         "the confirmation of the latest year confirmed since the certification (empty when there is "
                         "none)");
    }
    case Act::APPEAL: return namesRecord(body.getAppeal().getProposal(), at, r.proposalAt, "proposal", "the revocation proposal appealed, the latest");
    case Act::APPEAL_DECISION: return namesRecord(body.getAppealDecision().getAppeal(), at, r.appealAt, "appeal", "the latest appeal");
    case Act::REVOCATION: {
      auto v = body.getRevocation();
      if (auto ok = namesRecord(v.getProposal(), at, r.proposalAt, "proposal", "the revocation proposal it makes final, the latest");
          !ok)
        return ok;
      if (!r.appealDecisionAt && v.getAppealDecision().getOrigin().size() == 0) return outcome::success();
      return namesRecord(v.getAppealDecision(), at, r.appealDecisionAt, "appealDecision",
                         "the decision on the appeal, the latest (empty when no appeal was decided)");
    }
    case Act::PANEL_DRAW: {
      HREG_TRY(seed, seedOf(body.getPanelDraw()));
      if (auto ok = seedBefore(seed, self.origin, self.index); !ok) return ok;
      if (!r.procedureAt) return outcome::success();
      const DecisionAt& start = at[*r.procedureAt];
      const std::vector<Fixed> subject{{fmt::format("the {} it draws for", r.procedureWhat), start.origin, start.index}};
      return seedAfter(seed, subject);
    }
    case Act::RECUSAL: return namesRecord(body.getRecusal().getDraw(), at, r.drawAt, "draw", "the panel draw");
    case Act::EXPERT_SCORE: return namesRecord(body.getExpertScore().getDraw(), at, r.drawAt, "draw", "the panel draw");
    case Act::PANEL_CONCLUSION: {
      auto c = body.getPanelConclusion();
      if (auto ok = namesRecord(c.getDraw(), at, r.drawAt, "draw", "the panel draw"); !ok) return ok;
      return scoresNamed(c.getScores(), at, r.scoresAt);
    }
    case Act::RECTIFICATION_ORDER:
      return namesRecord(body.getRectificationOrder().getCause(), at, r.failedEvaluationAt, "cause",
                         "the failed evaluation it follows from, the latest since the certification");
    default: return outcome::success();
  }
}

// track notes where the records later EntryRefs must name stand, after record() took decision `i`.
void track(Replay& r, schema::Decision::Reader d, std::size_t i) {
  switch (d.getBody().which()) {
    case Act::APPLICATION:
    case Act::RECOMMENDATION:
      r.noticeAt.reset();
      r.drawAt.reset();
      r.reviewPassedAt.reset();
      if (d.getBody().isApplication()) r.preliminaryAt.reset();
      r.procedureAt = i;
      r.procedureWhat = recordName(d.getBody().which());
      break;
    case Act::CRAFTSMAN_APPLICATION:
    case Act::CRAFTSMAN_CERTIFICATION:
    case Act::CRAFTSMAN_PROMOTION:
      r.drawAt.reset();
      r.procedureAt = i;
      r.procedureWhat = recordName(d.getBody().which());
      break;
    case Act::CRAFTSMAN_EXIT:
      r.drawAt.reset();
      r.procedureAt.reset();
      break;
    case Act::NOTICE: r.noticeAt = i; break;
    case Act::PRELIMINARY_REVIEW:
      if (*positive(d.getBody())) r.preliminaryAt = i;
      break;
    case Act::JOINT_REVIEW_RESULT:
    case Act::PANEL_CONCLUSION:
      if (r.status.kind == SubjectKind::CRAFTSMAN) break;
      if (*positive(d.getBody())) {
        r.reviewPassedAt = i;
        r.reviewPassedWhat = recordName(d.getBody().which());
      } else {
        r.reviewPassedAt.reset();
      }
      break;
    case Act::OBJECTION: r.openObjectionsAt.push_back(i); break;
    case Act::OBJECTION_RESOLUTION:
      if (!r.openObjectionsAt.empty()) r.openObjectionsAt.erase(r.openObjectionsAt.begin());
      break;
    case Act::CERTIFICATION:
    case Act::LEGACY_IMPORT:
      r.certificationAt = i;
      r.failedEvaluationAt.reset();
      r.confirmationAt.reset();
      r.confirmationYear = 0;
      r.orderAt.reset();
      r.failedResultAt.reset();
      break;
    case Act::CONFIRMATION:
      if (d.getBody().getConfirmation().getYear() >= r.confirmationYear) {
        r.confirmationAt = i;
        r.confirmationYear = d.getBody().getConfirmation().getYear();
      }
      break;
    case Act::RECTIFICATION_ORDER:
      r.orderAt = i;
      r.failedResultAt.reset();
      break;
    case Act::RECTIFICATION_RESULT:
      if (d.getBody().getRectificationResult().getOutcome() == schema::ReviewOutcome::PASS) r.failedResultAt.reset();
      else r.failedResultAt = i;
      break;
    case Act::REVOCATION_PROPOSAL:
      r.proposalAt = i;
      r.appealAt.reset();
      r.appealDecisionAt.reset();
      break;
    case Act::APPEAL: r.appealAt = i; break;
    case Act::APPEAL_DECISION: r.appealDecisionAt = i; break;
    case Act::PANEL_DRAW:
      r.drawAt = i;
      r.scoresAt.clear();
      break;
    case Act::EXPERT_SCORE: r.scoresAt.emplace_back(d.getBody().getExpertScore().getExpert().cStr(), i); break;
    case Act::RECUSAL:
      if (d.getBody().getRecusal().getGranted())
        std::erase_if(r.scoresAt, [&](const auto& s) { return s.first == d.getBody().getRecusal().getExpert().cStr(); });
      break;
    case Act::EVALUATION:
      if (*positive(d.getBody())) r.failedEvaluationAt.reset();
      else r.failedEvaluationAt = i;
      break;
    default: break;
  }
}

// takesEffectAt is when a decision's change of stage takes effect: its own time, except for the
// records of what time alone decided (docs/rules.md, "Automatic consequences"). A revocation that
// makes a proposal final because the appeal window closed unused takes effect when it closed, and a
// cancellation at the start of the year after the missed ones, however late the officials record
// them: so the recorded status is the one status() derived before, and the reapplication ban runs
// from the same day. Called before record() changes what the replay knows.
Timestamp takesEffectAt(const Replay& r, schema::Decision::Reader d, const LifecyclePolicy& policy,
                        const Calendar& calendar) {
  const Timestamp at = d.getHeader().getTime();
  switch (d.getBody().which()) {
    case Act::REVOCATION:
      if (r.status.recorded != Stage::REVOCATION_PROPOSED || !r.servedAt) return at;  // after an appeal: its own time
      return std::min(at, calendar.deadlineAfter(*r.servedAt, policy.appealWorkingDays).endsAt);
    case Act::CANCELLATION:
      if (r.certifiedYear == 0) return at;
      return std::min(at, cancelledAt(r.certifiedYear, r.lastConfirmedYear, policy));
    default: return at;
  }
}

// record updates what the replay knows after a decision the table accepted.
void record(Replay& r, schema::Decision::Reader d, const LifecyclePolicy& policy, const Calendar& calendar) {
  const Timestamp at = d.getHeader().getTime();
  const auto body = d.getBody();
  auto& deadlines = r.status.deadlines;
  switch (body.which()) {
    case Act::APPLICATION:
      r.findings.clear();
      r.notice = {};
      r.notice.stated = statedConditions(body.getApplication().getFacts());
      r.status.panel.reset();
      break;
    case Act::JOINT_REVIEW_FINDING: {
      auto f = body.getJointReviewFinding();
      Finding finding{f.getDepartment(), f.getOutcome() == schema::ReviewOutcome::PASS};
      if (r.status.kind == SubjectKind::CRAFTSMAN) r.qualification.push_back(std::move(finding));
      else r.findings.push_back(std::move(finding));
      break;
    }
    case Act::JOINT_REVIEW_RESULT: r.notice.reviewPassed = *positive(body); break;
    case Act::NOTICE: {
      const Timestamp published = eventTime(body.getNotice().getPublishedAt(), at);
      r.notice.noticePublishedAt = published;
      deadlines.push_back(running("notice", calendar, published, policy.noticeWorkingDays, false));
      break;
    }
    case Act::OBJECTION:
      ++r.notice.objectionsOpen;
      r.openObjections.push_back(deadlines.size());
      deadlines.push_back(running("objection-verification", calendar, eventTime(body.getObjection().getReceivedAt(), at),
                                  policy.objectionVerificationWorkingDays, true));
      break;
    case Act::OBJECTION_RESOLUTION:
      --r.notice.objectionsOpen;
      if (!r.openObjections.empty()) {
        settle(deadlines[r.openObjections.front()], at);
        r.openObjections.erase(r.openObjections.begin());
      }
      if (*positive(body)) r.notice.objectionUpheld = true;
      break;
    case Act::RECOMMENDATION:  // the recommended level's review starts afresh, on the facts stated
    {
      const std::optional<StatedConditions> stated = r.notice.stated;
      r.notice = {};
      r.notice.stated = stated;
      r.status.panel.reset();
      break;
    }
    case Act::CERTIFICATION:
    case Act::LEGACY_IMPORT:
      r.status.level = body.isCertification() ? body.getCertification().getLevel() : body.getLegacyImport().getLevel();
      if (body.isLegacyImport()) r.notice.stated = statedConditions(body.getLegacyImport().getFacts());
      r.certifiedYear = dateOf(at).year;
      r.lastConfirmedYear = 0;
      close(deadlines, r.openEvaluation, at);  // a new certification starts a new cycle
      startEvaluation(r, at, policy);
      r.rectification.reset();
      break;
    case Act::EVALUATION:
      if (r.openEvaluation) settle(deadlines[*r.openEvaluation], at);
      startEvaluation(r, at, policy);
      break;
    case Act::RECTIFICATION_ORDER: {
      const Timestamp deadline = body.getRectificationOrder().getDeadline();
      r.rectification = Rectification{deadline, std::nullopt};
      r.openRectification = deadlines.size();
      deadlines.push_back(DeadlineStatus{"rectification", rectificationDeadline(deadline), true, false, false});
      break;
    }
    case Act::RECTIFICATION_RESULT: recordRectificationResult(r, body.getRectificationResult(), at); break;
    case Act::CANCELLATION:
      r.status.pending.reset();
      close(deadlines, r.openEvaluation, at);
      close(deadlines, r.openRectification, at);
      break;
    case Act::CONFIRMATION: {
      auto confirmation = body.getConfirmation();
      r.lastConfirmedYear = std::max<int>(r.lastConfirmedYear, confirmation.getYear());
      // Updated facts are what a recommendation upward is later judged on (minimum conditions).
      if (confirmation.getChanged() && confirmation.hasFacts()) r.notice.stated = statedConditions(confirmation.getFacts());
      break;
    }
    case Act::REVOCATION_PROPOSAL: {
      const Timestamp served = eventTime(body.getRevocationProposal().getServedAt(), at);
      r.servedAt = served;
      deadlines.push_back(running("appeal", calendar, served, policy.appealWorkingDays, false));
      close(deadlines, r.openRectification, at);  // the revocation proposed answers the rectification
      break;
    }
    case Act::APPEAL: {
      const Timestamp received = eventTime(body.getAppeal().getReceivedAt(), at);
      r.openAppeal = deadlines.size();
      deadlines.push_back(running("appeal-review", calendar, received, policy.appealReviewWorkingDays, true));
      break;
    }
    case Act::APPEAL_DECISION:
      if (r.openAppeal) settle(deadlines[*r.openAppeal], at);
      r.openAppeal.reset();
      break;
    case Act::REVOCATION:
      r.revokedAt = takesEffectAt(r, d, policy, calendar);
      close(deadlines, r.openEvaluation, *r.revokedAt);
      r.status.pending.reset();
      break;
    case Act::PANEL_DRAW: {
      Panel panel;
      for (auto e : body.getPanelDraw().getExperts()) panel.members.emplace_back(e.cStr());
      r.status.panel = std::move(panel);
      break;
    }
    case Act::RECUSAL: {
      auto recusal = body.getRecusal();
      if (!recusal.getGranted()) break;
      Panel& panel = *r.status.panel;
      const std::string expert = recusal.getExpert().cStr();
      std::replace(panel.members.begin(), panel.members.end(), expert, std::string(recusal.getReplacement().cStr()));
      std::erase(panel.scored, expert);
      panel.recused.push_back(expert);
      break;
    }
    case Act::EXPERT_SCORE: r.status.panel->scored.emplace_back(body.getExpertScore().getExpert().cStr()); break;
    case Act::PANEL_CONCLUSION:
      r.notice.reviewPassed = *positive(body);
      r.status.panel->concluded = *positive(body);
      break;
    case Act::CRAFTSMAN_APPLICATION:
      r.qualification.clear();
      r.fieldDepartment = body.getCraftsmanApplication().getRecommendedBy().cStr();
      r.status.panel.reset();
      break;
    // A tier decided, or left: the panel that chose it is spent; the next tier needs its own.
    case Act::CRAFTSMAN_CERTIFICATION:
      r.tier = body.getCraftsmanCertification().getTier();
      r.status.panel.reset();
      break;
    case Act::CRAFTSMAN_PROMOTION:
      r.tier = body.getCraftsmanPromotion().getTo();
      r.status.panel.reset();
      break;
    case Act::CRAFTSMAN_EXIT: r.status.panel.reset(); break;
    default: break;
  }
}

// derive applies what time alone has decided by asOf, and marks supervisory deadlines overdue.
void derive(Replay& r, const LifecyclePolicy& policy, const Calendar& calendar, Timestamp asOf) {
  Status& s = r.status;
  for (std::size_t i : r.openObjections) s.deadlines[i].overdue = asOf >= s.deadlines[i].deadline.endsAt;
  if (r.openAppeal) s.deadlines[*r.openAppeal].overdue = asOf >= s.deadlines[*r.openAppeal].deadline.endsAt;

  if (s.stage == Stage::REVOCATION_PROPOSED && r.servedAt) {
    const Deadline closes = calendar.deadlineAfter(*r.servedAt, policy.appealWorkingDays);
    if (asOf >= closes.endsAt) {
      s.derived.push_back({"revocation-final", closes.endsAt, Act::REVOCATION, Stage::REVOKED});
      s.stage = Stage::REVOKED;
      s.since = closes.endsAt;
      r.revokedAt = closes.endsAt;
      close(s.deadlines, r.openEvaluation, closes.endsAt);
      s.pending.reset();
    }
  }
  if ((s.stage == Stage::CERTIFIED || s.stage == Stage::RECTIFICATION) && r.certifiedYear != 0 &&
      !missedYears(r.certifiedYear, r.lastConfirmedYear, asOf, policy).empty()) {
    const Timestamp cancelled = cancelledAt(r.certifiedYear, r.lastConfirmedYear, policy);
    s.derived.push_back({"cancellation", cancelled, Act::CANCELLATION, Stage::CANCELLED});
    s.stage = Stage::CANCELLED;
    s.since = cancelled;
    close(s.deadlines, r.openEvaluation, cancelled);
    close(s.deadlines, r.openRectification, cancelled);
    s.pending.reset();
  }
  // The evaluation and the rectification still awaited are overdue once their day has ended.
  for (const auto& open : {r.openEvaluation, r.openRectification})
    if (open) s.deadlines[*open].overdue = asOf >= s.deadlines[*open].deadline.endsAt;
  if (s.stage == Stage::REVOKED && r.revokedAt) {
    const Timestamp ends = banEndsAt(*r.revokedAt, policy);
    if (asOf >= ends) s.derived.push_back({"reapplication-ban-over", ends, std::nullopt, Stage::REVOKED});
  }
}

}  // namespace

namespace {

// kindOf is the kind of the subject the decisions are about: the one every decision names (a notice
// or a panel draw may name others beside it).
SubjectKind kindOf(std::span<const schema::Decision::Reader> decisions) {
  std::vector<std::string> common;
  bool first = true;
  for (const schema::Decision::Reader d : decisions) {
    std::vector<std::string> named = subjectsOf(d.getBody());
    if (named.empty()) continue;
    if (first) common = std::move(named);
    else std::erase_if(common, [&](const std::string& s) { return !holds(named, s); });
    first = false;
  }
  if (common.empty()) return SubjectKind::WORKSHOP;
  return subjectKind(common.front());
}

// otherKind says when a record belongs to the other kind's table only: a craftsman's record about a workshop.
std::string otherKind(SubjectKind kind, schema::Body::Which act) {
  auto has = [act](std::span<const Transition> table) {
    return std::any_of(table.begin(), table.end(), [act](const Transition& t) { return t.act == act; });
  };
  if (has(transitionsFor(kind))) return "";
  return kind == SubjectKind::CRAFTSMAN ? " (a workshop's record, and the subject is a craftsman)"
                                        : " (a craftsman's record, and the subject is a workshop)";
}

}  // namespace

namespace {

// The upward track. A workshop certified here and recommended to the level above goes through that
// level's procedure (the table's rows from `recommended` to `certified`) as Status::pending, while its
// recorded stage stays `certified`: its confirmations, evaluations and rectifications go on meanwhile.

// isProcedureAct: a record of the higher level's procedure, from the recommendation to the certification.
bool isProcedureAct(schema::Body::Which act) {
  switch (act) {
    case Act::RECOMMENDATION: case Act::SITE_INSPECTION: case Act::PANEL_DRAW: case Act::RECUSAL:
    case Act::EXPERT_SCORE: case Act::PANEL_CONCLUSION: case Act::NOTICE: case Act::OBJECTION:
    case Act::OBJECTION_RESOLUTION: case Act::CERTIFICATION:
      return true;
    default: return false;
  }
}

// onUpwardTrack: the record belongs to a certified workshop's procedure toward a higher level: a
// recommendation of it, or a later step once one was recommended.
bool onUpwardTrack(const Replay& r, schema::Body::Which act) {
  return r.status.recorded == Stage::CERTIFIED && isProcedureAct(act) &&
         (act == Act::RECOMMENDATION || r.status.pending.has_value());
}

// upwardFrom is the stage a record on the upward track is judged from: `certified` for a recommendation
// when no procedure runs (none yet, or the last one failed), else where the procedure stands.
Stage upwardFrom(const Replay& r, schema::Body::Which act) {
  const bool ended = r.status.pending && (r.status.pending->stage == Stage::PANEL_REJECTED ||
                                          r.status.pending->stage == Stage::OBJECTION_UPHELD);
  if (act == Act::RECOMMENDATION && (!r.status.pending || ended)) return Stage::CERTIFIED;
  return r.status.pending->stage;
}

// advanceUpward moves the procedure to `to`: a recommendation starts it, the higher certification ends
// it (the workshop is then certified at that level, since then), any other step moves it on.
void advanceUpward(Replay& r, schema::Decision::Reader d, Stage from, Stage to) {
  const Timestamp at = d.getHeader().getTime();
  Status& s = r.status;
  if (from == Stage::CERTIFIED) {
    s.pending = Procedure{d.getBody().getRecommendation().getLevel(), to, at};
  } else if (to == Stage::CERTIFIED) {
    s.pending.reset();
    s.since = at;
  } else if (to != from) {
    s.pending->stage = to;
    s.pending->since = at;
  }
}

}  // namespace

namespace {

// derivedBefore is what time alone decided before decision `d` at its own time, from the stage the
// records reached: the proposed revocation final once its appeal window closed unused, the
// certification cancelled once the missed confirmation years ended. Nothing for the record of that
// very consequence (a revocation, a cancellation: takesEffectAt dates it), nor for an appeal, which is
// judged by when it was received (appealInTime).
std::optional<Derived> derivedBefore(const Replay& r, schema::Decision::Reader d, const LifecyclePolicy& policy,
                                     const Calendar& calendar) {
  const Timestamp at = d.getHeader().getTime();
  const Act act = d.getBody().which();
  const Stage recorded = r.status.recorded;
  if (recorded == Stage::REVOCATION_PROPOSED && r.servedAt && act != Act::REVOCATION && act != Act::APPEAL) {
    const Deadline closes = calendar.deadlineAfter(*r.servedAt, policy.appealWorkingDays);
    if (at >= closes.endsAt) return Derived{"revocation-final", closes.endsAt, Act::REVOCATION, Stage::REVOKED};
  }
  if ((recorded == Stage::CERTIFIED || recorded == Stage::RECTIFICATION) && r.certifiedYear != 0 &&
      act != Act::CANCELLATION && !missedYears(r.certifiedYear, r.lastConfirmedYear, at, policy).empty())
    return Derived{"cancellation", cancelledAt(r.certifiedYear, r.lastConfirmedYear, policy), Act::CANCELLATION,
                   Stage::CANCELLED};
  return std::nullopt;
}

// describeDerived says, for a refusal, what time decided and that it is not yet recorded.
std::string describeDerived(const Replay& r, const Derived& derived, const LifecyclePolicy& policy) {
  if (derived.to == Stage::CANCELLED)
    return fmt::format(": the certification was cancelled on {} by the years [{}] without confirmation (derived from "
                       "time, not yet recorded; the recorded stage is {}): record the cancellation",
                       when(derived.at), fmt::join(missedYears(r.certifiedYear, r.lastConfirmedYear, derived.at, policy), ", "),
                       stageName(r.status.recorded));
  return fmt::format(": the revocation proposed is final from {}, its appeal window closed unused (derived from time, "
                     "not yet recorded; the recorded stage is {}): record the revocation", when(derived.at),
                     stageName(r.status.recorded));
}

// applyDerived makes what time decided the stage a later record is judged on, as derive() does for asOf.
void applyDerived(Replay& r, const Derived& derived) {
  Status& s = r.status;
  if (derived.to == Stage::REVOKED) r.revokedAt = derived.at;
  close(s.deadlines, r.openEvaluation, derived.at);
  if (derived.to == Stage::CANCELLED) close(s.deadlines, r.openRectification, derived.at);
  s.pending.reset();
  s.stage = derived.to;
  s.since = derived.at;
}

}  // namespace

Result<Status> status(std::span<const schema::Decision::Reader> decisions, const PolicyAt& policyAt,
                      const Calendar& calendar, Timestamp asOf) {
  return status(decisions, {}, policyAt, calendar, asOf);
}

Result<Status> status(std::span<const schema::Decision::Reader> decisions, std::span<const DecisionAt> positions,
                      const PolicyAt& policyAt, const Calendar& calendar, Timestamp asOf) {
  if (!positions.empty() && positions.size() != decisions.size())
    fail(fmt::format("status: {} positions for {} decisions", positions.size(), decisions.size()));
  Replay r;
  r.status.kind = kindOf(decisions);
  const std::span<const Transition> table = transitionsFor(r.status.kind);
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const schema::Decision::Reader d = decisions[i];
    const Timestamp at = d.getHeader().getTime();
    const LifecyclePolicy policy = policyAt(at);
    // A record made after a consequence time alone decided is judged on that consequence.
    const std::optional<Derived> before = derivedBefore(r, d, policy, calendar);
    const bool upward = !before && onUpwardTrack(r, d.getBody().which());
    const Stage from = before ? before->to : upward ? upwardFrom(r, d.getBody().which()) : r.status.recorded;
    const Transition* row = nullptr;
    for (const Transition& t : table)
      if (fits(t, from, d.getBody())) {
        row = &t;
        break;
      }
    if (row == nullptr)
      return refuse(Reason::WRONG_STAGE, fmt::format("decision {} ({}): no {} record is allowed at stage {}{}{}", i,
                                                     when(at), recordName(d.getBody().which()), stageName(from),
                                                     before ? describeDerived(r, *before, policy) : std::string(),
                                                     otherKind(r.status.kind, d.getBody().which())));
    if (before) applyDerived(r, *before);
    if (auto ok = checkGuard(row->guard, r, d, policy, calendar); !ok)
      return refuse(ok.error().reason, fmt::format("decision {}: {}", i, ok.error().detail));
    if (!positions.empty())
      if (auto ok = checkRefs(r, d, positions, positions[i]); !ok)
        return refuse(ok.error().reason, fmt::format("decision {} ({}): {}", i, recordName(d.getBody().which()),
                                                     ok.error().detail));
    const Timestamp effective = takesEffectAt(r, d, policy, calendar);
    record(r, d, policy, calendar);
    track(r, d, i);
    Stage to = row->to;
    if (to == Stage::ON_NOTICE && r.notice.objectionsOpen > 0) to = Stage::OBJECTION_OPEN;  // another still open
    r.status.steps.push_back({at, d.getBody().which(), from, to, policy.version});
    if (upward) {
      advanceUpward(r, d, from, to);
      continue;
    }
    if (to != from) r.status.since = effective;
    r.status.recorded = to;
    r.status.stage = to;
  }
  derive(r, policyAt(asOf), calendar, asOf);
  return std::move(r.status);
}

Result<Status> status(std::span<const schema::Decision::Reader> decisions, const LifecyclePolicy& policy,
                      const Calendar& calendar, Timestamp asOf) {
  return status(decisions, PolicyAt{[&policy](Timestamp) { return policy; }}, calendar, asOf);
}

}  // namespace hreg::rules
