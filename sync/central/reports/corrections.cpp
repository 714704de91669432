#include "sync/central/reports/corrections.h"

#include <fmt/format.h>

#include <vector>

#include "shared/bounds.h"
#include "shared/scan.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {
namespace {

using sqlite::statement;

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Inserts a scan the desk adds, of source "correction".
result<void> add_desk_scan(sqlite::database& db, const std::string& id, std::int64_t seq, const std::string& badge,
                           const std::string& room, std::string_view direction, time_ms at, time_ms now) {
  auto insert = statement::prepare(db, R"sql(
    INSERT INTO scans (id, kiosk, seq, payload, badge, room, door, direction, at_ms, source, received_ms, id_hash)
    VALUES (?, 'desk', ?, ?, ?, ?, 'desk', ?, ?, 'correction', ?, ?))sql");
  if (!insert) return std::unexpected(insert.error());
  insert->bind(1, std::string_view(id)).bind(2, seq).bind(3, std::string_view(badge))
      .bind(4, std::string_view(badge)).bind(5, std::string_view(room)).bind(6, direction).bind(7, at).bind(8, now)
      .bind(9, static_cast<std::int64_t>(scan_id_hash(id)));
  if (auto r = insert->run(); !r) return with_context(fmt::format("badge {}: cannot add scan {}", badge, id), r.error());
  return {};
}

result<void> void_one(sqlite::database& db, const std::string& scan, std::int64_t correction,
                      const std::string& badge) {
  auto insert = statement::prepare(db, "INSERT INTO voided_scans (scan, correction, badge) VALUES (?, ?, ?)");
  if (!insert) return std::unexpected(insert.error());
  insert->bind(1, std::string_view(scan)).bind(2, correction).bind(3, std::string_view(badge));
  if (auto r = insert->run(); !r) return with_context(fmt::format("cannot void scan {}", scan), r.error());
  return {};
}

}  // namespace

std::string_view to_string(correction_action a) {
  switch (a) {
    case correction_action::add_stay: return "add_stay";
    case correction_action::void_stay: return "void_stay";
    case correction_action::add_scan: return "add_scan";
    case correction_action::void_scan: return "void_scan";
  }
  return "void_scan";
}

result<correction_action> parse_correction_action(std::string_view text) {
  for (const auto a : {correction_action::add_stay, correction_action::void_stay, correction_action::add_scan,
                       correction_action::void_scan})
    if (text == to_string(a)) return a;
  return bad_input(fmt::format("action: \"{}\" is not a correction; use add_stay, void_stay, add_scan or void_scan",
                               text));
}

