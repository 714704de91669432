#include "kiosk/ui/local_time.h"

#include <fmt/format.h>

#include <atomic>

#include "shared/meeting_zone.h"

namespace cmetrack::kiosk::ui {
namespace {

std::atomic<meeting_zone> display_zone;  // UTC until use_display_timezone

local_time local(time_ms t) { return display_zone.load().at(t); }

}  // namespace

bool use_display_timezone(std::string_view iana_name) {
  const meeting_zone zone(iana_name);
  display_zone.store(zone);
  return zone.known();
}

std::string clock_text(time_ms t) {
  const local_time l = local(t);
  return fmt::format("{:02}:{:02}", l.hour, l.minute);
}

std::string clock_seconds_text(time_ms t) {
  const local_time l = local(t);
  return fmt::format("{:02}:{:02}:{:02}", l.hour, l.minute, l.second);
}

std::string day_text(time_ms t) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const local_time l = local(t);
  return fmt::format("{} {} {}", days[l.weekday], l.day, months[l.month - 1]);
}

long local_day(time_ms t) {
  const local_time l = local(t);
  return static_cast<long>(l.year) * 400 + l.day_of_year;
}

time_ms next_minute(time_ms t) {
  // Timezones are whole minutes away from UTC, so local minutes start on UTC minutes.
  return (t / ms_per_minute + 1) * ms_per_minute;
}

}  // namespace cmetrack::kiosk::ui
