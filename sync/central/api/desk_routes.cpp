#include "sync/central/api/desk_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shared/badge.h"
#include "shared/bounds.h"
#include "shared/sqlite/statement.h"
#include "sync/central/reports/claims.h"
#include "sync/central/reports/corrections.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/meeting_store.h"

namespace cmetrack::central {
namespace {

using nlohmann::json;

http_response error_of(const error& e, unsigned version) {
  const auto status = e.kind == error_kind::bad_input   ? http::status::bad_request
                      : e.kind == error_kind::not_found ? http::status::not_found
                                                        : http::status::internal_server_error;
  return error_response(status, e.message, version);
}

// The roster's badge id for a badge id or payload; nothing when the badge is not on the roster.
result<std::optional<std::string>> roster_badge(sqlite::database& db, const meeting& m, std::string_view badge) {
  auto who = find_attendee(db, badge);
  if (!who) return std::unexpected(who.error());
  if (*who) return std::optional<std::string>((*who)->badge);
  auto pattern = badge_pattern::compile(m.badge_pattern, m.badge_key);
  if (!pattern) return std::unexpected(pattern.error());
  if (const auto id = pattern->extract(badge); id && *id != badge) {
    who = find_attendee(db, *id);
    if (!who) return std::unexpected(who.error());
    if (*who) return std::optional<std::string>((*who)->badge);
  }
  return std::optional<std::string>();
}

// The badge on the roster, or the 404 / 500 to answer.
std::optional<http_response> check_badge(sqlite::database& db, const meeting& m, std::string_view badge,
                                         unsigned version, std::string& id) {
  auto found = roster_badge(db, m, badge);
  if (!found) return error_of(found.error(), version);
  if (!*found)
    return error_response(http::status::not_found,
                          fmt::format("badge \"{}\": not on the roster of {}; look the attendee up by name", badge,
                                      m.id),
                          version);
  id = **found;
  return std::nullopt;
}

result<json> parse_body(const http_request& req) {
  auto body = json::parse(req.body(), nullptr, false);
  if (body.is_discarded())
    return bad_input("body: not JSON; send a JSON object (Content-Type: application/json)");
  if (!body.is_object()) return bad_input("body: not a JSON object; send {\"...\": ...}");
  return body;
}

result<std::string> text_field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return bad_input(fmt::format("{}: missing; it is required", name));
  if (!it->is_string()) return bad_input(fmt::format("{}: must be a string, not {}", name, it->dump()));
  // Ids, times and directions: none is longer than a title.
  if (auto e = bounds::check_text(name, it->get_ref<const std::string&>(), bounds::title)) return bad_input(*e);
  return it->get<std::string>();
}

result<time_ms> time_field(const json& body, const char* name) {
  auto text = text_field(body, name);
  if (!text) return std::unexpected(text.error());
  const auto t = parse_iso8601(*text);
  if (!t)
    return bad_input(fmt::format("{}: \"{}\" is not an ISO-8601 time with an offset; e.g. 2026-04-24T12:03:17Z",
                                 name, *text));
  return *t;
}

http_response transcript_answer(sqlite::database& db, const meeting& m, const std::string& badge, time_ms now,
                                unsigned version) {
  auto t = transcript_report(db, m, badge, now);
  if (!t) return error_of(t.error(), version);
  return json_response(http::status::ok, t->dump(), version);
}

// More lines than any meeting has sessions is a mistake, not a claim.
constexpr std::size_t max_claim_lines = 2000;

result<std::vector<claim_request_line>> claim_lines(const json& body) {
  const auto it = body.find("sessions");
  if (it == body.end() || it->is_null())
    return bad_input("sessions: missing; send [{\"session\": \"S1\", \"credits\": 0.75}, ...]");
  if (!it->is_array()) return bad_input(fmt::format("sessions: must be an array, not {}", it->dump()));
  if (it->size() > max_claim_lines)
    return bad_input(fmt::format("sessions: {} lines, more than the {} allowed; claim each session once",
                                 it->size(), max_claim_lines));
  std::vector<claim_request_line> lines;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& e = (*it)[i];
    const auto where = fmt::format("sessions[{}]", i);
    if (!e.is_object()) return bad_input(fmt::format("{}: must be {{\"session\", \"credits\"}}, not {}", where, e.dump()));
    auto session = text_field(e, "session");
    if (!session) return bad_input(fmt::format("{}.{}", where, session.error().message));
    const auto c = e.find("credits");
    if (c == e.end() || !c->is_number())
      return bad_input(fmt::format("{}.credits: missing or not a number; give the credits claimed, e.g. 0.75", where));
    auto quarters = claim_quarters(c->get<double>(), *session);
    if (!quarters) return std::unexpected(quarters.error());
    lines.push_back({std::move(*session), *quarters});
  }
  return lines;
}

