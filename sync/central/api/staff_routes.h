#pragma once
// The staff routes of cmetrack-central serve (docs/staff-api.md): login and
// logout, the meeting, rooms and their stream, kiosks, attendee search,
// transcripts (JSON, PDF), claims, corrections, /metrics and the staff
// pages. Every one but login and the pages takes a staff token, checked
// before the route runs (routes.cpp's table): ctx.user is the caller.
#include <nlohmann/json.hpp>

#include "sync/central/api/routes.h"
#include "sync/central/api/web_assets.h"

namespace cmetrack::central {

routed post_login(request_context& ctx);
routed post_logout(request_context& ctx);
routed get_meeting(request_context& ctx);
routed get_rooms(request_context& ctx);
// The head and first events of a stream that stays open (routed::event_stream).
routed get_rooms_stream(request_context& ctx);
routed get_kiosks(request_context& ctx);
routed get_attendees(request_context& ctx);
// /api/v1/attendees/{badge}/...: ctx.badge.
routed get_transcript(request_context& ctx);
routed get_transcript_pdf(request_context& ctx);
routed get_attendee_scans(request_context& ctx);
routed post_claims(request_context& ctx);
routed post_corrections(request_context& ctx);
routed get_metrics(request_context& ctx);
// GET or HEAD of a staff page (assets/web, built in) at ctx.path.
routed get_page(request_context& ctx);

// A page of assets/web, with the headers every page gets.
routed answer_page(request_context& ctx, const web_asset& page);

// GET /api/v1/meeting's answer, which GET /api/v1/me repeats.
nlohmann::ordered_json meeting_json(const meeting& m);

}  // namespace cmetrack::central
