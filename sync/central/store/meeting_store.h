#pragma once
// The meeting in central.db: written by init, read by every other command.
#include <optional>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

struct meeting_update {
  bool created = false;          // the store held no meeting before
  int attendees_added = 0;
  int attendees_updated = 0;
  int attendees_kept = 0;        // in the store but not in the file: kept, never deleted
  bool badge_pattern_changed = false;
  bool badge_key_changed = false;  // signed badges: a key added, changed or removed
  bool rules_changed = false;    // rounding, debounce, block gap, arrival window, exit grace...
  int scans_rebadged = 0;        // scans whose badge id changed with the pattern or key
};

// Replaces rooms, sessions and rules with the file's; adds and updates
// attendees (none is deleted: on-site registrations live here too). Refuses a
// file of another meeting. One transaction.
result<meeting_update> save_meeting(sqlite::database& db, const meeting& m);

// Rooms, sessions and rules, indexed; attendees are not loaded (see below).
result<meeting> load_meeting(sqlite::database& db);

result<std::optional<attendee>> find_attendee(sqlite::database& db, std::string_view badge);
result<std::vector<attendee>> load_attendees(sqlite::database& db);
// The attendees with this learner id (the meeting file's `learner_id`): one,
// or none; more only where an attendee kept from an earlier import has it too.
result<std::vector<attendee>> find_learner_attendees(sqlite::database& db, std::string_view learner_id);

}  // namespace cmetrack::central
