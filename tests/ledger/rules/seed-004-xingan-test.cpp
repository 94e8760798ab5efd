// End to end, 004 (兴乡振发〔2023〕30号, Xing'an League): a rural craftsman recommended by the department
// of the craft's field, whose qualification it checks (§4(1) 组织推荐、资格审核), certified by rural
// revitalization; evaluated (§4(3) 监测评估); craftsman → master → grand master, one tier at a time
// (§2(2)), each chosen (评选, §4(1), §4(2)) under "健全评选监督、回避机制" (§4(3)); exit (§4(3) 清理退出) —
// on its own transition table, by the "-C-" of its identifier.
//
// 004 names no expert panel, no size and no draw: it asks each banner for its own evaluation methods
// (§3(5) 评价办法和评价标准; the notice: 实施细则) and for a recusal mechanism in the selection (§4(3)).
// The League's policy here (an assumption of the test, policy craftsman.panel-tiers) has masters and
// grand masters chosen by an expert panel drawn from its pool, as a prefecture's workshops are (001 art.
// 6(2)): an odd panel of at least panel.min-size (5), recusals, independent scores, a conclusion.
#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "ledger/crypto/sha256.h"
#include "ledger/rules/panel-draw.h"
#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;

const LifecyclePolicy POLICY{};

constexpr const char* BANNER = "hreg.example/152201";  // 乌兰浩特市
constexpr const char* LEAGUE = "hreg.example/1522";    // 兴安盟
constexpr const char* SUBJECT = "152201-C-0007";

Result<Status> statusOf(const Records& r, Timestamp asOf) { return status(r.all(), POLICY, published(), asOf); }

// 蒙古族刺绣 (embroidery and dyeing), recommended by the women's federation, which checks the qualification.
Records& certified(Records& r) {
  r.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  r.finding(at("2026-05-18"), "women", ReviewOutcome::PASS);
  return r.craftsmanCertification(at("2026-05-25"), Tier::CRAFTSMAN, "women");
}

TEST(Seed004Xingan, ACraftsmanRisesFromCraftsmanToMasterToGrandMaster) {
  Records r(BANNER, SUBJECT);
  certified(r).craftsmanEvaluation(at("2027-05-20"), ReviewOutcome::PASS);
  auto craftsman = statusOf(r, at("2027-05-21"));
  ASSERT_TRUE(craftsman) << craftsman.error().detail;
  EXPECT_EQ(craftsman.value().kind, SubjectKind::CRAFTSMAN);
  EXPECT_EQ(craftsman.value().stage, Stage::CRAFTSMAN);
  EXPECT_TRUE(craftsman.value().derived.empty());  // no yearly confirmation for craftsmen: nothing cancels

  r.in(LEAGUE).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER).craftsmanEvaluation(at("2028-09-01"),
                                                                                                ReviewOutcome::PASS);
  auto master = statusOf(r, at("2028-09-02"));
  ASSERT_TRUE(master) << master.error().detail;
  EXPECT_EQ(master.value().stage, Stage::MASTER);

  r.promotion(at("2029-09-03"), Tier::MASTER, Tier::GRAND_MASTER);
  auto grand = statusOf(r, at("2029-09-04"));
  ASSERT_TRUE(grand) << grand.error().detail;
  EXPECT_EQ(grand.value().stage, Stage::GRAND_MASTER);
  EXPECT_EQ(stageName(grand.value().stage), "grand-master");
  EXPECT_EQ(grand.value().steps.size(), 7u);
}

TEST(Seed004Xingan, RefusesASkippedTier) {
  Records r(BANNER, SUBJECT);
  certified(r).in(LEAGUE).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::GRAND_MASTER);
  expectRefused(statusOf(r, at("2027-09-02")), Reason::WRONG_STAGE, "grand master");

  Records wrongFrom(BANNER, SUBJECT);
  certified(wrongFrom).in(LEAGUE).promotion(at("2027-09-01"), Tier::MASTER, Tier::GRAND_MASTER);
  expectRefused(statusOf(wrongFrom, at("2027-09-02")), Reason::WRONG_STAGE, "of a craftsman");

  Records beyond(BANNER, SUBJECT);
  certified(beyond).in(LEAGUE).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  beyond.promotion(at("2028-09-01"), Tier::MASTER, Tier::GRAND_MASTER);
  beyond.promotion(at("2029-09-01"), Tier::GRAND_MASTER, Tier::GRAND_MASTER);
  expectRefused(statusOf(beyond, at("2029-09-02")), Reason::WRONG_STAGE, "grand-master");
}

