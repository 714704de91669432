#pragma once
// The provider's archive: many meetings' records in one PostgreSQL database,
// each row keyed by its meeting (docs/formats.md, "cmetrack-central
// archive"). A meeting run on its own central.db is copied in whole, as
// often as wanted: the roster, every scan, claim, correction, voided scan
// and evaluation answer (append-only there too, by their ids: copying again
// adds only what is new), and each attendee's credit as of the copy. The
// learner report reads the archive across meetings.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "sync/central/archive/postgres.h"
#include "sync/central/reports/learner_report.h"

namespace cmetrack::central {

// Makes or brings up to date the archive's tables (idempotent; one
// transaction, under an advisory lock so that two copies wait in turn).
result<void> prepare_archive(postgres::connection& pg);

struct archive_counts {
  std::int64_t attendees = 0;
  std::int64_t scans = 0, scans_new = 0;
  std::int64_t claims = 0, claims_new = 0;
  std::int64_t corrections = 0, corrections_new = 0;
  std::int64_t evaluation_answers = 0, evaluation_answers_new = 0;
  std::int64_t credit = 0;  // attendees whose credit is kept
};

// Copies the meeting in `db` into the archive, whole or not at all, with the
// credit as of `now`.
result<archive_counts> archive_meeting(sqlite::database& db, const meeting& m, postgres::connection& pg, time_ms now);

// The learner at every archived meeting, with the credit as of its copy.
result<std::vector<learner_meeting>> archived_learner(postgres::connection& pg, std::string_view learner_id);

}  // namespace cmetrack::central
