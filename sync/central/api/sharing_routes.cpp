#include "sync/central/api/sharing_routes.h"

#include <memory>

#include "sync/central/api/route_support.h"
#include "sync/central/reports/sharing_report.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {

// Reads every badge's scans (seconds at congress size): on a worker, from a
// read-only connection of its own, so batches and streams go on meanwhile.
routed get_sharing(server_state& state, const http_request& req, const std::string& user) {
  const auto version = req.version();
  if (auto r = cached_meeting(state); !r)
    return {error_response(http::status::internal_server_error, r.error().message, version), user};
  auto report = std::make_shared<result<nlohmann::ordered_json>>(failure("not read"));
  auto later = std::make_shared<deferred>();
  later->off_thread = [report, path = state.db.path(), m = state.cache.meeting_rows, now = now_ms()] {
    auto db = open_store_reader(path);
    if (!db) *report = std::unexpected(db.error());
    else *report = sharing_report(*db, *m, now);
  };
  later->then = [report, version, user]() -> routed {
    if (!*report)
      return {error_response(http::status::internal_server_error, report->error().message, version), user};
    return {json_response(http::status::ok, (*report)->dump() + "\n", version), user};
  };
  routed out;
  out.later = std::move(later);
  out.who = user;
  return out;
}

}  // namespace cmetrack::central
