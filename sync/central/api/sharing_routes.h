#pragma once
// GET /api/v1/sharing (staff token): every badge the meeting's badge-sharing
// rules flag, newest first, with the attendee's name and the events
// (reports/sharing_report.h; docs/staff-api.md).
#include "sync/central/api/routes.h"

namespace cmetrack::central {

routed get_sharing(request_context& ctx);

}  // namespace cmetrack::central
