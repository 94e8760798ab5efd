#pragma once
// The lifecycle of a registered subject (docs/rules.md, "Lifecycle"; docs/domain.md): one transition
// table per subject kind — workshops (the county's procedure of 000, the prefecture's with an expert
// panel of 001, legacy import) and rural craftsmen (004) — its guards as named functions, and status(),
// the subject's decisions replayed through the table as of a time passed in; given where each decision
// stands, that each EntryRef the lifecycle follows names the record it should. Leaves out: re-checking
// a panel draw against its pool, which is not among the subject's decisions (panel-draw.h, checkDraw,
// does it given the pool).
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/hash.h"
#include "ledger/rules/calendar.h"
#include "ledger/rules/evaluation.h"
#include "ledger/rules/policy.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::rules {

// Stage is where a workshop stands. NONE: nothing recorded yet.
enum class Stage {
  NONE,
  APPLIED,               // 申请 received
  PRELIMINARY_PASSED,    // 乡镇初审 passed, forwarded to the county
  PRELIMINARY_REJECTED,  // 乡镇初审 rejected, with reasons
  JOINT_REVIEW,          // 联合评审: departments' findings being collected
  JOINT_PASSED,          // every required department passed it
  JOINT_REJECTED,
  ON_NOTICE,             // 公示 published
  OBJECTION_OPEN,        // 异议 received, verification under way
  OBJECTION_UPHELD,      // 异议成立: the candidate lost its proposed certification
  CERTIFIED,             // 认定 / 授牌
  RECTIFICATION,         // 限期整改 ordered
  REVOCATION_PROPOSED,   // 拟撤销命名 served; the appeal window runs
  APPEALED,              // 申诉 received, re-examination under way
  APPEAL_REJECTED,       // 申诉 not upheld: the revocation is to be recorded
  REVOKED,               // 撤销命名
  CANCELLED,             // 自动取消资格: confirmations missed
  // The prefecture's procedure with an expert panel (001 art. 5–6):
  RECOMMENDED,           // 推荐: the county reviewed it and recommended it to the prefecture
  PANEL_REVIEW,          // 随机抽取专家: a panel drawn; recusals and independent scores under way
  PANEL_PASSED,          // 集中合议: the panel concluded for it
  PANEL_REJECTED,        // 集中合议: the panel concluded against it
  // Rural craftsmen (004), a table of their own:
  CRAFTSMAN_APPLIED,     // 乡村工匠推荐申报 received; the field's department checks the qualification
  CRAFTSMAN_REJECTED,    // 资格审核 not passed
  CRAFTSMAN,             // 乡村工匠, certified
  MASTER,                // 乡村工匠名师
  GRAND_MASTER,          // 乡村工匠大师
  EXITED,                // 清理退出
};

// SubjectKind is the kind an identifier names, "<code>-W-<serial>" or "<code>-C-<serial>"
// (registry.capnp); each kind has its own transition table.
enum class SubjectKind { WORKSHOP, CRAFTSMAN };

// subjectKind reads the kind letter of an identifier; anything but "-C-" is a workshop.
[[nodiscard]] SubjectKind subjectKind(std::string_view subject) noexcept;

// stageName is the stable kebab-case name of a stage, e.g. "on-notice".
[[nodiscard]] std::string_view stageName(Stage stage) noexcept;

// LifecyclePolicy is what the lifecycle reads from the policy in force (docs/rules.md, "Policy").
struct LifecyclePolicy {
  int noticeWorkingDays = 5;                 // notice.working-days
  int objectionVerificationWorkingDays = 5;  // objection.verification-working-days
  int appealWorkingDays = 5;                 // appeal.working-days
  int appealReviewWorkingDays = 10;          // appeal.review-working-days
  int reapplicationBanYears = 3;             // reapplication-ban.years
  int missedYearsToCancel = 2;               // confirmation.missed-years-to-cancel
  int evaluationCycleYears = 2;              // evaluation.cycle-years
  int panelMinSize = 5;                      // panel.min-size
  // Minimum conditions a workshop's stated facts must meet to be certified (0: none).
  int minSiteAreaM2 = 0;                     // condition.site-area-m2
  int minTrainings = 0;                      // condition.trainings
  int minPractitioners = 0;                  // condition.practitioners
  int minWelfareActivities = 0;              // condition.welfare-activities
  // craftsmanPanelTiers: the craftsman tiers ("craftsman", "master", "grand-master") whose certification
  // or promotion needs an expert panel's passing conclusion (craftsman.panel-tiers; 004 names none).
  std::vector<std::string> craftsmanPanelTiers;
  // departments: every one must pass a joint review; empty means every department that recorded a finding.
  std::vector<std::string> departments{"culture", "hrss", "rural", "finance", "market", "land"};
  std::string version = "built-in";          // EffectivePolicy::version()

