#pragma once
// What the routes share: the clock, the cached meeting, and whose token a
// request carries (a kiosk's or a staff user's), with the 401 or 403 to
// answer where it is the wrong one.
#include <string>
#include <variant>

#include "shared/time.h"
#include "sync/central/api/routes.h"

namespace cmetrack::central {

// Drops what server_state caches where another connection has committed to
// central.db since it was filled. Returns whether it did.
result<bool> check_cache(server_state& state);

// The meeting and its compiled badge pattern, from the cache or central.db.
result<void> cached_meeting(server_state& state);

// The kiosk the bearer token belongs to, or the response to answer: 401
// (missing, unknown or revoked), 403 (a staff token), 500.
std::variant<kiosk_binding, http_response> authenticate_kiosk(server_state& state, const http_request& req);

// The staff user the bearer token belongs to, or the response to answer:
// 401 (missing, unknown, revoked or expired), 403 (a kiosk token), 500.
std::variant<std::string, http_response> authenticate_staff(server_state& state, const http_request& req);

}  // namespace cmetrack::central
