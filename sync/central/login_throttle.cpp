#include "sync/central/login_throttle.h"

namespace cmetrack::central {

time_ms login_throttle::wait_for(std::deque<time_ms>& failures, int limit, time_ms now) const {
  while (!failures.empty() && failures.front() <= now - window_ms) failures.pop_front();
  if (static_cast<int>(failures.size()) < limit) return 0;
  return failures[failures.size() - static_cast<std::size_t>(limit)] + window_ms - now;
}

time_ms login_throttle::wait_ms(const std::string& user, const std::string& address, time_ms now) {
  time_ms wait = 0;
  if (auto it = by_user_.find(user); it != by_user_.end()) wait = wait_for(it->second, max_failures_per_user, now);
  if (auto it = by_address_.find(address); it != by_address_.end()) {
    const auto w = wait_for(it->second, max_failures_per_address, now);
    if (w > wait) wait = w;
  }
  return wait;
}

void login_throttle::failed(const std::string& user, const std::string& address, time_ms now) {
  // A flood of made-up names must not grow the maps without bound.
  if (by_user_.size() > 10'000) by_user_.clear();
  if (by_address_.size() > 10'000) by_address_.clear();
  by_user_[user].push_back(now);
  by_address_[address].push_back(now);
}

void login_throttle::succeeded(const std::string& user) { by_user_.erase(user); }

}  // namespace cmetrack::central
