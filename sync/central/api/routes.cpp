#include "sync/central/api/routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <variant>

#include "shared/kiosk_config_body.h"
#include "shared/sync_wire.h"
#include "sync/central/api/dashboard.h"
#include "sync/central/api/route_support.h"
#include "sync/central/api/staff_routes.h"
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

routed post_scans(server_state& state, const http_request& req) {
  auto who = authenticate_kiosk(state, req);
  if (auto* res = std::get_if<http_response>(&who)) return {std::move(*res), {}};
  auto& kiosk = std::get<kiosk_binding>(who);
  const auto version = req.version();
  auto batch = decode_batch(req.body());
  if (!batch) return {error_response(http::status::bad_request, batch.error().message, version), "kiosk:" + kiosk.kiosk};
  if (batch->batch.kiosk != kiosk.kiosk)
    return {error_response(http::status::forbidden,
                           fmt::format("kiosk: this token belongs to kiosk \"{}\", but the batch names kiosk \"{}\"; "
                                       "nothing was stored",
                                       kiosk.kiosk, batch->batch.kiosk),
                           version),
            "kiosk:" + kiosk.kiosk};
  if (auto m = cached_meeting(state); !m)
    return {error_response(http::status::internal_server_error, m.error().message, version), "kiosk:" + kiosk.kiosk};
  auto stored = ingest_batch(state.db, *state.cache.meeting_rows, *state.cache.pattern, kiosk, *batch, now_ms(),
                             state.cache.batch);
  if (!stored)
    return {error_response(is_disk_full(stored.error()) ? http::status::insufficient_storage
                                                        : http::status::internal_server_error,
                           stored.error().message, version),
            "kiosk:" + kiosk.kiosk};
  // Acknowledged only now, after the commit.
  batch_ack ack{std::move(stored->acked), now_ms()};
  auto res = json_response(http::status::ok, encode_ack(ack), version);
  after_batch(state, *batch, kiosk.kiosk);
  return {std::move(res), "kiosk:" + kiosk.kiosk};
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

routed get_kiosk_config(server_state& state, const http_request& req) {
  auto who = authenticate_kiosk(state, req);
  if (auto* res = std::get_if<http_response>(&who)) return {std::move(*res), {}};
  auto& kiosk = std::get<kiosk_binding>(who);
  const auto version = req.version();
  if (auto cached = cached_meeting(state); !cached)
    return {error_response(http::status::internal_server_error, cached.error().message, version), "kiosk:" + kiosk.kiosk};
  auto m = std::make_unique<meeting>(*state.cache.meeting_rows);
  if (m->room_index(kiosk.room) < 0)
    return {error_response(http::status::conflict,
                           fmt::format("room \"{}\", which kiosk \"{}\" is enrolled for, is no longer in the meeting; "
                                       "enroll the kiosk for one of the meeting's rooms",
                                       kiosk.room, kiosk.kiosk),
                           version),
            "kiosk:" + kiosk.kiosk};
  auto people = load_attendees(state.db);
  if (!people) return {error_response(http::status::internal_server_error, people.error().message, version), "kiosk:" + kiosk.kiosk};
  m->attendees = std::move(*people);
  auto body = kiosk_config_body(*m, kiosk.room, {kiosk.kiosk, kiosk.room, kiosk.door, kiosk.mode});
  const auto etag = fmt::format("\"{}\"", sha256_hex(body).substr(0, 32));
  if (etag_matches(sv(req[http::field::if_none_match]), etag)) {
    http_response res{http::status::not_modified, version};
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control, "no-cache");
    return {std::move(res), "kiosk:" + kiosk.kiosk};
  }
  auto res = json_response(http::status::ok, std::move(body), version);
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control, "no-cache");
  return {std::move(res), "kiosk:" + kiosk.kiosk};
}

routed route(server_state& state, const http_request& req, const std::string& client) {
  auto target = std::string_view(req.target().data(), req.target().size());
  const auto path = target.substr(0, target.find('?'));
  const auto method = req.method();
  const auto version = req.version();
  if (path == "/healthz") {
    if (method != http::verb::get) return {method_not_allowed(path, "GET", version), {}};
    http_response res{http::status::ok, version};
    res.set(http::field::content_type, "text/plain");
    res.body() = "ok";
    res.prepare_payload();
    return {std::move(res), {}};
  }
  if (path == "/api/v1/scans") {
    if (method != http::verb::post) return {method_not_allowed(path, "POST", version), {}};
    return post_scans(state, req);
  }
  if (path == "/api/v1/kiosk/config") {
    if (method != http::verb::get) return {method_not_allowed(path, "GET", version), {}};
    return get_kiosk_config(state, req);
  }
  if (auto staff = staff_route(state, req, path, client)) return std::move(*staff);
  return {error_response(http::status::not_found, fmt::format("no such path: {}", path), version), {}};
}

}  // namespace

routed handle_request(server_state& state, const http_request& req, const std::string& client) {
  // A route that throws is a bug; it costs that request a 500, never serve.
  try {
    return route(state, req, client);
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
