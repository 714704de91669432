#pragma once
// The dashboard's live feed in serve: keeps dashboard_state (routes.h) up to
// date and queues a Server-Sent Event for each room whose picture changed
// and each kiosk that reported in (docs/staff-api.md, "The stream").
#include <set>
#include <string>
#include <string_view>

#include "shared/error.h"
#include "sync/central/api/routes.h"

namespace cmetrack::central {

// The meeting cached and the live rooms built (a full rebuild the first time).
result<void> ensure_dashboard(server_state& state);

// Recomputes `badges` (after a batch or a correction) and queues the events
// of the rooms that changed.
result<void> refresh_dashboard(server_state& state, const std::set<std::string>& badges);

// After serve's own commit of scans whose badges were just refreshed: moves
// the picture's mark past them, unless another process committed meanwhile
// (then the next tick reads what is new from the old mark).
result<void> note_own_scans(server_state& state);

// Queues a `kiosk` event with the kiosk's status.
void publish_kiosk(server_state& state, std::string_view kiosk);

// The first events of a new stream: every room, then every kiosk.
result<std::string> stream_snapshot(server_state& state);

// "event: NAME\ndata: JSON\n\n"
std::string sse_event(std::string_view name, std::string_view json);

}  // namespace cmetrack::central
