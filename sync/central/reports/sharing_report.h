#pragma once
// Badge sharing as staff see it (shared/badge_sharing.h finds it): each
// event with its two scans named (id, room, door, time), for the
// transcript's "sharing" key, its PDF's review lines, GET /api/v1/sharing
// and `cmetrack-central sharing --json`.
//
//   load_*_scans (what the engine reads) -> find_badge_sharing per badge
//     -> describe_sharing: scan id and door looked up for the few flagged
//        scans only (the covering index scans_by_badge holds neither)
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/badge_sharing.h"
#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

struct sharing_scan_place {
  std::string id;    // the scan id
  std::string room;  // room id
  std::string door;
  time_ms at = 0;
};

struct sharing_record {
  sharing_scan_place first, second;
  time_ms gap = 0;       // second.at - first.at
  time_ms required = 0;  // what walking from one room to the other takes at least
};

// The events of one badge with their scans' ids and doors.
result<std::vector<sharing_record>> describe_sharing(sqlite::database& db, const meeting& m, std::string_view badge,
                                                     std::span<const sharing_event> events);

// [{"at", "from_room", "to_room", "from_door", "to_door", "gap_seconds",
//   "required_seconds", "from_at", "from_scan", "to_scan"}], oldest first:
// `at` is the second scan's time, `from_at` the first's; seconds are whole
// (the gap rounded down).
nlohmann::ordered_json sharing_json(std::span<const sharing_record> records);

// Every badge with events as of `now`, the newest event first:
// [{"badge", "name" (null: not on the roster yet), "events": [as above]}].
result<nlohmann::ordered_json> sharing_report(sqlite::database& db, const meeting& m, time_ms now);

}  // namespace cmetrack::central
