#include "ledger/rules/panel-draw.h"

#include <fmt/format.h>

#include <algorithm>

#include <fmt/ranges.h>

#include "ledger/crypto/sha256.h"

namespace hreg::rules {
namespace {

// DrawStream yields the 64-bit numbers of the draw, four per SHA-256 block.
class DrawStream {
 public:
  DrawStream(const DrawSeed& seed, std::string_view subject) {
    std::uint8_t size[8];
    putBigEndian64(seed.treeSize, size);
    prefix_.append(DRAW_CONTEXT).append(seed.origin).append("\n");
    prefix_.append(asChars(ByteView(size, 8)));
    prefix_.append(asChars(ByteView(seed.root)));
    prefix_.append(subject).append("\n");
  }
  std::uint64_t next() {
    if (used_ == 4) {
      std::uint8_t counter[8];
      putBigEndian64(counter_++, counter);
      block_ = crypto::sha256({asBytes(prefix_), ByteView(counter, 8)});
      used_ = 0;
    }
    return getBigEndian64(block_.data() + 8 * used_++);
  }
  // below is uniform in [0, n) for n >= 1: numbers from the top partial range are rejected.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    for (;;)
      if (std::uint64_t x = next(); x < limit) return x % n;
  }

 private:
  std::string prefix_;  // DRAW_CONTEXT, origin, "\n", tree size, root, subject, "\n"
  merkle::Hash block_{};
  std::uint64_t counter_ = 0;
  int used_ = 4;
};

}  // namespace

std::vector<std::string> drawOrder(const DrawSeed& seed, std::string_view subject, std::span<const std::string> pool) {
  std::vector<std::string> order(pool.begin(), pool.end());
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end()), order.end());
  DrawStream stream(seed, subject);
  for (std::size_t i = 0; i + 1 < order.size(); ++i) {
    std::size_t pick = i + static_cast<std::size_t>(stream.below(order.size() - i));
    std::swap(order[i], order[pick]);
  }
  return order;
}

Result<std::vector<std::string>> drawPanel(const DrawSeed& seed, std::string_view subject,
                                           std::span<const std::string> pool, std::size_t size,
                                           std::size_t minimumSize, std::span<const std::string> recused) {
  if (size % 2 == 0 || size < minimumSize)
    return refuse(Reason::PANEL_SIZE, fmt::format("a panel of {} experts: it must be odd and at least {} (001 art. 6; "
                                                  "policy panel.min-size)", size, minimumSize));
  std::vector<std::string> panel;
  for (std::string& expert : drawOrder(seed, subject, pool)) {
    if (panel.size() == size) break;
    if (std::find(recused.begin(), recused.end(), expert) == recused.end()) panel.push_back(std::move(expert));
  }
  if (panel.size() < size)
    return refuse(Reason::POOL_TOO_SMALL, fmt::format("the pool has {} eligible experts after {} recusal(s); the "
                                                      "panel needs {}", panel.size(), recused.size(), size));
  return panel;
}

std::string drawSubject(std::span<const std::string> subjects) {
  std::string out;
  for (const std::string& s : subjects) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

std::vector<Fixed> poolsOf(schema::PanelDraw::Reader draw) {
  std::vector<Fixed> out;
  for (auto p : draw.getPools())
    out.push_back({fmt::format("the expert pool (version {})", p.getVersion()), p.getPool().getOrigin().cStr(),
                   p.getPool().getIndex()});
  return out;
}

Result<void> seedAfter(const DrawSeed& seed, std::span<const Fixed> fixed) {
  for (const Fixed& f : fixed)
    if (f.origin == seed.origin && f.index >= seed.treeSize)
      return refuse(Reason::DRAW_MISMATCH,
                    fmt::format("the seed, the checkpoint of {} at size {}, was made before {} at {} #{} was "
                                "recorded: whoever chose the seed could know it; draw from a checkpoint made after it "
                                "(size {} or more)", seed.origin, seed.treeSize, f.what, f.origin, f.index,
                                f.index + 1));
  return outcome::success();
}

Result<std::string> nextInOrder(const DrawSeed& seed, std::string_view subject, std::span<const std::string> pool,
                                std::size_t size, std::size_t minimumSize, std::span<const std::string> recused,
                                const std::string& withdrawn) {
  HREG_TRY(before, drawPanel(seed, subject, pool, size, minimumSize, recused));
  std::vector<std::string> after(recused.begin(), recused.end());
  after.push_back(withdrawn);
  HREG_TRY(now, drawPanel(seed, subject, pool, size, minimumSize, after));
  std::string next;
  for (const std::string& e : now)
    if (std::find(before.begin(), before.end(), e) == before.end()) next = e;
  return next;
}

Result<void> seedBefore(const DrawSeed& seed, std::string_view drawOrigin, std::uint64_t drawIndex) {
  if (seed.origin != drawOrigin)
    return refuse(Reason::DRAW_MISMATCH,
                  fmt::format("the seed is a checkpoint of {}, but the draw is recorded in {}: a draw's seed is a "
                              "checkpoint of the drawing node's own log, made before the draw",
                              seed.origin, drawOrigin));
  if (seed.treeSize > drawIndex)
    return refuse(Reason::DRAW_MISMATCH,
                  fmt::format("the seed, the checkpoint of {} at size {}, did not exist before the draw ({} #{}): "
                              "draw from a checkpoint of size {} or less, made before it",
                              seed.origin, seed.treeSize, drawOrigin, drawIndex, drawIndex));
  return outcome::success();
}

Result<DrawSeed> seedOf(schema::PanelDraw::Reader draw) {
  auto seedRef = draw.getSeed();
  if (seedRef.getRootHash().size() != merkle::Hash{}.size())
    return refuse(Reason::DRAW_MISMATCH, "the draw's seed has no 32-byte root hash");
  DrawSeed seed{seedRef.getOrigin().cStr(), seedRef.getTreeSize(), {}};
  std::copy(seedRef.getRootHash().begin(), seedRef.getRootHash().end(), seed.root.begin());
  return seed;
}

Result<std::vector<std::string>> checkDraw(schema::PanelDraw::Reader draw, std::span<const std::string> pool,
                                           std::size_t minimumSize, std::span<const std::string> recused) {
  if (std::string_view(draw.getMethod().cStr()) != DRAW_METHOD)
    return refuse(Reason::DRAW_MISMATCH, fmt::format("the draw names method '{}'; hreg re-checks {}",
                                                     draw.getMethod().cStr(), DRAW_METHOD));
  HREG_TRY(seed, seedOf(draw));
  const std::vector<Fixed> pools = poolsOf(draw);
  if (auto ok = seedAfter(seed, pools); !ok) return outcome::failure(ok.error());
  std::vector<std::string> subjects, listed;
  for (auto s : draw.getSubjects()) subjects.emplace_back(s.cStr());
  for (auto e : draw.getExperts()) listed.emplace_back(e.cStr());
  const std::string subject = drawSubject(subjects);
  HREG_TRY(drawn, drawPanel(seed, subject, pool, draw.getCount(), minimumSize));
  if (drawn != listed)
    return refuse(Reason::DRAW_MISMATCH, fmt::format("the seed {} #{} gives [{}], the draw lists [{}]", seed.origin,
                                                     seed.treeSize, fmt::join(drawn, ", "), fmt::join(listed, ", ")));
  if (recused.empty()) return drawn;
  return drawPanel(seed, subject, pool, draw.getCount(), minimumSize, recused);
}

}  // namespace hreg::rules
