#pragma once
// The dashboard's live picture, kept by serve between requests: each room's
// present count, each session's attendees so far, and what changed. It is
// built once and then kept up to date by parts, each small enough not to hold
// up serve's thread:
//
//   start, or another process changes the meeting ──> rebuild (every badge;
//                                        serve runs it on a worker thread)
//   a batch, a correction ─────────────> refresh (its badges only)
//   another process stores scans ──────> take_new_scans queues their badges
//                                        (the scans' rowids above the mark)
//   the clock ─────────────────────────> each badge with an open stay is due
//                                        again at the next instant its state
//                                        can change with time alone (a
//                                        session starts, a stay's exit grace
//                                        runs out); catch_up refreshes what
//                                        is queued and due, a slice at a time
//
// A badge's state comes from the same engine as transcripts and `rooms
// --json` (attend, credit), over the same scans (load_badge_scans), so the
// dashboard and the desk never disagree.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/scan.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

class live_rooms {
 public:
  // Every badge from central.db, as of `now`, for meeting `m`; the scans and
  // the mark of the last one read in one read transaction.
  result<void> rebuild(sqlite::database& db, std::shared_ptr<const meeting> m, time_ms now);
  // The badges given, from central.db, as of `now`.
  result<void> refresh(sqlite::database& db, const std::set<std::string>& badges, time_ms now);
  // Scans stored since the picture last looked: their badges are queued for
  // catch_up, or, where the caller has just refreshed them itself (serve's
  // own batch, with no other process's commit in between), only counted.
  result<void> take_new_scans(sqlite::database& db, bool refreshed_already);
  // Refreshes up to `limit` badges that are queued or due by `now`. Returns
  // whether more remain.
  result<bool> catch_up(sqlite::database& db, time_ms now, std::size_t limit);
  bool built() const { return meeting_ != nullptr; }
  // Whether `m` differs from the picture's meeting in anything the picture
  // shows or counts by (rooms, sessions, rules): then it is rebuilt.
  bool needs_rebuild_for(const meeting& m) const;
  // The meeting the picture was built for.
  const std::shared_ptr<const meeting>& meeting_rows() const { return meeting_; }
  std::int64_t scans_stored() const { return scans_stored_; }
  std::size_t waiting() const { return queued_.size(); }
  // The earliest time a badge is due, or the largest time_ms.
  time_ms next_due() const { return due_.empty() ? std::numeric_limits<time_ms>::max() : due_.begin()->first; }

  // A room as GET /api/v1/rooms shows it (docs/staff-api.md).
  nlohmann::ordered_json room_json(int room, time_ms now) const;
  nlohmann::ordered_json rooms_json(time_ms now) const;
  int present(int room) const { return present_[static_cast<std::size_t>(room)]; }
  int attendees(int session) const { return attendees_[static_cast<std::size_t>(session)]; }
  // The rooms whose present count, or a session's attendees, changed since
  // the last call (all of them after a rebuild), in order; then forgets them.
  std::vector<int> take_changed_rooms();

  // Badge by badge, for comparing two pictures in tests: open stay's room
  // (-1: none) and sessions attended so far.
  std::vector<std::pair<std::string, std::pair<int, std::vector<int>>>> badges() const;

 private:
  struct badge_state {
    int room = -1;              // where the badge has an open stay, or -1
    std::vector<int> sessions;  // sessions attended so far (attended_seconds > 0)
    time_ms due = std::numeric_limits<time_ms>::max();  // when time alone may change the above
  };
  badge_state state_of(std::span<scan> scans, time_ms now) const;
  void apply(const std::string& badge, badge_state next);
  result<void> refresh_one(sqlite::database& db, const std::string& badge, time_ms now);

  std::shared_ptr<const meeting> meeting_;
  std::vector<std::vector<time_ms>> instants_;  // by room: when a session, break or block starts or ends, sorted
  std::unordered_map<std::string, badge_state> badges_;
  std::set<std::pair<time_ms, std::string>> due_;  // (due, badge)
  std::set<std::string> queued_;
  std::vector<int> present_;    // by room
  std::vector<int> attendees_;  // by session
  std::vector<char> changed_;   // by room: changed since take_changed_rooms
  std::int64_t mark_ = 0;       // the last rowid of scans read
  std::int64_t scans_stored_ = 0;
};

}  // namespace cmetrack::central
