#pragma once
// The demo meeting, written relative to a start time: 4 rooms, 2 days, 40
// sessions (a morning block of three, lunch, an afternoon block of two, in
// each room each day) with coffee breaks, patient-safety credit and one
// non-CME industry session a day, and 300 attendees with degree, email, NPI,
// licence, board and birthday. Day 2 starts 24 hours after day 1. The file
// is the meeting file of docs/formats.md ("Meeting file"); times carry the UTC
// offset of `timezone` at that instant (the process's local time zone).
#include <cstdint>
#include <string>

#include "shared/error.h"
#include "shared/time.h"

namespace cmetrack::crowd {

struct demo_meeting_options {
  time_ms first_session = 0;  // day 1's first session starts here (UTC ms)
  std::string timezone;       // the IANA name written into the file
  int attendees = 300;
  std::uint64_t seed = 26;
  std::string meeting_id = "DEMO";
  std::string badge_prefix = "DEMO-";
};

// The meeting file's text.
std::string demo_meeting_json(const demo_meeting_options& o);

// now - 3 h, rounded down to a quarter hour: day 1 has sessions behind,
// running and ahead.
time_ms default_first_session(time_ms now);

// The machine's time zone name: $TZ, /etc/timezone, the /etc/localtime
// link, else "UTC".
std::string local_timezone_name();

}  // namespace cmetrack::crowd
