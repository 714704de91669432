#pragma once
// A badge held in front of the camera is one scan. The camera sees the same
// code in frame after frame; this turns "payloads seen in the frame at time
// t" into "payloads to report now":
//
//   first seen ............................................. report
//   seen again, last seen <= hold_gap ago .................. nothing (held;
//                                                            a few missed frames
//                                                            do not matter)
//   seen again, last seen  > hold_gap ago .................. report (removed
//                                                            and shown again)
//   held without a break for represent_after (when > 0) .... report again
//
// Time is given by the caller (ms, any monotonic origin), so it is tested
// without a clock. Several codes in view are tracked independently.
#include <string>
#include <unordered_map>
#include <vector>

#include "shared/time.h"

namespace cmetrack::kiosk {

struct hold_options {
  // A badge unseen for longer than this has been taken away.
  time_ms hold_gap = 2 * ms_per_second;
  // Report a badge held without a break again after this long; 0: never.
  // Off by default: a badge left in view (on a lanyard, say) would
  // otherwise be scanned again and, at an `auto` door, check its wearer out.
  time_ms represent_after = 0;
};

class hold_filter {
 public:
  explicit hold_filter(hold_options options = {}) : options_(options) {}

  // The payloads decoded from the frame taken at `now` (times must not go
  // backwards) -> those to report, in the order given, each at most once.
  std::vector<std::string> on_frame(time_ms now, const std::vector<std::string>& payloads);

  // How many badges are tracked as in view (or recently so).
  std::size_t tracked() const { return held_.size(); }

 private:
  struct held {
    time_ms last_seen = 0;
    time_ms reported = 0;
  };
  hold_options options_;
  std::unordered_map<std::string, held> held_;
};

}  // namespace cmetrack::kiosk