  // from reads the settings above from the policy in force at a node and time.
  [[nodiscard]] static LifecyclePolicy from(const EffectivePolicy& policy);
};

// Guard names the hard rule a transition must pass. NONE: the table's row is enough.
enum class Guard {
  NONE,
  REAPPLICATION_BAN_OVER,  // reapplicationAllowed
  JOINT_REVIEW_COMPLETE,   // jointReviewPasses
  OBJECTION_IN_TIME,       // objectionInTime
  CERTIFICATION_ALLOWED,   // certificationAllowed
  APPEAL_IN_TIME,          // appealInTime
  APPEAL_WINDOW_CLOSED,    // appealWindowClosed
  CONFIRMATIONS_MISSED,    // confirmationsMissed
  PANEL_SIZE_ALLOWED,      // panelDrawAllowed
  RECUSAL_ON_PANEL,        // recusalAllowed
  SCORER_ON_PANEL,         // scoreAllowed
  PANEL_SCORED,            // conclusionAllowed
  FIRST_TIER,              // craftsmanApplicationAllowed
  QUALIFICATION_PASSED,    // craftsmanCertificationAllowed
  NEXT_TIER,               // promotionAllowed
  RECTIFICATION_DEADLINE,  // rectificationOrderAllowed
  REVOCATION_GROUND,       // revocationGroundAllowed
  RECOMMENDATION_UPWARD,   // recommendationAllowed
};

// When selects a row by the record's own outcome: a review's pass or reject, a resolution's upheld or not.
enum class When { ANY, PASS, REJECT };

struct Transition {
  Stage from;
  schema::Body::Which act;
  When when;
  Stage to;
  Guard guard;
};

