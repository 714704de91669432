#include "sync/central/print/meeting_clock.h"

#include <fmt/format.h>

#include <algorithm>

namespace cmetrack::central {
namespace {

constexpr const char* days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char* short_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
constexpr const char* short_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string meeting_clock::day(time_ms t) const {
  const local_time l = zone_.at(t);
  return fmt::format("{} {} {}", short_days[l.weekday], l.day, short_months[l.month - 1]);
}

std::string meeting_clock::long_day(time_ms t) const {
  const local_time l = zone_.at(t);
  return fmt::format("{} {} {} {}", days[l.weekday], l.day, months[l.month - 1], l.year);
}

std::string meeting_clock::clock(time_ms t) const {
  const local_time l = zone_.at(t);
  return fmt::format("{:02}:{:02}", l.hour, l.minute);
}

std::string meeting_clock::clock_seconds(time_ms t) const {
  const local_time l = zone_.at(t);
  return fmt::format("{:02}:{:02}:{:02}", l.hour, l.minute, l.second);
}

std::string meeting_clock::stamp(time_ms t) const {
  const local_time l = zone_.at(t);
  return fmt::format("{} {} {} {:02}:{:02} {}", l.day, short_months[l.month - 1], l.year, l.hour, l.minute,
                     l.zone_abbreviation);
}

std::string meeting_clock::us_date(time_ms t) const {
  const local_time l = zone_.at(t);
  return fmt::format("{} {}, {}", months[l.month - 1], l.day, l.year);
}

std::string meeting_clock::us_date_range(time_ms first, time_ms last) const {
  const local_time a = zone_.at(first), b = zone_.at(last);
  if (a.year != b.year) return fmt::format("{} - {}", us_date(first), us_date(last));
  if (a.month != b.month)
    return fmt::format("{} {} - {} {}, {}", months[a.month - 1], a.day, months[b.month - 1], b.day, a.year);
  if (a.day != b.day) return fmt::format("{} {}-{}, {}", months[a.month - 1], a.day, b.day, a.year);
  return us_date(first);
}

}  // namespace cmetrack::central
