#include "kiosk/store/kiosk_store.h"

#include <fmt/format.h>

#include <array>
#include <string>

#include "shared/meeting_rows.h"
#include "shared/sqlite/migrations.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::kiosk {
namespace {

using sqlite::statement;

// Step i takes the schema from version i to i+1. Never edit a released step:
// add one.
const std::array<std::string, 6> schema_steps = {
    std::string(meeting_rows_schema()) + R"sql(
-- The outbox. seq is 1, 2, 3... for this kiosk; the id is made when the
-- scan is recorded and is the central node's idempotency key.
CREATE TABLE scans (
  id        TEXT PRIMARY KEY,
  seq       INTEGER NOT NULL UNIQUE,
  payload   TEXT NOT NULL,
  badge     TEXT,
  room      TEXT NOT NULL,
  door      TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'auto')),
  at_ms     INTEGER NOT NULL,
  source    TEXT NOT NULL,
  result    TEXT NOT NULL CHECK (result IN ('checked_in', 'checked_out', 'duplicate', 'unknown_badge', 'invalid_badge')),
  sent      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scans_by_badge ON scans (badge, at_ms, seq);
CREATE INDEX scans_unsent ON scans (seq) WHERE sent = 0;

CREATE TABLE roster (
  badge      TEXT PRIMARY KEY,
  first_name TEXT NOT NULL
);
)sql",
    R"sql(
-- What the sync agent last saw of the central node (one row): for the
-- kiosk's staff screen and offline banner.
CREATE TABLE sync_status (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  last_contact_ms INTEGER,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  config_etag     TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_status (id) VALUES (1);
)sql",
    R"sql(
-- What staff set on the kiosk's screen (one row), kept across restarts:
-- the mode that overrides kiosk.json's, or NULL to follow kiosk.json.
CREATE TABLE kiosk_settings (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  mode_override TEXT CHECK (mode_override IN ('entry', 'exit', 'auto'))
);
INSERT INTO kiosk_settings (id) VALUES (1);
)sql",
    R"sql(
-- Counts the meetings cached, so a running kiosk tells a new meeting from
-- the agent's other commits (marking scans sent) without reading it.
ALTER TABLE kiosk_settings ADD COLUMN meeting_generation INTEGER NOT NULL DEFAULT 0;
)sql",
    R"sql(
-- Signed badges: the meeting's key (NULL: badges not signed), so the kiosk
-- checks a badge's MAC offline (shared/badge_signature.h).
ALTER TABLE meeting ADD COLUMN badge_key TEXT;
)sql",
    // Step 5: the rules' arrival window and exit grace (docs/rules.md).
    std::string(meeting_rows_window_and_grace_step()),
};
const std::array<std::string_view, 6> schema_step_views = {schema_steps[0], schema_steps[1], schema_steps[2],
                                                           schema_steps[3], schema_steps[4], schema_steps[5]};

// Text for bind(): a std::string converts to both string_view and optional.
std::string_view sv(const std::string& s) { return s; }

constexpr std::string_view scan_columns =
    "id, seq, payload, badge, room, door, direction, at_ms, source, result, sent";

}  // namespace

result<kiosk_store> kiosk_store::open(const std::string& path) {
  auto db = sqlite::database::open(path, {.sync = sqlite::synchronous::full, .cache_kib = 8 * 1024});
  if (!db) return std::unexpected(db.error());
  CMETRACK_TRY(sqlite::migrate(*db, schema_step_views));
  return kiosk_store(std::move(*db));
}

result<void> kiosk_store::cache_meeting(const meeting& m, std::string_view room_id) {
  const int room = m.room_index(room_id);
  if (room < 0) return bad_input(fmt::format("meeting {} has no room \"{}\" (the kiosk's room)", m.id, room_id));
  const auto& r = m.rooms[static_cast<std::size_t>(room)];

  // The meeting as this kiosk needs it: its room, that room's sessions.
  meeting mine;
  mine.id = m.id;
  mine.name = m.name;
  mine.timezone = m.timezone;
  mine.max_quarters = m.max_quarters;
  mine.rules = m.rules;
  mine.badge_pattern = m.badge_pattern;
  mine.badge_key = m.badge_key;
  mine.rooms.push_back(r);
  for (const auto& s : m.sessions) {
    if (s.room != room) continue;
    mine.sessions.push_back(s);
    mine.sessions.back().room = 0;
  }

  auto tx = sqlite::transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  CMETRACK_TRY(write_meeting_rows(db_, mine));
  auto key = statement::prepare(db_, "UPDATE meeting SET badge_key = ?");
  if (!key) return std::unexpected(key.error());
  if (mine.badge_key.empty()) key->bind(1, std::nullopt); else key->bind(1, sv(mine.badge_key));
  CMETRACK_TRY(key->run());
  CMETRACK_TRY(db_.exec("DELETE FROM roster;"));

  auto roster_insert = statement::prepare(db_, "INSERT OR REPLACE INTO roster VALUES (?, ?)");
  if (!roster_insert) return std::unexpected(roster_insert.error());
  for (const auto& a : m.attendees) {
    roster_insert->bind(1, sv(a.badge)).bind(2, sv(a.first_name));
    CMETRACK_TRY(roster_insert->run());
  }
  CMETRACK_TRY(db_.exec("UPDATE kiosk_settings SET meeting_generation = meeting_generation + 1 WHERE id = 1;"));
  return tx->commit();
}

