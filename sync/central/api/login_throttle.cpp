#include "sync/central/api/login_throttle.h"

#include <algorithm>

namespace cmetrack::central {
namespace {

// One key for a user and an address: NUL cannot occur in either.
std::string pair_key(const std::string& user, const std::string& address) { return user + '\0' + address; }

}  // namespace

void login_throttle::forget_old(failures& list, time_ms now) const {
  while (!list.empty() && list.front() <= now - window_ms) list.pop_front();
}

time_ms login_throttle::wait_for(failures& list, int limit, time_ms now) const {
  forget_old(list, now);
  if (static_cast<int>(list.size()) < limit) return 0;
  return list[list.size() - static_cast<std::size_t>(limit)] + window_ms - now;
}

time_ms login_throttle::backoff(failures& list, time_ms now) const {
  forget_old(list, now);
  const auto n = static_cast<int>(list.size());
  if (n <= free_failures_per_address) return 0;
  const int doublings = std::min(n - free_failures_per_address - 1, 30);
  const time_ms wait = std::min(ms_per_second << doublings, longest_backoff_ms);
  return std::max<time_ms>(0, list.back() + wait - now);
}

time_ms login_throttle::wait_ms(const std::string& user, const std::string& address, time_ms now) {
  time_ms wait = 0;
  const auto at_least = [&](time_ms w) { wait = std::max(wait, w); };
  if (auto it = by_pair_.find(pair_key(user, address)); it != by_pair_.end())
    at_least(wait_for(it->second, max_failures_per_user_and_address, now));
  bool address_failed = false;
  if (auto it = by_address_.find(address); it != by_address_.end()) {
    at_least(wait_for(it->second, max_failures_per_address, now));
    at_least(backoff(it->second, now));
    address_failed = !it->second.empty();
  }
  if (auto it = by_user_.find(user); address_failed && it != by_user_.end())
    at_least(wait_for(it->second, max_failures_per_user, now));
  return wait;
}

void login_throttle::failed(const std::string& user, const std::string& address, time_ms at) {
  // A flood of made-up names or addresses must not grow the maps without bound.
  for (auto* map : {&by_pair_, &by_address_, &by_user_})
    if (map->size() > 10'000) map->clear();
  by_pair_[pair_key(user, address)].push_back(at);
  by_address_[address].push_back(at);
  by_user_[user].push_back(at);
}

void login_throttle::succeeded(const std::string& user, const std::string& address, time_ms at) {
  by_pair_.erase(pair_key(user, address));
  for (auto* list : {&by_address_[address], &by_user_[user]})
    if (auto it = std::find(list->rbegin(), list->rend(), at); it != list->rend()) list->erase(std::next(it).base());
}

}  // namespace cmetrack::central