using Act = schema::Body::Which;
// TRANSITIONS is the lifecycle. Nothing else changes a workshop's stage: a record with no row from
// the current stage is refused (WRONG_STAGE). Rows are matched in order; the first whose `from`,
// `act` and `when` fit decides, and its guard may refuse.
inline constexpr Transition TRANSITIONS[] = {
    {Stage::NONE, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::NONE},
    {Stage::NONE, Act::LEGACY_IMPORT, When::ANY, Stage::CERTIFIED, Guard::NONE},
    {Stage::PRELIMINARY_REJECTED, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::NONE},
    {Stage::JOINT_REJECTED, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::NONE},
    {Stage::OBJECTION_UPHELD, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::NONE},
    {Stage::CANCELLED, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::NONE},
    {Stage::REVOKED, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::REAPPLICATION_BAN_OVER},
    {Stage::APPLIED, Act::PRELIMINARY_REVIEW, When::PASS, Stage::PRELIMINARY_PASSED, Guard::NONE},
    {Stage::APPLIED, Act::PRELIMINARY_REVIEW, When::REJECT, Stage::PRELIMINARY_REJECTED, Guard::NONE},
    {Stage::PRELIMINARY_PASSED, Act::SITE_INSPECTION, When::ANY, Stage::PRELIMINARY_PASSED, Guard::NONE},
    {Stage::PRELIMINARY_PASSED, Act::JOINT_REVIEW_FINDING, When::ANY, Stage::JOINT_REVIEW, Guard::NONE},
    // An application received at the county itself (001 art. 6(1); 003 §2) goes straight to its review.
    {Stage::APPLIED, Act::JOINT_REVIEW_FINDING, When::ANY, Stage::JOINT_REVIEW, Guard::NONE},
    {Stage::JOINT_REVIEW, Act::SITE_INSPECTION, When::ANY, Stage::JOINT_REVIEW, Guard::NONE},
    {Stage::JOINT_REVIEW, Act::JOINT_REVIEW_FINDING, When::ANY, Stage::JOINT_REVIEW, Guard::NONE},
    {Stage::JOINT_REVIEW, Act::JOINT_REVIEW_RESULT, When::PASS, Stage::JOINT_PASSED, Guard::JOINT_REVIEW_COMPLETE},
    {Stage::JOINT_REVIEW, Act::JOINT_REVIEW_RESULT, When::REJECT, Stage::JOINT_REJECTED, Guard::NONE},
    {Stage::JOINT_PASSED, Act::NOTICE, When::ANY, Stage::ON_NOTICE, Guard::NONE},
    {Stage::ON_NOTICE, Act::OBJECTION, When::ANY, Stage::OBJECTION_OPEN, Guard::OBJECTION_IN_TIME},
    {Stage::OBJECTION_OPEN, Act::OBJECTION, When::ANY, Stage::OBJECTION_OPEN, Guard::OBJECTION_IN_TIME},
    {Stage::OBJECTION_OPEN, Act::OBJECTION_RESOLUTION, When::PASS, Stage::OBJECTION_UPHELD, Guard::NONE},
    // Not upheld: back on notice once no other objection is open (status() keeps OBJECTION_OPEN until then).
    {Stage::OBJECTION_OPEN, Act::OBJECTION_RESOLUTION, When::REJECT, Stage::ON_NOTICE, Guard::NONE},
    {Stage::ON_NOTICE, Act::CERTIFICATION, When::ANY, Stage::CERTIFIED, Guard::CERTIFICATION_ALLOWED},
    // This row exists so that the refusal names the upheld objection: its guard always refuses.
    {Stage::OBJECTION_UPHELD, Act::CERTIFICATION, When::ANY, Stage::CERTIFIED, Guard::CERTIFICATION_ALLOWED},
    // And this one so that it names the objection still being verified (OBJECTION_PENDING).
    {Stage::OBJECTION_OPEN, Act::CERTIFICATION, When::ANY, Stage::CERTIFIED, Guard::CERTIFICATION_ALLOWED},
    {Stage::CERTIFIED, Act::CONFIRMATION, When::ANY, Stage::CERTIFIED, Guard::NONE},
    {Stage::CERTIFIED, Act::EVALUATION, When::PASS, Stage::CERTIFIED, Guard::NONE},
    {Stage::CERTIFIED, Act::EVALUATION, When::REJECT, Stage::CERTIFIED, Guard::NONE},
    {Stage::CERTIFIED, Act::RECTIFICATION_ORDER, When::ANY, Stage::RECTIFICATION, Guard::RECTIFICATION_DEADLINE},
    {Stage::RECTIFICATION, Act::CONFIRMATION, When::ANY, Stage::RECTIFICATION, Guard::NONE},
    {Stage::RECTIFICATION, Act::RECTIFICATION_RESULT, When::PASS, Stage::CERTIFIED, Guard::NONE},
    {Stage::RECTIFICATION, Act::RECTIFICATION_RESULT, When::REJECT, Stage::RECTIFICATION, Guard::NONE},
    {Stage::CERTIFIED, Act::REVOCATION_PROPOSAL, When::ANY, Stage::REVOCATION_PROPOSED, Guard::REVOCATION_GROUND},
    {Stage::RECTIFICATION, Act::REVOCATION_PROPOSAL, When::ANY, Stage::REVOCATION_PROPOSED, Guard::REVOCATION_GROUND},
    {Stage::REVOCATION_PROPOSED, Act::APPEAL, When::ANY, Stage::APPEALED, Guard::APPEAL_IN_TIME},
    {Stage::REVOCATION_PROPOSED, Act::REVOCATION, When::ANY, Stage::REVOKED, Guard::APPEAL_WINDOW_CLOSED},
    {Stage::APPEALED, Act::APPEAL_DECISION, When::PASS, Stage::CERTIFIED, Guard::NONE},
    {Stage::APPEALED, Act::APPEAL_DECISION, When::REJECT, Stage::APPEAL_REJECTED, Guard::NONE},
    {Stage::APPEAL_REJECTED, Act::REVOCATION, When::ANY, Stage::REVOKED, Guard::NONE},
    {Stage::CERTIFIED, Act::CANCELLATION, When::ANY, Stage::CANCELLED, Guard::CONFIRMATIONS_MISSED},
    {Stage::RECTIFICATION, Act::CANCELLATION, When::ANY, Stage::CANCELLED, Guard::CONFIRMATIONS_MISSED},
    // The prefecture's procedure (001 art. 5–6): the county reviews with HR&SS and agriculture and
    // recommends; the prefecture inspects, draws a panel, hears recusals and independent scores, and the
    // panel concludes; then notice, objections and certification as above.
    {Stage::APPLIED, Act::RECOMMENDATION, When::ANY, Stage::RECOMMENDED, Guard::NONE},
    {Stage::PRELIMINARY_PASSED, Act::RECOMMENDATION, When::ANY, Stage::RECOMMENDED, Guard::NONE},
    // A workshop certified here recommended to the level above (001 art. 3(2), art. 5: 逐级申报): the
    // higher level's procedure runs from `recommended` to its certification as a pending procedure
    // (Status::pending), and the workshop stays certified here meanwhile (status(), "the upward track").
    {Stage::CERTIFIED, Act::RECOMMENDATION, When::ANY, Stage::RECOMMENDED, Guard::RECOMMENDATION_UPWARD},
    {Stage::RECOMMENDED, Act::SITE_INSPECTION, When::ANY, Stage::RECOMMENDED, Guard::NONE},
    {Stage::RECOMMENDED, Act::PANEL_DRAW, When::ANY, Stage::PANEL_REVIEW, Guard::PANEL_SIZE_ALLOWED},
    // A new draw replaces the panel (e.g. the pool could not fill a recusal); earlier scores no longer count.
    {Stage::PANEL_REVIEW, Act::PANEL_DRAW, When::ANY, Stage::PANEL_REVIEW, Guard::PANEL_SIZE_ALLOWED},
    {Stage::PANEL_REVIEW, Act::SITE_INSPECTION, When::ANY, Stage::PANEL_REVIEW, Guard::NONE},
    {Stage::PANEL_REVIEW, Act::RECUSAL, When::ANY, Stage::PANEL_REVIEW, Guard::RECUSAL_ON_PANEL},
    {Stage::PANEL_REVIEW, Act::EXPERT_SCORE, When::ANY, Stage::PANEL_REVIEW, Guard::SCORER_ON_PANEL},
    {Stage::PANEL_REVIEW, Act::PANEL_CONCLUSION, When::PASS, Stage::PANEL_PASSED, Guard::PANEL_SCORED},
    {Stage::PANEL_REVIEW, Act::PANEL_CONCLUSION, When::REJECT, Stage::PANEL_REJECTED, Guard::PANEL_SCORED},
    {Stage::PANEL_PASSED, Act::NOTICE, When::ANY, Stage::ON_NOTICE, Guard::NONE},
    {Stage::PANEL_REJECTED, Act::APPLICATION, When::ANY, Stage::APPLIED, Guard::NONE},
};

