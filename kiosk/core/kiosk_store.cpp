#include "kiosk/core/kiosk_store.h"

#include <fmt/format.h>

#include <array>

#include "shared/sqlite/migrations.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::kiosk {
namespace {

using sqlite::statement;

// Step i takes the schema from version i to i+1. Never edit a released step:
// add one.
constexpr std::array<std::string_view, 1> schema_steps = {
    R"sql(
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

CREATE TABLE meeting (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  id            TEXT NOT NULL,
  name          TEXT NOT NULL,
  timezone      TEXT NOT NULL,
  max_quarters  INTEGER NOT NULL,
  rounding      TEXT NOT NULL,
  missing_exit  TEXT NOT NULL,
  debounce_ms   INTEGER NOT NULL,
  block_gap_ms  INTEGER NOT NULL,
  badge_pattern TEXT NOT NULL,
  room_id       TEXT NOT NULL,
  room_name     TEXT NOT NULL,
  room_capacity INTEGER NOT NULL
);
CREATE TABLE sessions (
  id                      TEXT PRIMARY KEY,
  title                   TEXT NOT NULL,
  start_ms                INTEGER NOT NULL,
  end_ms                  INTEGER NOT NULL,
  credit_quarters         INTEGER NOT NULL,
  patient_safety_quarters INTEGER NOT NULL
);
CREATE TABLE breaks (
  session  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  start_ms INTEGER NOT NULL,
  end_ms   INTEGER NOT NULL
);
CREATE TABLE roster (
  badge      TEXT PRIMARY KEY,
  first_name TEXT NOT NULL
);
)sql",
};

// Text for bind(): a std::string converts to both string_view and optional.
std::string_view sv(const std::string& s) { return s; }

constexpr std::string_view scan_columns =
    "id, seq, payload, badge, room, door, direction, at_ms, source, result, sent";

}  // namespace

result<kiosk_store> kiosk_store::open(const std::string& path) {
  auto db = sqlite::database::open(path, {.sync = sqlite::synchronous::full, .cache_kib = 8 * 1024});
  if (!db) return std::unexpected(db.error());
  CMETRACK_TRY(sqlite::migrate(*db, schema_steps));
  return kiosk_store(std::move(*db));
}

