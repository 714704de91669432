#include "sync/central/api/route_support.h"

#include <fmt/format.h>

#include <chrono>

#include "shared/time.h"
#include "sync/central/store/attendee_sessions.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/staff_users.h"

namespace cmetrack::central {
namespace {

// A token's kiosk, from the cache or central.db. Unknown tokens are not
// kept (a flood of made-up ones must not grow the cache).
result<token_lookup> cached_token(server_state& state, std::string_view token) {
  auto& tokens = state.cache.tokens;
  auto hash = sha256_hex(token);
  if (auto it = tokens.find(hash); it != tokens.end()) return it->second;
  auto found = find_token(state.db, token);
  if (!found) return found;
  if (found->state != token_state::unknown) {
    if (tokens.size() >= 100'000) tokens.clear();
    tokens.emplace(std::move(hash), *found);
  }
  return found;
}

// Where a token that is neither a kiosk's nor a staff user's is an
// attendee's: the 403 to answer. `routes` names who the endpoint is for.
std::optional<http_response> attendee_token_refused(request_context& ctx, std::string_view token,
                                                    std::string_view routes) {
  auto found = find_attendee_token(ctx.state.db, token, ctx.now);
  if (!found || found->state != attendee_token_state::valid) return std::nullopt;
  return error_response(http::status::forbidden,
                        fmt::format("this is an attendee's token (badge {}); {}", found->badge, routes),
                        ctx.version());
}

}  // namespace

result<bool> check_cache(server_state& state) {
  auto& c = state.cache;
  auto version = c.commits.version(state.db);
  if (!version) return std::unexpected(version.error());
  if (*version == c.data_version) return false;
  c.meeting_rows.reset();
  c.pattern.reset();
  c.tokens.clear();
  state.dashboard.other_commit = true;
  c.data_version = *version;
  return true;
}

result<void> cached_meeting(server_state& state) {
  auto& c = state.cache;
  if (c.meeting_rows && c.pattern) return {};
  auto m = load_meeting(state.db);
  if (!m) return std::unexpected(m.error());
  auto pattern = badge_pattern::compile(m->badge_pattern, m->badge_key);
  if (!pattern) return std::unexpected(pattern.error());
  c.meeting_rows = std::make_shared<const meeting>(std::move(*m));
  c.pattern = std::make_unique<badge_pattern>(std::move(*pattern));
  return {};
}

result<void> load_meeting(request_context& ctx) {
  if (auto r = cached_meeting(ctx.state); !r) return r;
  ctx.meeting_rows = ctx.state.cache.meeting_rows;
  return {};
}

std::optional<http_response> authenticate_kiosk(request_context& ctx) {
  auto& state = ctx.state;
  const auto& req = ctx.request;
  const auto version = req.version();
  const auto token = bearer_token(req);
  if (!token)
    return unauthorized("no kiosk token: send the header `Authorization: Bearer TOKEN` with the token of kiosk.json",
                        version);
  if (auto r = check_cache(state); !r)
    return error_response(http::status::internal_server_error, r.error().message, version);
  auto found = cached_token(state, *token);
  if (!found) return error_response(http::status::internal_server_error, found.error().message, version);
  if (found->state == token_state::unknown) {
    auto staff = find_staff_token(state.db, *token, ctx.now);
    if (staff && staff->state == staff_token_state::valid)
      return error_response(http::status::forbidden,
                            "this is a staff token; the kiosk endpoints take the token of a kiosk.json", version);
    if (auto refused = attendee_token_refused(ctx, *token, "the kiosk endpoints take the token of a kiosk.json"))
      return refused;
    return unauthorized("the kiosk token is not one this central node issued; enroll the kiosk "
                        "(cmetrack-central enroll) and use the kiosk.json it writes",
                        version);
  }
  if (found->state == token_state::revoked)
    return unauthorized(fmt::format("the token of kiosk \"{}\" was revoked (the kiosk was enrolled again or "
                                    "revoked); use the newest kiosk.json of this kiosk",
                                    found->binding.kiosk),
                        version);
  ctx.kiosk = found->binding;
  ctx.who = "kiosk:" + ctx.kiosk.kiosk;
  return std::nullopt;
}

std::string staff_who(std::string_view user) { return "staff:" + std::string(user); }

void identify_staff(request_context& ctx, std::string user) {
  ctx.user = std::move(user);
  ctx.who = staff_who(ctx.user);
}

std::optional<http_response> authenticate_staff(request_context& ctx) {
  auto& state = ctx.state;
  const auto& req = ctx.request;
  const auto version = req.version();
  const auto token = bearer_token(req);
  if (!token)
    return unauthorized("no staff token: log in, or send `Authorization: Bearer TOKEN` with the token "
                        "`cmetrack-central staff` printed",
                        version);
  auto found = find_staff_token(state.db, *token, ctx.now);
  if (!found) return error_response(http::status::internal_server_error, found.error().message, version);
  switch (found->state) {
    case staff_token_state::valid:
      identify_staff(ctx, std::move(found->user));
      return std::nullopt;
    case staff_token_state::expired:
      return unauthorized("your session has expired; log in again", version);
    case staff_token_state::revoked:
      return unauthorized("this staff token was revoked (logged out, or the user's password was set again); "
                          "log in again",
                          version);
    case staff_token_state::unknown:
      break;
  }
  if (auto r = check_cache(state); !r)
    return error_response(http::status::internal_server_error, r.error().message, version);
  auto kiosk = cached_token(state, *token);
  if (kiosk && kiosk->state != token_state::unknown)
    return error_response(http::status::forbidden,
                          fmt::format("this is the token of kiosk \"{}\"; staff endpoints take a staff token "
                                      "(log in, or cmetrack-central staff)",
                                      kiosk->binding.kiosk),
                          version);
  if (auto refused = attendee_token_refused(ctx, *token, "staff endpoints take a staff token (log in)"))
    return refused;
  return unauthorized("the staff token is not one this central node issued; log in again", version);
}

std::optional<http_response> authenticate_attendee(request_context& ctx) {
  auto& state = ctx.state;
  const auto version = ctx.version();
  const auto token = bearer_token(ctx.request);
  if (!token) return unauthorized("not signed in: sign in on the attendee page with your badge and claim code", version);
  auto found = find_attendee_token(state.db, *token, ctx.now);
  if (!found) return error_response(http::status::internal_server_error, found.error().message, version);
  switch (found->state) {
    case attendee_token_state::valid:
      ctx.badge = std::move(found->badge);
      ctx.who = "attendee:" + ctx.badge;
      return std::nullopt;
    case attendee_token_state::expired:
      return unauthorized("your sign-in has expired; sign in again with your badge and claim code", version);
    case attendee_token_state::revoked:
      return unauthorized("you signed out; sign in again with your badge and claim code", version);
    case attendee_token_state::unknown:
      break;
  }
  auto staff = find_staff_token(state.db, *token, ctx.now);
  if (!staff) return error_response(http::status::internal_server_error, staff.error().message, version);
  if (staff->state == staff_token_state::valid)
    return error_response(http::status::forbidden,
                          "this is a staff token; the attendee endpoints (/api/v1/me/...) take an attendee's token: "
                          "use the desk's routes (/api/v1/attendees/{badge}/...)",
                          version);
  if (auto r = check_cache(state); !r)
    return error_response(http::status::internal_server_error, r.error().message, version);
  auto kiosk = cached_token(state, *token);
  if (kiosk && kiosk->state != token_state::unknown)
    return error_response(http::status::forbidden,
                          fmt::format("this is the token of kiosk \"{}\"; the attendee endpoints take an attendee's "
                                      "token",
                                      kiosk->binding.kiosk),
                          version);
  return unauthorized("this sign-in is not one this central node issued; sign in again with your badge and claim code",
                      version);
}

}  // namespace cmetrack::central
