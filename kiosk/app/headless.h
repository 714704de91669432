#pragma once
// The kiosk without a window: payloads on standard input, one JSON line a
// scan on standard output (docs/formats.md, "Headless line protocol").
#include <optional>
#include <string>

#include "kiosk/core/scan_intake.h"

namespace cmetrack::kiosk {

struct headless_options {
  bool simulated_clock = false;  // each line is `ISO-TIME PAYLOAD`
};

// Runs until the end of standard input or SIGTERM/SIGINT (finishing the
// scan in hand). Returns the exit status: 0, or 1 where stdout fails.
// Without an intake (kiosk.db holds no meeting yet) it says on stderr that
// it waits, refuses each scan (an `error` line, "waiting": true) and takes
// scans from the moment the sync agent caches the meeting.
int run_headless(kiosk_store& store, const kiosk_config& config, std::optional<scan_intake> intake,
                 const headless_options& options);

// The JSON line for one outcome (no newline); `waiting`: refused because
// the kiosk waits for its room's meeting.
std::string outcome_json(const scan_outcome& o, bool waiting = false);

}  // namespace cmetrack::kiosk
