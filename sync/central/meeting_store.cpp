#include "sync/central/meeting_store.h"

#include <fmt/format.h>

#include "shared/badge.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::central {
namespace {

using sqlite::statement;

std::string_view rounding_name(rounding_policy r) { return r == rounding_policy::floor_quarter ? "floor_quarter" : "nearest_quarter"; }
std::string_view missing_exit_name(missing_exit_policy p) { return p == missing_exit_policy::none ? "none" : "session_end"; }

result<void> replace_rooms_and_sessions(sqlite::database& db, const meeting& m) {
  CMETRACK_TRY(db.exec("DELETE FROM breaks; DELETE FROM sessions; DELETE FROM rooms;"));
  auto room = statement::prepare(db, "INSERT INTO rooms (id, name, capacity, position) VALUES (?, ?, ?, ?)");
  auto ses = statement::prepare(db,
                                "INSERT INTO sessions (id, room, title, start_ms, end_ms, credit_quarters, "
                                "patient_safety_quarters) VALUES (?, ?, ?, ?, ?, ?, ?)");
  auto brk = statement::prepare(db, "INSERT INTO breaks (session, start_ms, end_ms) VALUES (?, ?, ?)");
  if (!room) return std::unexpected(room.error());
  if (!ses) return std::unexpected(ses.error());
  if (!brk) return std::unexpected(brk.error());
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
    for (const auto& b : s.breaks) CMETRACK_TRY(brk->bind(1, std::string_view(s.id)).bind(2, b.start).bind(3, b.end).run());
  }
  return {};
}

result<void> upsert_attendees(sqlite::database& db, const meeting& m, meeting_update& update) {
  auto exists = statement::prepare(db, "SELECT 1 FROM attendees WHERE badge = ?");
  auto upsert = statement::prepare(db, R"sql(
    INSERT INTO attendees (badge, first_name, last_name, degree, email, npi, license_state, license_id,
                           board, board_id, birth_month_day)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
    ON CONFLICT (badge) DO UPDATE SET
      first_name = ?2, last_name = ?3, degree = ?4, email = ?5, npi = ?6, license_state = ?7,
      license_id = ?8, board = ?9, board_id = ?10, birth_month_day = ?11
    WHERE first_name IS NOT ?2 OR last_name IS NOT ?3 OR degree IS NOT ?4 OR email IS NOT ?5 OR npi IS NOT ?6
       OR license_state IS NOT ?7 OR license_id IS NOT ?8 OR board IS NOT ?9 OR board_id IS NOT ?10
       OR birth_month_day IS NOT ?11)sql");
  if (!exists) return std::unexpected(exists.error());
  if (!upsert) return std::unexpected(upsert.error());
  for (const auto& a : m.attendees) {
    exists->bind(1, std::string_view(a.badge));
    const bool known = exists->step() == SQLITE_ROW;
    exists->reset();
    upsert->bind(1, std::string_view(a.badge)).bind(2, std::string_view(a.first_name))
        .bind(3, std::string_view(a.last_name)).bind(4, a.degree).bind(5, a.email).bind(6, a.npi)
        .bind(7, a.license_state).bind(8, a.license_id).bind(9, a.board).bind(10, a.board_id)
        .bind(11, a.birth_month_day);
    CMETRACK_TRY(upsert->run());
    if (!known) ++update.attendees_added;
    else if (sqlite3_changes(db.handle()) > 0) ++update.attendees_updated;
  }
  auto count = statement::prepare(db, "SELECT count(*) FROM attendees");
  if (!count) return std::unexpected(count.error());
  count->step();
  update.attendees_kept = static_cast<int>(count->int64(0)) - static_cast<int>(m.attendees.size());
  return {};
}

// The badge id of every scan, anew, under a changed pattern.
result<int> rebadge_scans(sqlite::database& db, const std::string& pattern_text) {
  auto pattern = badge_pattern::compile(pattern_text);
  if (!pattern) return std::unexpected(pattern.error());
  auto select = statement::prepare(db, "SELECT rowid, payload, badge FROM scans");
  auto update = statement::prepare(db, "UPDATE scans SET badge = ? WHERE rowid = ?");
  if (!select) return std::unexpected(select.error());
  if (!update) return std::unexpected(update.error());
  int changed = 0;
  while (select->step() == SQLITE_ROW) {
    const auto id = pattern->extract(select->text(1));
    const auto old = select->optional_text(2);
    if (id == (old ? std::optional<std::string_view>(*old) : std::nullopt)) continue;
    if (id) update->bind(1, *id); else update->bind(1, std::nullopt);
    CMETRACK_TRY(update->bind(2, select->int64(0)).run());
    ++changed;
  }
  return changed;
}

}  // namespace

