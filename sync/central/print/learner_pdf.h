#pragma once
// A learner's credit across meetings as a PDF (cairo, US Letter portrait):
// the learner, each meeting with its dates (in the meeting's own time zone),
// the credit earned, claimed and counted, and the requirement's three lines
// with what is still to go. More pages where the meetings do not fit one.
#include <string>

#include "shared/error.h"
#include "shared/time.h"
#include "sync/central/reports/learner_report.h"

namespace cmetrack::central {

// Writes the report to `path`, whole or not at all; returns the pages drawn.
result<int> write_learner_pdf(const learner_report& r, time_ms made_at, const std::string& path);

}  // namespace cmetrack::central
