#pragma once
// Scans in central.db: stored once each (the scan id is the idempotency key),
// read back per badge or all at once for the engine, exported as the
// contract's CSV.
#include <cstdint>
#include <string>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/scan_set.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

struct ingest_summary {
  std::int64_t rows = 0;            // scans in the file
  std::int64_t stored = 0;          // new to the store
  std::int64_t already_stored = 0;  // ids the store held already
  std::int64_t invalid_badge = 0;   // of the new ones: quarantined, the payload fails the badge pattern
  std::int64_t unknown_room = 0;    // of the new ones: quarantined, a room the meeting does not have
};

// Reads the whole scans file in one transaction: any fault in the file
// leaves the store as it was. With commit_every > 0, a transaction of at
// most that many scans (and 100 ms) at a time, each followed by a pause as
// long as it held the write lock, so that serve's kiosks wait for one part,
// not the whole file: a fault then leaves the parts before it stored, and
// the message says so (running the ingest again skips them). `ingest` does
// that by default while serve runs (serve_mark.h).
constexpr std::int64_t ingest_parts_while_serving = 1000;
result<ingest_summary> ingest_scans_file(sqlite::database& db, const meeting& m, const std::string& path,
                                         time_ms received, std::int64_t commit_every = 0);

// The scans of one badge id that count (a room of the meeting, not voided by
// a correction), up to `until`.
result<scan_set> load_badge_scans(sqlite::database& db, const meeting& m, std::string_view badge, time_ms until);

// Every badge's scans that count (as above), up to `until`.
result<scan_set> load_all_scans(sqlite::database& db, const meeting& m, time_ms until);

// Writes every scan, quarantined ones too, in the contract's CSV form, by
// time; the file appears whole or not at all.
result<std::int64_t> export_scans(sqlite::database& db, const std::string& path);

// How many scans are in quarantine (a bad field, an unknown room).
result<std::int64_t> count_quarantined(sqlite::database& db);

}  // namespace cmetrack::central