TEST(Seed004Xingan, RefusesAnApplicationStraightForMaster) {
  Records r(BANNER, SUBJECT);
  r.craftsmanApplication(at("2026-05-11"), Tier::MASTER, "embroidery-dyeing", "women");
  expectRefused(statusOf(r, at("2026-05-12")), Reason::WRONG_STAGE,
                "an application for master: a person is first certified a craftsman");
}

TEST(Seed004Xingan, RefusesACertificationWithoutTheFieldDepartmentsPass) {
  Records unchecked(BANNER, SUBJECT);
  unchecked.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  unchecked.finding(at("2026-05-18"), "culture", ReviewOutcome::PASS);  // another department's
  unchecked.craftsmanCertification(at("2026-05-25"), Tier::CRAFTSMAN, "women");
  expectRefused(statusOf(unchecked, at("2026-05-26")), Reason::DEPARTMENT_NOT_PASSED,
                "no pass finding from the field's department 'women'");

  Records rejected(BANNER, SUBJECT);
  rejected.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  rejected.finding(at("2026-05-18"), "women", ReviewOutcome::REJECT);
  auto s = statusOf(rejected, at("2026-05-19"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().stage, Stage::CRAFTSMAN_REJECTED);
  rejected.craftsmanCertification(at("2026-05-25"), Tier::CRAFTSMAN, "women");
  expectRefused(statusOf(rejected, at("2026-05-26")), Reason::WRONG_STAGE, "craftsman-rejected");
}

TEST(Seed004Xingan, ExitsAndMayBeCertifiedAgainWhenQualified) {
  Records r(BANNER, SUBJECT);
  certified(r).in(LEAGUE).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  r.craftsmanExit(at("2028-03-01"), "inactive");  // no longer practising
  auto exited = statusOf(r, at("2028-03-02"));
  ASSERT_TRUE(exited) << exited.error().detail;
  EXPECT_EQ(exited.value().stage, Stage::EXITED);
  r.craftsmanEvaluation(at("2028-06-01"), ReviewOutcome::PASS);
  expectRefused(statusOf(r, at("2028-06-02")), Reason::WRONG_STAGE, "exited");
}

TEST(Seed004Xingan, AnExitedCraftsmanStartsAgainAsACraftsman) {
  Records r(BANNER, SUBJECT);
  certified(r).craftsmanExit(at("2027-03-01"), "inactive").craftsmanApplication(at("2028-05-08"), Tier::CRAFTSMAN,
                                                                                 "embroidery-dyeing", "women");
  r.finding(at("2028-05-15"), "women", ReviewOutcome::PASS).craftsmanCertification(at("2028-05-22"), Tier::CRAFTSMAN, "women");
  auto s = statusOf(r, at("2028-05-23"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CRAFTSMAN);
}

TEST(Seed004Xingan, RefusesAnExitBeforeCertification) {
  Records r(BANNER, SUBJECT);
  r.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women").craftsmanExit(at("2026-05-20"), "fraud");
  expectRefused(statusOf(r, at("2026-05-21")), Reason::WRONG_STAGE, "craftsman-applied");
}

TEST(Seed004Xingan, EachSubjectKindHasItsOwnTable) {
  Records workshopRecord(BANNER, SUBJECT);
  workshopRecord.application(at("2026-05-11"));
  expectRefused(statusOf(workshopRecord, at("2026-05-12")), Reason::WRONG_STAGE, "the subject is a craftsman");

  Records craftsmanRecord(BANNER, "152201-W-0001");
  craftsmanRecord.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  expectRefused(statusOf(craftsmanRecord, at("2026-05-12")), Reason::WRONG_STAGE, "the subject is a workshop");

  EXPECT_TRUE(lifecycleJudges(schema::Body::CRAFTSMAN_PROMOTION));
  EXPECT_TRUE(lifecycleJudges(schema::Body::PANEL_DRAW));
  EXPECT_FALSE(lifecycleJudges(schema::Body::QUARTERLY_REPORT));
  EXPECT_FALSE(lifecycleJudges(schema::Body::EXPERT_POOL));
  EXPECT_EQ(subjectKind("152201-C-0007"), SubjectKind::CRAFTSMAN);
  EXPECT_EQ(subjectKind("140902001-W-0012"), SubjectKind::WORKSHOP);
}

// ---- Panels and recusal (§4(3) 健全评选监督、回避机制) ----

using Requester = schema::RecusalRequester;

// The League's policy: masters and grand masters are chosen by an expert panel (craftsman.panel-tiers).
LifecyclePolicy panelPolicy(std::vector<std::string> tiers = {"master", "grand-master"}) {
  LifecyclePolicy p;
  p.craftsmanPanelTiers = std::move(tiers);
  p.version = "hreg.example/1522 v1";
  return p;
}

Result<Status> judgedUnder(const Records& r, const LifecyclePolicy& policy, Timestamp asOf) {
  return status(r.all(), policy, published(), asOf);
}

// The League's pool of craft experts (1522-E-…), 12 of them.
std::vector<std::string> leaguePool() {
  std::vector<std::string> experts;
  for (int i = 1; i <= 12; ++i) experts.push_back(fmt::format("1522-E-{:04}", i));
  return experts;
}

// The public seed of a draw: a checkpoint of the League's log fixed after the pool and the subject.
DrawSeed leagueSeed(std::uint64_t size) {
  return DrawSeed{LEAGUE, size, crypto::sha256(asBytes(fmt::format("1522 root at {}", size)))};
}

std::vector<std::string> drawnFrom(const DrawSeed& seed, std::vector<std::string> recused = {}) {
  return drawPanel(seed, SUBJECT, leaguePool(), 5, 5, recused).value();
}

std::string newcomer(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  for (const std::string& e : after)
    if (std::find(before.begin(), before.end(), e) == before.end()) return e;
  return "";
}

// selected: the panel of `seed` drawn on `day`; its second expert withdraws (a teacher of the
// craftsman: 师徒); the craftsman asks in writing that the third withdraw, refused; every member
// scores, and the panel concludes `outcome`.
Records& selected(Records& r, const char* day, const DrawSeed& seed, ReviewOutcome outcome) {
  const auto panel = drawnFrom(seed);
  const auto after = drawnFrom(seed, {panel[1]});
  r.panelDraw(at(day), {SUBJECT}, seed, 5, panel);
  r.recusal(at(day, 15), panel[1], Requester::EXPERT, true, newcomer(panel, after));
  r.recusal(at(day, 16), panel[2], Requester::APPLICANT, false, "");
  std::uint16_t total = 800;
  for (const std::string& e : after) r.score(at(day, 17), e, total += 15);
  return r.conclusion(at(day, 18), outcome);
}

// chosenAsCraftsman: certified at the banner (no panel for the first tier), evaluated, and chosen for
// master by the League's panel of 2027-08-25.
Records& chosenForMaster(Records& r) {
  certified(r).craftsmanEvaluation(at("2027-05-20"), ReviewOutcome::PASS);
  return selected(r.in(LEAGUE), "2027-08-25", leagueSeed(431), ReviewOutcome::PASS);
}

TEST(Seed004Xingan, MastersAndGrandMastersAreChosenByADrawnPanelWithRecusals) {
  Records r(BANNER, SUBJECT);
  chosenForMaster(r);
  auto chosen = judgedUnder(r, panelPolicy(), at("2027-08-26"));
  ASSERT_TRUE(chosen) << chosen.error().detail;
  EXPECT_EQ(chosen.value().stage, Stage::CRAFTSMAN);  // the selection changes no tier by itself
  ASSERT_TRUE(chosen.value().panel);
  EXPECT_EQ(chosen.value().panel->concluded, std::optional<bool>(true));
  EXPECT_EQ(chosen.value().panel->recused, std::vector<std::string>{drawnFrom(leagueSeed(431))[1]});
  std::vector<std::string> members = chosen.value().panel->members;
  std::vector<std::string> expected = drawnFrom(leagueSeed(431), {drawnFrom(leagueSeed(431))[1]});
  std::sort(members.begin(), members.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(members, expected);

  // Every node re-checks the draw from its public seed and the pool, and the replacement is the next.
  auto draw = r.all()[r.all().size() - 9].getBody().getPanelDraw();
  auto redrawn = checkDraw(draw, leaguePool(), 5, std::vector<std::string>{drawnFrom(leagueSeed(431))[1]});
  ASSERT_TRUE(redrawn) << redrawn.error().detail;
  EXPECT_EQ(redrawn.value(), drawnFrom(leagueSeed(431), {drawnFrom(leagueSeed(431))[1]}));

  r.promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  auto master = judgedUnder(r, panelPolicy(), at("2027-09-02"));
  ASSERT_TRUE(master) << master.error().detail;
  EXPECT_EQ(master.value().stage, Stage::MASTER);
  EXPECT_FALSE(master.value().panel) << "the panel that chose the master is spent";

  // The grand master needs a panel of its own, drawn from a later seed.
  Records reused(BANNER, SUBJECT);
  chosenForMaster(reused).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  reused.promotion(at("2029-09-03"), Tier::MASTER, Tier::GRAND_MASTER);
  expectRefused(judgedUnder(reused, panelPolicy(), at("2029-09-04")), Reason::PREREQUISITE_MISSING,
                "craftsman.panel-tiers [master, grand-master]");

  selected(r, "2029-08-27", leagueSeed(1207), ReviewOutcome::PASS).promotion(at("2029-09-03"), Tier::MASTER,
                                                                                 Tier::GRAND_MASTER);
  auto grand = judgedUnder(r, panelPolicy(), at("2029-09-04"));
  ASSERT_TRUE(grand) << grand.error().detail;
  EXPECT_EQ(grand.value().stage, Stage::GRAND_MASTER);
}

TEST(Seed004Xingan, RefusesAPromotionWithoutThePanelThePolicyRequires) {
  Records r(BANNER, SUBJECT);
  certified(r).in(LEAGUE).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  expectRefused(judgedUnder(r, panelPolicy(), at("2027-09-02")), Reason::PREREQUISITE_MISSING,
                "under policy hreg.example/1522 v1 a master is chosen by an expert panel");
  EXPECT_TRUE(statusOf(r, at("2027-09-02"))) << "the built-in policy, as 004 itself, requires no panel";
}

TEST(Seed004Xingan, RefusesACertificationWithoutThePanelWhereTheFirstTierNeedsOne) {
  Records r(BANNER, SUBJECT);
  certified(r);
  expectRefused(judgedUnder(r, panelPolicy({"craftsman"}), at("2026-05-26")), Reason::PREREQUISITE_MISSING,
                "a craftsman is chosen by an expert panel");

  Records paneled(BANNER, SUBJECT);
  paneled.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  paneled.finding(at("2026-05-18"), "women", ReviewOutcome::PASS);
  selected(paneled, "2026-05-20", leagueSeed(90), ReviewOutcome::PASS);
  paneled.craftsmanCertification(at("2026-05-25"), Tier::CRAFTSMAN, "women");
  auto s = judgedUnder(paneled, panelPolicy({"craftsman"}), at("2026-05-26"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CRAFTSMAN);
}

TEST(Seed004Xingan, APanelAgainstRejectsTheApplicationOrLeavesTheTier) {
  Records applicant(BANNER, SUBJECT);
  applicant.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  applicant.finding(at("2026-05-18"), "women", ReviewOutcome::PASS);
  selected(applicant, "2026-05-20", leagueSeed(90), ReviewOutcome::REJECT);
  auto rejected = judgedUnder(applicant, panelPolicy({"craftsman"}), at("2026-05-21"));
  ASSERT_TRUE(rejected) << rejected.error().detail;
  EXPECT_EQ(rejected.value().stage, Stage::CRAFTSMAN_REJECTED);
  applicant.craftsmanCertification(at("2026-05-25"), Tier::CRAFTSMAN, "women");
  expectRefused(judgedUnder(applicant, panelPolicy({"craftsman"}), at("2026-05-26")), Reason::WRONG_STAGE,
                "craftsman-rejected");

  auto turnedDown = [](Records& r) -> Records& {
    certified(r).in(LEAGUE);
    return selected(r, "2027-08-25", leagueSeed(431), ReviewOutcome::REJECT);
  };
  Records craftsman(BANNER, SUBJECT);
  turnedDown(craftsman);
  auto stays = judgedUnder(craftsman, panelPolicy(), at("2027-08-26"));
  ASSERT_TRUE(stays) << stays.error().detail;
  EXPECT_EQ(stays.value().stage, Stage::CRAFTSMAN);
  Records promoted(BANNER, SUBJECT);
  turnedDown(promoted).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  expectRefused(judgedUnder(promoted, panelPolicy(), at("2027-09-02")), Reason::PREREQUISITE_MISSING,
                "concluded against it");
  // Where the policy asks for no panel, one drawn still binds: its conclusion against stands.
  expectRefused(statusOf(promoted, at("2027-09-02")), Reason::PREREQUISITE_MISSING, "concluded against it");
  // A new panel may be drawn and choose it.
  selected(craftsman, "2028-08-24", leagueSeed(780), ReviewOutcome::PASS).promotion(at("2028-09-01"), Tier::CRAFTSMAN,
                                                                                    Tier::MASTER);
  auto again = judgedUnder(craftsman, panelPolicy(), at("2028-09-02"));
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again.value().stage, Stage::MASTER);
}

TEST(Seed004Xingan, RefusesAPromotionBeforeThePanelConcluded) {
  Records r(BANNER, SUBJECT);
  certified(r).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 5, drawnFrom(leagueSeed(431)));
  r.promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  expectRefused(judgedUnder(r, panelPolicy(), at("2027-09-02")), Reason::PREREQUISITE_MISSING, "has not concluded");
}

TEST(Seed004Xingan, RefusesACraftsmanPanelOfTheWrongSize) {
  Records even(BANNER, SUBJECT);
  auto six = drawPanel(leagueSeed(431), SUBJECT, leaguePool(), 7, 5).value();
  six.pop_back();
  certified(even).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 6, six);
  expectRefused(judgedUnder(even, panelPolicy(), at("2027-08-26")), Reason::PANEL_SIZE, "6 experts");

  Records three(BANNER, SUBJECT);
  auto small = drawnFrom(leagueSeed(431));
  small.resize(3);
  certified(three).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 3, small);
  expectRefused(judgedUnder(three, panelPolicy(), at("2027-08-26")), Reason::PANEL_SIZE, "at least 5");
}

