#include "sync/central/api/routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "shared/kiosk_config_body.h"
#include "shared/sync_wire.h"
#include "sync/central/api/attendee_routes.h"
#include "sync/central/api/dashboard.h"
#include "sync/central/api/evaluation_routes.h"
#include "sync/central/api/route_support.h"
#include "sync/central/api/sharing_routes.h"
#include "sync/central/api/staff_routes.h"
#include "sync/central/api/web_assets.h"
#include "sync/central/store/batch_ingest.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/meeting_store.h"

namespace cmetrack::central {
namespace {

// The stays of a batch's badges, and the kiosk that sent it, for the
// dashboard. A fault here is logged, never the batch's answer: the scans
// are stored.
void after_batch(server_state& state, const decoded_batch& batch, const std::string& kiosk) {
  std::set<std::string> badges;
  for (const auto& s : batch.batch.scans)
    if (auto id = state.cache.pattern->extract(s.badge)) badges.insert(std::string(*id));
  if (auto r = refresh_dashboard(state, badges); !r) fmt::print(stderr, "- - - dashboard: {}\n", r.error().message);
  else if (auto mark = note_own_scans(state); !mark) fmt::print(stderr, "- - - dashboard: {}\n", mark.error().message);
  publish_kiosk(state, kiosk);
}

routed post_scans(request_context& ctx) {
  auto& state = ctx.state;
  const auto& kiosk = ctx.kiosk;
  auto batch = decode_batch(ctx.request.body());
  if (!batch) return ctx.answer(http::status::bad_request, batch.error().message);
  if (batch->batch.kiosk != kiosk.kiosk)
    return ctx.answer(http::status::forbidden,
                      fmt::format("kiosk: this token belongs to kiosk \"{}\", but the batch names kiosk \"{}\"; "
                                  "nothing was stored",
                                  kiosk.kiosk, batch->batch.kiosk));
  if (auto m = load_meeting(ctx); !m) return ctx.fault(m.error());
  auto stored = ingest_batch(state.db, *ctx.meeting_rows, *state.cache.pattern, kiosk, *batch, ctx.now,
                             state.cache.batch);
  if (!stored)
    return ctx.answer(is_disk_full(stored.error()) ? http::status::insufficient_storage
                                                   : http::status::internal_server_error,
                      stored.error().message);
  // Acknowledged only now, after the commit. The ack's time is the clock as
  // it answers, not the request's: the agent measures its offset by it.
  batch_ack ack{std::move(stored->acked), now_ms()};
  auto res = json_response(http::status::ok, encode_ack(ack), ctx.version());
  after_batch(state, *batch, kiosk.kiosk);
  return ctx.answer(std::move(res));
}

// If-None-Match holds `etag` (or *).
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = trim(header.substr(0, comma));
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag || item == "*") return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

routed get_kiosk_config(request_context& ctx) {
  const auto& kiosk = ctx.kiosk;
  const auto version = ctx.version();
  if (auto cached = load_meeting(ctx); !cached) return ctx.fault(cached.error());
  auto m = std::make_unique<meeting>(*ctx.meeting_rows);
  if (m->room_index(kiosk.room) < 0)
    return ctx.answer(http::status::conflict,
                      fmt::format("room \"{}\", which kiosk \"{}\" is enrolled for, is no longer in the meeting; "
                                  "enroll the kiosk for one of the meeting's rooms",
                                  kiosk.room, kiosk.kiosk));
  auto people = load_attendees(ctx.state.db);
  if (!people) return ctx.fault(people.error());
  m->attendees = std::move(*people);
  auto body = kiosk_config_body(*m, kiosk.room, {kiosk.kiosk, kiosk.room, kiosk.door, kiosk.mode});
  const auto etag = fmt::format("\"{}\"", sha256_hex(body).substr(0, 32));
  if (etag_matches(sv(ctx.request[http::field::if_none_match]), etag)) {
    http_response res{http::status::not_modified, version};
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control, "no-cache");
    return ctx.answer(std::move(res));
  }
  auto res = json_response(http::status::ok, std::move(body), version);
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control, "no-cache");
  return ctx.answer(std::move(res));
}

routed get_healthz(request_context& ctx) {
  http_response res{http::status::ok, ctx.version()};
  res.set(http::field::content_type, "text/plain");
  res.body() = "ok";
  res.prepare_payload();
  return ctx.answer(std::move(res));
}

// Who may call a route: its token is checked (and ctx.who set) before it runs.
enum class caller { anyone, kiosk, staff, attendee };

struct route_entry {
  // The path, exactly; or with "{badge}" for one path segment (percent-
  // decoded into ctx.badge); or "{page}": a staff page (web_assets.h).
  std::string_view pattern;
  std::string_view methods;  // as the Allow header of a 405 says them
  caller who;
  routed (*run)(request_context&);
};

