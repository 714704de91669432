#include "kiosk/ui/screen_state.h"

#include <fmt/format.h>

#include "kiosk/ui/local_time.h"

namespace cmetrack::kiosk::ui {

void screen_state::go(screen s, time_ms now) {
  screen_ = s;
  last_touch_ = now;
  keypad_.clear();
  if (s != screen::pin) message_.clear();
}

void screen_state::show_result(result_view view, time_ms now) {
  if (screen_ != screen::result) after_result_ = screen_ == screen::staff ? screen::staff : screen::idle;
  result_ = std::move(view);
  result_until_ = now + result_display_ms;
  screen_ = screen::result;
  keypad_.clear();
}

screen_effect screen_state::apply(const screen_action& a, const kiosk_config& config, time_ms now) {
  last_touch_ = now;
  screen_effect effect;
  switch (screen_) {
    case screen::idle:
      if (a.what == screen_action::open_staff) {
        go(screen::pin, now);
        message_ = !config.staff_pin ? "Staff mode is disabled: kiosk.json has no \"staff_pin\""
                   : pin_locked(now) ? fmt::format("Too many wrong PINs: locked until {}", clock_seconds_text(locked_until_))
                                     : "";
      }
      break;
    case screen::result:
      if (a.what != screen_action::none) {
        // A touch on a result dismisses it (and, held in screenshot mode, only a touch does).
        screen_ = after_result_;
        if (a.what == screen_action::open_staff && screen_ == screen::idle) return apply(a, config, now);
      }
      break;
    case screen::pin:
      if (a.what == screen_action::cancel) {
        go(screen::idle, now);
      } else if (!config.staff_pin || pin_locked(now)) {
        break;
      } else if (a.what == screen_action::digit && keypad_.size() < max_pin_digits) {
        keypad_ += a.key;
        message_.clear();
      } else if (a.what == screen_action::back && !keypad_.empty()) {
        keypad_.pop_back();
      } else if (a.what == screen_action::ok) {
        if (staff_pin_matches(config, keypad_)) {
          wrong_pins_ = 0;
          go(screen::staff, now);
        } else {
          keypad_.clear();
          if (++wrong_pins_ >= wrong_pin_limit) {
            wrong_pins_ = 0;
            locked_until_ = now + pin_lockout_ms;
            message_ = fmt::format("Too many wrong PINs: locked until {}", clock_seconds_text(locked_until_));
          } else {
            message_ = "Wrong PIN - try again";
          }
        }
      }
      break;
    case screen::staff:
      if (a.what == screen_action::leave_staff) {
        go(screen::idle, now);
      } else if (a.what == screen_action::digit && keypad_.size() < max_badge_digits) {
        keypad_ += a.key;
      } else if (a.what == screen_action::back && !keypad_.empty()) {
        keypad_.pop_back();
      } else if (a.what == screen_action::ok && !keypad_.empty()) {
        effect.what = screen_effect::record_manual;
        effect.payload = std::exchange(keypad_, {});
      } else if (a.what == screen_action::set_mode) {
        effect.what = screen_effect::set_mode;
        effect.mode = a.mode;
      } else if (a.what == screen_action::follow_config_mode) {
        effect.what = screen_effect::follow_config_mode;
      }
      break;
  }
  return effect;
}

bool screen_state::tick(time_ms now) {
  if (screen_ == screen::result && !hold_results_ && now >= result_until_) {
    screen_ = after_result_;
    if (screen_ == screen::staff) last_touch_ = now;  // the result's 3 s are not staff idling
    return true;
  }
  if (screen_ == screen::pin && now - last_touch_ >= pin_timeout_ms) {
    go(screen::idle, now);
    return true;
  }
  if (screen_ == screen::staff && now - last_touch_ >= staff_timeout_ms) {
    go(screen::idle, now);
    return true;
  }
  if (locked_until_ != 0 && now >= locked_until_) {
    locked_until_ = 0;
    if (screen_ != screen::pin) return false;
    message_.clear();
    return true;
  }
  return false;
}

std::optional<time_ms> screen_state::next_due() const {
  switch (screen_) {
    case screen::idle: return std::nullopt;
    case screen::result: return hold_results_ ? std::nullopt : std::optional<time_ms>(result_until_);
    case screen::pin: {
      time_ms due = last_touch_ + pin_timeout_ms;
      if (locked_until_ != 0 && locked_until_ < due) due = locked_until_;
      return due;
    }
    case screen::staff: return last_touch_ + staff_timeout_ms;
  }
  return std::nullopt;
}

}  // namespace cmetrack::kiosk::ui