result<meeting_update> save_meeting(sqlite::database& db, const meeting& m) {
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  meeting_update update;

  auto current = statement::prepare(db, "SELECT id, badge_pattern FROM meeting");
  if (!current) return std::unexpected(current.error());
  if (current->step() == SQLITE_ROW) {
    if (current->text(0) != m.id)
      return bad_input(fmt::format("{} holds meeting \"{}\", not \"{}\"; give each meeting its own --data directory",
                                   db.path(), current->text(0), m.id));
    update.badge_pattern_changed = current->text(1) != m.badge_pattern;
  } else {
    update.created = true;
  }
  current->reset();

  auto put = statement::prepare(db, R"sql(
    INSERT OR REPLACE INTO meeting (singleton, id, name, timezone, max_quarters, rounding, missing_exit,
                                    debounce_ms, block_gap_ms, badge_pattern)
    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  if (!put) return std::unexpected(put.error());
  CMETRACK_TRY(put->bind(1, std::string_view(m.id)).bind(2, std::string_view(m.name)).bind(3, std::string_view(m.timezone))
          .bind(4, m.max_quarters).bind(5, rounding_name(m.rules.rounding))
          .bind(6, missing_exit_name(m.rules.missing_exit)).bind(7, m.rules.debounce).bind(8, m.rules.block_gap)
          .bind(9, std::string_view(m.badge_pattern)).run());

  CMETRACK_TRY(replace_rooms_and_sessions(db, m));
  CMETRACK_TRY(upsert_attendees(db, m, update));
  if (update.badge_pattern_changed) {
    auto n = rebadge_scans(db, m.badge_pattern);
    if (!n) return std::unexpected(n.error());
    update.scans_rebadged = *n;
  }
  CMETRACK_TRY(tx->commit());
  return update;
}

result<meeting> load_meeting(sqlite::database& db) {
  meeting m;
  auto head = statement::prepare(db, "SELECT id, name, timezone, max_quarters, rounding, missing_exit, debounce_ms, "
                                     "block_gap_ms, badge_pattern FROM meeting");
  if (!head) return std::unexpected(head.error());
  if (head->step() != SQLITE_ROW)
    return bad_input(fmt::format("{}: holds no meeting yet; run `cmetrack-central init` first", db.path()));
  m.id = head->text(0);
  m.name = head->text(1);
  m.timezone = head->text(2);
  m.max_quarters = head->integer(3);
  m.rules.rounding = head->text(4) == "floor_quarter" ? rounding_policy::floor_quarter : rounding_policy::nearest_quarter;
  m.rules.missing_exit = head->text(5) == "none" ? missing_exit_policy::none : missing_exit_policy::session_end;
  m.rules.debounce = head->int64(6);
  m.rules.block_gap = head->int64(7);
  m.badge_pattern = head->text(8);

  auto rooms = statement::prepare(db, "SELECT id, name, capacity FROM rooms ORDER BY position");
  if (!rooms) return std::unexpected(rooms.error());
  while (rooms->step() == SQLITE_ROW)
    m.rooms.push_back({std::string(rooms->text(0)), std::string(rooms->text(1)), rooms->integer(2)});
  std::unordered_map<std::string, int, string_hash, std::equal_to<>> room_index;
  for (std::size_t i = 0; i < m.rooms.size(); ++i) room_index.emplace(m.rooms[i].id, static_cast<int>(i));

  auto sessions = statement::prepare(db, R"sql(
    SELECT s.id, s.room, s.title, s.start_ms, s.end_ms, s.credit_quarters, s.patient_safety_quarters,
           b.start_ms, b.end_ms
    FROM sessions s LEFT JOIN breaks b ON b.session = s.id ORDER BY s.id, b.start_ms)sql");
  if (!sessions) return std::unexpected(sessions.error());
  while (sessions->step() == SQLITE_ROW) {
    if (m.sessions.empty() || m.sessions.back().id != sessions->text(0)) {
      session s;
      s.id = sessions->text(0);
      s.room = room_index.at(std::string(sessions->text(1)));
      s.title = sessions->text(2);
      s.start = sessions->int64(3);
      s.end = sessions->int64(4);
      s.credit_quarters = sessions->integer(5);
      s.patient_safety_quarters = sessions->integer(6);
      m.sessions.push_back(std::move(s));
    }
    if (!sessions->is_null(7)) m.sessions.back().breaks.push_back({sessions->int64(7), sessions->int64(8)});
  }
  index_sessions(m);
  return m;
}

namespace {

constexpr std::string_view attendee_columns =
    "badge, first_name, last_name, degree, email, npi, license_state, license_id, board, board_id, birth_month_day";

attendee read_attendee(const statement& s) {
  attendee a;
  a.badge = s.text(0);
  a.first_name = s.text(1);
  a.last_name = s.text(2);
  a.degree = s.optional_text(3);
  a.email = s.optional_text(4);
  a.npi = s.optional_text(5);
  a.license_state = s.optional_text(6);
  a.license_id = s.optional_text(7);
  a.board = s.optional_text(8);
  a.board_id = s.optional_text(9);
  a.birth_month_day = s.optional_text(10);
  return a;
}

}  // namespace

result<std::optional<attendee>> find_attendee(sqlite::database& db, std::string_view badge) {
  auto s = statement::prepare(db, fmt::format("SELECT {} FROM attendees WHERE badge = ?", attendee_columns));
  if (!s) return std::unexpected(s.error());
  s->bind(1, badge);
  if (s->step() != SQLITE_ROW) return std::optional<attendee>{};
  return read_attendee(*s);
}

result<std::vector<attendee>> load_attendees(sqlite::database& db) {
  auto s = statement::prepare(db, fmt::format("SELECT {} FROM attendees ORDER BY badge", attendee_columns));
  if (!s) return std::unexpected(s.error());
  std::vector<attendee> out;
  while (s->step() == SQLITE_ROW) out.push_back(read_attendee(*s));
  return out;
}

}  // namespace cmetrack::central