// CRAFTSMAN_TRANSITIONS is the lifecycle of a rural craftsman (004 §2(2), §4(1), §4(3)): the field's
// department checks the qualification (a JointReviewFinding naming it), rural revitalization certifies;
// craftsman → master → grand master, one tier at a time; evaluations; exit, after which the person may
// be certified again when qualified ("对符合条件的及时认定纳入").
inline constexpr Transition CRAFTSMAN_TRANSITIONS[] = {
    {Stage::NONE, Act::CRAFTSMAN_APPLICATION, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::FIRST_TIER},
    {Stage::CRAFTSMAN_REJECTED, Act::CRAFTSMAN_APPLICATION, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::FIRST_TIER},
    {Stage::EXITED, Act::CRAFTSMAN_APPLICATION, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::FIRST_TIER},
    {Stage::CRAFTSMAN_APPLIED, Act::SITE_INSPECTION, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::NONE},
    {Stage::CRAFTSMAN_APPLIED, Act::JOINT_REVIEW_FINDING, When::PASS, Stage::CRAFTSMAN_APPLIED, Guard::NONE},
    {Stage::CRAFTSMAN_APPLIED, Act::JOINT_REVIEW_FINDING, When::REJECT, Stage::CRAFTSMAN_REJECTED, Guard::NONE},
    {Stage::CRAFTSMAN_APPLIED, Act::CRAFTSMAN_CERTIFICATION, When::ANY, Stage::CRAFTSMAN, Guard::QUALIFICATION_PASSED},
    {Stage::CRAFTSMAN, Act::CRAFTSMAN_EVALUATION, When::ANY, Stage::CRAFTSMAN, Guard::NONE},
    {Stage::MASTER, Act::CRAFTSMAN_EVALUATION, When::ANY, Stage::MASTER, Guard::NONE},
    {Stage::GRAND_MASTER, Act::CRAFTSMAN_EVALUATION, When::ANY, Stage::GRAND_MASTER, Guard::NONE},
    {Stage::CRAFTSMAN, Act::CRAFTSMAN_PROMOTION, When::ANY, Stage::MASTER, Guard::NEXT_TIER},
    {Stage::MASTER, Act::CRAFTSMAN_PROMOTION, When::ANY, Stage::GRAND_MASTER, Guard::NEXT_TIER},
    {Stage::CRAFTSMAN, Act::CRAFTSMAN_EXIT, When::ANY, Stage::EXITED, Guard::NONE},
    {Stage::MASTER, Act::CRAFTSMAN_EXIT, When::ANY, Stage::EXITED, Guard::NONE},
    {Stage::GRAND_MASTER, Act::CRAFTSMAN_EXIT, When::ANY, Stage::EXITED, Guard::NONE},
    // A tier chosen by an expert panel (评选, 004 §4(1), §4(3) 健全评选监督、回避机制; policy
    // craftsman.panel-tiers): drawn, recusals heard, scores taken and concluded while the person stays
    // where they are; the certification or promotion that follows needs its passing conclusion.
    {Stage::CRAFTSMAN_APPLIED, Act::PANEL_DRAW, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::PANEL_SIZE_ALLOWED},
    {Stage::CRAFTSMAN_APPLIED, Act::RECUSAL, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::RECUSAL_ON_PANEL},
    {Stage::CRAFTSMAN_APPLIED, Act::EXPERT_SCORE, When::ANY, Stage::CRAFTSMAN_APPLIED, Guard::SCORER_ON_PANEL},
    {Stage::CRAFTSMAN_APPLIED, Act::PANEL_CONCLUSION, When::PASS, Stage::CRAFTSMAN_APPLIED, Guard::PANEL_SCORED},
    {Stage::CRAFTSMAN_APPLIED, Act::PANEL_CONCLUSION, When::REJECT, Stage::CRAFTSMAN_REJECTED, Guard::PANEL_SCORED},
    {Stage::CRAFTSMAN, Act::PANEL_DRAW, When::ANY, Stage::CRAFTSMAN, Guard::PANEL_SIZE_ALLOWED},
    {Stage::CRAFTSMAN, Act::RECUSAL, When::ANY, Stage::CRAFTSMAN, Guard::RECUSAL_ON_PANEL},
    {Stage::CRAFTSMAN, Act::EXPERT_SCORE, When::ANY, Stage::CRAFTSMAN, Guard::SCORER_ON_PANEL},
    {Stage::CRAFTSMAN, Act::PANEL_CONCLUSION, When::ANY, Stage::CRAFTSMAN, Guard::PANEL_SCORED},
    {Stage::MASTER, Act::PANEL_DRAW, When::ANY, Stage::MASTER, Guard::PANEL_SIZE_ALLOWED},
    {Stage::MASTER, Act::RECUSAL, When::ANY, Stage::MASTER, Guard::RECUSAL_ON_PANEL},
    {Stage::MASTER, Act::EXPERT_SCORE, When::ANY, Stage::MASTER, Guard::SCORER_ON_PANEL},
    {Stage::MASTER, Act::PANEL_CONCLUSION, When::ANY, Stage::MASTER, Guard::PANEL_SCORED},
};

