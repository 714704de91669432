#include "sync/central/routes.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "shared/kiosk_config_body.h"
#include "shared/sync_wire.h"
#include "sync/central/batch_ingest.h"
#include "sync/central/kiosk_registry.h"
#include "sync/central/meeting_store.h"

namespace cmetrack::central {
namespace {

time_ms system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

http_response json_response(http::status status, std::string body, unsigned version) {
  http_response res{status, version};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response method_not_allowed(std::string_view path, std::string_view allow, unsigned version) {
  auto res = error_response(http::status::method_not_allowed,
                            fmt::format("{} answers {} only", path, allow), version);
  res.set(http::field::allow, boost::beast::string_view(allow.data(), allow.size()));
  return res;
}

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

// Drops what server_cache holds where another connection has committed to
// central.db since it was filled.
result<void> check_cache(server_state& state) {
  auto& c = state.cache;
  if (!c.data_version_query) {
    auto q = sqlite::statement::prepare(state.db, "PRAGMA data_version");
    if (!q) return std::unexpected(q.error());
    c.data_version_query = std::make_unique<sqlite::statement>(std::move(*q));
  }
  const int rc = c.data_version_query->step();
  if (rc != SQLITE_ROW) {
    auto message = c.data_version_query->last_error();
    c.data_version_query->reset();
    return failure(fmt::format("{}: cannot read PRAGMA data_version: {}", state.db.path(), message));
  }
  const auto version = c.data_version_query->int64(0);
  c.data_version_query->reset();
  if (version != c.data_version) {
    c.meeting_rows.reset();
    c.pattern.reset();
    c.tokens.clear();
    c.data_version = version;
  }
  return {};
}

// The meeting and its compiled badge pattern, from the cache or central.db.
result<void> cached_meeting(server_state& state) {
  auto& c = state.cache;
  if (c.meeting_rows && c.pattern) return {};
  auto m = load_meeting(state.db);
  if (!m) return std::unexpected(m.error());
  auto pattern = badge_pattern::compile(m->badge_pattern);
  if (!pattern) return std::unexpected(pattern.error());
  c.meeting_rows = std::make_unique<meeting>(std::move(*m));
  c.pattern = std::make_unique<badge_pattern>(std::move(*pattern));
  return {};
}

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

// The kiosk the request's bearer token belongs to, or the 401 (500) to answer.
std::variant<kiosk_binding, http_response> authenticate(server_state& state, const http_request& req) {
  const auto unauthorized = [&](const std::string& message) {
    auto res = error_response(http::status::unauthorized, message, req.version());
    res.set(http::field::www_authenticate, "Bearer");
    return res;
  };
  const auto header = trim(sv(req[http::field::authorization]));
  if (header.size() <= 7 || !iequals(header.substr(0, 7), "Bearer "))
    return unauthorized("no kiosk token: send the header `Authorization: Bearer TOKEN` with the token of kiosk.json");
  const auto token = trim(header.substr(7));
  if (auto r = check_cache(state); !r)
    return error_response(http::status::internal_server_error, r.error().message, req.version());
  auto found = cached_token(state, token);
  if (!found) return error_response(http::status::internal_server_error, found.error().message, req.version());
  if (found->state == token_state::unknown)
    return unauthorized("the kiosk token is not one this central node issued; enroll the kiosk "
                        "(cmetrack-central enroll) and use the kiosk.json it writes");
  if (found->state == token_state::revoked)
    return unauthorized(fmt::format("the token of kiosk \"{}\" was revoked (the kiosk was enrolled again or "
                                    "revoked); use the newest kiosk.json of this kiosk",
                                    found->binding.kiosk));
  return found->binding;
}

routed post_scans(server_state& state, const http_request& req) {
  auto who = authenticate(state, req);
  if (auto* res = std::get_if<http_response>(&who)) return {std::move(*res), {}};
  auto& kiosk = std::get<kiosk_binding>(who);
  const auto version = req.version();
  auto batch = decode_batch(req.body());
  if (!batch) return {error_response(http::status::bad_request, batch.error().message, version), kiosk.kiosk};
  if (batch->batch.kiosk != kiosk.kiosk)
    return {error_response(http::status::forbidden,
                           fmt::format("kiosk: this token belongs to kiosk \"{}\", but the batch names kiosk \"{}\"; "
                                       "nothing was stored",
                                       kiosk.kiosk, batch->batch.kiosk),
                           version),
            kiosk.kiosk};
  if (auto m = cached_meeting(state); !m)
    return {error_response(http::status::internal_server_error, m.error().message, version), kiosk.kiosk};
  auto stored = ingest_batch(state.db, *state.cache.pattern, kiosk, *batch, system_now(), state.cache.batch);
  if (!stored)
    return {error_response(http::status::internal_server_error, stored.error().message, version), kiosk.kiosk};
  // Acknowledged only now, after the commit.
  batch_ack ack{std::move(stored->acked), system_now()};
  return {json_response(http::status::ok, encode_ack(ack), version), kiosk.kiosk};
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
  auto who = authenticate(state, req);
  if (auto* res = std::get_if<http_response>(&who)) return {std::move(*res), {}};
  auto& kiosk = std::get<kiosk_binding>(who);
  const auto version = req.version();
  if (auto cached = cached_meeting(state); !cached)
    return {error_response(http::status::internal_server_error, cached.error().message, version), kiosk.kiosk};
  auto m = std::make_unique<meeting>(*state.cache.meeting_rows);
  if (m->room_index(kiosk.room) < 0)
    return {error_response(http::status::conflict,
                           fmt::format("room \"{}\", which kiosk \"{}\" is enrolled for, is no longer in the meeting; "
                                       "enroll the kiosk for one of the meeting's rooms",
                                       kiosk.room, kiosk.kiosk),
                           version),
            kiosk.kiosk};
  auto people = load_attendees(state.db);
  if (!people) return {error_response(http::status::internal_server_error, people.error().message, version), kiosk.kiosk};
  m->attendees = std::move(*people);
  auto body = kiosk_config_body(*m, kiosk.room, {kiosk.kiosk, kiosk.room, kiosk.door, kiosk.mode});
  const auto etag = fmt::format("\"{}\"", sha256_hex(body).substr(0, 32));
  if (etag_matches(sv(req[http::field::if_none_match]), etag)) {
    http_response res{http::status::not_modified, version};
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control, "no-cache");
    return {std::move(res), kiosk.kiosk};
  }
  auto res = json_response(http::status::ok, std::move(body), version);
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control, "no-cache");
  return {std::move(res), kiosk.kiosk};
}

}  // namespace

http_response error_response(http::status status, const std::string& message, unsigned version) {
  return json_response(status, nlohmann::json{{"error", message}}.dump() + "\n", version);
}

routed handle_request(server_state& state, const http_request& req) {
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
  return {error_response(http::status::not_found, fmt::format("no such path: {}", path), version), {}};
}

}  // namespace cmetrack::central
