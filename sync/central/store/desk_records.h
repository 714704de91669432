#pragma once
// What the registration desk recorded about an attendee, read back from
// central.db: the claim in force for each session (reports/claims.h writes
// them) and every correction of the badge's scans (reports/corrections.h).
// Plain rows; the transcript (reports/reports.h) shows them beside the
// engine's credit.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shared/error.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"

namespace cmetrack::central {

// A time a correction does not have (JSON null).
constexpr time_ms no_time = std::numeric_limits<time_ms>::min();

// The latest claim row of one (badge, session).
struct claimed_session {
  std::int64_t id = 0;  // the claims row
  std::string session;  // the session id (kept even if the meeting drops the session)
  int quarters = 0;
  int earned_quarters = 0;  // the engine's credit when it was claimed
  std::string staff_user;
  time_ms at = 0;
};

struct correction_row {
  std::int64_t id = 0;
  time_ms at = 0;
  std::string staff_user;
  std::string badge;
  std::string action;     // add_stay, void_stay, add_scan, void_scan
  std::string scan;       // add_scan: the new scan; void_scan: the voided one; else empty
  std::string room;       // empty for void_scan
  time_ms from = no_time;  // add_stay, void_stay: the stay; add_scan: the scan's time
  time_ms to = no_time;
  std::string direction;  // add_scan: in or out; else empty
  std::string reason;
  std::vector<std::string> scans;  // the scans it added or voided
};

// What the desk recorded for one badge: claims by the meeting's session id
// order of first claim, corrections oldest first.
struct desk_record {
  std::vector<claimed_session> claims;  // empty: no claim yet
  std::vector<correction_row> corrections;
};

// The id of a scan a correction added: "desk-7-in", "desk-7-out".
std::string added_scan_id(std::int64_t correction, std::string_view direction);

result<desk_record> load_desk_record(sqlite::database& db, std::string_view badge);

// Every badge's record, in two queries' worth of reads (claims, then
// corrections with their scans): for transcript --all and the exports.
result<std::unordered_map<std::string, desk_record>> load_all_desk_records(sqlite::database& db);

}  // namespace cmetrack::central
