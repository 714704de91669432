#pragma once
// The staff routes of cmetrack-central serve (docs/staff-api.md): login and
// logout, the meeting, rooms and their stream, kiosks, attendee search,
// transcripts (JSON, PDF), claims, corrections, and /metrics. Every one but
// login takes a staff token.
#include <optional>
#include <string>
#include <string_view>

#include "sync/central/api/routes.h"

namespace cmetrack::central {

// The answer where `path` is a staff route (or a page), else nullopt.
std::optional<routed> staff_route(server_state& state, const http_request& req, std::string_view path,
                                  const std::string& client);

}  // namespace cmetrack::central
