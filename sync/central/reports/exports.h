#pragma once
// The desk's CSV exports beside export --scans (docs/formats.md,
// "export --attendance" and "export --pars"): attendance, one row per
// attendee and session attended, and the learner file for ACCME's PARS
// upload with the attendees left out of it for lack of a field PARS needs.
// Each file is written as FILE.partial, synced and renamed: it appears whole
// or not at all.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "sync/central/reports/evaluations.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/claim_codes.h"

namespace cmetrack::central {

inline constexpr const char* attendance_csv_header = "badge,session,minutes,credits,patient_safety_credits,name,title";

// The columns of ACCME's Excel learner template (docs/formats.md, "export --pars"), in order.
inline constexpr const char* pars_csv_header =
    "Record Action,ACCME Activity ID,Completion Date,First Name,Last Name,Date of Birth,Licensing State,"
    "Licensing ID or NPI,Number of CME Credits,Certifying Board,Certifying Board ID";

inline constexpr const char* pars_missing_csv_header = "badge,name,credits,missing";

// One row per attendee and session with attended time, by badge, then session
// start. Returns the number of rows.
result<std::int64_t> export_attendance(const meeting& m, const std::vector<attendee_credit>& people,
                                       const std::string& path);

// What PARS needs and the attendee lacks, in the meeting file's field names
// ("birth_month_day", "npi or license_id or board_id", ...); empty when none.
std::vector<std::string> pars_missing_fields(const attendee& a);

struct pars_left_out {
  std::string badge;
  std::string name;
  int quarters = 0;
  std::vector<std::string> fields;  // pars_missing_fields
};

struct pars_summary {
  std::int64_t learners = 0;           // rows of the learner file
  std::vector<pars_left_out> missing;  // attendees with credit left out of it
  std::string missing_path;            // where they are listed (always written)
};

// FILE.missing.csv for FILE.csv (or FILE + ".missing.csv").
std::string pars_missing_path(const std::string& path);

// The learner file: one row per attendee with credit > 0 and every field PARS
// needs, by badge; the rest of those with credit go to pars_missing_path
// (header only when none, so an old list never outlives a new export).
// Number of CME Credits is the credit earned (claims, once they exist, will
// put the credit claimed there). Completion Date is the local date (the
// meeting's timezone) of the end of the last session that earned credit.
result<pars_summary> export_pars(const meeting& m, const std::vector<attendee_credit>& people,
                                 const std::string& activity_id, const std::string& path);

// "MM/DD/YYYY" of `t` in the IANA timezone `tz` (UTC where tz is empty or
// unknown), on any thread.
std::string local_date_mdy(time_ms t, const std::string& tz);

// The claim codes for the provider's mailing tool (docs/formats.md,
// "export --claim-codes"): one row per attendee of the roster, by badge,
// with the personal URL that signs in by itself: BASE/me#badge=B&code=C
// (after '#', so that it never reaches a server's log). An empty
// `base_url` leaves the url column empty. Returns the number of rows.
inline constexpr const char* claim_codes_csv_header = "badge,name,code,url";
result<std::int64_t> export_claim_codes(const std::vector<attendee>& people, const claim_codes& codes,
                                        std::string_view base_url, const std::string& path);
// BASE/me#badge=B&code=C, the badge percent-encoded.
std::string personal_url(std::string_view base_url, std::string_view badge, std::string_view code);

// The evaluation's answers in force (docs/formats.md, "export --evaluations"):
// one row per answer, by badge, session ("" first: the meeting) and question.
inline constexpr const char* evaluations_csv_header = "badge,name,session,question,kind,answer,answered_at";
result<std::int64_t> export_evaluations(const std::vector<attendee>& people,
                                        const std::vector<badge_answer>& answers, const std::string& path);

}  // namespace cmetrack::central
