#pragma once
// Replays a planned crowd into headless kiosks (`cmetrack-kiosk --headless
// --simulated-clock`), one `ISO-TIME PAYLOAD` line a scan, written to each
// kiosk's standard input (a FIFO or any file opened for writing).
//
// The meeting clock starts at `from` and runs `speed` times as fast as the
// real one until it reaches the real time; from then on it is the real time,
// so the central node, which counts presence at its real now, sees the rooms
// fill as the replay catches up. A scan is written when the meeting clock
// reaches its time, stamped with that time.
//
// One kiosk may go offline for a while (meeting time): its sync agent is
// stopped (SIGSTOP) and continued (SIGCONT) afterwards, while the kiosk goes
// on recording; the agent then catches up. It is continued on any exit.
#include <string>
#include <sys/types.h>
#include <vector>

#include "deploy/crowd/crowd_plan.h"
#include "shared/error.h"

namespace cmetrack::crowd {

struct replay_kiosk {
  std::string id;
  std::string input;  // the path written to: the kiosk's standard input
};

struct replay_options {
  time_ms from = 0;     // the meeting clock's start
  double speed = 60;    // meeting seconds a real second until caught up
  int offline_kiosk = -1;  // index into the kiosks, or -1
  pid_t offline_agent = 0;
  time_ms offline_from = 0, offline_until = 0;  // meeting time
  int status_every_ms = 10'000;  // a status line on standard output
};

// Until every scan is written (exit 0), or SIGTERM/SIGINT (stops at once,
// also 0). Fails naming the kiosk whose input cannot be opened or written.
result<long> replay(const std::vector<replay_kiosk>& kiosks, const std::vector<planned_scan>& scans,
                    const replay_options& o);

}  // namespace cmetrack::crowd
