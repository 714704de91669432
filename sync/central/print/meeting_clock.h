#pragma once
// The meeting's wall-clock time in the words of the printed documents
// (transcripts, certificates): its time zone (shared/meeting_zone.h; UTC
// where the system does not know it), on any thread.
#include <optional>
#include <string>

#include "shared/meeting.h"
#include "shared/meeting_zone.h"

namespace cmetrack::central {

class meeting_clock {
 public:
  explicit meeting_clock(const std::string& zone) : zone_(zone) {}

  std::string day(time_ms t) const;            // "Fri 24 Apr"
  std::string long_day(time_ms t) const;       // "Friday 24 April 2026"
  std::string clock(time_ms t) const;          // "08:00"
  std::string clock_seconds(time_ms t) const;  // "08:00:05"
  std::string stamp(time_ms t) const;          // "24 Apr 2026 12:00 EDT"
  std::string us_date(time_ms t) const;        // "April 24, 2026"
  // The days from `first` to `last` (inclusive) as a certificate prints
  // them: "April 24, 2026", "April 24-27, 2026", "April 30 - May 2, 2026",
  // "December 30, 2026 - January 2, 2027".
  std::string us_date_range(time_ms first, time_ms last) const;

 private:
  meeting_zone zone_;
};

}  // namespace cmetrack::central
