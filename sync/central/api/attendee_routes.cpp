#include "sync/central/api/attendee_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <variant>

#include "shared/bounds.h"
#include "sync/central/api/desk_routes.h"
#include "sync/central/api/evaluation_routes.h"
#include "sync/central/api/route_support.h"
#include "sync/central/api/staff_routes.h"
#include "sync/central/api/web_assets.h"
#include "sync/central/print/certificate_pdf.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/attendee_sessions.h"
#include "sync/central/store/claim_codes.h"
#include "sync/central/store/meeting_store.h"

namespace cmetrack::central {
namespace {

using json = nlohmann::ordered_json;

routed answer_json(const request_context& ctx, const json& body) {
  return ctx.answer(json_response(http::status::ok, body.dump() + "\n", ctx.version()));
}

}  // namespace

std::variant<attendee_credit, routed> my_transcript(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  auto t = find_transcript(ctx.state.db, *ctx.meeting_rows, ctx.badge, ctx.now);
  if (!t) {
    // The badge left the roster after signing in (init with a new roster).
    if (t.error().kind == error_kind::not_found) return ctx.answer(http::status::not_found, t.error().message);
    return ctx.fault(t.error());
  }
  return std::move(*t);
}

routed post_attendee_login(request_context& ctx) {
  auto& state = ctx.state;
  const auto version = ctx.version();
  std::string badge, code;
  try {
    const auto body = nlohmann::json::parse(ctx.request.body());
    badge = body.at("badge").get<std::string>();
    code = body.at("code").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return ctx.answer(http::status::bad_request,
                      "a sign-in is JSON {\"badge\": BADGE, \"code\": CLAIM CODE}; both are on your badge sheet and "
                      "transcript");
  }
  for (const auto& e : {bounds::check_text("badge", badge, bounds::payload), bounds::check_text("code", code, bounds::id)})
    if (e) return ctx.answer(http::status::bad_request, *e);
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  // A badge id, or what its barcode holds.
  std::string id = badge;
  if (const auto extracted = state.cache.pattern->extract(badge)) id = std::string(*extracted);
  const auto now = ctx.now;
  const auto& client = ctx.client;
  const auto throttled = "badge:" + id;
  if (const auto wait = state.attendee_logins.wait_ms(throttled, client, now); wait > 0) {
    const auto seconds = (wait + 999) / 1000;
    auto res = error_response(
        http::status::too_many_requests,
        fmt::format("too many tries with a wrong code; try again in {} seconds, or ask at the registration desk",
                    seconds),
        version);
    res.set(http::field::retry_after, std::to_string(seconds));
    return ctx.answer(std::move(res));
  }
  state.attendee_logins.failed(throttled, client, now);
  auto codes = claim_codes::load(state.db);
  if (!codes) return ctx.fault(codes.error());
  auto who = find_attendee(state.db, id);
  if (!who) return ctx.fault(who.error());
  // An unknown badge costs the same check as a known one.
  const bool right = codes->matches(id, code) && *who;
  if (!right) {
    fmt::print(stderr, "- - - attendee sign-in refused for badge \"{}\" from {}\n", id, client);
    return ctx.answer(unauthorized("badge or claim code is wrong; both are on your badge sheet and transcript", version));
  }
  state.attendee_logins.succeeded(throttled, client, now);
  ctx.badge = id;
  ctx.who = "attendee:" + id;
  auto session = start_attendee_session(state.db, id, now);
  if (!session) return ctx.fault(session.error());
  auto res = json_response(http::status::ok,
                           json{{"token", session->token},
                                {"expires_at", format_iso8601_utc(session->expires)},
                                {"badge", id},
                                {"name", (*who)->name()}}
                                   .dump() +
                               "\n",
                           version);
  res.set(http::field::cache_control, "no-store");
  return ctx.answer(std::move(res));
}

routed post_attendee_logout(request_context& ctx) {
  if (auto r = end_attendee_session(ctx.state.db, *bearer_token(ctx.request), ctx.now); !r)
    return ctx.fault(r.error());
  http_response res{http::status::no_content, ctx.version()};
  res.set(http::field::cache_control, "no-store");
  return ctx.answer(std::move(res));
}

routed get_me(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  const auto& m = *ctx.meeting_rows;
  auto who = find_attendee(ctx.state.db, ctx.badge);
  if (!who) return ctx.fault(who.error());
  if (!*who)
    return ctx.answer(http::status::not_found,
                      fmt::format("badge {} is no longer on the roster of {}; ask at the registration desk", ctx.badge,
                                  m.id));
  const auto& a = **who;
  return answer_json(ctx, {{"badge", a.badge},
                           {"name", a.name()},
                           {"degree", a.degree ? json(*a.degree) : json(nullptr)},
                           {"physician", is_physician(m, a)},
                           {"meeting", meeting_json(m)},
                           {"evaluation_required", m.evaluation.required && m.evaluation.any()}});
}

routed get_my_transcript(request_context& ctx) {
  auto t = my_transcript(ctx);
  if (auto* answer = std::get_if<routed>(&t)) return std::move(*answer);
  return answer_json(ctx, transcript_json(*ctx.meeting_rows, std::get<attendee_credit>(t)));
}

routed post_my_claims(request_context& ctx) {
  auto t = my_transcript(ctx);
  if (auto* answer = std::get_if<routed>(&t)) return std::move(*answer);
  auto& db = ctx.state.db;
  const auto& m = *ctx.meeting_rows;
  auto blocked = evaluation_blocks_claim(db, m, std::get<attendee_credit>(t));
  if (!blocked) return ctx.fault(blocked.error());
  if (!blocked->empty()) return ctx.answer(http::status::conflict, *blocked);
  return ctx.answer(post_claim(db, m, ctx.badge, attendee_claimant, ctx.request, ctx.now));
}

routed get_my_certificate(request_context& ctx) {
  auto found = my_transcript(ctx);
  if (auto* answer = std::get_if<routed>(&found)) return std::move(*answer);
  const auto& m = *ctx.meeting_rows;
  auto& t = std::get<attendee_credit>(found);
  const auto claims = summarize_claims(m, t);
  if (claims.sessions.empty())
    return ctx.answer(http::status::conflict,
                      "no credit is claimed yet: claim your credit first, then download the certificate");
  auto cert = std::make_shared<const certificate>(certificate{t.who, is_physician(m, t.who), claims.total_claimed_quarters,
                                                              claims.total_claimed_patient_safety_quarters,
                                                              claims.attested_at});
  // Drawing takes tens of milliseconds: on a worker.
  const auto now = ctx.now;
  auto pdf = std::make_shared<result<std::string>>(failure("not drawn"));
  auto later = std::make_shared<deferred>();
  later->off_thread = [pdf, cert, m = ctx.meeting_rows, now] { *pdf = certificate_pdf_bytes(*m, *cert, now); };
  later->then = [pdf, cert, version = ctx.version(), who = ctx.who]() -> routed {
    if (!*pdf) return {error_response(http::status::internal_server_error, pdf->error().message, version), who};
    return {pdf_response(std::move(**pdf), fmt::format("certificate-{}.pdf", cert->who.badge), version), who};
  };
  return ctx.later(std::move(later));
}

routed get_attendee_page(request_context& ctx) {
  const auto* page = find_web_asset("/me.html");
  if (!page) return ctx.answer(http::status::not_found, "the attendee page is not built into this server");
  return answer_page(ctx, *page);
}

}  // namespace cmetrack::central
