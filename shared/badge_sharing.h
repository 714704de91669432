#pragma once
// Badge sharing: one badge scanned in two rooms closer in time than anyone
// walks between them (the meeting file's "badge_sharing"). Such scans are
// flagged for staff, never dropped: credit is computed exactly as without
// the check; the events only say what to look at.
//
//   one badge's scans (those the engine reads: no voided scans, no unknown
//   rooms) --processing order--> each two consecutive scans in DIFFERENT
//   rooms A, B --> gap < required(A, B) ? event
//
//   required(A, B) = max(min_seconds_between_rooms, walk seconds of {A, B})
//
// A gap exactly at the bound is no event (gap < required flags). Scans the
// engine's debounce ignores are kept here: they only ever repeat a room,
// and the later of two is the better evidence of where the badge was.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/scan.h"

namespace cmetrack {

// Two consecutive scans of one badge in different rooms, too close in time.
struct sharing_event {
  scan first;            // `kiosk` points where the scans' kiosk ids live
  scan second;
  time_ms gap = 0;       // second.at - first.at
  time_ms required = 0;  // required_between(first.room, second.room)
};

// The least time between a scan in room_a and one in room_b (either order);
// 0 for one room, or where nothing is required.
time_ms required_between(const sharing_rules& rules, int room_a, int room_b);

// Sorts `scans` (one badge's) into processing order, as attend() does, and
// returns the events among those at or before `now`, oldest first. Nothing
// where the meeting's rules are off.
std::vector<sharing_event> find_badge_sharing(const meeting& m, std::span<scan> scans, time_ms now);

// The meeting file's "badge_sharing" object, as JSON text, read against the
// rooms of `m` (rooms must be read; sessions need not be indexed):
//   {"min_seconds_between_rooms": 60,
//    "walk_seconds": [{"from": "A", "to": "F", "seconds": 300}]}
// Both keys optional; seconds are whole numbers from 1 to 86,400; a walk
// joins two different rooms of the meeting, once (it holds both ways).
// A fault is bad_input naming the field ("badge_sharing.walk_seconds[1].to:
// no room \"Z\" ..."); unknown fields add a warning each.
result<sharing_rules> parse_badge_sharing(std::string_view json_text, const meeting& m,
                                          std::vector<std::string>& warnings);

// The rules as that object again (room ids), what central.db keeps; empty
// where the rules are off.
std::string badge_sharing_json(const meeting& m);

}  // namespace cmetrack
