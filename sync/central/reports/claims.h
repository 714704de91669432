#pragma once
// Claims (docs/rules.md, "Claims": an attendee may claim less than the credit
// computed, never more): what an attendee claims of each session attended,
// checked against the engine's credit as of the claim, kept append-only in
// central.db's claims table. The latest claim of a session is the one in
// force; the earlier ones stay. No HTTP here (api/desk_routes.h).
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"

namespace cmetrack::central {

struct claim_request_line {
  std::string session;  // the session id
  int quarters = 0;     // credits x 4
};

// Credits as a person writes them (0.75) into quarters; bad_input naming
// `what` where the number is negative, not finite or off the 0.25 grid.
result<int> claim_quarters(double credits, std::string_view what);

// Checks every line against the attendee's credit as of `now`: a session
// the attendee attended, 0 <= claimed <= earned, each session once, and the
// attestation given; then stores one claims row per line, in one
// transaction. `badge` is a badge id or a payload. bad_input says which
// session and numbers are at fault: "S2: claimed 1.25 credits, but 1.00
// were earned; claim 1.00 or less".
result<void> record_claim(sqlite::database& db, const meeting& m, std::string_view badge,
                          const std::vector<claim_request_line>& lines, bool attestation,
                          std::string_view staff_user, time_ms now);

}  // namespace cmetrack::central
