#pragma once
// A learner's credit across meetings (the meeting files' `learner_id`) and
// a society's requirement over the last years: what `cmetrack-central
// learner` prints as JSON or PDF (docs/formats.md, "cmetrack-central
// learner").
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "sync/central/reports/credit_requirement.h"

namespace cmetrack::central {

// The learner at one meeting.
struct learner_meeting {
  meeting of;         // rooms, sessions and activity facts (for the PDF)
  attendee who;       // the learner's attendee there
  interval span{};    // the first session's start to the last one's end
  int earned_quarters = 0;                  // the transcript's total_credits
  int earned_patient_safety_quarters = 0;
  std::optional<int> claimed_quarters;      // the claim in force; none before a claim
  std::optional<int> claimed_patient_safety_quarters;
  bool in_window = false;  // counts toward the requirement (make_learner_report sets it)
  // What counts toward a requirement: the claim where there is one (the
  // physician's own attestation), else the credit earned.
  int counted_quarters() const { return claimed_quarters.value_or(earned_quarters); }
  int counted_patient_safety_quarters() const {
    return claimed_patient_safety_quarters.value_or(earned_patient_safety_quarters);
  }
};

// The learner at the meeting in `db`, as of `now`; nothing where no attendee
// has the id. Two attendees with it (one kept from an earlier import) are
// refused, naming both badges.
result<std::optional<learner_meeting>> learner_at_meeting(sqlite::database& db, const meeting& m,
                                                          std::string_view learner_id, time_ms now);

// One requirement's figure: what it asks, what the meetings in the window give.
struct requirement_line {
  int required_quarters = 0;
  int counted_quarters = 0;
  bool met() const { return counted_quarters >= required_quarters; }
  int to_go_quarters() const { return met() ? 0 : required_quarters - counted_quarters; }
};

// The whole report: every meeting (by start, then meeting id), and the requirement over
// the window_years up to `as_of`. A meeting counts when it ended after the
// window's start and began before `as_of`.
struct learner_report {
  std::string learner_id;
  std::string name;  // as the latest meeting has it
  time_ms as_of = 0;
  std::vector<learner_meeting> meetings;
  credit_requirement requirement;
  time_ms window_start = 0;
  int total_quarters = 0;  // earned, every meeting
  int total_patient_safety_quarters = 0;
  requirement_line total, category1, patient_safety;
  bool met() const { return total.met() && category1.met() && patient_safety.met(); }
};

learner_report make_learner_report(std::string learner_id, std::vector<learner_meeting> meetings,
                                   const credit_requirement& requirement, time_ms as_of);

// `as_of` less `years` calendar years (29 February to 28 February).
time_ms years_before(time_ms as_of, int years);

nlohmann::ordered_json learner_json(const learner_report& r);

}  // namespace cmetrack::central
