#include "kiosk/ui/local_time.h"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>

namespace cmetrack::kiosk::ui {
namespace {

std::tm local(time_ms t) {
  const std::time_t seconds = static_cast<std::time_t>(t >= 0 ? t / 1000 : (t - 999) / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  return tm;
}

}  // namespace

void use_display_timezone(std::string_view iana_name) {
  if (iana_name.empty()) return;
  setenv("TZ", std::string(iana_name).c_str(), 1);
  tzset();
}

std::string clock_text(time_ms t) {
  const std::tm tm = local(t);
  return fmt::format("{:02}:{:02}", tm.tm_hour, tm.tm_min);
}

std::string clock_seconds_text(time_ms t) {
  const std::tm tm = local(t);
  return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string day_text(time_ms t) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = local(t);
  return fmt::format("{} {} {}", days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12]);
}

long local_day(time_ms t) {
  const std::tm tm = local(t);
  return static_cast<long>(tm.tm_year) * 400 + tm.tm_yday;
}

time_ms next_minute(time_ms t) {
  // Timezones are whole minutes away from UTC, so local minutes start on UTC minutes.
  return (t / ms_per_minute + 1) * ms_per_minute;
}

}  // namespace cmetrack::kiosk::ui