// Every route. The path and method are decided before whose token: a wrong
// path is 404 for anyone, a wrong method 405.
constexpr route_entry route_table[] = {
    {"/healthz", "GET", caller::anyone, get_healthz},
    {"/api/v1/scans", "POST", caller::kiosk, post_scans},
    {"/api/v1/kiosk/config", "GET", caller::kiosk, get_kiosk_config},
    {"/api/v1/login", "POST", caller::anyone, post_login},
    {"/api/v1/logout", "POST", caller::staff, post_logout},
    {"/api/v1/meeting", "GET", caller::staff, get_meeting},
    {"/api/v1/rooms", "GET", caller::staff, get_rooms},
    {"/api/v1/rooms/stream", "GET", caller::staff, get_rooms_stream},
    {"/api/v1/kiosks", "GET", caller::staff, get_kiosks},
    {"/api/v1/attendees", "GET", caller::staff, get_attendees},
    {"/api/v1/attendees/{badge}/transcript", "GET", caller::staff, get_transcript},
    {"/api/v1/attendees/{badge}/transcript.pdf", "GET", caller::staff, get_transcript_pdf},
    {"/api/v1/attendees/{badge}/scans", "GET", caller::staff, get_attendee_scans},
    {"/api/v1/attendees/{badge}/claims", "POST", caller::staff, post_claims},
    {"/api/v1/attendees/{badge}/corrections", "POST", caller::staff, post_corrections},
    {"/api/v1/sharing", "GET", caller::staff, get_sharing},
    {"/api/v1/evaluations", "GET", caller::staff, get_evaluation_summary},
    {"/metrics", "GET", caller::staff, get_metrics},
    {"/api/v1/attendee/login", "POST", caller::anyone, post_attendee_login},
    {"/api/v1/attendee/logout", "POST", caller::attendee, post_attendee_logout},
    {"/api/v1/me", "GET", caller::attendee, get_me},
    {"/api/v1/me/transcript", "GET", caller::attendee, get_my_transcript},
    {"/api/v1/me/evaluation", "GET, POST", caller::attendee, my_evaluation},
    {"/api/v1/me/claims", "POST", caller::attendee, post_my_claims},
    {"/me", "GET, HEAD", caller::anyone, get_attendee_page},
    {"{page}", "GET, HEAD", caller::anyone, get_page},
};

// Whether `path` is the entry's; a {badge} goes into ctx.badge.
bool matches(std::string_view pattern, request_context& ctx) {
  const auto path = ctx.path;
  if (pattern == "{page}")
    return !path.starts_with("/api/v1/") && path != "/metrics" && find_web_asset(path) != nullptr;
  constexpr std::string_view badge = "{badge}";
  const auto at = pattern.find(badge);
  if (at == std::string_view::npos) return path == pattern;
  const auto before = pattern.substr(0, at), after = pattern.substr(at + badge.size());
  if (path.size() <= before.size() + after.size() || !path.starts_with(before) || !path.ends_with(after)) return false;
  const auto segment = path.substr(before.size(), path.size() - before.size() - after.size());
  if (segment.find('/') != std::string_view::npos) return false;
  auto decoded = percent_decode(segment, false);
  if (!decoded) return false;
  ctx.badge = std::move(*decoded);
  return true;
}

// Whether `method` is one of "GET, HEAD".
bool allows(std::string_view methods, std::string_view method) {
  while (!methods.empty()) {
    const auto comma = methods.find(',');
    if (trim(methods.substr(0, comma)) == method) return true;
    if (comma == std::string_view::npos) break;
    methods.remove_prefix(comma + 1);
  }
  return false;
}

routed route(request_context& ctx) {
  for (const auto& entry : route_table) {
    if (!matches(entry.pattern, ctx)) continue;
    if (!allows(entry.methods, sv(ctx.request.method_string())))
      return ctx.answer(method_not_allowed(ctx.path, entry.methods, ctx.version()));
    const auto refused = entry.who == caller::kiosk      ? authenticate_kiosk(ctx)
                         : entry.who == caller::staff    ? authenticate_staff(ctx)
                         : entry.who == caller::attendee ? authenticate_attendee(ctx)
                                                         : std::nullopt;
    if (refused) return ctx.answer(std::move(*refused));
    return entry.run(ctx);
  }
  return ctx.answer(http::status::not_found, fmt::format("no such path: {}", ctx.path));
}

}  // namespace

routed handle_request(server_state& state, const http_request& req, const std::string& client) {
  // A route that throws is a bug; it costs that request a 500, never serve.
  try {
    const auto target = std::string_view(req.target().data(), req.target().size());
    request_context ctx{state, req, target.substr(0, target.find('?')), client, now_ms(), {}};
    return route(ctx);
  } catch (const std::exception& e) {
    const auto target = std::string_view(req.target().data(), req.target().size());
    fmt::print(stderr, "- - - {} {}: the route failed: {}\n", sv(req.method_string()),
               target.substr(0, target.find('?')), e.what());
    return {error_response(http::status::internal_server_error,
                           "the request could not be answered (serve's log says why); serve goes on", req.version()),
            {}};
  }
}

}  // namespace cmetrack::central
