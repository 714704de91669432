#pragma once
// Attendee sessions: the tokens of attendees signed in to the attendee page
// with their badge and claim code (claim_codes.h). Kept as their SHA-256
// only, as staff and kiosk tokens are; a token reaches only its own badge's
// data (api/attendee_routes.h).
#include <string>
#include <string_view>

#include "shared/error.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"

namespace cmetrack::central {

// How long a sign-in lasts.
constexpr time_ms attendee_session_ms = 12 * 60 * ms_per_minute;

struct attendee_session {
  std::string token;
  time_ms expires = 0;
};
result<attendee_session> start_attendee_session(sqlite::database& db, std::string_view badge, time_ms now);

// Ends the session of `token` (signing out).
result<void> end_attendee_session(sqlite::database& db, std::string_view token, time_ms now);

enum class attendee_token_state { unknown, revoked, expired, valid };
struct attendee_token_lookup {
  attendee_token_state state = attendee_token_state::unknown;
  std::string badge;
};
result<attendee_token_lookup> find_attendee_token(sqlite::database& db, std::string_view token, time_ms now);

}  // namespace cmetrack::central