TEST(Seed004Xingan, RefusesRecusalsScoresAndConclusionsOutsideAnOpenPanel) {
  const auto panel = drawnFrom(leagueSeed(431));
  Records none(BANNER, SUBJECT);
  certified(none).in(LEAGUE).recusal(at("2027-08-25"), panel[0], Requester::EXPERT, true, panel[1]);
  expectRefused(judgedUnder(none, panelPolicy(), at("2027-08-26")), Reason::PREREQUISITE_MISSING,
                "no expert panel drawn");

  Records unscored(BANNER, SUBJECT);
  certified(unscored).in(LEAGUE).score(at("2027-08-25"), panel[0], 900);
  expectRefused(judgedUnder(unscored, panelPolicy(), at("2027-08-26")), Reason::PREREQUISITE_MISSING,
                "no expert panel drawn");

  Records late(BANNER, SUBJECT);
  certified(late).in(LEAGUE);
  selected(late, "2027-08-25", leagueSeed(431), ReviewOutcome::PASS).score(at("2027-08-27"), panel[0], 990);
  expectRefused(judgedUnder(late, panelPolicy(), at("2027-08-28")), Reason::WRONG_STAGE, "has concluded (for)");

  Records stranger(BANNER, SUBJECT);
  certified(stranger).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 5, panel);
  stranger.recusal(at("2027-08-25", 15), "1522-E-0099", Requester::APPLICANT, true, panel[0]);
  expectRefused(judgedUnder(stranger, panelPolicy(), at("2027-08-26")), Reason::NOT_ON_PANEL, "1522-E-0099");

  Records unfilled(BANNER, SUBJECT);
  certified(unfilled).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 5, panel);
  unfilled.recusal(at("2027-08-25", 15), panel[1], Requester::EXPERT, true, "");
  expectRefused(judgedUnder(unfilled, panelPolicy(), at("2027-08-26")), Reason::PANEL_SIZE, panel[1]);

  Records withdrawn(BANNER, SUBJECT);
  certified(withdrawn).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 5, panel);
  withdrawn.recusal(at("2027-08-25", 15), panel[1], Requester::EXPERT, true,
                    newcomer(panel, drawnFrom(leagueSeed(431), {panel[1]})));
  withdrawn.score(at("2027-08-26"), panel[1], 900);  // withdrew: no longer on it
  expectRefused(judgedUnder(withdrawn, panelPolicy(), at("2027-08-27")), Reason::NOT_ON_PANEL, panel[1]);

  Records hasty(BANNER, SUBJECT);
  certified(hasty).in(LEAGUE).panelDraw(at("2027-08-25"), {SUBJECT}, leagueSeed(431), 5, panel);
  for (std::size_t i = 0; i + 1 < panel.size(); ++i) hasty.score(at("2027-08-26"), panel[i], 880);
  hasty.conclusion(at("2027-08-27"), ReviewOutcome::PASS);
  expectRefused(judgedUnder(hasty, panelPolicy(), at("2027-08-28")), Reason::PREREQUISITE_MISSING, panel.back());
}

