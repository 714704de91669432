#include "shared/meeting_zone.h"

#include <date/tz.h>

#include <chrono>
#include <exception>

namespace cmetrack {
namespace {

constexpr std::int64_t seconds_per_day = 24 * 60 * 60;

// a / b rounded down (b > 0), so times before 1970 fall in the right second and day.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

}  // namespace

meeting_zone::meeting_zone(std::string_view iana_name) {
  if (iana_name.empty()) return;
  try {
    const date::time_zone* zone = date::locate_zone(iana_name);
    // Reads the zone's file now (once per zone and process), so at() cannot fail later.
    (void)zone->get_info(date::sys_seconds{});
    zone_ = zone;
  } catch (const std::exception&) {
    // No such zone, or no readable database (tzdata not installed): UTC, and known() is false.
  }
}

std::string_view meeting_zone::name() const { return zone_ ? std::string_view(zone_->name()) : "UTC"; }

local_time meeting_zone::at(time_ms t) const {
  const std::int64_t utc_seconds = floor_div(t, ms_per_second);
  local_time out;
  std::int64_t offset = 0;  // seconds east of UTC
  if (zone_) {
    const date::sys_info info = zone_->get_info(date::sys_seconds{std::chrono::seconds{utc_seconds}});
    offset = info.offset.count();
    out.zone_abbreviation = info.abbrev;
  }
  const std::int64_t seconds = utc_seconds + offset;
  const std::int64_t days = floor_div(seconds, seconds_per_day);  // since 1970-01-01, a Thursday
  const std::int64_t in_day = seconds - days * seconds_per_day;

  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(days, year, month, day);
  out.year = static_cast<int>(year);
  out.month = static_cast<int>(month);
  out.day = static_cast<int>(day);
  out.hour = static_cast<int>(in_day / 3600);
  out.minute = static_cast<int>(in_day % 3600 / 60);
  out.second = static_cast<int>(in_day % 60);
  out.weekday = static_cast<int>((days % 7 + 11) % 7);
  out.day_of_year = static_cast<int>(days - days_from_civil(year, 1, 1)) + 1;
  return out;
}

}  // namespace cmetrack
