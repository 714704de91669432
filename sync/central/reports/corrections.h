#pragma once
// Corrections of a badge's scans by the registration desk (docs/rules.md,
// "Corrections": a correction is a new record with who, when and why): add a
// stay or a scan (stored as scans of source "correction", kiosk and door
// "desk"), or void a scan or the scans of a stay (kept, and skipped by the
// engine: store/scan_store.h). Every correction is a row of the append-only
// corrections table. No HTTP here (api/desk_routes.h).
#include <string>
#include <string_view>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"
#include "sync/central/store/desk_records.h"

namespace cmetrack::central {

enum class correction_action { add_stay, void_stay, add_scan, void_scan };

std::string_view to_string(correction_action a);
// "add_stay" ... ; nothing for any other text.
result<correction_action> parse_correction_action(std::string_view text);

struct correction_request {
  correction_action action = correction_action::void_scan;
  std::string room;       // add_stay, void_stay, add_scan
  time_ms from = no_time;  // add_stay, void_stay
  time_ms to = no_time;
  std::string direction;  // add_scan: "in" or "out"
  time_ms at = no_time;    // add_scan
  std::string scan;       // void_scan
  std::string reason;     // required
};

// Checks the request (a reason; the attendee on the roster; a room of the
// meeting; from < to; a scan of this badge not voided before; a stay with
// scans to void) and records it in one transaction. `badge` is a badge id
// or a payload. Returns the correction as stored.
result<correction_row> record_correction(sqlite::database& db, const meeting& m, std::string_view badge,
                                         const correction_request& c, std::string_view staff_user, time_ms now);

}  // namespace cmetrack::central
