#pragma once
// Login rate limiting for serve: failed logins are counted per user name and
// per client address over a sliding window; past the limit, logins from
// there (right password or not) wait until the oldest failure leaves the
// window. Guessing a staff password online takes forever; a staff user who
// mistyped five times waits minutes, not hours.
#include <deque>
#include <string>
#include <unordered_map>

#include "shared/time.h"

namespace cmetrack::central {

class login_throttle {
 public:
  static constexpr int max_failures_per_user = 5;
  static constexpr int max_failures_per_address = 20;
  static constexpr time_ms window_ms = 10 * ms_per_minute;

  // Milliseconds to wait before `user` may log in from `address`; 0: now.
  time_ms wait_ms(const std::string& user, const std::string& address, time_ms now);
  void failed(const std::string& user, const std::string& address, time_ms now);
  void succeeded(const std::string& user);

 private:
  time_ms wait_for(std::deque<time_ms>& failures, int limit, time_ms now) const;
  std::unordered_map<std::string, std::deque<time_ms>> by_user_, by_address_;
};

}  // namespace cmetrack::central
