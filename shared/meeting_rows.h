#pragma once
// The meeting as SQL rows, the same in central.db and kiosk.db: its head
// (name, rules, badge pattern), rooms, sessions and their breaks. The roster
// is each store's own (central keeps whole attendees, a kiosk first names).
#include <optional>
#include <string_view>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"

namespace cmetrack {

// The tables, for a store's first schema step.
std::string_view meeting_rows_schema();
// A later step of both stores: the arrival window and exit grace (rules),
// the defaults filled in for a meeting stored before them.
std::string_view meeting_rows_window_and_grace_step();

// Replaces head, rooms, sessions and breaks with `m`'s. Inside the caller's
// transaction.
result<void> write_meeting_rows(sqlite::database& db, const meeting& m);

// The meeting the rows hold, indexed (index_sessions), without attendees;
// nothing where no meeting was written yet.
result<std::optional<meeting>> read_meeting_rows(sqlite::database& db);

}  // namespace cmetrack
