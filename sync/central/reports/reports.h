#pragma once
// What the central node reports from the store: one attendee's transcript
// (JSON, and every attendee for the exports and PDFs). The live room
// counts are live_rooms.h.
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "shared/credit.h"
#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/scan_set.h"
#include "shared/sqlite/database.h"
#include "sync/central/reports/sharing_report.h"
#include "sync/central/store/desk_records.h"

namespace cmetrack::central {

// One attendee's transcript as docs/formats.md's JSON (find_transcript).
result<nlohmann::ordered_json> transcript_report(sqlite::database& db, const meeting& m, std::string_view badge, time_ms now);

// The engine's part of the transcript: docs/formats.md's fields up to "flags".
nlohmann::ordered_json transcript_json(const meeting& m, const attendee& a, const credit_summary& c);

// Every attendee on the roster, by badge, with the credit the engine gives
// them as of `now` and what the desk recorded (claims, corrections): what
// transcript --all and the exports are made from.
struct attendee_credit {
  attendee who;
  credit_summary credit;
  desk_record desk;
  // Badge sharing the meeting's rules flag (sharing_report.h); never changes the credit.
  std::vector<sharing_record> sharing{};
  // The attendee's claim code for the attendee page (store/claim_codes.h);
  // empty where it was not looked up. Printed on the transcript PDF.
  std::string claim_code{};
};

// The whole transcript: the above plus "claims" (null until the attendee
// claims), "corrections" (oldest first) and "sharing" (badge sharing,
// oldest first; empty when none or off), as docs/staff-api.md shows.
nlohmann::ordered_json transcript_json(const meeting& m, const attendee_credit& t);

// The claim in force beside the credit earned now, by session start; for
// the JSON and the PDF. `earned_quarters` is what the engine gives now (the
// claim row keeps what it gave when claimed).
struct claim_line {
  std::string session;  // the session id
  int session_index = -1;  // into meeting::sessions; -1 when the meeting no longer has it
  int earned_quarters = 0;
  int claimed_quarters = 0;
  int claimed_patient_safety_quarters = 0;  // of the claim, patient safety (docs/rules.md, "Claims")
};
struct claim_summary {
  std::vector<claim_line> sessions;  // empty: no claim
  int total_claimed_quarters = 0;   // capped at the meeting's maximum, like total_credits
  int total_claimed_patient_safety_quarters = 0;  // at most total_claimed_quarters
  std::string attested_by;          // the staff user of the latest claim
  time_ms attested_at = 0;
};
claim_summary summarize_claims(const meeting& m, const attendee_credit& t);
result<std::vector<attendee_credit>> every_attendee_credit(sqlite::database& db, const meeting& m, time_ms now);

// One attendee's credit as of `now`: what each form of a transcript (JSON,
// PDF) is made from. `badge` is a badge id or a payload the meeting's pattern
// takes one out of. An unregistered badge is refused (not_found), saying how
// many of its scans wait for registration.
result<attendee_credit> find_transcript(sqlite::database& db, const meeting& m, std::string_view badge, time_ms now);

}  // namespace cmetrack::central
