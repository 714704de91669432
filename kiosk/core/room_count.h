#pragma once
// The room's live count as this kiosk knows it: how many badges are inside
// the kiosk's room by the kiosk's own scans, computed with libcmetrack's
// engine (attend()), the way the central node would from the same scans.
// Another door's scans are not here, so staff read it as "by this door".
#include <span>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/meeting.h"

namespace cmetrack::kiosk {

// Badges (on the roster or not yet) whose latest stay in the kiosk's room
// is open at `now`. Scans without a badge (invalid_badge) and scans of
// another room are left out. `m` is the cached meeting (one room, index 0).
int count_inside(const meeting& m, const kiosk_config& config, std::span<const scan_row> scans, time_ms now);

// The same over every scan in kiosk.db.
result<int> count_inside(kiosk_store& store, const meeting& m, const kiosk_config& config, time_ms now);

}  // namespace cmetrack::kiosk
