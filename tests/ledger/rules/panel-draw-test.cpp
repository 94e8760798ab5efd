#include "ledger/rules/panel-draw.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

#include <capnp/message.h>

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

// The seed is a checkpoint made after the pool and the subject were fixed: in the seed's log, a record
// at index i is in the checkpoint of size n only when i < n.
TEST(PanelDraw, TheSeedComesAfterThePoolAndTheSubjectInItsLog) {
  const std::vector<Fixed> fixed{{"the expert pool (version 3)", "hreg.example/6542", 811},
                                 {"the recommendation", "hreg.example/654201", 4000}};  // another log: not ordered
  EXPECT_TRUE(seedAfter(seedOf(812), fixed));
  auto early = seedAfter(seedOf(811), fixed);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().reason, Reason::DRAW_MISMATCH);
  EXPECT_EQ(early.error().detail,
            "the seed, the checkpoint of hreg.example/6542 at size 811, was made before the expert pool (version 3) at "
            "hreg.example/6542 #811 was recorded: whoever chose the seed could know it; draw from a checkpoint made "
            "after it (size 812 or more)");
}

TEST(PanelDraw, CheckDrawRefusesASeedMadeBeforeItsPool) {
  capnp::MallocMessageBuilder message;
  auto draw = message.initRoot<schema::PanelDraw>();
  draw.initSubjects(1).set(0, "654201-W-0007");
  auto version = draw.initPools(1)[0];
  version.initPool().setOrigin("hreg.example/6542");
  version.getPool().setIndex(900);
  version.setVersion(4);
  const DrawSeed seed = seedOf(812);
  auto ref = draw.initSeed();
  ref.setOrigin(seed.origin);
  ref.setTreeSize(seed.treeSize);
  ref.setRootHash(kj::arrayPtr(seed.root.data(), seed.root.size()));
  draw.setMethod(std::string(DRAW_METHOD));
  draw.setCount(5);
  auto panel = drawPanel(seed, "654201-W-0007", pool(30), 5, 5).value();
  auto experts = draw.initExperts(5);
  for (unsigned i = 0; i < 5; ++i) experts.set(i, panel[i]);

  auto refused = checkDraw(draw.asReader(), pool(30), 5);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, Reason::DRAW_MISMATCH);
  EXPECT_NE(refused.error().detail.find("hreg.example/6542 at size 812"), std::string::npos) << refused.error().detail;
  EXPECT_NE(refused.error().detail.find("hreg.example/6542 #900"), std::string::npos) << refused.error().detail;

  draw.getPools()[0].getPool().setIndex(700);  // the pool recorded before the checkpoint: the draw stands
  auto checked = checkDraw(draw.asReader(), pool(30), 5);
  ASSERT_TRUE(checked) << checked.error().detail;
  EXPECT_EQ(checked.value(), panel);
}

}  // namespace
}  // namespace hreg::rules