TEST(Seed004Xingan, RefusesAPanelForAGrandMasterOrBeforeAnyApplication) {
  Records top(BANNER, SUBJECT);
  certified(top).in(LEAGUE).promotion(at("2027-09-01"), Tier::CRAFTSMAN, Tier::MASTER);
  top.promotion(at("2028-09-01"), Tier::MASTER, Tier::GRAND_MASTER);
  top.panelDraw(at("2029-08-27"), {SUBJECT}, leagueSeed(1207), 5, drawnFrom(leagueSeed(1207)));
  expectRefused(statusOf(top, at("2029-08-28")), Reason::WRONG_STAGE, "grand-master");

  Records nobody(LEAGUE, SUBJECT);
  nobody.panelDraw(at("2026-05-20"), {SUBJECT}, leagueSeed(90), 5, drawnFrom(leagueSeed(90)));
  expectRefused(statusOf(nobody, at("2026-05-21")), Reason::WRONG_STAGE, "none");
}

// The seed of a draw is a checkpoint made after what it draws for: a banner drawing the panel for a
// craftsman's first tier from its own log's checkpoint must take one that holds the application.
TEST(Seed004Xingan, RefusesADrawWhoseSeedWasMadeBeforeTheApplicationItDrawsFor) {
  auto judgedAt = [](const Records& r, Timestamp asOf) {
    std::vector<DecisionAt> positions;  // decision i at index 400 + i of its log
    for (std::size_t i = 0; i < r.all().size(); ++i) {
      DecisionAt where{r.all()[i].getHeader().getOrigin().cStr(), 400 + i, {}};
      where.leafHash.fill(static_cast<std::uint8_t>(i + 1));
      positions.push_back(where);
    }
    const LifecyclePolicy policy = panelPolicy({});
    return status(r.all(), positions, PolicyAt{[policy](Timestamp) { return policy; }}, published(), asOf);
  };
  const DrawSeed before{BANNER, 400, crypto::sha256(asBytes("152201 root at 400"))};
  const DrawSeed after{BANNER, 402, crypto::sha256(asBytes("152201 root at 402"))};
  auto drawn = [](const DrawSeed& seed) { return drawPanel(seed, SUBJECT, leaguePool(), 5, 5).value(); };

  Records early(BANNER, SUBJECT);
  early.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");  // #400
  early.finding(at("2026-05-18"), "women", ReviewOutcome::PASS).panelDraw(at("2026-05-20"), {SUBJECT}, before, 5,
                                                                          drawn(before));
  expectRefused(judgedAt(early, at("2026-05-21")), Reason::DRAW_MISMATCH,
                "the seed, the checkpoint of hreg.example/152201 at size 400, was made before the craftsmanApplication "
                "it draws for at hreg.example/152201 #400 was recorded");

  Records timely(BANNER, SUBJECT);
  timely.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  timely.finding(at("2026-05-18"), "women", ReviewOutcome::PASS).panelDraw(at("2026-05-20"), {SUBJECT}, after, 5,
                                                                           drawn(after));
  auto s = judgedAt(timely, at("2026-05-21"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().panel->members, drawn(after));

  // For a promotion, the record the panel draws for is the current tier's certification.
  Records promotion(BANNER, SUBJECT);
  certified(promotion).panelDraw(at("2027-08-25"), {SUBJECT}, after, 5, drawn(after));  // certification at #402
  expectRefused(judgedAt(promotion, at("2027-08-26")), Reason::DRAW_MISMATCH,
                "the craftsmanCertification it draws for at hreg.example/152201 #402");
}

}  // namespace
}  // namespace hreg::rules