result<void> kiosk_store::cache_meeting(const meeting& m, std::string_view room_id) {
  const int room = m.room_index(room_id);
  if (room < 0) return bad_input(fmt::format("meeting {} has no room \"{}\" (the kiosk's room)", m.id, room_id));
  const auto& r = m.rooms[static_cast<std::size_t>(room)];

  auto tx = sqlite::transaction::begin(db_);
  if (!tx) return std::unexpected(tx.error());
  CMETRACK_TRY(db_.exec("DELETE FROM breaks; DELETE FROM sessions; DELETE FROM roster; DELETE FROM meeting;"));

  auto head = statement::prepare(db_, R"sql(
    INSERT INTO meeting (singleton, id, name, timezone, max_quarters, rounding, missing_exit, debounce_ms,
                         block_gap_ms, badge_pattern, room_id, room_name, room_capacity)
    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  if (!head) return std::unexpected(head.error());
  head->bind(1, sv(m.id)).bind(2, sv(m.name)).bind(3, sv(m.timezone)).bind(4, m.max_quarters)
      .bind(5, std::string_view(m.rules.rounding == rounding_policy::floor_quarter ? "floor_quarter" : "nearest_quarter"))
      .bind(6, std::string_view(m.rules.missing_exit == missing_exit_policy::none ? "none" : "session_end"))
      .bind(7, m.rules.debounce).bind(8, m.rules.block_gap).bind(9, sv(m.badge_pattern))
      .bind(10, sv(r.id)).bind(11, sv(r.name)).bind(12, r.capacity);
  CMETRACK_TRY(head->run());

  auto session_insert = statement::prepare(db_, "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)");
  if (!session_insert) return std::unexpected(session_insert.error());
  auto break_insert = statement::prepare(db_, "INSERT INTO breaks VALUES (?, ?, ?)");
  if (!break_insert) return std::unexpected(break_insert.error());
  for (const auto& s : m.sessions) {
    if (s.room != room) continue;
    session_insert->bind(1, sv(s.id)).bind(2, sv(s.title)).bind(3, s.start).bind(4, s.end)
        .bind(5, s.credit_quarters).bind(6, s.patient_safety_quarters);
    CMETRACK_TRY(session_insert->run());
    for (const auto& b : s.breaks) {
      break_insert->bind(1, sv(s.id)).bind(2, b.start).bind(3, b.end);
      CMETRACK_TRY(break_insert->run());
    }
  }

  auto roster_insert = statement::prepare(db_, "INSERT OR REPLACE INTO roster VALUES (?, ?)");
  if (!roster_insert) return std::unexpected(roster_insert.error());
  for (const auto& a : m.attendees) {
    roster_insert->bind(1, sv(a.badge)).bind(2, sv(a.first_name));
    CMETRACK_TRY(roster_insert->run());
  }
  return tx->commit();
}

result<std::optional<meeting>> kiosk_store::load_cached_meeting() {
  auto head = statement::prepare(db_, "SELECT id, name, timezone, max_quarters, rounding, missing_exit, debounce_ms, "
                                      "block_gap_ms, badge_pattern, room_id, room_name, room_capacity FROM meeting");
  if (!head) return std::unexpected(head.error());
  if (head->step() != SQLITE_ROW) return std::optional<meeting>{};
  meeting m;
  m.id = head->text(0);
  m.name = head->text(1);
  m.timezone = head->text(2);
  m.max_quarters = head->integer(3);
  m.rules.rounding = head->text(4) == "floor_quarter" ? rounding_policy::floor_quarter : rounding_policy::nearest_quarter;
  m.rules.missing_exit = head->text(5) == "none" ? missing_exit_policy::none : missing_exit_policy::session_end;
  m.rules.debounce = head->int64(6);
  m.rules.block_gap = head->int64(7);
  m.badge_pattern = head->text(8);
  m.rooms.push_back({std::string(head->text(9)), std::string(head->text(10)), head->integer(11)});

  auto sessions = statement::prepare(db_, R"sql(
    SELECT s.id, s.title, s.start_ms, s.end_ms, s.credit_quarters, s.patient_safety_quarters, b.start_ms, b.end_ms
    FROM sessions s LEFT JOIN breaks b ON b.session = s.id ORDER BY s.id, b.start_ms)sql");
  if (!sessions) return std::unexpected(sessions.error());
  while (sessions->step() == SQLITE_ROW) {
    if (m.sessions.empty() || m.sessions.back().id != sessions->text(0)) {
      session s;
      s.id = sessions->text(0);
      s.room = 0;
      s.title = sessions->text(1);
      s.start = sessions->int64(2);
      s.end = sessions->int64(3);
      s.credit_quarters = sessions->integer(4);
      s.patient_safety_quarters = sessions->integer(5);
      m.sessions.push_back(std::move(s));
    }
    if (!sessions->is_null(6)) m.sessions.back().breaks.push_back({sessions->int64(6), sessions->int64(7)});
  }
  index_sessions(m);

  auto roster = statement::prepare(db_, "SELECT badge, first_name FROM roster ORDER BY badge");
  if (!roster) return std::unexpected(roster.error());
  while (roster->step() == SQLITE_ROW) {
    attendee a;
    a.badge = roster->text(0);
    a.first_name = roster->text(1);
    m.attendees.push_back(std::move(a));
  }
  return std::optional<meeting>(std::move(m));
}

result<std::int64_t> kiosk_store::next_seq() {
  auto s = statement::prepare(db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM scans");
  if (!s) return std::unexpected(s.error());
  if (s->step() != SQLITE_ROW) return failure(fmt::format("{}: {}", db_.path(), db_.last_error()));
  return s->int64(0);
}

result<void> kiosk_store::insert_scan(const scan_row& row) {
  auto s = statement::prepare(db_, fmt::format("INSERT INTO scans ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                               scan_columns));
  if (!s) return std::unexpected(s.error());
  s->bind(1, sv(row.id)).bind(2, row.seq).bind(3, sv(row.payload)).bind(4, row.badge).bind(5, sv(row.room)).bind(6, sv(row.door))
      .bind(7, to_string(row.direction)).bind(8, row.at).bind(9, sv(row.source)).bind(10, sv(row.result))
      .bind(11, row.sent ? 1 : 0);
  if (auto r = s->run(); !r) return failure(fmt::format("{}: cannot record the scan: {}", db_.path(), r.error().message));
  return {};
}

result<std::vector<scan_row>> kiosk_store::select_scans(std::string_view where, std::optional<std::string_view> badge) {
  auto s = statement::prepare(db_, fmt::format("SELECT {} FROM scans {}", scan_columns, where));
  if (!s) return std::unexpected(s.error());
  if (badge) s->bind(1, *badge);
  std::vector<scan_row> rows;
  int rc = 0;
  while ((rc = s->step()) == SQLITE_ROW) {
    scan_row r;
    r.id = s->text(0);
    r.seq = s->int64(1);
    r.payload = s->text(2);
    r.badge = s->optional_text(3);
    r.room = s->text(4);
    r.door = s->text(5);
    r.direction = parse_direction(s->text(6)).value_or(direction::automatic);
    r.at = s->int64(7);
    r.source = s->text(8);
    r.result = s->text(9);
    r.sent = s->integer(10) != 0;
    rows.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return failure(fmt::format("{}: {}", db_.path(), s->last_error()));
  return rows;
}

result<std::vector<scan_row>> kiosk_store::scans_of_badge(std::string_view badge) {
  return select_scans("WHERE badge = ? ORDER BY at_ms, seq", badge);
}

result<std::vector<scan_row>> kiosk_store::all_scans() { return select_scans("ORDER BY seq", std::nullopt); }

}  // namespace cmetrack::kiosk
