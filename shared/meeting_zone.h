#pragma once
// The meeting's wall clock: an instant (time_ms, UTC) as the date and time
// on the clocks of the meeting's time zone, named as in the meeting file
// ("America/New_York"). The zones come from the system's time zone database
// (/usr/share/zoneinfo, Debian's tzdata) through H. Hinnant's date/tz
// library; neither TZ nor the C library's local time is read or changed, so
// any thread may convert at any time. A meeting_zone is a pointer into that
// database: copy it and share it freely.
//
// The database's files list each zone's changes up to 2037; past them the
// last offset holds (a zone with daylight saving time stays on standard time).
#include <string>
#include <string_view>

#include "shared/time.h"

namespace date {
class time_zone;
}

namespace cmetrack {

// The date and time as the meeting's clocks and calendars show them.
struct local_time {
  int year = 1970;
  int month = 1;        // 1 = January
  int day = 1;          // of the month, from 1
  int hour = 0;         // 0-23
  int minute = 0;       // 0-59
  int second = 0;       // 0-59
  int weekday = 4;      // 0 = Sunday
  int day_of_year = 1;  // 1 = 1 January
  std::string zone_abbreviation = "UTC";  // "EDT", "CET", "IST", "+0530"...
};

class meeting_zone {
 public:
  // UTC.
  meeting_zone() = default;
  // The zone named `iana_name`. Where the name is empty, or the system's
  // database has no such zone (or there is no database), the clock is UTC
  // and known() says so.
  explicit meeting_zone(std::string_view iana_name);

  // Whether the zone named was found; false for UTC by default.
  bool known() const { return zone_ != nullptr; }
  // The zone's name as the database spells it, or "UTC" where not known.
  std::string_view name() const;

  // The meeting's date and time at `t`, any time_ms (milliseconds are
  // dropped: 09:05:59.999 is 09:05:59; before 1970 too).
  local_time at(time_ms t) const;

 private:
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC
};

}  // namespace cmetrack
