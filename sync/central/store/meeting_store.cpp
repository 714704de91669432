#include "sync/central/store/meeting_store.h"

#include <fmt/format.h>

#include "shared/badge.h"
#include "shared/badge_sharing.h"
#include "shared/meeting_import.h"
#include "shared/meeting_rows.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::central {
namespace {

using sqlite::statement;

result<void> upsert_attendees(sqlite::database& db, const meeting& m, meeting_update& update) {
  auto exists = statement::prepare(db, "SELECT 1 FROM attendees WHERE badge = ?");
  auto upsert = statement::prepare(db, R"sql(
    INSERT INTO attendees (badge, first_name, last_name, degree, email, npi, license_state, license_id,
                           board, board_id, birth_month_day, learner_id)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
    ON CONFLICT (badge) DO UPDATE SET
      first_name = ?2, last_name = ?3, degree = ?4, email = ?5, npi = ?6, license_state = ?7,
      license_id = ?8, board = ?9, board_id = ?10, birth_month_day = ?11, learner_id = ?12
    WHERE first_name IS NOT ?2 OR last_name IS NOT ?3 OR degree IS NOT ?4 OR email IS NOT ?5 OR npi IS NOT ?6
       OR license_state IS NOT ?7 OR license_id IS NOT ?8 OR board IS NOT ?9 OR board_id IS NOT ?10
       OR birth_month_day IS NOT ?11 OR learner_id IS NOT ?12)sql");
  if (!exists) return std::unexpected(exists.error());
  if (!upsert) return std::unexpected(upsert.error());
  for (const auto& a : m.attendees) {
    exists->bind(1, std::string_view(a.badge));
    const auto known = exists->step();
    if (!known) return std::unexpected(known.error());
    exists->reset();
    upsert->bind(1, std::string_view(a.badge)).bind(2, std::string_view(a.first_name))
        .bind(3, std::string_view(a.last_name)).bind(4, a.degree).bind(5, a.email).bind(6, a.npi)
        .bind(7, a.license_state).bind(8, a.license_id).bind(9, a.board).bind(10, a.board_id)
        .bind(11, a.birth_month_day).bind(12, a.learner_id);
    CMETRACK_TRY(upsert->run());
    if (!*known) ++update.attendees_added;
    else if (sqlite3_changes(db.handle()) > 0) ++update.attendees_updated;
  }
  auto count = statement::prepare(db, "SELECT count(*) FROM attendees");
  if (!count) return std::unexpected(count.error());
  CMETRACK_TRY(count->step_row());
  update.attendees_kept = static_cast<int>(count->int64(0)) - static_cast<int>(m.attendees.size());
  return {};
}

// The badge id of every scan, anew, under a changed pattern or key. Scans
// the desk added (source "correction") name their badge id, not a payload
// read off a badge: they keep it.
result<int> rebadge_scans(sqlite::database& db, const meeting& m) {
  auto pattern = badge_pattern::compile(m.badge_pattern, m.badge_key);
  if (!pattern) return std::unexpected(pattern.error());
  auto select = statement::prepare(db, "SELECT rowid, payload, badge FROM scans WHERE source IS NOT 'correction'");
  auto update = statement::prepare(db, "UPDATE scans SET badge = ? WHERE rowid = ?");
  if (!select) return std::unexpected(select.error());
  if (!update) return std::unexpected(update.error());
  int changed = 0;
  auto rebadged = select->for_each_row([&](const statement& row) -> result<void> {
    const auto id = pattern->extract(row.text(1));
    const auto old = row.optional_text(2);
    if (id == (old ? std::optional<std::string_view>(*old) : std::nullopt)) return {};
    if (id) update->bind(1, *id); else update->bind(1, std::nullopt);
    CMETRACK_TRY(update->bind(2, row.int64(0)).run());
    ++changed;
    return {};
  });
  if (!rebadged) return std::unexpected(rebadged.error());
  return changed;
}

}  // namespace

