#pragma once
// An attendee's certificate as a PDF (cairo, one US Letter page, landscape)
// for the attendee page: for a physician (is_physician) a certificate of
// AMA PRA Category 1 Credit™ claimed, for anyone else a certificate of
// participation in hours that does not award the credit; either with the
// provider, the activity, its dates and place, the designation statement
// and the date of the claim, in the meeting's wall-clock time
// (meeting_clock.h). Long names and statements wrap, and text too long for
// the page is set smaller: nothing is cut.
#include <string>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/time.h"

namespace cmetrack::central {

struct certificate {
  attendee who;
  bool physician = false;          // is_physician(m, who): AMA PRA certificate; else certificate of participation
  int claimed_quarters = 0;        // the total claimed (already capped at the meeting's maximum)
  int patient_safety_quarters = 0; // of it, patient safety
  time_ms claimed_at = 0;          // when the claim in force was recorded: "the date" (0: made_at's)
};

// The certificate as PDF bytes, for GET /api/v1/me/certificate.pdf. `made_at` is printed small at the foot.
result<std::string> certificate_pdf_bytes(const meeting& m, const certificate& c, time_ms made_at);

}  // namespace cmetrack::central
