#include "sync/central/api/staff_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

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
#include "sync/central/store/claim_codes.h"
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

routed answer_json(const request_context& ctx, const json& body) { return ctx.answer(json_ok(body, ctx.version())); }

// `text` for a LIKE pattern that matches it anywhere, literally.
std::string like_anywhere(std::string_view text) {
  std::string out = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// A claim or a correction, then (a correction) the badge's stays on the dashboard.
routed post_desk(request_context& ctx, bool correction) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  const auto& m = *ctx.meeting_rows;
  auto& db = ctx.state.db;
  auto res = correction ? post_correction(db, m, ctx.badge, ctx.user, ctx.request, ctx.now)
                        : post_claim(db, m, ctx.badge, ctx.user, ctx.request, ctx.now);
  if (correction && res.result() == http::status::ok) {
    try {
      const auto id = nlohmann::json::parse(res.body()).at("badge").get<std::string>();
      if (auto r = refresh_dashboard(ctx.state, {id}); !r) fmt::print(stderr, "- - - dashboard: {}\n", r.error().message);
    } catch (const nlohmann::json::exception&) {
    }
  }
  return ctx.answer(std::move(res));
}

}  // namespace

routed post_login(request_context& ctx) {
  auto& state = ctx.state;
  const auto version = ctx.version();
  std::string user, password;
  try {
    const auto body = nlohmann::json::parse(ctx.request.body());
    user = body.at("user").get<std::string>();
    password = body.at("password").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return ctx.answer(http::status::bad_request, "a login is JSON {\"user\": NAME, \"password\": PASSWORD}");
  }
  for (const auto& e : {bounds::check_text("user", user, bounds::id),
                        bounds::check_text("password", password, bounds::password)})
    if (e) return ctx.answer(http::status::bad_request, *e);
  const auto now = ctx.now;
  const auto& client = ctx.client;
  if (const auto wait = state.logins.wait_ms(user, client, now); wait > 0) {
    const auto seconds = (wait + 999) / 1000;
    auto res = error_response(http::status::too_many_requests,
                              fmt::format("too many failed logins; try again in {} seconds", seconds), version);
    res.set(http::field::retry_after, std::to_string(seconds));
    return ctx.answer(std::move(res));
  }
  // Counted as a failure now, taken back if the password is right: guesses
  // sent at once are held as one after another.
  state.logins.failed(user, client, now);
  auto stored = stored_password_hash(state.db, user);
  if (!stored) {
    identify_staff(ctx, user);
    return ctx.fault(stored.error());
  }
  // The hashing (about 0.1 s) runs off serve's thread; the rest back on it,
  // where the user is the caller once the password matched.
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
    const auto who = staff_who(user);
    auto session = start_session(state.db, user, now);
    if (!session) return {store_fault(session.error(), version), who};
    return {json_ok({{"token", session->token}, {"user", user}, {"expires_at", format_iso8601_utc(session->expires)}},
                    version),
            who};
  };
  return ctx.later(std::move(later));
}

routed post_logout(request_context& ctx) {
  if (auto r = log_out(ctx.state.db, *bearer_token(ctx.request), ctx.now); !r) return ctx.fault(r.error());
  http_response res{http::status::no_content, ctx.version()};
  res.set(http::field::cache_control, "no-store");
  return ctx.answer(std::move(res));
}

nlohmann::ordered_json meeting_json(const meeting& m) {
  time_ms starts = 0, ends = 0;
  for (const auto& s : m.sessions) {
    if (starts == 0 || s.start < starts) starts = s.start;
    if (s.end > ends) ends = s.end;
  }
  const auto text_or_null = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
  return {{"id", m.id},
          {"name", m.name},
          {"timezone", m.timezone},
          {"starts", m.sessions.empty() ? json(nullptr) : json(format_iso8601_utc(starts))},
          {"ends", m.sessions.empty() ? json(nullptr) : json(format_iso8601_utc(ends))},
          {"max_credits", credits(m.max_quarters)},
          {"designation", designation_statement(m)},
          {"provider", text_or_null(m.activity.provider)},
          {"location", text_or_null(m.activity.location)}};
}

routed get_meeting(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  return answer_json(ctx, meeting_json(*ctx.meeting_rows));
}

routed get_rooms(request_context& ctx) {
  if (auto r = ensure_dashboard(ctx.state); !r) return ctx.fault(r.error());
  return answer_json(ctx, ctx.state.dashboard.rooms.rooms_json(ctx.now));
}

routed get_rooms_stream(request_context& ctx) {
  auto snapshot = stream_snapshot(ctx.state);
  if (!snapshot) return ctx.fault(snapshot.error());
  http_response res{http::status::ok, ctx.version()};
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(*snapshot);
  auto out = ctx.answer(std::move(res));
  out.event_stream = true;
  return out;
}