result<correction_row> record_correction(sqlite::database& db, const meeting& m, std::string_view badge,
                                         const correction_request& c, std::string_view staff_user, time_ms now) {
  const auto reason = trimmed(c.reason);
  if (reason.empty())
    return bad_input("reason: a correction needs a reason (who asked, what went wrong); nothing was recorded");
  if (auto e = bounds::check_text("reason", reason, bounds::free_text)) return bad_input(*e + "; nothing was recorded");
  if (staff_user.empty()) return bad_input("correction: no staff user is named; a correction records who made it");
  const bool with_room = c.action != correction_action::void_scan;
  if (with_room && m.room_index(c.room) < 0)
    return bad_input(fmt::format("room: \"{}\" is not a room of meeting {}; use one of its room ids", c.room, m.id));
  if (c.action == correction_action::add_stay || c.action == correction_action::void_stay) {
    if (c.from == no_time || c.to == no_time) return bad_input("from, to: a stay needs both times (ISO-8601)");
    if (c.from >= c.to)
      return bad_input(fmt::format("from, to: the stay must end after it starts ({} is not before {})",
                                   format_iso8601_utc(c.from), format_iso8601_utc(c.to)));
  }
  if (c.action == correction_action::add_scan) {
    if (c.direction != "in" && c.direction != "out")
      return bad_input(fmt::format("direction: \"{}\" is not a direction; use in or out", c.direction));
    if (c.at == no_time) return bad_input("at: an added scan needs its time (ISO-8601)");
  }
  // Times near the meeting's sessions only, as for scans (shared/bounds.h).
  for (const auto& [name, t] : {std::pair{"from", c.from}, std::pair{"to", c.to}, std::pair{"at", c.at}})
    if (t != no_time)
      if (auto outside = bounds::outside_meeting(bounds::scan_times(m), t))
        return bad_input(fmt::format("{}: {}; nothing was recorded", name, *outside));
  if (c.action == correction_action::void_scan && c.scan.empty())
    return bad_input("scan: name the id of the scan to void (GET .../scans lists them)");

  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  auto t = find_transcript(db, m, badge, now);  // on the roster (a payload gives its badge id)
  if (!t) return std::unexpected(t.error());
  const std::string who = t->who.badge;

  // What void_scan and void_stay void, checked before anything is written.
  std::vector<std::string> to_void;
  if (c.action == correction_action::void_scan) {
    auto find = statement::prepare(db, R"sql(
      SELECT s.badge, v.correction FROM scans s LEFT JOIN voided_scans v ON v.scan = s.id WHERE s.id = ?)sql");
    if (!find) return std::unexpected(find.error());
    find->bind(1, std::string_view(c.scan));
    const auto found = find->step();
    if (!found) return std::unexpected(found.error());
    if (!*found || find->is_null(0) || find->text(0) != who)
      return bad_input(fmt::format("scan: badge {} has no scan \"{}\"; pick one of its scans (GET .../scans)", who,
                                   c.scan));
    if (!find->is_null(1))
      return bad_input(fmt::format("scan: \"{}\" was already voided by correction {}; nothing was recorded", c.scan,
                                   find->int64(1)));
    to_void.push_back(c.scan);
  } else if (c.action == correction_action::void_stay) {
    auto find = statement::prepare(db, R"sql(
      SELECT s.id FROM scans s WHERE s.badge = ? AND s.room = ? AND s.at_ms BETWEEN ? AND ?
        AND NOT EXISTS (SELECT 1 FROM voided_scans v WHERE v.scan = s.id)
      ORDER BY s.at_ms, s.kiosk, s.seq)sql");
    if (!find) return std::unexpected(find.error());
    find->bind(1, std::string_view(who)).bind(2, std::string_view(c.room)).bind(3, c.from).bind(4, c.to);
    CMETRACK_TRY(find->for_each_row([&](const statement& row) { to_void.emplace_back(row.text(0)); }));
    if (to_void.empty())
      return bad_input(fmt::format("room, from, to: badge {} has no scan in room {} from {} to {} that is not "
                                   "voided already; nothing was recorded",
                                   who, c.room, format_iso8601_utc(c.from), format_iso8601_utc(c.to)));
  }

  correction_row row;
  row.at = now;
  row.staff_user = staff_user;
  row.badge = who;
  row.action = to_string(c.action);
  row.reason = reason;
  switch (c.action) {
    case correction_action::add_stay:
    case correction_action::void_stay:
      row.room = c.room;
      row.from = c.from;
      row.to = c.to;
      break;
    case correction_action::add_scan:
      row.room = c.room;
      row.from = c.at;
      row.direction = c.direction;
      break;
    case correction_action::void_scan:
      row.scan = c.scan;
      break;
  }
  // add_scan's scan is named after the correction's id, which the row does
  // not have before it is inserted (and it can never be updated): the
  // statement names it after max(id) + 1, the rowid SQLite gives a new row of
  // a table nothing is deleted from; checked against the id given, below.
  auto insert = statement::prepare(db, R"sql(
    INSERT INTO corrections (at_ms, staff_user, badge, action, scan, room, from_ms, to_ms, direction, reason)
    VALUES (?1, ?2, ?3, ?4,
            CASE WHEN ?4 = 'add_scan'
                 THEN 'desk-' || (SELECT coalesce(max(id), 0) + 1 FROM corrections) || '-' || ?9 ELSE ?5 END,
            ?6, ?7, ?8, ?9, ?10) RETURNING id, scan)sql");
  if (!insert) return std::unexpected(insert.error());
  // Text is bound without a copy (statement.h): bind the row's own strings.
  const auto text_or_null = [&](int index, const std::string& text) {
    if (text.empty()) insert->bind(index, std::nullopt);
    else insert->bind(index, std::string_view(text));
  };
  insert->bind(1, now).bind(2, staff_user).bind(3, std::string_view(who)).bind(4, std::string_view(row.action))
      .bind(10, std::string_view(row.reason));
  text_or_null(5, row.scan);
  text_or_null(6, row.room);
  text_or_null(9, row.direction);
  if (row.from == no_time) insert->bind(7, std::nullopt); else insert->bind(7, row.from);
  if (row.to == no_time) insert->bind(8, std::nullopt); else insert->bind(8, row.to);
  const auto inserted = insert->step();
  if (!inserted) return with_context(fmt::format("badge {}: cannot store the correction", who), inserted.error());
  if (!*inserted) return failure(fmt::format("badge {}: cannot store the correction: no id came back", who));
  row.id = insert->int64(0);
  if (!insert->is_null(1)) row.scan = insert->text(1);
  insert->reset();

  switch (c.action) {
    case correction_action::add_stay:
      row.scans = {added_scan_id(row.id, "in"), added_scan_id(row.id, "out")};
      CMETRACK_TRY(add_desk_scan(db, row.scans[0], row.id * 2, who, c.room, "in", c.from, now));
      CMETRACK_TRY(add_desk_scan(db, row.scans[1], row.id * 2 + 1, who, c.room, "out", c.to, now));
      break;
    case correction_action::add_scan:
      if (row.scan != added_scan_id(row.id, c.direction))
        return failure(fmt::format("badge {}: correction {} named its scan \"{}\"; nothing was recorded", who, row.id,
                                   row.scan));
      row.scans = {row.scan};
      CMETRACK_TRY(add_desk_scan(db, row.scan, row.id * 2 + (c.direction == "out" ? 1 : 0), who, c.room,
                                 c.direction, c.at, now));
      break;
    case correction_action::void_scan:
    case correction_action::void_stay:
      for (const auto& s : to_void) CMETRACK_TRY(void_one(db, s, row.id, who));
      row.scans = std::move(to_void);
      break;
  }
  CMETRACK_TRY(tx->commit());
  return row;
}

}  // namespace cmetrack::central
