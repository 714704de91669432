#include "kiosk/camera/code_regions.h"

#include <algorithm>
#include <cstdint>

namespace cmetrack::kiosk {
namespace {

constexpr int block = 16;
// Variance above 45^2: a block half dark and half light modules has a
// standard deviation near half the contrast; uniform noise of +-50 grey
// levels has about 29.
constexpr std::int64_t busy_variance = 45 * 45;

struct box {
  int x0, y0, x1, y1;  // blocks, inclusive
  int blocks;
};

}  // namespace

std::vector<region> code_regions(const frame& f, int max_regions, int margin) {
  std::vector<region> out;
  if (f.empty() || max_regions <= 0) return out;
  const int bw = f.width / block, bh = f.height / block;
  if (bw <= 0 || bh <= 0) return out;
  const auto at = [&](int bx, int by) { return static_cast<std::size_t>(by * bw + bx); };

  std::vector<std::uint8_t> busy(static_cast<std::size_t>(bw * bh), 0);
  for (int by = 0; by < bh; ++by)
    for (int bx = 0; bx < bw; ++bx) {
      std::int64_t sum = 0, sum2 = 0;
      for (int y = by * block; y < (by + 1) * block; ++y) {
        const std::uint8_t* row = f.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(f.width);
        for (int x = bx * block; x < (bx + 1) * block; ++x) {
          const std::int64_t v = row[x];
          sum += v;
          sum2 += v * v;
        }
      }
      constexpr std::int64_t n = block * block;
      if (n * sum2 - sum * sum > busy_variance * n * n) busy[at(bx, by)] = 1;
    }

  // Connected groups of busy blocks (4-neighbours), by flood fill.
  std::vector<box> boxes;
  std::vector<std::pair<int, int>> stack;
  for (int by = 0; by < bh; ++by)
    for (int bx = 0; bx < bw; ++bx) {
      if (busy[at(bx, by)] != 1) continue;
      box b{bx, by, bx, by, 0};
      busy[at(bx, by)] = 2;
      stack.assign(1, {bx, by});
      while (!stack.empty()) {
        const auto [x, y] = stack.back();
        stack.pop_back();
        ++b.blocks;
        b.x0 = std::min(b.x0, x), b.x1 = std::max(b.x1, x), b.y0 = std::min(b.y0, y), b.y1 = std::max(b.y1, y);
        const std::pair<int, int> next[] = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
        for (const auto& [nx, ny] : next)
          if (nx >= 0 && ny >= 0 && nx < bw && ny < bh && busy[at(nx, ny)] == 1) {
            busy[at(nx, ny)] = 2;
            stack.push_back({nx, ny});
          }
      }
      if (b.blocks >= 2) boxes.push_back(b);
    }
  std::sort(boxes.begin(), boxes.end(), [](const box& a, const box& b) { return a.blocks > b.blocks; });
  if (boxes.size() > static_cast<std::size_t>(max_regions)) boxes.resize(static_cast<std::size_t>(max_regions));

  for (const auto& b : boxes) {
    const int left = b.x0 * block, top = b.y0 * block;
    const int right = (b.x1 + 1) * block, bottom = (b.y1 + 1) * block;
    const int cx = (left + right) / 2, cy = (top + bottom) / 2;
    const int hx = std::min({(right - left) / 2 + margin, cx, f.width - cx});
    const int hy = std::min({(bottom - top) / 2 + margin, cy, f.height - cy});
    if (hx > 0 && hy > 0) out.push_back({cx - hx, cy - hy, 2 * hx, 2 * hy});
  }
  return out;
}

}  // namespace cmetrack::kiosk
