#include "sync/agent/backoff.h"

#include <algorithm>

namespace cmetrack::agent {

backoff::backoff(std::uint64_t seed, duration base, duration cap)
    : base_(std::min(base, cap)), cap_(cap), rng_(seed) {}

backoff::duration backoff::next() {
  ++failures_;
  // The first failure waits the base; then uniform in [base, 3 * previous].
  const auto low = base_.count();
  const auto high = std::max(low, std::min(cap_.count(), 3 * std::max(previous_.count(), low)));
  previous_ = failures_ == 1 ? base_ : duration(std::uniform_int_distribution<std::int64_t>(low, high)(rng_));
  return previous_;
}

}  // namespace cmetrack::agent
