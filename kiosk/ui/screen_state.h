#pragma once
// Which screen the kiosk shows, and the timers that change it: pure state,
// driven by the UI's actions and the time, tested without a window.
//
//   idle --scan--> result (3 s) --> back where it came from (idle or staff)
//   idle --Staff--> pin --right PIN--> staff --Leave / 2 min untouched--> idle
//                   pin --Cancel / 30 s untouched / 5 wrong: locked 60 s--> idle
//   staff --keypad + Record--> a manual scan (source "manual") --> result --> staff
#include <optional>
#include <string>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/ui/view_model.h"

namespace cmetrack::kiosk::ui {

enum class screen { idle, result, pin, staff };

// What a touch on a screen asks for.
struct screen_action {
  enum kind { none, open_staff, digit, back, ok, cancel, set_mode, follow_config_mode, leave_staff } what = none;
  char key = 0;                           // digit
  kiosk_mode mode = kiosk_mode::automatic;  // set_mode
};

// What the app must do for an action (the state here cannot record scans).
struct screen_effect {
  enum kind { none, record_manual, set_mode, follow_config_mode } what = none;
  std::string payload;                    // record_manual
  kiosk_mode mode = kiosk_mode::automatic;  // set_mode
};

class screen_state {
 public:
  static constexpr time_ms pin_timeout_ms = 30 * ms_per_second;
  static constexpr time_ms staff_timeout_ms = 120 * ms_per_second;
  static constexpr int wrong_pin_limit = 5;
  static constexpr time_ms pin_lockout_ms = 60 * ms_per_second;
  static constexpr std::size_t max_pin_digits = 8;
  static constexpr std::size_t max_badge_digits = 20;

  screen current() const { return screen_; }
  const result_view& result() const { return result_; }
  // Digits typed on the keypad (the PIN screen shows them as dots).
  const std::string& keypad() const { return keypad_; }
  // A line for the PIN or staff screen: "Wrong PIN", "Staff mode is disabled ...".
  const std::string& message() const { return message_; }
  bool pin_locked(time_ms now) const { return now < locked_until_; }

  // Screenshot mode: a result stays until the next scan or touch instead
  // of 3 s, so a capture N frames later shows it however slow the frames.
  void hold_results(bool hold) { hold_results_ = hold; }

  // A scan was recorded (or failed): its result, for 3 s.
  void show_result(result_view view, time_ms now);
  screen_effect apply(const screen_action& action, const kiosk_config& config, time_ms now);
  // Applies the timers due at `now`; true where the screen changed.
  bool tick(time_ms now);
  // When tick() next has something to do.
  std::optional<time_ms> next_due() const;

 private:
  void go(screen s, time_ms now);

  screen screen_ = screen::idle;
  screen after_result_ = screen::idle;
  result_view result_;
  time_ms result_until_ = 0;
  time_ms last_touch_ = 0;
  std::string keypad_;
  std::string message_;
  int wrong_pins_ = 0;
  time_ms locked_until_ = 0;
  bool hold_results_ = false;
};

}  // namespace cmetrack::kiosk::ui
