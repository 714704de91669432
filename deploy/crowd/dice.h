#pragma once
// Seeded dice for the demo meeting and the crowd: one std::mt19937_64,
// reduced with plain integer arithmetic (no std::*_distribution, whose output
// differs across standard libraries), so a seed gives the same meeting and
// the same crowd everywhere.
#include <cstdint>
#include <random>

namespace cmetrack::crowd {

class dice {
 public:
  explicit dice(std::uint64_t seed) : engine_(seed) {}
  // Uniform enough in [0, n): the modulo bias is below n / 2^64.
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool per_mille(int p) { return below(1000) < static_cast<std::uint64_t>(p); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace cmetrack::crowd
