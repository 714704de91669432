#include "shared/meeting_rows.h"

#include <fmt/format.h>

#include "shared/sqlite/statement.h"

namespace cmetrack {

using sqlite::statement;

std::string_view meeting_rows_schema() {
  return R"sql(
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
  badge_pattern TEXT NOT NULL
);
CREATE TABLE rooms (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE sessions (
  id                      TEXT PRIMARY KEY,
  room                    TEXT NOT NULL REFERENCES rooms (id),
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
)sql";
}

std::string_view meeting_rows_window_and_grace_step() {
  return R"sql(
ALTER TABLE meeting ADD COLUMN arrival_window_ms INTEGER NOT NULL DEFAULT 3600000;
ALTER TABLE meeting ADD COLUMN exit_grace_ms INTEGER NOT NULL DEFAULT 1800000;
)sql";
}

namespace {

std::string_view rounding_name(rounding_policy r) {
  return r == rounding_policy::floor_quarter ? "floor_quarter" : "nearest_quarter";
}
std::string_view missing_exit_name(missing_exit_policy p) {
  return p == missing_exit_policy::none ? "none" : "session_end";
}

}  // namespace

result<void> write_meeting_rows(sqlite::database& db, const meeting& m) {
  CMETRACK_TRY(db.exec("DELETE FROM breaks; DELETE FROM sessions; DELETE FROM rooms;"));
  auto head = statement::prepare(db, R"sql(
    INSERT OR REPLACE INTO meeting (singleton, id, name, timezone, max_quarters, rounding, missing_exit,
                                    debounce_ms, block_gap_ms, badge_pattern, arrival_window_ms, exit_grace_ms)
    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  auto room = statement::prepare(db, "INSERT INTO rooms (id, name, capacity, position) VALUES (?, ?, ?, ?)");
  auto ses = statement::prepare(db,
                                "INSERT INTO sessions (id, room, title, start_ms, end_ms, credit_quarters, "
                                "patient_safety_quarters) VALUES (?, ?, ?, ?, ?, ?, ?)");
  auto brk = statement::prepare(db, "INSERT INTO breaks (session, start_ms, end_ms) VALUES (?, ?, ?)");
  if (!head) return std::unexpected(head.error());
  if (!room) return std::unexpected(room.error());
  if (!ses) return std::unexpected(ses.error());
  if (!brk) return std::unexpected(brk.error());

  CMETRACK_TRY(head->bind(1, std::string_view(m.id)).bind(2, std::string_view(m.name))
                   .bind(3, std::string_view(m.timezone)).bind(4, m.max_quarters)
                   .bind(5, rounding_name(m.rules.rounding)).bind(6, missing_exit_name(m.rules.missing_exit))
                   .bind(7, m.rules.debounce).bind(8, m.rules.block_gap).bind(9, std::string_view(m.badge_pattern))
                   .bind(10, m.rules.arrival_window).bind(11, m.rules.exit_grace).run());
  for (std::size_t i = 0; i < m.rooms.size(); ++i) {
    const auto& r = m.rooms[i];
    CMETRACK_TRY(room->bind(1, std::string_view(r.id)).bind(2, std::string_view(r.name)).bind(3, r.capacity)
                     .bind(4, static_cast<std::int64_t>(i)).run());
  }
  for (const auto& s : m.sessions) {
    CMETRACK_TRY(ses->bind(1, std::string_view(s.id))
                     .bind(2, std::string_view(m.rooms[static_cast<std::size_t>(s.room)].id))
                     .bind(3, std::string_view(s.title)).bind(4, s.start).bind(5, s.end)
                     .bind(6, s.credit_quarters).bind(7, s.patient_safety_quarters).run());
    for (const auto& b : s.breaks)
      CMETRACK_TRY(brk->bind(1, std::string_view(s.id)).bind(2, b.start).bind(3, b.end).run());
  }
  return {};
}

result<std::optional<meeting>> read_meeting_rows(sqlite::database& db) {
  meeting m;
  auto head = statement::prepare(db, "SELECT id, name, timezone, max_quarters, rounding, missing_exit, debounce_ms, "
                                     "block_gap_ms, badge_pattern, arrival_window_ms, exit_grace_ms FROM meeting");
  if (!head) return std::unexpected(head.error());
  auto found = head->step();
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<meeting>{};
  m.id = head->text(0);
  m.name = head->text(1);
  m.timezone = head->text(2);
  m.max_quarters = head->integer(3);
  m.rules.rounding = head->text(4) == "floor_quarter" ? rounding_policy::floor_quarter : rounding_policy::nearest_quarter;
  m.rules.missing_exit = head->text(5) == "none" ? missing_exit_policy::none : missing_exit_policy::session_end;
  m.rules.debounce = head->int64(6);
  m.rules.block_gap = head->int64(7);
  m.badge_pattern = head->text(8);
  m.rules.arrival_window = head->int64(9);
  m.rules.exit_grace = head->int64(10);

  auto rooms = statement::prepare(db, "SELECT id, name, capacity FROM rooms ORDER BY position");
  if (!rooms) return std::unexpected(rooms.error());
  CMETRACK_TRY(rooms->for_each_row([&](const statement& row) {
    m.rooms.push_back({std::string(row.text(0)), std::string(row.text(1)), row.integer(2)});
  }));
  std::unordered_map<std::string, int, string_hash, std::equal_to<>> room_index;
  for (std::size_t i = 0; i < m.rooms.size(); ++i) room_index.emplace(m.rooms[i].id, static_cast<int>(i));

  auto sessions = statement::prepare(db, R"sql(
    SELECT s.id, s.room, s.title, s.start_ms, s.end_ms, s.credit_quarters, s.patient_safety_quarters,
           b.start_ms, b.end_ms
    FROM sessions s LEFT JOIN breaks b ON b.session = s.id ORDER BY s.id, b.start_ms)sql");
  if (!sessions) return std::unexpected(sessions.error());
  CMETRACK_TRY(sessions->for_each_row([&](const statement& row) -> result<void> {
    if (m.sessions.empty() || m.sessions.back().id != row.text(0)) {
      session s;
      s.id = row.text(0);
      const auto room = room_index.find(row.text(1));
      if (room == room_index.end())
        return failure(fmt::format("{}: session \"{}\" names room \"{}\", which the store does not hold", db.path(),
                                   s.id, row.text(1)));
      s.room = room->second;
      s.title = row.text(2);
      s.start = row.int64(3);
      s.end = row.int64(4);
      s.credit_quarters = row.integer(5);
      s.patient_safety_quarters = row.integer(6);
      m.sessions.push_back(std::move(s));
    }
    if (!row.is_null(7)) m.sessions.back().breaks.push_back({row.int64(7), row.int64(8)});
    return {};
  }));
  index_sessions(m);
  return std::optional<meeting>(std::move(m));
}

}  // namespace cmetrack