// transitionsFor is the table of a subject kind.
[[nodiscard]] std::span<const Transition> transitionsFor(SubjectKind kind) noexcept;

// lifecycleJudges: some table has a row for records of this kind (the others, e.g. policy, expert
// pools, quarterly reports, are no step of a subject's lifecycle).
[[nodiscard]] bool lifecycleJudges(schema::Body::Which kind) noexcept;

// ---- Guards: each a rule of docs/domain.md, each refusing with its own Reason. ----

// objectionInTime: an objection received at `receivedAt` to a notice published at `publishedAt` is in
// time before the end of the notice.working-days-th working day after the publication's date.
// Refuses WINDOW_CLOSED.
[[nodiscard]] Result<void> objectionInTime(Timestamp publishedAt, Timestamp receivedAt, const LifecyclePolicy& policy,
                                           const Calendar& calendar);

// NoticeFacts: what a certification rests on.
// StatedConditions are what a workshop's application states of the minimum conditions.
struct StatedConditions {
  std::uint32_t siteAreaTenths = 0;  // 场地面积, tenths of a m²
  std::size_t trainings = 0;         // 技能培训 held
  std::size_t practitioners = 0;     // inheritors and practitioners named
  std::size_t welfareActivities = 0; // 公益活动 taken part in
};

