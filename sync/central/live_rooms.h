#pragma once
// The dashboard's live picture, kept by serve between requests: each room's
// present count, each session's attendees so far, and what changed.
//
//   start / another process's commit ──> rebuild (every badge)
//   a batch, a correction ─────────────> refresh (its badges only)
//   every few seconds ─────────────────> refresh of the badges in a room
//                                        (an open stay ends with time alone)
//
// A badge's state comes from the same engine as transcripts and `rooms
// --json` (attend, credit), over the same scans (load_badge_scans), so the
// dashboard and the desk never disagree.
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

class live_rooms {
 public:
  // Every badge from central.db, as of `now`.
  result<void> rebuild(sqlite::database& db, const meeting& m, time_ms now);
  // The badges given, from central.db, as of `now`.
  result<void> refresh(sqlite::database& db, const meeting& m, const std::set<std::string>& badges, time_ms now);
  // The badges in a room now: their stays may have ended since.
  result<void> refresh_present(sqlite::database& db, const meeting& m, time_ms now);

  bool built() const { return built_; }
  void drop() { built_ = false; }

  // A room as GET /api/v1/rooms shows it (docs/staff-api.md).
  nlohmann::ordered_json room_json(const meeting& m, int room, time_ms now) const;
  nlohmann::ordered_json rooms_json(const meeting& m, time_ms now) const;
  int present(int room) const { return present_[static_cast<std::size_t>(room)]; }
  int attendees(int session) const { return attendees_[static_cast<std::size_t>(session)]; }

 private:
  struct badge_state {
    int room = -1;               // where the badge has an open stay, or -1
    std::vector<int> sessions;   // sessions attended so far (attended_seconds > 0)
  };
  void apply(const std::string& badge, badge_state next);

  bool built_ = false;
  std::unordered_map<std::string, badge_state> badges_;
  std::vector<int> present_;    // by room
  std::vector<int> attendees_;  // by session
};

}  // namespace cmetrack::central
