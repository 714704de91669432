#pragma once
// Scans -> stays: rules 1-6 of docs/rules.md ("From scans to stays"), for one
// attendee.
//
//   scans (any order) --sort--> debounce (1) --> stale stay (2) --> auto (3)
//        --> in (4) / out (5) --> after the last scan (6) --> stays + flags
#include <span>
#include <vector>

#include "shared/flags.h"
#include "shared/meeting.h"
#include "shared/scan.h"

namespace cmetrack {

struct stay {
  int room = -1;
  time_ms start = 0;
  time_ms end = 0;         // for an open stay: the earlier of now and its block bound
  int session = -1;        // the session the stay belongs to, or -1 (it earns nothing)
  bool missing_exit = false;
  bool open = false;       // still open at `now`: in the room, flag in_progress
  bool exited = false;     // closed by an exit scan at its room (rule 5, or rule 2's exit grace)
  friend bool operator==(const stay&, const stay&) = default;
};

struct attendance {
  std::vector<stay> stays;  // in the order they opened
  flag_set flags;
};

// Sorts `scans` into processing order and applies the rules. Scans later than
// `now` are not yet seen.
attendance attend(const meeting& m, std::span<scan> scans, time_ms now);

}  // namespace cmetrack
