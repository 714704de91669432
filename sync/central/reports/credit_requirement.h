#pragma once
// A society's requirement over several years (ASAPS: 150 credits in three
// years, at least 60 of them AMA PRA Category 1, 20 in patient safety), as
// the learner report checks it, and the small JSON file that gives it
// (docs/formats.md, "The requirement file").
#include <string>

#include "shared/error.h"

namespace cmetrack::central {

struct credit_requirement {
  std::string name;
  int total_quarters = 0;
  int category1_quarters = 0;
  int patient_safety_quarters = 0;
  int window_years = 0;
};

// ASAPS's, the report's default.
credit_requirement asaps_requirement();

// The requirement file at `path`; a bad file is refused (bad_input) naming
// the file, the field and what to write.
result<credit_requirement> read_requirement_file(const std::string& path);

}  // namespace cmetrack::central
