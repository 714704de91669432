#pragma once
// Login rate limiting for serve: slows a password guesser without locking
// the rightful user out. Failed logins are counted over a sliding window of
// 10 minutes, three ways:
//
//   per user and address together  5 failures: that user from that address waits
//   per address                    from the 3rd failure on, each try waits
//                                  1 s, 2 s, 4 s ... (at most 5 min) after the
//                                  last failure; 20 failures: the address waits
//   per user, any address          10 failures: every address that has failed
//                                  (for anyone) waits; an address without
//                                  failures is let through
//
// So a guesser on the meeting's network locks out only itself, and the desk
// logs in from its own machine with the right password whatever the guesser
// does. deploy/SECURITY.md says what this trades.
#include <deque>
#include <string>
#include <unordered_map>

#include "shared/time.h"

namespace cmetrack::central {

class login_throttle {
 public:
  static constexpr int max_failures_per_user_and_address = 5;
  static constexpr int max_failures_per_address = 20;
  static constexpr int max_failures_per_user = 10;
  static constexpr int free_failures_per_address = 2;  // before the backoff starts
  static constexpr time_ms longest_backoff_ms = 5 * ms_per_minute;
  static constexpr time_ms window_ms = 10 * ms_per_minute;

  // Milliseconds to wait before `user` may log in from `address`; 0: now.
  time_ms wait_ms(const std::string& user, const std::string& address, time_ms now);
  // A failure, counted from `at`. serve counts each attempt as one when it
  // starts (so that guesses sent at once, before any is checked, are held
  // like guesses one after another) and takes it back on the right password.
  void failed(const std::string& user, const std::string& address, time_ms at);
  // The right password, for the attempt counted at `at`: that attempt is
  // taken back, and that user's failures from that address are forgotten.
  void succeeded(const std::string& user, const std::string& address, time_ms at);

 private:
  using failures = std::deque<time_ms>;
  // The wait `list` imposes once it holds `limit` failures in the window.
  time_ms wait_for(failures& list, int limit, time_ms now) const;
  // The address's backoff after its last failure.
  time_ms backoff(failures& list, time_ms now) const;
  void forget_old(failures& list, time_ms now) const;
  std::unordered_map<std::string, failures> by_pair_, by_address_, by_user_;
};

}  // namespace cmetrack::central
