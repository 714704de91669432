#pragma once
// A keyboard-wedge scanner types the badge as keystrokes, a few ms apart,
// and ends with Enter. A person at the keyboard types far slower. This
// classifier tells the two apart from the keystrokes' times alone.
//
//   key (char, time_ms) --gap >= 50 ms since the previous key?--> start over
//        |                                      (typing, not a scan)
//        v
//   Enter less than 50 ms after a run of fast keys --> the run is a scan
//
// Pure: no clock, no I/O. The UI feeds it the keys it receives.
#include <optional>
#include <string>

#include "shared/time.h"

namespace cmetrack::kiosk {

class wedge_classifier {
 public:
  // Keys of one scan arrive less than this apart.
  static constexpr time_ms max_gap_ms = 50;

  // Feeds one key ('\n' or '\r' is Enter). Returns the payload when this key
  // completes a scan.
  std::optional<std::string> feed(char key, time_ms at);

 private:
  std::string run_;  // the current run of fast keys
  time_ms last_at_ = 0;
  bool has_last_ = false;
};

}  // namespace cmetrack::kiosk
