#pragma once
// kiosk.db: the kiosk's own store, one SQLite file (WAL, synchronous FULL: a
// scan shown as recorded survives a power cut). This class is the only code
// that speaks SQL to kiosk.db: the kiosk records scans and reads the cached
// meeting through it, and the sync agent beside the kiosk reads and marks
// the outbox and caches the meeting through it, over its own connection.
//
//   scans      the outbox: every recorded scan, in seq order, `sent` once the
//              sync agent has had it acknowledged by the central node
//   meeting    the cached meeting head (rules, badge pattern, this room)
//   sessions   this room's sessions, with their breaks
//   roster     badge -> first name, for the greeting
//   sync_status what the sync agent last saw of the central node
//   kiosk_settings what staff set on the screen (the mode override)
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/store/kiosk_config.h"
#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/scan.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::kiosk {

// One row of `scans`.
struct scan_row {
  std::string id;  // random UUID v4
  std::int64_t seq = 0;
  std::string payload;
  std::optional<std::string> badge;  // NULL where the payload fails the badge pattern
  std::string room;
  std::string door;
  cmetrack::direction direction = direction::automatic;
  time_ms at = 0;
  std::string source;
  std::string result;  // checked_in, checked_out, duplicate, unknown_badge, invalid_badge
  bool sent = false;
  friend bool operator==(const scan_row&, const scan_row&) = default;
};

// What the sync agent last saw of the central node; the kiosk shows it to
// staff and raises the offline banner from last_contact.
struct sync_status {
  std::optional<time_ms> last_contact;  // the last exchange the central node answered
  std::int64_t clock_offset_ms = 0;     // central's clock minus the kiosk's, measured then
  std::string last_error;               // why the last attempt failed; empty when it succeeded
  std::string config_etag;              // of the kiosk config last cached
  friend bool operator==(const sync_status&, const sync_status&) = default;
};

// The outbox at a glance, for the sync agent: from one snapshot, the scans
// not yet acknowledged (with seq above the `after_seq` asked for) and the
// highest seq in kiosk.db (`after_seq` where there is none above it).
struct outbox_state {
  std::int64_t unsent = 0;
  std::int64_t max_seq = 0;
  friend bool operator==(const outbox_state&, const outbox_state&) = default;
};

class kiosk_store {
 public:
  // Creates the file and its schema where missing.
  static result<kiosk_store> open(const std::string& path);

  // Replaces the cached meeting with `m`, keeping only the room `room_id`
  // and its sessions, and the roster's badges and first names. One
  // transaction. Fails (bad input) where the meeting has no such room.
  result<void> cache_meeting(const meeting& m, std::string_view room_id);

  // The cached meeting: one room, its sessions (indexed), the roster (badge
  // and first name only). Nothing where none has been cached yet.
  result<std::optional<meeting>> load_cached_meeting();

  // kiosk.db's file name, for messages.
  const std::string& path() const { return db_.path(); }

  // A write transaction (BEGIN IMMEDIATE; rolled back unless committed),
  // for the caller that reads and writes the scans table as one.
  result<sqlite::transaction> begin_transaction();

  // The scans table. The caller holds the transaction.
  result<std::int64_t> next_seq();
  result<void> insert_scan(const scan_row& row);
  // One badge's scans, in processing order (at, seq).
  result<std::vector<scan_row>> scans_of_badge(std::string_view badge);
  // Every scan, by seq.
  result<std::vector<scan_row>> all_scans();
  // The latest `limit` scans, newest first (the staff screen).
  result<std::vector<scan_row>> recent_scans(int limit);

  // ---- The outbox, for the sync agent. ----
  // The oldest `limit` scans not yet acknowledged, by seq.
  result<std::vector<scan_row>> unsent_scans(int limit);
  // After the central node acknowledged a batch: marks `ids` sent (ids
  // unknown or already sent are skipped) and writes `status`, in one
  // transaction; returns how many scans changed.
  //
  // That transaction commits with synchronous=NORMAL (no fsync of its own;
  // WAL keeps it safe from corruption), one fsync a batch saved: a power cut
  // may undo the latest marks, and the scans they marked are then sent
  // again, which the central node, keyed by scan id, acknowledges without
  // storing them twice. Nothing is lost: a mark is only ever made after the
  // central node's commit. synchronous is per connection and set back to
  // FULL before this returns, so the kiosk's own commits stay synced, and
  // their fsync of the WAL also syncs any marks written before them.
  result<std::int64_t> record_delivery(std::span<const std::string> ids, const sync_status& status);
  // The unsent count and highest seq (outbox_state above): the whole outbox
  // with after_seq 0, or only the scans added since a count up to after_seq.
  result<outbox_state> read_outbox_state(std::int64_t after_seq = 0);
  // The scans not yet acknowledged (the staff screen's backlog).
  result<std::int64_t> backlog();

  result<sync_status> read_sync_status();
  result<void> write_sync_status(const sync_status& status);

  // The mode staff chose on the screen, overriding kiosk.json's; nothing
  // to follow kiosk.json. Kept in kiosk.db, so it survives a restart.
  result<std::optional<kiosk_mode>> read_mode_override();
  result<void> write_mode_override(std::optional<kiosk_mode> mode);

  // PRAGMA data_version: changes when another connection (the sync agent)
  // commits to kiosk.db, never for this connection's own writes.
  result<std::int64_t> data_version();
  // Goes up by one each time cache_meeting() commits a meeting.
  result<std::int64_t> meeting_generation();

  // For tests only: this connection, to inject faults (PRAGMA query_only,
  // max_page_count) and read its pragmas. The kiosk and the agent go
  // through the functions above; none of their code calls this.
  sqlite::database& connection_for_tests() { return db_; }

 private:
  explicit kiosk_store(sqlite::database db) : db_(std::move(db)) {}
  result<std::vector<scan_row>> select_scans(std::string_view where, std::optional<std::string_view> badge);
  sqlite::database db_;
};

}  // namespace cmetrack::kiosk
