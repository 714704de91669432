#pragma once
// The kiosk without a window: payloads on standard input, one JSON line a
// scan on standard output (docs/formats.md, "Headless line protocol").
#include "kiosk/core/scan_intake.h"

namespace cmetrack::kiosk {

struct headless_options {
  bool simulated_clock = false;  // each line is `ISO-TIME PAYLOAD`
};

// Runs until the end of standard input or SIGTERM/SIGINT (finishing the
// scan in hand). Returns the exit status: 0, or 1 where stdout fails.
int run_headless(kiosk_store& store, scan_intake& intake, const headless_options& options);

// The JSON line for one outcome (no newline).
std::string outcome_json(const scan_outcome& o);

}  // namespace cmetrack::kiosk