// statedConditions reads them from an application's facts.
[[nodiscard]] StatedConditions statedConditions(schema::WorkshopFacts::Reader facts);

struct NoticeFacts {
  bool reviewPassed = false;  // a passing joint review result (000) or panel conclusion (001)
  std::optional<Timestamp> noticePublishedAt;  // none: no notice
  bool objectionUpheld = false;
  int objectionsOpen = 0;
  std::optional<StatedConditions> stated;  // from the application; none: no application (a craftsman's path)
};

// certificationAllowed: a certification at `at` needs a passed joint review or panel conclusion and a notice
// (PREREQUISITE_MISSING), no upheld objection (OBJECTION_UPHELD), no objection still being verified
// (OBJECTION_PENDING), the notice closed (WINDOW_OPEN), and the application's stated facts at or
// above policy's minimum conditions (CONDITION_NOT_MET, naming each one short).
[[nodiscard]] Result<void> certificationAllowed(const NoticeFacts& facts, Timestamp at, const LifecyclePolicy& policy,
                                                const Calendar& calendar);

// appealInTime: an appeal received at `receivedAt` against a proposal served at `servedAt` is in time
// before the end of the appeal.working-days-th working day after the service. Refuses WINDOW_CLOSED.
[[nodiscard]] Result<void> appealInTime(Timestamp servedAt, Timestamp receivedAt, const LifecyclePolicy& policy,
                                        const Calendar& calendar);

// appealWindowClosed: a revocation at `at` with no appeal needs the appeal window closed. Refuses WINDOW_OPEN.
[[nodiscard]] Result<void> appealWindowClosed(Timestamp servedAt, Timestamp at, const LifecyclePolicy& policy,
                                              const Calendar& calendar);

// banEndsAt: the start (Beijing) of the same calendar day reapplication-ban.years after the
// revocation's date; a revocation on 29 February ends its ban on 1 March.
[[nodiscard]] Timestamp banEndsAt(Timestamp revokedAt, const LifecyclePolicy& policy);

// reapplicationAllowed: an application received at `receivedAt` for a subject revoked at `revokedAt`
// (none: never revoked) is allowed from banEndsAt on. Refuses REAPPLICATION_BANNED.
[[nodiscard]] Result<void> reapplicationAllowed(std::optional<Timestamp> revokedAt, Timestamp receivedAt,
                                                const LifecyclePolicy& policy);

// Finding: one department's joint review finding.
struct Finding {
  std::string department;
  bool passed = false;
};

// jointReviewPasses: a joint review result may pass only when every department of policy.departments
// (or, when that is empty, every department that recorded a finding, at least one) has a pass finding,
// the latest finding of a department counting. Refuses DEPARTMENT_NOT_PASSED naming the departments.
[[nodiscard]] Result<void> jointReviewPasses(std::span<const Finding> findings, const LifecyclePolicy& policy);

// confirmationsMissed: the years whose confirmation is missing when a certification of year
// `certifiedYear`, last confirmed for `lastConfirmedYear` (0: never), is judged at `at`: each year after
// the later of the two must be confirmed by its end. Returns the first confirmation.missed-years-to-cancel
// consecutive missed years, or nothing when fewer have ended; cancelledAt() says when they did.
[[nodiscard]] std::vector<int> missedYears(int certifiedYear, int lastConfirmedYear, Timestamp at,
                                           const LifecyclePolicy& policy);
// cancelledAt: when the certification is cancelled by missed confirmations: the start of the year after
// the last missed year.
[[nodiscard]] Timestamp cancelledAt(int certifiedYear, int lastConfirmedYear, const LifecyclePolicy& policy);

// confirmationsMissed: a cancellation at `at` needs the missed years. Refuses WINDOW_OPEN.
[[nodiscard]] Result<void> confirmationsMissed(int certifiedYear, int lastConfirmedYear, Timestamp at,
                                               const LifecyclePolicy& policy);

// Panel: the expert panel of a subject as its records leave it (001 art. 6(2)): the experts drawn,
// less those recused, plus their replacements, and who of them has scored.
struct Panel {
  std::vector<std::string> members;  // in draw order, a replacement in its predecessor's place
  std::vector<std::string> recused;  // every expert who withdrew, in order
  std::vector<std::string> scored;   // members who recorded their independent score
  std::optional<bool> concluded;     // the panel's conclusion (集中合议), pass or not, once recorded
};

