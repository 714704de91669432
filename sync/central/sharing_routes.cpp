#include "sync/central/sharing_routes.h"

#include "sync/central/route_support.h"
#include "sync/central/sharing_report.h"

namespace cmetrack::central {

routed get_sharing(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  if (auto r = cached_meeting(state); !r)
    return {error_response(http::status::internal_server_error, r.error().message, version), user};
  auto report = sharing_report(state.db, *state.cache.meeting_rows, system_now());
  if (!report) return {error_response(http::status::internal_server_error, report.error().message, version), user};
  return {json_response(http::status::ok, report->dump() + "\n", version), user};
}

}  // namespace cmetrack::central