routed get_kiosks(request_context& ctx) {
  auto list = list_kiosks(ctx.state.db);
  if (!list) return ctx.fault(list.error());
  auto out = json::array();
  for (const auto& k : *list) out.push_back(kiosk_status_json(k));
  return answer_json(ctx, out);
}

routed get_attendees(request_context& ctx) {
  const auto q = std::string(trim(query_parameter(sv(ctx.request.target()), "q")));
  auto out = json::array();
  if (q.empty()) return answer_json(ctx, out);
  if (auto e = bounds::check_text("q", q, bounds::name)) return ctx.answer(http::status::bad_request, *e);
  auto find = sqlite::statement::prepare(ctx.state.db, R"sql(
    SELECT badge, first_name, last_name, degree FROM attendees
    WHERE badge LIKE ?1 ESCAPE '\' OR first_name || ' ' || last_name LIKE ?1 ESCAPE '\'
       OR last_name || ', ' || first_name LIKE ?1 ESCAPE '\'
    ORDER BY badge = ?2 DESC, last_name, first_name, badge LIMIT 50)sql");
  if (!find) return ctx.fault(find.error());
  const auto pattern = like_anywhere(q);
  find->bind(1, std::string_view(pattern)).bind(2, std::string_view(q));
  auto read = find->for_each_row([&](const sqlite::statement& row) {
    out.push_back({{"badge", row.text(0)},
                   {"name", fmt::format("{} {}", row.text(1), row.text(2))},
                   {"degree", row.is_null(3) ? json(nullptr) : json(row.text(3))}});
  });
  if (!read) return ctx.fault(read.error());
  return answer_json(ctx, out);
}

routed get_transcript(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  auto t = transcript_report(ctx.state.db, *ctx.meeting_rows, ctx.badge, ctx.now);
  if (!t) {
    if (t.error().kind == error_kind::not_found) return ctx.answer(http::status::not_found, t.error().message);
    return ctx.fault(t.error());
  }
  return answer_json(ctx, *t);
}

routed get_transcript_pdf(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  const auto now = ctx.now;
  auto t = find_transcript(ctx.state.db, *ctx.meeting_rows, ctx.badge, now);
  if (!t) {
    if (t.error().kind == error_kind::not_found) return ctx.answer(http::status::not_found, t.error().message);
    return ctx.fault(t.error());
  }
  auto codes = claim_codes::load(ctx.state.db);
  if (!codes) return ctx.fault(codes.error());
  t->claim_code = codes->code(t->who.badge);
  // Drawing takes tens of milliseconds: on a worker.
  auto transcript = std::make_shared<const attendee_credit>(std::move(*t));
  auto pdf = std::make_shared<result<std::string>>(failure("not drawn"));
  auto later = std::make_shared<deferred>();
  later->off_thread = [pdf, transcript, m = ctx.meeting_rows, now] {
    *pdf = transcript_pdf_bytes(*m, std::span(transcript.get(), 1), now);
  };
  later->then = [pdf, transcript, version = ctx.version(), who = ctx.who]() -> routed {
    if (!*pdf) return {store_fault(pdf->error(), version), who};
    return {pdf_response(std::move(**pdf), fmt::format("transcript-{}.pdf", transcript->who.badge), version), who};
  };
  return ctx.later(std::move(later));
}

routed get_attendee_scans(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  return ctx.answer(get_badge_scans(ctx.state.db, *ctx.meeting_rows, ctx.badge, ctx.request));
}

routed post_claims(request_context& ctx) { return post_desk(ctx, false); }

routed post_corrections(request_context& ctx) { return post_desk(ctx, true); }

// A page (assets/web, built in), with headers that keep it to itself: no
// script, style or frame from elsewhere, never framed by another site.
routed get_page(request_context& ctx) { return answer_page(ctx, *find_web_asset(ctx.path)); }

routed answer_page(request_context& ctx, const web_asset& page) {
  const auto& req = ctx.request;
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
  return ctx.answer(std::move(res));
}

// Prometheus text format: the rooms, the sessions, the kiosks, the store,
// the requests answered.
routed get_metrics(request_context& ctx) {
  auto& state = ctx.state;
  if (auto r = ensure_dashboard(state); !r) return ctx.fault(r.error());
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
  if (!quarantined) return ctx.fault(quarantined.error());
  out += fmt::format("# HELP cmetrack_scans_quarantined Scans set apart with a reason.\n"
                     "# TYPE cmetrack_scans_quarantined gauge\ncmetrack_scans_quarantined {}\n",
                     *quarantined);
  auto kiosks = list_kiosks(state.db);
  if (!kiosks) return ctx.fault(kiosks.error());
  const auto now = ctx.now;
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
  http_response res{http::status::ok, ctx.version()};
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(out);
  res.prepare_payload();
  return ctx.answer(std::move(res));
}

}  // namespace cmetrack::central