result<std::optional<meeting>> kiosk_store::load_cached_meeting() {
  auto cached = read_meeting_rows(db_);
  if (!cached || !*cached) return cached;
  meeting& m = **cached;
  auto key = statement::prepare(db_, "SELECT coalesce(badge_key, '') FROM meeting");
  if (!key) return std::unexpected(key.error());
  const auto keyed = key->step();
  if (!keyed) return std::unexpected(keyed.error());
  if (*keyed) m.badge_key = key->text(0);

  auto roster = statement::prepare(db_, "SELECT badge, first_name FROM roster ORDER BY badge");
  if (!roster) return std::unexpected(roster.error());
  CMETRACK_TRY(roster->for_each_row([&](const statement& row) {
    attendee a;
    a.badge = row.text(0);
    a.first_name = row.text(1);
    m.attendees.push_back(std::move(a));
  }));
  return cached;
}

result<sqlite::transaction> kiosk_store::begin_transaction() { return sqlite::transaction::begin(db_); }

result<std::int64_t> kiosk_store::next_seq() {
  auto s = statement::prepare(db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM scans");
  if (!s) return std::unexpected(s.error());
  CMETRACK_TRY(s->step_row());
  return s->int64(0);
}

result<void> kiosk_store::insert_scan(const scan_row& row) {
  auto s = statement::prepare(db_, fmt::format("INSERT INTO scans ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                               scan_columns));
  if (!s) return std::unexpected(s.error());
  s->bind(1, sv(row.id)).bind(2, row.seq).bind(3, sv(row.payload)).bind(4, row.badge).bind(5, sv(row.room)).bind(6, sv(row.door))
      .bind(7, to_string(row.direction)).bind(8, row.at).bind(9, sv(row.source)).bind(10, sv(row.result))
      .bind(11, row.sent ? 1 : 0);
  if (auto r = s->run(); !r) return with_context("cannot record the scan", r.error());
  return {};
}

result<std::vector<scan_row>> kiosk_store::select_scans(std::string_view where, std::optional<std::string_view> badge) {
  auto s = statement::prepare(db_, fmt::format("SELECT {} FROM scans {}", scan_columns, where));
  if (!s) return std::unexpected(s.error());
  if (badge) s->bind(1, *badge);
  std::vector<scan_row> rows;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) {
    scan_row r;
    r.id = row.text(0);
    r.seq = row.int64(1);
    r.payload = row.text(2);
    r.badge = row.optional_text(3);
    r.room = row.text(4);
    r.door = row.text(5);
    r.direction = parse_direction(row.text(6)).value_or(direction::automatic);
    r.at = row.int64(7);
    r.source = row.text(8);
    r.result = row.text(9);
    r.sent = row.integer(10) != 0;
    rows.push_back(std::move(r));
  }));
  return rows;
}

result<std::vector<scan_row>> kiosk_store::scans_of_badge(std::string_view badge) {
  return select_scans("WHERE badge = ? ORDER BY at_ms, seq", badge);
}

result<std::vector<scan_row>> kiosk_store::all_scans() { return select_scans("ORDER BY seq", std::nullopt); }

result<std::vector<scan_row>> kiosk_store::recent_scans(int limit) {
  return select_scans(fmt::format("ORDER BY seq DESC LIMIT {}", limit), std::nullopt);
}

result<std::vector<scan_row>> kiosk_store::unsent_scans(int limit) {
  return select_scans(fmt::format("WHERE sent = 0 ORDER BY seq LIMIT {}", limit), std::nullopt);
}

