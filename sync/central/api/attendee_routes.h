#pragma once
// The attendee page's routes (docs/staff-api.md, "The attendee page"):
// attendees sign in with their badge and claim code
// (store/claim_codes.h), then see their own transcript, answer the
// evaluation (evaluation_routes.h), claim their credit and download their
// certificate. An attendee's token reaches only that attendee's data:
// routes.cpp's table authenticates it (route_support.h) and sets ctx.badge.
//
//   POST /api/v1/attendee/login     {"badge", "code"} -> {"token", "expires_at", "badge", "name"}
//   POST /api/v1/attendee/logout    204
//   GET  /api/v1/me                 who, and the meeting
//   GET  /api/v1/me/transcript      as the desk's transcript
//   POST /api/v1/me/claims          as the desk's claim; 409 until the evaluation is complete
//   GET  /api/v1/me/certificate.pdf the certificate; 409 before a claim
//   GET  /me                        the page (assets/web/me.html)
#include <string_view>
#include <variant>

#include "sync/central/api/routes.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {

// Who recorded a claim an attendee made on the attendee page (claims'
// staff_user; no staff user's name holds a space).
inline constexpr std::string_view attendee_claimant = "the attendee";

// The signed-in attendee's credit as of now, or the answer to give (404
// where the badge left the roster after signing in).
std::variant<attendee_credit, routed> my_transcript(request_context& ctx);

routed post_attendee_login(request_context& ctx);
routed post_attendee_logout(request_context& ctx);
routed get_me(request_context& ctx);
routed get_my_transcript(request_context& ctx);
routed post_my_claims(request_context& ctx);
routed get_my_certificate(request_context& ctx);
routed get_attendee_page(request_context& ctx);

}  // namespace cmetrack::central