// panelDrawAllowed: a draw of `count` experts listing `drawn` needs an odd count of at least
// panel.min-size (PANEL_SIZE), and exactly `count` distinct experts listed (DRAW_MISMATCH). That the
// experts are those its seed gives is checkDraw's (panel-draw.h), which needs the pool.
[[nodiscard]] Result<void> panelDrawAllowed(std::size_t count, std::span<const std::string> drawn,
                                            const LifecyclePolicy& policy);

// recusalAllowed: a recusal of `expert` needs the expert on the panel (NOT_ON_PANEL); granted, it needs
// a replacement (PANEL_SIZE: the panel would be short) who is neither on the panel nor recused
// (DRAW_MISMATCH). A refused applicant's request changes nothing.
[[nodiscard]] Result<void> recusalAllowed(const Panel& panel, std::string_view expert, bool granted,
                                          std::string_view replacement);

// scoreAllowed: an independent score needs its expert on the panel (NOT_ON_PANEL) and not yet scored
// (WRONG_STAGE: one score per expert).
[[nodiscard]] Result<void> scoreAllowed(const Panel& panel, std::string_view expert);

// conclusionAllowed: the panel deliberates (集中合议) on the independent scores (独立打分) of every
// member: a conclusion before each has scored is refused (PREREQUISITE_MISSING naming who has not).
[[nodiscard]] Result<void> conclusionAllowed(const Panel& panel);

// craftsmanApplicationAllowed: a person is first certified as a craftsman: masters are chosen from
// craftsmen and grand masters from masters (004 §2(2)), by promotion. Refuses WRONG_STAGE.
[[nodiscard]] Result<void> craftsmanApplicationAllowed(schema::CraftsmanTier tier);

// craftsmanCertificationAllowed: certifying a craftsman needs a pass finding, the latest, from the
// field's department that checks the qualification (资格审核, 004 §4(1)): `department`
// (DEPARTMENT_NOT_PASSED), and the tier applied for, craftsman (WRONG_STAGE).
[[nodiscard]] Result<void> craftsmanCertificationAllowed(std::span<const Finding> findings, std::string_view department,
                                                         schema::CraftsmanTier tier);

// craftsmanPanelAllowed: a craftsman's certification or promotion to `tier` needs, when the tier is
// among policy.craftsmanPanelTiers, an expert panel drawn for it (PREREQUISITE_MISSING), and, whenever a
// panel was drawn for it, that panel's conclusion for it (PREREQUISITE_MISSING: none yet, or against).
// `panel`: the panel drawn since the application or the current tier's decision, none if none was.
[[nodiscard]] Result<void> craftsmanPanelAllowed(const std::optional<Panel>& panel, schema::CraftsmanTier tier,
                                                 const LifecyclePolicy& policy);

// promotionAllowed: a promotion from `current` must name it as `from` and go one tier up
// (craftsman → master → grand master, 004 §2(2)); a skipped tier is refused (WRONG_STAGE).
[[nodiscard]] Result<void> promotionAllowed(schema::CraftsmanTier current, schema::CraftsmanTier from,
                                            schema::CraftsmanTier to);

// recommendationAllowed: a workshop certified at `certified` may be recommended at `at` for a higher
// level `recommended` only (WRONG_LEVEL: 逐级申报, 001 art. 5), and only while its certification stands:
// not cancelled by missed confirmations at `cancelled` (WRONG_STAGE, even before the cancellation is
// recorded). A revoked, cancelled or banned workshop has no row to be recommended from (WRONG_STAGE).
[[nodiscard]] Result<void> recommendationAllowed(std::optional<schema::Level> certified, schema::Level recommended,
                                                 std::optional<Timestamp> cancelled, Timestamp at);

// ---- Status: the subject's decisions replayed through the table. ----

// Step is one decision of the subject and what it did.
struct Step {
  Timestamp at = 0;  // the decision's header time
  schema::Body::Which kind;
  Stage from = Stage::NONE;
  Stage to = Stage::NONE;
  std::string policyVersion;  // the policy it was judged under
};

// DeadlineStatus is a period that runs or ran for the subject, of working days or (an evaluation's)
// years. A supervisory deadline (verifying an objection, re-examining an appeal, the evaluation, the
// rectification) does not refuse a late act: it marks it overdue.
struct DeadlineStatus {
  std::string what;  // "notice", "appeal", "objection-verification", "appeal-review", "evaluation", "rectification"
  Deadline deadline;
  bool supervisory = false;
  bool met = false;      // the act it awaits was recorded before deadline.endsAt
  bool overdue = false;  // the act came at or after endsAt, or has not come and asOf is at or after it
};

