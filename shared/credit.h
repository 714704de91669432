#pragma once
// Stays -> credit (docs/rules.md, "From stays to credit"), for one attendee.
// Integer milliseconds and integer quarters (0.25 credit) throughout.
#include <cstdint>
#include <vector>

#include "shared/attendance.h"
#include "shared/meeting.h"

namespace cmetrack {

struct session_credit {
  int session = -1;  // index into meeting::sessions
  std::int64_t attended_seconds = 0;
  std::int64_t minutes = 0;
  int quarters = 0;
  int patient_safety_quarters = 0;
  friend bool operator==(const session_credit&, const session_credit&) = default;
};

struct credit_summary {
  std::vector<session_credit> sessions;  // attended_seconds > 0, by start time
  int total_quarters = 0;
  int total_patient_safety_quarters = 0;
  flag_set flags;  // the attendance's flags, and meeting_cap
};

// Quarters earned for attended_seconds under the meeting's rounding policy:
// nearest_quarter rounds a tie down (no credit for time not attended).
int quarters_for(std::int64_t attended_seconds, rounding_policy policy);

credit_summary credit(const meeting& m, const attendance& a);

// Credit as a number for people: quarters / 4, exact in binary floating point.
constexpr double credits(int quarters) { return quarters / 4.0; }

}  // namespace cmetrack
