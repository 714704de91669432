#pragma once
// Seeded random meetings and scan sets for the property tests: the same seed
// gives the same meeting and scans on every machine (integer arithmetic on
// std::mt19937_64's output only).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "shared/meeting.h"
#include "shared/scan.h"

namespace cmetrack::test {

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return between(1, 100) <= percent; }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
};

// 1-4 rooms, 1-6 sessions each over one day, gaps of 0-90 min (some blocks,
// some not), breaks, patient safety, random rules (arrival window and exit
// grace 0-240 min among them) and a small maximum so the
// cap is reached now and then.
meeting random_meeting(random_source& r);

// One attendee's scans: 0-30, clustered around session starts, any direction,
// double scans, several kiosks; with ids that are unique.
std::vector<scan> random_scans(random_source& r, const meeting& m);

}  // namespace cmetrack::test
