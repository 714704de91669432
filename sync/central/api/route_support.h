#pragma once
// What the routes share: the clock, the cached meeting, and whose token a
// request carries (a kiosk's or a staff user's), with the 401 or 403 to
// answer where it is the wrong one.
#include <optional>
#include <string>
#include <string_view>

#include "shared/time.h"
#include "sync/central/api/routes.h"

namespace cmetrack::central {

// Drops what server_state caches where another connection has committed to
// central.db since it was filled. Returns whether it did.
result<bool> check_cache(server_state& state);

// The meeting and its compiled badge pattern, from the cache or central.db.
result<void> cached_meeting(server_state& state);

// The meeting of the cache (or central.db) in ctx.meeting_rows, its badge
// pattern in the cache.
result<void> load_meeting(request_context& ctx);

// The kiosk the bearer token belongs to, in ctx.kiosk and ctx.who
// ("kiosk:ID"); else the response to answer: 401 (missing, unknown or
// revoked), 403 (a staff token), 500.
std::optional<http_response> authenticate_kiosk(request_context& ctx);

// The staff user the bearer token belongs to, in ctx.user and ctx.who;
// else the response to answer: 401 (missing, unknown, revoked or expired),
// 403 (a kiosk token), 500.
std::optional<http_response> authenticate_staff(request_context& ctx);

// The attendee the bearer token belongs to (signed in on the attendee
// page), in ctx.badge and ctx.who ("attendee:BADGE"); else the response to
// answer: 401 (missing, unknown, revoked or expired), 403 (a staff or kiosk
// token), 500.
std::optional<http_response> authenticate_attendee(request_context& ctx);

// The staff user in ctx.user and ctx.who: a login's.
void identify_staff(request_context& ctx, std::string user);

// The log line's `who` of a staff user, "staff:USER" (a kiosk's is "kiosk:ID").
std::string staff_who(std::string_view user);

}  // namespace cmetrack::central