result<meeting_update> save_meeting(sqlite::database& db, const meeting& m) {
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  meeting_update update;

  auto current = statement::prepare(db, "SELECT id, badge_pattern, coalesce(badge_key, '') FROM meeting");
  if (!current) return std::unexpected(current.error());
  const auto held = current->step();
  if (!held) return std::unexpected(held.error());
  if (*held) {
    if (current->text(0) != m.id)
      return bad_input(fmt::format("{} holds meeting \"{}\", not \"{}\"; give each meeting its own --data directory",
                                   db.path(), current->text(0), m.id));
    update.badge_pattern_changed = current->text(1) != m.badge_pattern;
    update.badge_key_changed = current->text(2) != m.badge_key;
  } else {
    update.created = true;
  }
  current->reset();
  if (!update.created) {
    auto before = read_meeting_rows(db);
    if (!before) return std::unexpected(before.error());
    update.rules_changed = *before && (*before)->rules != m.rules;
  }

  CMETRACK_TRY(write_meeting_rows(db, m));
  CMETRACK_TRY(upsert_attendees(db, m, update));
  {  // signed badges: the meeting's key, or NULL (shared/badge_signature.h)
    auto key = statement::prepare(db, "UPDATE meeting SET badge_key = ?");
    if (!key) return std::unexpected(key.error());
    if (m.badge_key.empty()) key->bind(1, std::nullopt); else key->bind(1, std::string_view(m.badge_key));
    CMETRACK_TRY(key->run());
  }
  {  // badge sharing: the meeting file's object as JSON text, or NULL where off (shared/badge_sharing.h)
    auto sharing = statement::prepare(db, "UPDATE meeting SET badge_sharing = ?");
    if (!sharing) return std::unexpected(sharing.error());
    const auto text = badge_sharing_json(m);
    if (text.empty()) sharing->bind(1, std::nullopt); else sharing->bind(1, std::string_view(text));
    CMETRACK_TRY(sharing->run());
  }
  {  // the certificate's facts and the evaluation (JSON text; evaluation NULL without questions)
    auto extras = statement::prepare(db, "UPDATE meeting SET activity = ?, evaluation = ?");
    if (!extras) return std::unexpected(extras.error());
    const auto activity = activity_json(m);
    const auto evaluation = evaluation_json(m);
    extras->bind(1, std::string_view(activity));
    if (evaluation.empty()) extras->bind(2, std::nullopt); else extras->bind(2, std::string_view(evaluation));
    CMETRACK_TRY(extras->run());
  }
  if (update.badge_pattern_changed || update.badge_key_changed) {
    auto n = rebadge_scans(db, m);
    if (!n) return std::unexpected(n.error());
    update.scans_rebadged = *n;
  }
  CMETRACK_TRY(tx->commit());
  return update;
}

result<meeting> load_meeting(sqlite::database& db) {
  auto m = read_meeting_rows(db);
  if (!m) return std::unexpected(m.error());
  if (!*m) return bad_input(fmt::format("{}: holds no meeting yet; run `cmetrack-central init` first", db.path()));
  auto key = statement::prepare(db, "SELECT coalesce(badge_key, '') FROM meeting");
  if (!key) return std::unexpected(key.error());
  const auto keyed = key->step();
  if (!keyed) return std::unexpected(keyed.error());
  if (*keyed) (*m)->badge_key = key->text(0);
  auto sharing = statement::prepare(db, "SELECT badge_sharing FROM meeting");
  if (!sharing) return std::unexpected(sharing.error());
  const auto shared = sharing->step();
  if (!shared) return std::unexpected(shared.error());
  if (*shared && !sharing->is_null(0)) {
    std::vector<std::string> ignored;  // init warned of them when it read the file
    auto rules = parse_badge_sharing(sharing->text(0), **m, ignored);
    if (!rules)
      return failure(fmt::format("{}: the meeting's badge_sharing cannot be read ({}); run `cmetrack-central init` "
                                 "with the meeting file again",
                                 db.path(), rules.error().message));
    (*m)->sharing = std::move(*rules);
  }
  auto extras = statement::prepare(db, "SELECT coalesce(activity, ''), coalesce(evaluation, '') FROM meeting");
  if (!extras) return std::unexpected(extras.error());
  const auto held = extras->step();
  if (!held) return std::unexpected(held.error());
  if (*held)
    if (auto r = read_stored_activity(extras->text(0), extras->text(1), **m); !r)
      return failure(fmt::format("{}: the meeting's certificate facts or evaluation cannot be read ({}); run "
                                 "`cmetrack-central init` with the meeting file again",
                                 db.path(), r.error().message));
  return std::move(**m);
}

namespace {

constexpr std::string_view attendee_columns =
    "badge, first_name, last_name, degree, email, npi, license_state, license_id, board, board_id, birth_month_day, "
    "learner_id";

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
  a.learner_id = s.optional_text(11);
  return a;
}

}  // namespace

result<std::optional<attendee>> find_attendee(sqlite::database& db, std::string_view badge) {
  auto s = statement::prepare(db, fmt::format("SELECT {} FROM attendees WHERE badge = ?", attendee_columns));
  if (!s) return std::unexpected(s.error());
  s->bind(1, badge);
  const auto found = s->step();
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<attendee>{};
  return read_attendee(*s);
}

result<std::vector<attendee>> find_learner_attendees(sqlite::database& db, std::string_view learner_id) {
  auto s = statement::prepare(db, fmt::format("SELECT {} FROM attendees WHERE learner_id = ? ORDER BY badge",
                                              attendee_columns));
  if (!s) return std::unexpected(s.error());
  s->bind(1, learner_id);
  std::vector<attendee> out;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) { out.push_back(read_attendee(row)); }));
  return out;
}

result<std::vector<attendee>> load_attendees(sqlite::database& db) {
  auto s = statement::prepare(db, fmt::format("SELECT {} FROM attendees ORDER BY badge", attendee_columns));
  if (!s) return std::unexpected(s.error());
  std::vector<attendee> out;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) { out.push_back(read_attendee(row)); }));
  return out;
}

}  // namespace cmetrack::central
