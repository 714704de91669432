#include "sync/central/api/staff_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <variant>

#include "shared/bounds.h"
#include "shared/sqlite/statement.h"
#include "shared/time.h"
#include "sync/central/api/dashboard.h"
#include "sync/central/api/desk_routes.h"
#include "sync/central/api/route_support.h"
#include "sync/central/api/sharing_routes.h"
#include "sync/central/api/web_assets.h"
#include "sync/central/print/transcript_pdf.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/scan_store.h"
#include "sync/central/store/staff_users.h"

namespace cmetrack::central {
namespace {

using json = nlohmann::ordered_json;

http_response json_ok(const json& body, unsigned version) {
  return json_response(http::status::ok, body.dump() + "\n", version);
}

http_response store_fault(const error& e, unsigned version) {
  return error_response(http::status::internal_server_error, e.message, version);
}

routed post_login(server_state& state, const http_request& req, const std::string& client) {
  const auto version = req.version();
  std::string user, password;
  try {
    const auto body = nlohmann::json::parse(req.body());
    user = body.at("user").get<std::string>();
    password = body.at("password").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return {error_response(http::status::bad_request,
                           "a login is JSON {\"user\": NAME, \"password\": PASSWORD}", version),
            {}};
  }
  for (const auto& e : {bounds::check_text("user", user, bounds::id),
                        bounds::check_text("password", password, bounds::password)})
    if (e) return {error_response(http::status::bad_request, *e, version), {}};
  const auto now = now_ms();
  if (const auto wait = state.logins.wait_ms(user, client, now); wait > 0) {
    const auto seconds = (wait + 999) / 1000;
    auto res = error_response(http::status::too_many_requests,
                              fmt::format("too many failed logins; try again in {} seconds", seconds), version);
    res.set(http::field::retry_after, std::to_string(seconds));
    return {std::move(res), {}};
  }
  // Counted as a failure now, taken back if the password is right: guesses
  // sent at once are held as one after another.
  state.logins.failed(user, client, now);
  auto stored = stored_password_hash(state.db, user);
  if (!stored) return {store_fault(stored.error(), version), user};
  // The hashing (about 0.1 s) runs off serve's thread; the rest back on it.
  auto matches = std::make_shared<bool>(false);
  auto later = std::make_shared<deferred>();
  later->off_thread = [matches, password = std::move(password), stored = std::move(*stored)] {
    *matches = password_matches(password, stored);
  };
  later->then = [&state, matches, user, client, now, version]() -> routed {
    if (!*matches) {
      fmt::print(stderr, "- - - login refused for staff user \"{}\" from {}\n", user, client);
      return {unauthorized("user or password is wrong", version), {}};
    }
    state.logins.succeeded(user, client, now);
    auto session = start_session(state.db, user, now_ms());
    if (!session) return {store_fault(session.error(), version), user};
    return {json_ok({{"token", session->token}, {"user", user}, {"expires_at", format_iso8601_utc(session->expires)}},
                    version),
            user};
  };
  routed out;
  out.later = std::move(later);
  return out;
}

routed post_logout(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  if (auto r = log_out(state.db, *bearer_token(req), now_ms()); !r) return {store_fault(r.error(), version), user};
  http_response res{http::status::no_content, version};
  res.set(http::field::cache_control, "no-store");
  return {std::move(res), user};
}

routed get_meeting(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  if (auto r = cached_meeting(state); !r) return {store_fault(r.error(), version), user};
  const auto& m = *state.cache.meeting_rows;
  time_ms starts = 0, ends = 0;
  for (const auto& s : m.sessions) {
    if (starts == 0 || s.start < starts) starts = s.start;
    if (s.end > ends) ends = s.end;
  }
  return {json_ok({{"id", m.id},
                   {"name", m.name},
                   {"timezone", m.timezone},
                   {"starts", m.sessions.empty() ? json(nullptr) : json(format_iso8601_utc(starts))},
                   {"ends", m.sessions.empty() ? json(nullptr) : json(format_iso8601_utc(ends))},
                   {"max_credits", credits(m.max_quarters)},
                   {"designation", designation_statement(m)}},
                  version),
          user};
}

routed get_rooms(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  if (auto r = ensure_dashboard(state); !r) return {store_fault(r.error(), version), user};
  return {json_ok(state.dashboard.rooms.rooms_json(now_ms()), version), user};
}

routed get_rooms_stream(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  auto snapshot = stream_snapshot(state);
  if (!snapshot) return {store_fault(snapshot.error(), version), user};
  http_response res{http::status::ok, version};
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(*snapshot);
  return {std::move(res), user, true};
}

routed get_kiosks(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  auto list = list_kiosks(state.db);
  if (!list) return {store_fault(list.error(), version), user};
  auto out = json::array();
  for (const auto& k : *list) out.push_back(kiosk_status_json(k));
  return {json_ok(out, version), user};
}

// `text` for a LIKE pattern that matches it anywhere, literally.
std::string like_anywhere(std::string_view text) {
  std::string out = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

routed get_attendees(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  const auto q = std::string(trim(query_parameter(sv(req.target()), "q")));
  auto out = json::array();
  if (q.empty()) return {json_ok(out, version), user};
  if (auto e = bounds::check_text("q", q, bounds::name)) return {error_response(http::status::bad_request, *e, version), user};
  auto find = sqlite::statement::prepare(state.db, R"sql(
    SELECT badge, first_name, last_name, degree FROM attendees
    WHERE badge LIKE ?1 ESCAPE '\' OR first_name || ' ' || last_name LIKE ?1 ESCAPE '\'
       OR last_name || ', ' || first_name LIKE ?1 ESCAPE '\'
    ORDER BY badge = ?2 DESC, last_name, first_name, badge LIMIT 50)sql");
  if (!find) return {store_fault(find.error(), version), user};
  const auto pattern = like_anywhere(q);
  find->bind(1, std::string_view(pattern)).bind(2, std::string_view(q));
  auto read = find->for_each_row([&](const sqlite::statement& row) {
    out.push_back({{"badge", row.text(0)},
                   {"name", fmt::format("{} {}", row.text(1), row.text(2))},
                   {"degree", row.is_null(3) ? json(nullptr) : json(row.text(3))}});
  });
  if (!read) return {store_fault(read.error(), version), user};
  return {json_ok(out, version), user};
}

routed get_transcript(server_state& state, const http_request& req, const std::string& user, const std::string& badge) {
  const auto version = req.version();
  if (auto r = cached_meeting(state); !r) return {store_fault(r.error(), version), user};
  auto t = transcript_report(state.db, *state.cache.meeting_rows, badge, now_ms());
  if (!t) {
    if (t.error().kind == error_kind::not_found)
      return {error_response(http::status::not_found, t.error().message, version), user};
    return {store_fault(t.error(), version), user};
  }
  return {json_ok(*t, version), user};
}

routed get_transcript_pdf(server_state& state, const http_request& req, const std::string& user,
                          const std::string& badge) {
  const auto version = req.version();
  if (auto r = cached_meeting(state); !r) return {store_fault(r.error(), version), user};
  const auto now = now_ms();
  auto t = find_transcript(state.db, *state.cache.meeting_rows, badge, now);
  if (!t) {
    if (t.error().kind == error_kind::not_found)
      return {error_response(http::status::not_found, t.error().message, version), user};
    return {store_fault(t.error(), version), user};
  }
  // Drawing takes tens of milliseconds: on a worker.
  auto transcript = std::make_shared<const attendee_credit>(std::move(*t));
  auto pdf = std::make_shared<result<std::string>>(failure("not drawn"));
  auto later = std::make_shared<deferred>();
  later->off_thread = [pdf, transcript, m = state.cache.meeting_rows, now] {
    *pdf = transcript_pdf_bytes(*m, std::span(transcript.get(), 1), now);
  };
  later->then = [pdf, transcript, version, user]() -> routed {
    if (!*pdf) return {store_fault(pdf->error(), version), user};
    http_response res{http::status::ok, version};
    res.set(http::field::content_type, "application/pdf");
    res.set(http::field::content_disposition,
            fmt::format("inline; filename=\"transcript-{}.pdf\"", transcript->who.badge));
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(**pdf);
    res.prepare_payload();
    return {std::move(res), user};
  };
  routed out;
  out.later = std::move(later);
  out.who = user;
  return out;
}

// A claim or a correction, then (a correction) the badge's stays on the dashboard.
routed post_desk(server_state& state, const http_request& req, const std::string& user, const std::string& badge,
                 bool correction) {
  const auto version = req.version();
  if (auto r = cached_meeting(state); !r) return {store_fault(r.error(), version), user};
  const auto& m = *state.cache.meeting_rows;
  const auto now = now_ms();
  auto res = correction ? post_correction(state.db, m, badge, user, req, now) : post_claim(state.db, m, badge, user, req, now);
  if (correction && res.result() == http::status::ok) {
    try {
      const auto id = nlohmann::json::parse(res.body()).at("badge").get<std::string>();
      if (auto r = refresh_dashboard(state, {id}); !r) fmt::print(stderr, "- - - dashboard: {}\n", r.error().message);
    } catch (const nlohmann::json::exception&) {
    }
  }
  return {std::move(res), user};
}

// A page (assets/web, built in), with headers that keep it to itself: no
// script, style or frame from elsewhere, never framed by another site.
routed get_page(const http_request& req, const web_asset& page) {
  http_response res{http::status::ok, req.version()};
  res.set(http::field::content_type, std::string(page.content_type));
  res.set(http::field::cache_control, "no-cache");
  res.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
          "form-action 'self'; frame-ancestors 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  if (req.method() == http::verb::get) res.body() = std::string(page.body);
  res.prepare_payload();
  if (req.method() == http::verb::head) res.content_length(page.body.size());
  return {std::move(res), {}};
}

// Prometheus text format: the rooms, the sessions, the kiosks, the store,
// the requests answered.
routed get_metrics(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  if (auto r = ensure_dashboard(state); !r) return {store_fault(r.error(), version), user};
  const auto& live = state.dashboard.rooms;
  const auto& m = *live.meeting_rows();
  const auto label = [](std::string_view v) {
    std::string out;
    for (const char c : v) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') out += "\\n";
      else out += c;
    }
    return out;
  };
  std::string out;
  out += "# HELP cmetrack_room_present Attendees in the room now (open stays).\n# TYPE cmetrack_room_present gauge\n";
  for (std::size_t r = 0; r < m.rooms.size(); ++r)
    out += fmt::format("cmetrack_room_present{{room=\"{}\"}} {}\n", label(m.rooms[r].id), live.present(static_cast<int>(r)));
  out += "# HELP cmetrack_room_capacity The room's capacity.\n# TYPE cmetrack_room_capacity gauge\n";
  for (const auto& room : m.rooms) out += fmt::format("cmetrack_room_capacity{{room=\"{}\"}} {}\n", label(room.id), room.capacity);
  out += "# HELP cmetrack_session_attendees Attendees who attended any of the session so far.\n"
         "# TYPE cmetrack_session_attendees gauge\n";
  for (std::size_t s = 0; s < m.sessions.size(); ++s)
    out += fmt::format("cmetrack_session_attendees{{session=\"{}\"}} {}\n", label(m.sessions[s].id),
                       live.attendees(static_cast<int>(s)));
  // Counting 4,000,000 scans would read them all: the live picture keeps the count.
  out += fmt::format("# HELP cmetrack_scans_stored Scans in central.db.\n# TYPE cmetrack_scans_stored gauge\n"
                     "cmetrack_scans_stored {}\n",
                     live.scans_stored());
  const auto quarantined = count_quarantined(state.db);
  if (!quarantined) return {store_fault(quarantined.error(), version), user};
  out += fmt::format("# HELP cmetrack_scans_quarantined Scans set apart with a reason.\n"
                     "# TYPE cmetrack_scans_quarantined gauge\ncmetrack_scans_quarantined {}\n",
                     *quarantined);
  auto kiosks = list_kiosks(state.db);
  if (!kiosks) return {store_fault(kiosks.error(), version), user};
  const auto now = now_ms();
  out += "# HELP cmetrack_kiosk_last_contact_age_seconds Seconds since the kiosk's agent last reported.\n"
         "# TYPE cmetrack_kiosk_last_contact_age_seconds gauge\n";
  for (const auto& k : *kiosks)
    if (k.last_contact)
      out += fmt::format("cmetrack_kiosk_last_contact_age_seconds{{kiosk=\"{}\"}} {:.3f}\n", label(k.binding.kiosk),
                         static_cast<double>(now - *k.last_contact) / 1000.0);
  out += "# HELP cmetrack_kiosk_backlog Scans queued at the kiosk, as it last said.\n# TYPE cmetrack_kiosk_backlog gauge\n";
  for (const auto& k : *kiosks)
    if (k.backlog) out += fmt::format("cmetrack_kiosk_backlog{{kiosk=\"{}\"}} {}\n", label(k.binding.kiosk), *k.backlog);
  out += "# HELP cmetrack_kiosk_clock_offset_seconds Central's clock minus the kiosk's.\n"
         "# TYPE cmetrack_kiosk_clock_offset_seconds gauge\n";
  for (const auto& k : *kiosks)
    if (k.clock_offset_ms)
      out += fmt::format("cmetrack_kiosk_clock_offset_seconds{{kiosk=\"{}\"}} {:.3f}\n", label(k.binding.kiosk),
                         static_cast<double>(*k.clock_offset_ms) / 1000.0);
  out += "# HELP cmetrack_kiosk_quarantined Scans of the kiosk set apart.\n# TYPE cmetrack_kiosk_quarantined gauge\n";
  for (const auto& k : *kiosks)
    out += fmt::format("cmetrack_kiosk_quarantined{{kiosk=\"{}\"}} {}\n", label(k.binding.kiosk), k.quarantined);
  out += "# HELP cmetrack_dashboard_streams Open dashboard streams.\n# TYPE cmetrack_dashboard_streams gauge\n";
  out += fmt::format("cmetrack_dashboard_streams {}\n", state.dashboard.streams);
  out += "# HELP cmetrack_http_responses_total Responses by status code since serve started.\n"
         "# TYPE cmetrack_http_responses_total counter\n";
  for (const auto& [status, n] : state.requests.by_status)
    out += fmt::format("cmetrack_http_responses_total{{code=\"{}\"}} {}\n", status, n);
  http_response res{http::status::ok, version};
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(out);
  res.prepare_payload();
  return {std::move(res), user};
}

// /api/v1/attendees/{badge}/{what}: the badge (percent-decoded) and what.
struct attendee_path {
  std::string badge;
  std::string what;
};
std::optional<attendee_path> split_attendee_path(std::string_view path) {
  constexpr std::string_view prefix = "/api/v1/attendees/";
  if (!path.starts_with(prefix)) return std::nullopt;
  auto rest = path.substr(prefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  auto badge = percent_decode(rest.substr(0, slash), false);
  if (!badge) return std::nullopt;
  return attendee_path{std::move(*badge), std::string(rest.substr(slash + 1))};
}

}  // namespace

std::optional<routed> staff_route(server_state& state, const http_request& req, std::string_view path,
                                  const std::string& client) {
  const auto version = req.version();
  const auto method = req.method();
  const auto only = [&](http::verb verb, std::string_view allow) -> std::optional<routed> {
    if (method == verb) return std::nullopt;
    return routed{method_not_allowed(path, allow, version), {}};
  };
  if (path == "/api/v1/login") {
    if (auto r = only(http::verb::post, "POST")) return r;
    auto r = post_login(state, req, client);
    if (!r.who.empty()) r.who = "staff:" + r.who;
    return r;
  }
  const bool api = path.starts_with("/api/v1/") || path == "/metrics";
  if (!api) {
    const auto* page = find_web_asset(path);
    if (!page) return std::nullopt;
    if (method != http::verb::get && method != http::verb::head) return routed{method_not_allowed(path, "GET, HEAD", version), {}};
    return get_page(req, *page);
  }

  // Which route, and its method, before whose token: a wrong path is 404 for anyone.
  using handler = routed (*)(server_state&, const http_request&, const std::string&);
  struct plain_route {
    std::string_view path;
    http::verb verb;
    std::string_view allow;
    handler run;
  };
  static constexpr plain_route plain[] = {
      {"/api/v1/logout", http::verb::post, "POST", post_logout},
      {"/api/v1/meeting", http::verb::get, "GET", get_meeting},
      {"/api/v1/rooms", http::verb::get, "GET", get_rooms},
      {"/api/v1/rooms/stream", http::verb::get, "GET", get_rooms_stream},
      {"/api/v1/kiosks", http::verb::get, "GET", get_kiosks},
      {"/api/v1/attendees", http::verb::get, "GET", get_attendees},
      {"/api/v1/sharing", http::verb::get, "GET", get_sharing},
      {"/metrics", http::verb::get, "GET", get_metrics},
  };
  const plain_route* route = nullptr;
  for (const auto& r : plain)
    if (r.path == path) route = &r;
  const auto sub = route ? std::nullopt : split_attendee_path(path);
  if (!route && !sub) return std::nullopt;
  if (route) {
    if (auto r = only(route->verb, route->allow)) return r;
  } else if (sub->what == "transcript" || sub->what == "transcript.pdf" || sub->what == "scans") {
    if (auto r = only(http::verb::get, "GET")) return r;
  } else if (sub->what == "claims" || sub->what == "corrections") {
    if (auto r = only(http::verb::post, "POST")) return r;
  } else {
    return std::nullopt;
  }

  auto who = authenticate_staff(state, req);
  if (auto* res = std::get_if<http_response>(&who)) return routed{std::move(*res), {}};
  const auto& user = std::get<std::string>(who);
  auto r = [&]() -> routed {
    if (route) return route->run(state, req, user);
    if (sub->what == "transcript") return get_transcript(state, req, user, sub->badge);
    if (sub->what == "transcript.pdf") return get_transcript_pdf(state, req, user, sub->badge);
    if (sub->what == "claims") return post_desk(state, req, user, sub->badge, false);
    if (sub->what == "corrections") return post_desk(state, req, user, sub->badge, true);
    if (auto m = cached_meeting(state); !m) return {store_fault(m.error(), version), user};
    return {get_badge_scans(state.db, *state.cache.meeting_rows, sub->badge, req), user};
  }();
  r.who = "staff:" + user;
  return r;
}

}  // namespace cmetrack::central
