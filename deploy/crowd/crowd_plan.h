#pragma once
// The crowd of a meeting: every scan its attendees make at the rooms'
// kiosks over the meeting's days, seeded. Arrivals bunch before a session's
// start, some come late; some stay on for the room's next session, some
// leave early; room changes mid-session (no exit scan: the next room's entry
// closes the stay), stepping out and back in, forgotten exits (~15%), double
// scans within the debounce, payloads without the badge prefix (keyed in),
// a few misread payloads that fail the badge pattern, and a few people not
// on the roster (registered on site). The roster's first attendee, the
// guide, attends every session of the first room from start to end with
// entry and exit scans, so a transcript with credit is known in advance.
#include <cstdint>
#include <string>
#include <vector>

#include "shared/meeting.h"

namespace cmetrack::crowd {

struct planned_scan {
  time_ms at = 0;
  int kiosk = 0;  // index into the kiosk rooms given to plan_crowd
  std::string payload;
};

struct crowd_options {
  std::uint64_t seed = 26;
  std::string badge_prefix = "DEMO-";
  int walk_ins = 3;  // people who scan but are not on the roster
};

// kiosk_rooms[k]: the room index (into m.rooms) of kiosk k; a room may have
// none (nobody is planned into it). The scans come back sorted by time.
std::vector<planned_scan> plan_crowd(const meeting& m, const std::vector<int>& kiosk_rooms, const crowd_options& o);

}  // namespace cmetrack::crowd
