#pragma once
// The offline commands of cmetrack-central, each a function of its options
// that returns what to print or what went wrong. main.cpp only parses.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/error.h"

namespace cmetrack::central {

struct init_options {
  std::string data;
  std::string meeting_file;
};
struct ingest_options {
  std::string data;
  std::string scans_file;
  std::int64_t commit_every = -1;  // 0: the whole file in one transaction; -1: ingest_parts_while_serving while serve runs, else 0
};
struct transcript_options {
  std::string data;
  std::optional<std::string> badge;  // or all attendees
  std::optional<std::string> now;
};
struct rooms_options {
  std::string data;
  std::optional<std::string> now;
};
struct sharing_options {
  std::string data;
  std::optional<std::string> now;
};
struct learner_options {
  std::vector<std::string> data;  // a meeting's data directory, or an archive's URL (postgresql://...)
  std::string id;                 // the learner id (the meeting file's attendees' learner_id)
  std::optional<std::string> requirement;  // a requirement file; default: ASAPS's
  std::optional<std::string> now;          // the report's "as of"; default: now
};
struct archive_options {
  std::string data;
  std::string to;  // postgresql://...
  std::optional<std::string> now;  // the credit kept: as of then
};
struct export_options {
  std::string data;
  std::string out;
  std::optional<std::string> now;  // attendance and PARS: credit as of then
  std::string activity;            // PARS: the ACCME Activity ID column
  std::string url;                 // claim codes: the central node's URL; default: the one serve last listened on
};

// Each returns the text for standard output; warnings go to standard error.
result<std::string> run_init(const init_options& o);
result<std::string> run_ingest(const ingest_options& o);
result<std::string> run_transcript_json(const transcript_options& o);
// Writes the transcript(s) to `pdf` (whole or not at all): one attendee, or
// every attendee of the roster by badge, each from a new page.
result<std::string> run_transcript_pdf(const transcript_options& o, const std::string& pdf);
result<std::string> run_rooms_json(const rooms_options& o);
// Every badge the meeting's badge-sharing rules flag, as GET /api/v1/sharing.
result<std::string> run_sharing_json(const sharing_options& o);
// A learner's credit across the meetings' data directories, and the
// requirement over its window (docs/formats.md, "cmetrack-central learner").
result<std::string> run_learner_json(const learner_options& o);
result<std::string> run_learner_pdf(const learner_options& o, const std::string& pdf);
// Copies the meeting into the provider's archive on PostgreSQL.
result<std::string> run_archive(const archive_options& o);
result<std::string> run_export_scans(const export_options& o);
result<std::string> run_export_attendance(const export_options& o);
// Attendees with credit who lack a field PARS needs are listed on standard
// error and in FILE.missing.csv; still a success (the desk fixes the meeting
// file, runs init and exports again).
result<std::string> run_export_pars(const export_options& o);
// The roster's claim codes and personal URLs, for the provider's mailing tool.
result<std::string> run_export_claim_codes(const export_options& o);
// The evaluation's answers in force.
result<std::string> run_export_evaluations(const export_options& o);

}  // namespace cmetrack::central
