#pragma once
// Times on the kiosk's screens are the meeting's wall-clock time (the
// meeting's timezone from the cached meeting), whatever the machine's
// timezone. POSIX: TZ is set once on the UI thread, before any other thread
// starts, and localtime_r does the rest.
#include <string>
#include <string_view>

#include "shared/time.h"

namespace cmetrack::kiosk::ui {

// Sets TZ to `iana_name` (e.g. "America/New_York"); an empty name leaves
// the machine's timezone. Call before other threads start.
void use_display_timezone(std::string_view iana_name);

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
