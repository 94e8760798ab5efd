// ledger/rules/statistics.h: the register's counts of a region, independent of the order of the subjects.
#include "ledger/rules/statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace hreg::rules {
namespace {

using Level = schema::Level;

std::vector<SubjectFigures> region() {
  return {
      {SubjectKind::WORKSHOP, Stage::CERTIFIED, Level::COUNTY, false},
      {SubjectKind::WORKSHOP, Stage::CERTIFIED, Level::COUNTY, true},  // recommended to the prefecture
      {SubjectKind::WORKSHOP, Stage::RECTIFICATION, Level::PREFECTURE, false},
      {SubjectKind::WORKSHOP, Stage::JOINT_REVIEW, Level::COUNTY, false},
      {SubjectKind::WORKSHOP, Stage::REVOKED, Level::COUNTY, false},
      {SubjectKind::WORKSHOP, Stage::NONE, std::nullopt, false},  // nothing recorded by then
      {SubjectKind::CRAFTSMAN, Stage::CRAFTSMAN, std::nullopt, false},
      {SubjectKind::CRAFTSMAN, Stage::MASTER, std::nullopt, false},
      {SubjectKind::CRAFTSMAN, Stage::CRAFTSMAN_APPLIED, std::nullopt, false},
      {SubjectKind::CRAFTSMAN, Stage::EXITED, std::nullopt, false},
  };
}

TEST(Statistics, CountsWorkshopsByStageAndLevelAndCraftsmenByStageAndTier) {
  const RegisterFigures f = countRegister(region());
  EXPECT_EQ(f.workshops, 5u);
  EXPECT_EQ(f.workshopsByStage.at("certified"), 2u);
  EXPECT_EQ(f.workshopsByStage.at("revoked"), 1u);
  EXPECT_FALSE(f.workshopsByStage.contains("none"));
  EXPECT_EQ(f.certifiedWorkshops, 3u) << "under rectification it keeps its certification";
  EXPECT_EQ(f.certifiedByLevel.at("county"), 2u);
  EXPECT_EQ(f.certifiedByLevel.at("prefecture"), 1u);
  EXPECT_EQ(f.pendingUpward, 1u);
  EXPECT_EQ(f.craftsmen, 4u);
  EXPECT_EQ(f.certifiedCraftsmen, 2u);
  EXPECT_EQ(f.craftsmenByTier.at("craftsman"), 1u);
  EXPECT_EQ(f.craftsmenByTier.at("master"), 1u);
  EXPECT_EQ(f.craftsmenByStage.at("exited"), 1u);
}

TEST(Statistics, TheOrderOfTheSubjectsChangesNothing) {
  std::vector<SubjectFigures> subjects = region();
  const RegisterFigures first = countRegister(subjects);
  std::reverse(subjects.begin(), subjects.end());
  EXPECT_EQ(countRegister(subjects), first);
  std::rotate(subjects.begin(), subjects.begin() + 3, subjects.end());
  EXPECT_EQ(countRegister(subjects), first);
}

TEST(Statistics, GroupsQuarterlyFiguresOneLevelBelowTheRegionDownToTheCounties) {
  EXPECT_EQ(statisticsRegionDigits(""), 2u);
  EXPECT_EQ(statisticsRegionDigits("43"), 4u);
  EXPECT_EQ(statisticsRegionDigits("4331"), 6u);
  EXPECT_EQ(statisticsRegionDigits("433101"), 6u);
  EXPECT_EQ(statisticsRegionDigits("433101001"), 6u);
}

}  // namespace
}  // namespace hreg::rules
