#pragma once
// One batch of a kiosk's scans (POST /api/v1/scans) into central.db, in one
// transaction: valid scans of the kiosk's room and door are stored as a scans
// file's are (idempotent by id, badge id from the meeting's pattern, NULL where
// the payload fails it); scans with a bad field, another room or door, or a
// time far from the meeting's sessions (shared/bounds.h) go to the quarantine
// table with the reason. Every id is acknowledged once the
// transaction has committed.
//
// Clock skew: clock_offset_ms is central's clock minus the kiosk's. Where
// |offset| > 5 s the batch's scan times are corrected, at_ms = at + offset
// (a kiosk 10 minutes fast reports -600000); kiosk_at_ms keeps the kiosk's own.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared/badge.h"
#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "shared/sync_wire.h"
#include "sync/central/store/kiosk_registry.h"

namespace cmetrack::central {

constexpr std::int64_t skew_correction_threshold_ms = 5000;

struct batch_result {
  std::vector<std::string> acked;  // every id of the batch
  std::int64_t stored = 0;         // new to scans
  std::int64_t already_stored = 0;
  std::int64_t quarantined = 0;    // new to quarantine
};

// The statements a batch runs, prepared on first use and kept by the caller
// (serve keeps them across batches; they belong to `db`).
struct batch_statements {
  std::unique_ptr<sqlite::statement> insert, quarantine;
};

// `kiosk` is the token's binding (the batch's kiosk id was checked against
// it); `pattern` the meeting's badge pattern, compiled; `statements` kept by
// the caller across batches.
//
// A batch that cannot be stored (the disk failed or is full) rolls back
// whole; the error names central.db, says what to do, and that nothing of
// the batch was stored.
result<batch_result> ingest_batch(sqlite::database& db, const meeting& m, const badge_pattern& pattern,
                                  const kiosk_binding& kiosk, const decoded_batch& batch, time_ms received,
                                  batch_statements& statements);

// Whether ingest_batch failed because the disk is full (serve answers 507
// Insufficient Storage for it, 500 for any other fault).
bool is_disk_full(const error& e);

}  // namespace cmetrack::central
