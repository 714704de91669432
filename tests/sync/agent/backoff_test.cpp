// The agent's backoff: 0.5 s up to 30 s, growing, jittered, reset on
// success, the same sequence for the same seed.
#include <catch2/catch.hpp>

#include <set>

#include "sync/agent/backoff.h"

using cmetrack::agent::backoff;
using ms = std::chrono::milliseconds;

TEST_CASE("backoff: the first failure waits the base, and no delay leaves [0.5 s, 30 s]") {
  backoff b(42);
  CHECK(b.next() == ms(500));
  for (int i = 0; i < 200; ++i) {
    const auto d = b.next();
    CHECK(d >= ms(500));
    CHECK(d <= ms(30'000));
  }
}

TEST_CASE("backoff: delays grow towards the cap as failures go on") {
  // Mean of the first few delays against the mean of delays 20-40, over seeds.
  double early = 0, late = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    backoff b(seed);
    for (int i = 1; i <= 40; ++i) {
      const auto d = static_cast<double>(b.next().count());
      if (i <= 3) early += d / 3;
      if (i > 20) late += d / 20;
    }
  }
  early /= 50;
  late /= 50;
  INFO("mean of delays 1-3: " << early << " ms; of delays 21-40: " << late << " ms");
  CHECK(early < 2'000);
  CHECK(late > 5'000);
  CHECK(late > 4 * early);
}

TEST_CASE("backoff: the jitter spreads kiosks that failed together") {
  std::set<std::int64_t> fifth;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    backoff b(seed);
    for (int i = 0; i < 4; ++i) b.next();
    fifth.insert(b.next().count());
  }
  CHECK(fifth.size() >= 15);  // 20 kiosks, nearly all waiting different times
}

TEST_CASE("backoff: reset after a success starts again from the base") {
  backoff b(3);
  for (int i = 0; i < 10; ++i) b.next();
  CHECK(b.failures() == 10);
  b.reset();
  CHECK(b.failures() == 0);
  CHECK(b.next() == ms(500));
}

TEST_CASE("backoff: the same seed gives the same delays") {
  backoff a(99), b(99), c(100);
  bool differs = false;
  for (int i = 0; i < 30; ++i) {
    const auto x = a.next();
    CHECK(x == b.next());
    differs = differs || x != c.next();
  }
  CHECK(differs);
}

TEST_CASE("backoff: a smaller cap (--max-backoff-ms) bounds every delay and the longest") {
  backoff b(5, ms(500), ms(2'000));
  for (int i = 0; i < 50; ++i) CHECK(b.next() <= ms(2'000));
  CHECK(b.longest() == ms(2'000));
  backoff tiny(5, ms(500), ms(100));
  CHECK(tiny.next() == ms(100));
  CHECK(tiny.next() == ms(100));
}