// Derived is a consequence of time alone, derived, not yet recorded: the officials responsible should
// sign `record` (none: there is nothing to sign, e.g. the end of a reapplication ban).
struct Derived {
  std::string what;  // "revocation-final", "cancellation", "reapplication-ban-over"
  Timestamp at = 0;  // when it took effect
  std::optional<schema::Body::Which> record;
  Stage to = Stage::NONE;
};

// Procedure is a certified workshop's procedure toward a higher level (001 art. 3(2), 5–6): recommended
// by the level that certified it, then the higher level's inspection, panel, notice and objections,
// while the workshop stays certified where it is. Its records follow the table's rows from `recommended`
// to `certified`; that certification ends it, at the higher level.
struct Procedure {
  schema::Level level = schema::Level::PREFECTURE;  // the level recommended for
  Stage stage = Stage::RECOMMENDED;  // where it stands; panel-rejected or objection-upheld: it failed there
  Timestamp since = 0;               // when it reached `stage`
};

struct Status {
  Stage recorded = Stage::NONE;  // the stage the recorded decisions reach
  Stage stage = Stage::NONE;     // that stage with the derived consequences applied
  Timestamp since = 0;           // when `stage` began
  std::vector<Step> steps;
  std::vector<DeadlineStatus> deadlines;
  std::vector<Derived> derived;  // derived, not yet recorded
  SubjectKind kind = SubjectKind::WORKSHOP;  // whose table judged it
  std::optional<Panel> panel;                // the prefecture's panel, once drawn
  std::optional<schema::Level> level;        // the level certified at (certification, legacy import)
  std::optional<Procedure> pending;          // a procedure toward a higher level, while certified
};

// PolicyAt gives the lifecycle policy in force at the subject's node at a time.
using PolicyAt = std::function<LifecyclePolicy(Timestamp)>;

// status replays `decisions`, the decisions of one subject in log order (the caller has checked their
// signatures and selected them by subject), through the table of the subject's kind (the subject every
// decision names), each judged under policyAt(its header time), and derives
// what time alone has decided by `asOf`. Refuses with the first decision the table or a guard refuses
// (WRONG_STAGE, or the guard's Reason); the detail names its position.
[[nodiscard]] Result<Status> status(std::span<const schema::Decision::Reader> decisions, const PolicyAt& policyAt,
                                    const Calendar& calendar, Timestamp asOf);

// DecisionAt is where a decision stands: its log, its index there and its leaf hash, what an EntryRef
// to it holds.
struct DecisionAt {
  std::string origin;
  std::uint64_t index = 0;
  merkle::Hash leafHash{};
};

// status, given `at`, where each of `decisions` stands (at[i] for decisions[i]; same size), also checks
// that each EntryRef the lifecycle follows names the record it should: an objection its notice (the
// latest), a resolution an objection not yet resolved, a certification the latest notice, a confirmation,
// an evaluation, a revocation proposal and a cancellation (in `certification`) the latest certification
// or legacy import, a cancellation's `lastConfirmation` the confirmation of the latest year confirmed
// since it (empty when none is), a notice's `basis` the passed joint review result or panel conclusion,
// a recommendation's `basis` this level's latest certification or legacy import (upward from certified)
// or else the passed preliminary review, when one is recorded, a ground-9
// revocation proposal (in `basis`) the failed rectification result since the latest order (or, with
// none recorded, that order), an appeal and a revocation the latest proposal (and a revocation's
// `appealDecision`, when not empty, the latest appeal decision), an appeal decision the latest appeal,
// a recusal, score or conclusion the panel draw, a conclusion's `scores` exactly the scores recorded
// for its draw (each once, none by an expert who withdrew), a rectification order's `cause` the latest
// evaluation since the certification, which must have failed. Refuses a reference that names another
// record, or none, with PREREQUISITE_MISSING, naming the decision and what it should reference.
[[nodiscard]] Result<Status> status(std::span<const schema::Decision::Reader> decisions,
                                    std::span<const DecisionAt> at, const PolicyAt& policyAt,
                                    const Calendar& calendar, Timestamp asOf);
[[nodiscard]] Result<Status> status(std::span<const schema::Decision::Reader> decisions, const LifecyclePolicy& policy,
                                    const Calendar& calendar, Timestamp asOf);

}  // namespace hreg::rules
