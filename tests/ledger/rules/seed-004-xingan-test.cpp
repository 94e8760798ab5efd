// End to end, 004 (兴乡振发〔2023〕30号, Xing'an League): a rural craftsman recommended by the department
// of the craft's field, whose qualification it checks (§4(1) 组织推荐、资格审核), certified by rural
// revitalization; evaluated (§4(3) 监测评估); craftsman → master → grand master, one tier at a time
// (§2(2)); exit (§4(3) 清理退出) — on its own transition table, by the "-C-" of its identifier.
#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>

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
  expectRefused(statusOf(r, at("2026-05-12")), Reason::WRONG_STAGE, "master");
}

TEST(Seed004Xingan, RefusesACertificationWithoutTheFieldDepartmentsPass) {
  Records unchecked(BANNER, SUBJECT);
  unchecked.craftsmanApplication(at("2026-05-11"), Tier::CRAFTSMAN, "embroidery-dyeing", "women");
  unchecked.finding(at("2026-05-18"), "culture", ReviewOutcome::PASS);  // another department's
  unchecked.craftsmanCertification(at("2026-05-25"), Tier::CRAFTSMAN, "women");
  expectRefused(statusOf(unchecked, at("2026-05-26")), Reason::DEPARTMENT_NOT_PASSED, "women");

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

}  // namespace
}  // namespace hreg::rules
