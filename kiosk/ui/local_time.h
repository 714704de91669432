#pragma once
// Times on the kiosk's screens are the meeting's wall-clock time (the
// meeting's timezone from the cached meeting), whatever the machine's
// timezone. The zone is held here (shared/meeting_zone.h), not in TZ: any
// thread may format times, and nothing else in the process changes.
#include <string>
#include <string_view>

#include "shared/time.h"

namespace cmetrack::kiosk::ui {

// Shows times in the zone `iana_name` (e.g. "America/New_York") from now
// on. Until then, and where the name is empty or not in the system's time
// zone database, times are UTC. Returns whether the zone was found.
bool use_display_timezone(std::string_view iana_name);

// "09:03".
std::string clock_text(time_ms t);
// "09:03:12".
std::string clock_seconds_text(time_ms t);
// "Fri 24 Apr".
std::string day_text(time_ms t);
// A number that differs from day to day (local date), to tell "today".
long local_day(time_ms t);
// The start of the next local minute after t.
time_ms next_minute(time_ms t);

}  // namespace cmetrack::kiosk::ui
