#include "sync/central/api/sharing_routes.h"

#include <memory>

#include "sync/central/api/route_support.h"
#include "sync/central/reports/sharing_report.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {

// Reads every badge's scans (seconds at congress size): on a worker, from a
// read-only connection of its own, so batches and streams go on meanwhile.
routed get_sharing(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  auto report = std::make_shared<result<nlohmann::ordered_json>>(failure("not read"));
  auto later = std::make_shared<deferred>();
  later->off_thread = [report, path = ctx.state.db.path(), m = ctx.meeting_rows, now = ctx.now] {
    auto db = open_store_reader(path);
    if (!db) *report = std::unexpected(db.error());
    else *report = sharing_report(*db, *m, now);
  };
  later->then = [report, version = ctx.version(), who = ctx.who]() -> routed {
    if (!*report)
      return {error_response(http::status::internal_server_error, report->error().message, version), who};
    return {json_response(http::status::ok, (*report)->dump() + "\n", version), who};
  };
  return ctx.later(std::move(later));
}

}  // namespace cmetrack::central