result<correction_request> correction_of(const json& body) {
  correction_request c;
  auto action = text_field(body, "action");
  if (!action) return std::unexpected(action.error());
  auto parsed = parse_correction_action(*action);
  if (!parsed) return std::unexpected(parsed.error());
  c.action = *parsed;
  if (const auto r = body.find("reason"); r != body.end() && r->is_string()) {
    if (auto e = bounds::check_text("reason", r->get_ref<const std::string&>(), bounds::free_text))
      return bad_input(*e + "; nothing was recorded");
    c.reason = r->get<std::string>();
  }
  else if (r != body.end() && !r->is_null()) return bad_input(fmt::format("reason: must be a string, not {}", r->dump()));
  const auto text = [&](const char* name, std::string& out) -> result<void> {
    auto v = text_field(body, name);
    if (!v) return std::unexpected(v.error());
    out = std::move(*v);
    return {};
  };
  const auto time = [&](const char* name, time_ms& out) -> result<void> {
    auto v = time_field(body, name);
    if (!v) return std::unexpected(v.error());
    out = *v;
    return {};
  };
  switch (c.action) {
    case correction_action::add_stay:
    case correction_action::void_stay:
      CMETRACK_TRY(text("room", c.room));
      CMETRACK_TRY(time("from", c.from));
      CMETRACK_TRY(time("to", c.to));
      break;
    case correction_action::add_scan:
      CMETRACK_TRY(text("room", c.room));
      CMETRACK_TRY(text("direction", c.direction));
      CMETRACK_TRY(time("at", c.at));
      break;
    case correction_action::void_scan:
      CMETRACK_TRY(text("scan", c.scan));
      break;
  }
  return c;
}

}  // namespace

http_response post_claim(sqlite::database& db, const meeting& m, std::string_view badge, std::string_view staff_user,
                         const http_request& req, time_ms now) {
  const auto version = req.version();
  std::string id;
  if (auto refused = check_badge(db, m, badge, version, id)) return std::move(*refused);
  auto body = parse_body(req);
  if (!body) return error_of(body.error(), version);
  auto lines = claim_lines(*body);
  if (!lines) return error_of(lines.error(), version);
  const auto a = body->find("attestation");
  if (a != body->end() && !a->is_boolean() && !a->is_null())
    return error_response(http::status::bad_request,
                          fmt::format("attestation: must be true or false, not {}", a->dump()), version);
  const bool attested = a != body->end() && a->is_boolean() && a->get<bool>();
  if (auto r = record_claim(db, m, id, *lines, attested, staff_user, now); !r) return error_of(r.error(), version);
  return transcript_answer(db, m, id, now, version);
}

http_response post_correction(sqlite::database& db, const meeting& m, std::string_view badge,
                              std::string_view staff_user, const http_request& req, time_ms now) {
  const auto version = req.version();
  std::string id;
  if (auto refused = check_badge(db, m, badge, version, id)) return std::move(*refused);
  auto body = parse_body(req);
  if (!body) return error_of(body.error(), version);
  auto c = correction_of(*body);
  if (!c) return error_of(c.error(), version);
  if (auto r = record_correction(db, m, id, *c, staff_user, now); !r) return error_of(r.error(), version);
  return transcript_answer(db, m, id, now, version);
}

http_response get_badge_scans(sqlite::database& db, const meeting& m, std::string_view badge, const http_request& req) {
  const auto version = req.version();
  std::string id;
  if (auto refused = check_badge(db, m, badge, version, id)) return std::move(*refused);
  auto select = sqlite::statement::prepare(db, R"sql(
    SELECT s.id, s.kiosk, s.room, s.door, s.direction, s.at_ms, s.source, v.correction
    FROM scans s LEFT JOIN voided_scans v ON v.scan = s.id
    WHERE s.badge = ? ORDER BY s.at_ms, s.kiosk, s.seq)sql");
  if (!select) return error_of(select.error(), version);
  select->bind(1, std::string_view(id));
  auto out = json::array();
  auto read = select->for_each_row([&](const sqlite::statement& row) {
    json voided_by = nullptr;
    if (!row.is_null(7)) voided_by = row.int64(7);
    json source = nullptr;
    if (!row.is_null(6)) source = std::string(row.text(6));
    out.push_back({{"id", row.text(0)},
                   {"kiosk", row.text(1)},
                   {"room", row.text(2)},
                   {"door", row.text(3)},
                   {"direction", row.text(4)},
                   {"at", format_iso8601_utc(row.int64(5))},
                   {"source", source},
                   {"voided", !row.is_null(7)},
                   {"voided_by", voided_by}});
  });
  if (!read)
    return error_response(http::status::internal_server_error,
                          fmt::format("badge {}: cannot read its scans: {}", id, read.error().message), version);
  return json_response(http::status::ok, out.dump(), version);
}

}  // namespace cmetrack::central
