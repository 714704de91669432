#pragma once
// The registration desk's routes of cmetrack-central serve
// (docs/staff-api.md, "Claims", "Corrections"): the JSON bodies in, the
// rules of claims.h and corrections.h, the new transcript out. Answers
// built from a database and a meeting; the routes of staff_routes.cpp
// (once routes.cpp's table has authenticated the staff user) call them:
//
//   POST /api/v1/attendees/{badge}/claims       post_claims -> post_claim
//   POST /api/v1/attendees/{badge}/corrections  post_corrections -> post_correction
//   GET  /api/v1/attendees/{badge}/scans        get_attendee_scans -> get_badge_scans
//
// 200 with the transcript JSON (as GET .../transcript) or the scans; 400 a
// body or field at fault, named; 404 a badge not on the roster; 500 a store
// fault.
#include <string_view>

#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"
#include "sync/central/api/http_util.h"

namespace cmetrack::central {

// {"sessions": [{"session": "S1", "credits": 0.75}], "attestation": true}
http_response post_claim(sqlite::database& db, const meeting& m, std::string_view badge, std::string_view staff_user,
                         const http_request& req, time_ms now);

// {"action": "add_stay" | "void_stay", "room", "from", "to", "reason"},
// {"action": "add_scan", "room", "direction", "at", "reason"},
// {"action": "void_scan", "scan", "reason"}
http_response post_correction(sqlite::database& db, const meeting& m, std::string_view badge,
                              std::string_view staff_user, const http_request& req, time_ms now);

// [{"id", "kiosk", "room", "door", "direction", "at", "source", "voided", "voided_by"}] by time,
// every stored scan of the badge (quarantined rooms too); voided_by is the
// correction's id or null.
http_response get_badge_scans(sqlite::database& db, const meeting& m, std::string_view badge, const http_request& req);

}  // namespace cmetrack::central
