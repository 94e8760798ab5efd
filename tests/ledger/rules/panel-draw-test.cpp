#include "ledger/rules/panel-draw.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

#include "ledger/crypto/sha256.h"

namespace hreg::rules {
namespace {

DrawSeed seedOf(std::uint64_t size) {
  return DrawSeed{"hreg.example/6542", size, crypto::sha256(asBytes("root of size " + std::to_string(size)))};
}

std::vector<std::string> pool(int n) {
  std::vector<std::string> experts;
  for (int i = 0; i < n; ++i) experts.push_back(fmt::format("XJ-{:03}", i));
  return experts;
}

TEST(PanelDraw, EveryNodeDrawsTheSamePanelFromTheSameSeed) {
  auto experts = pool(30);
  auto shuffled = experts;
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.push_back("XJ-003");  // the order and duplicates of the pool do not matter
  auto a = drawPanel(seedOf(812), "654201-W-0007", experts, 5, 5);
  auto b = drawPanel(seedOf(812), "654201-W-0007", shuffled, 5, 5);
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(a.value(), b.value());
  EXPECT_EQ(std::set<std::string>(a.value().begin(), a.value().end()).size(), 5u);
}

// The draw is pinned: if this changes, the draw method changed and needs a new version string. The
// expected panel was also computed by a separate transcription (Python, hashlib) of the method as
// panel-draw.h describes it.
TEST(PanelDraw, TheDrawOfAKnownSeedIsPinned) {
  auto panel = drawPanel(seedOf(812), "654201-W-0007", pool(30), 5, 5).value();
  EXPECT_EQ(fmt::format("{}", fmt::join(panel, " ")), "XJ-013 XJ-022 XJ-026 XJ-011 XJ-003");
  auto again = drawOrder(seedOf(812), "654201-W-0007", pool(30));
  EXPECT_EQ(std::vector<std::string>(again.begin(), again.begin() + 5), panel);
}

TEST(PanelDraw, AnotherSeedOrSubjectGivesAnotherPanel) {
  auto a = drawPanel(seedOf(812), "654201-W-0007", pool(30), 5, 5).value();
  EXPECT_NE(drawPanel(seedOf(813), "654201-W-0007", pool(30), 5, 5).value(), a);
  EXPECT_NE(drawPanel(seedOf(812), "654201-W-0008", pool(30), 5, 5).value(), a);
}

TEST(PanelDraw, ARecusedExpertIsReplacedByTheNextInTheOrder) {
  auto order = drawOrder(seedOf(812), "654201-W-0007", pool(30));
  std::vector<std::string> recused{order[1]};
  auto panel = drawPanel(seedOf(812), "654201-W-0007", pool(30), 5, 5, recused).value();
  EXPECT_EQ(panel, (std::vector<std::string>{order[0], order[2], order[3], order[4], order[5]}));
}

TEST(PanelDraw, AnEvenOrTooSmallPanelIsRefused) {
  EXPECT_EQ(drawPanel(seedOf(1), "s", pool(30), 6, 5).error().reason, Reason::PANEL_SIZE);
  EXPECT_EQ(drawPanel(seedOf(1), "s", pool(30), 3, 5).error().reason, Reason::PANEL_SIZE);
  EXPECT_EQ(drawPanel(seedOf(1), "s", pool(30), 7, 7).has_value(), true);
  EXPECT_EQ(drawPanel(seedOf(1), "s", pool(5), 5, 5, std::vector<std::string>{"XJ-000"}).error().reason,
            Reason::POOL_TOO_SMALL);
}

// Each expert is equally likely to be drawn first: over 6,000 seeds, each of 6 experts comes first
// about 1,000 times (a chi-square test with 5 degrees of freedom, well inside its 99.9% bound).
TEST(PanelDraw, EachExpertIsEquallyLikelyToBeDrawn) {
  std::map<std::string, int> first;
  const int draws = 6000;
  for (int i = 0; i < draws; ++i) ++first[drawOrder(seedOf(static_cast<std::uint64_t>(i)), "s", pool(6))[0]];
  double chi2 = 0;
  for (const auto& [expert, count] : first) chi2 += (count - 1000.0) * (count - 1000.0) / 1000.0;
  EXPECT_EQ(first.size(), 6u);
  EXPECT_LT(chi2, 20.5);
}

}  // namespace
}  // namespace hreg::rules