result<std::int64_t> kiosk_store::record_delivery(std::span<const std::string> ids, const sync_status& status) {
  CMETRACK_TRY(db_.exec("PRAGMA synchronous=NORMAL;"));
  struct full_again {
    sqlite::database& db;
    ~full_again() { (void)db.exec("PRAGMA synchronous=FULL;"); }
  } restore{db_};
  auto tx = sqlite::transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  auto mark = statement::prepare(db_, "UPDATE scans SET sent = 1 WHERE id = ? AND sent = 0");
  if (!mark) return std::unexpected(mark.error());
  std::int64_t marked = 0;
  for (const auto& id : ids) {
    mark->bind(1, sv(id));
    if (auto r = mark->run(); !r) return with_context(fmt::format("cannot mark scan {} sent", id), r.error());
    marked += sqlite3_changes(db_.handle());
  }
  CMETRACK_TRY(write_sync_status(status));
  CMETRACK_TRY(tx->commit());
  return marked;
}

result<outbox_state> kiosk_store::read_outbox_state(std::int64_t after_seq) {
  // One statement: the count and the highest seq from one snapshot.
  auto s = statement::prepare(db_, "SELECT (SELECT count(*) FROM scans WHERE sent = 0 AND seq > ?1), "
                                   "(SELECT coalesce(max(seq), ?1) FROM scans)");
  if (!s) return std::unexpected(s.error());
  s->bind(1, after_seq);
  if (auto r = s->step_row(); !r) return with_context("cannot count the queued scans", r.error());
  return outbox_state{s->int64(0), s->int64(1)};
}

result<std::int64_t> kiosk_store::backlog() {
  auto s = statement::prepare(db_, "SELECT COUNT(*) FROM scans WHERE sent = 0");
  if (!s) return std::unexpected(s.error());
  CMETRACK_TRY(s->step_row());
  return s->int64(0);
}

result<sync_status> kiosk_store::read_sync_status() {
  auto s = statement::prepare(
      db_, "SELECT last_contact_ms, clock_offset_ms, last_error, config_etag FROM sync_status WHERE id = 1");
  if (!s) return std::unexpected(s.error());
  CMETRACK_TRY(s->step_row());
  sync_status st;
  if (!s->is_null(0)) st.last_contact = s->int64(0);
  st.clock_offset_ms = s->int64(1);
  st.last_error = s->text(2);
  st.config_etag = s->text(3);
  return st;
}

result<void> kiosk_store::write_sync_status(const sync_status& st) {
  auto s = statement::prepare(
      db_, "UPDATE sync_status SET last_contact_ms = ?, clock_offset_ms = ?, last_error = ?, config_etag = ? WHERE id = 1");
  if (!s) return std::unexpected(s.error());
  if (st.last_contact) s->bind(1, *st.last_contact); else s->bind(1, std::nullopt);
  s->bind(2, st.clock_offset_ms).bind(3, sv(st.last_error)).bind(4, sv(st.config_etag));
  return s->run();
}

result<std::optional<kiosk_mode>> kiosk_store::read_mode_override() {
  auto s = statement::prepare(db_, "SELECT mode_override FROM kiosk_settings WHERE id = 1");
  if (!s) return std::unexpected(s.error());
  CMETRACK_TRY(s->step_row());
  if (s->is_null(0)) return std::optional<kiosk_mode>{};
  const auto text = s->text(0);
  if (text == "entry") return std::optional<kiosk_mode>(kiosk_mode::entry);
  if (text == "exit") return std::optional<kiosk_mode>(kiosk_mode::exit);
  return std::optional<kiosk_mode>(kiosk_mode::automatic);
}

result<void> kiosk_store::write_mode_override(std::optional<kiosk_mode> mode) {
  auto s = statement::prepare(db_, "UPDATE kiosk_settings SET mode_override = ? WHERE id = 1");
  if (!s) return std::unexpected(s.error());
  if (mode) s->bind(1, to_string(*mode)); else s->bind(1, std::nullopt);
  if (auto r = s->run(); !r) return with_context("cannot keep the kiosk's mode", r.error());
  return {};
}

result<std::int64_t> kiosk_store::data_version() {
  auto s = statement::prepare(db_, "PRAGMA data_version");
  if (!s) return std::unexpected(s.error());
  CMETRACK_TRY(s->step_row());
  return s->int64(0);
}

result<std::int64_t> kiosk_store::meeting_generation() {
  auto s = statement::prepare(db_, "SELECT meeting_generation FROM kiosk_settings WHERE id = 1");
  if (!s) return std::unexpected(s.error());
  CMETRACK_TRY(s->step_row());
  return s->int64(0);
}

}  // namespace cmetrack::kiosk
