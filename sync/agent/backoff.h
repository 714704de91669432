#pragma once
// How long to wait before the next attempt after a failure: exponential
// backoff with "decorrelated jitter" (each delay drawn uniformly between the
// base and three times the previous one, capped), so that a room full of
// kiosks coming back after an outage does not knock on the central node in
// step. Reset on success. The random generator is seeded by the caller, so
// tests can replay a sequence.
#include <chrono>
#include <cstdint>
#include <random>

namespace cmetrack::agent {

class backoff {
 public:
  using duration = std::chrono::milliseconds;

  // base 0.5 s, cap 30 s by default; a cap below the base lowers the base.
  explicit backoff(std::uint64_t seed, duration base = duration(500), duration cap = duration(30'000));

  // The delay before the next attempt after one more failure.
  duration next();
  // The longest delay, for failures that waiting will not fix soon (a
  // refused token): retry, but rarely.
  duration longest() const { return cap_; }
  // After a success: the next failure waits about `base` again.
  void reset() { previous_ = duration(0); failures_ = 0; }

  int failures() const { return failures_; }
  duration base() const { return base_; }

 private:
  duration base_, cap_;
  duration previous_{0};
  int failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace cmetrack::agent
