#include "sync/central/reports/live_rooms.h"

#include <fmt/format.h>

#include <algorithm>

#include "shared/attendance.h"
#include "shared/credit.h"
#include "shared/sqlite/statement.h"
#include "shared/time.h"
#include "sync/central/store/scan_store.h"

namespace cmetrack::central {
namespace {

constexpr time_ms no_time = std::numeric_limits<time_ms>::max();

// A session is attended once a whole second of it is (credit.cpp): the
// state can change one second after a stay or session starts.
constexpr time_ms attended_after = ms_per_second;

nlohmann::ordered_json iso_or_null(time_ms t, bool known) {
  if (!known) return nullptr;
  return format_iso8601_utc(t);
}

// By room, each time at or after which a stay in it may change with time
// alone: sessions', breaks' and blocks' starts and ends, a second later, and
// the same after the exit grace (docs/rules.md, rules 2 and 6).
std::vector<std::vector<time_ms>> instants_of(const meeting& m) {
  std::vector<std::vector<time_ms>> out(m.rooms.size());
  for (const auto& s : m.sessions) {
    auto& room = out[static_cast<std::size_t>(s.room)];
    std::vector<time_ms> bounds = {s.start, s.end, s.block_end};
    for (const auto& b : s.breaks) {
      bounds.push_back(b.start);
      bounds.push_back(b.end);
    }
    for (const time_ms t : bounds)
      for (const time_ms after : {time_ms{1}, attended_after, m.rules.exit_grace + 1, m.rules.exit_grace + attended_after})
        room.push_back(t + after);
  }
  for (auto& room : out) {
    std::ranges::sort(room);
    room.erase(std::unique(room.begin(), room.end()), room.end());
  }
  return out;
}

result<std::int64_t> single_int(sqlite::database& db, std::string_view sql, std::int64_t bind = -1) {
  auto q = sqlite::statement::prepare(db, sql);
  if (!q) return std::unexpected(q.error());
  if (bind >= 0) q->bind(1, bind);
  CMETRACK_TRY(q->step_row());
  return q->int64(0);
}

bool same_room(const room& a, const room& b) { return a.id == b.id && a.name == b.name && a.capacity == b.capacity; }

bool same_session(const session& a, const session& b) {
  return a.id == b.id && a.room == b.room && a.title == b.title && a.start == b.start && a.end == b.end &&
         a.block_end == b.block_end && a.breaks == b.breaks && a.credit_quarters == b.credit_quarters &&
         a.patient_safety_quarters == b.patient_safety_quarters;
}

}  // namespace

bool live_rooms::needs_rebuild_for(const meeting& m) const {
  if (!meeting_) return true;
  const auto& was = *meeting_;
  return !(was.rules == m.rules && std::ranges::equal(was.rooms, m.rooms, same_room) &&
           std::ranges::equal(was.sessions, m.sessions, same_session));
}

live_rooms::badge_state live_rooms::state_of(std::span<scan> scans, time_ms now) const {
  const auto& m = *meeting_;
  badge_state out;
  const auto a = attend(m, scans, now);
  if (!a.stays.empty() && a.stays.back().open) {
    const auto& stay = a.stays.back();
    out.room = stay.room;
    const time_ms bound =
        stay.session >= 0 ? m.sessions[static_cast<std::size_t>(stay.session)].block_end : stay.start;
    out.due = bound + m.rules.exit_grace + 1;  // rule 6: then no longer in progress
    if (stay.start + attended_after > now) out.due = std::min(out.due, stay.start + attended_after);
    const auto& room = instants_[static_cast<std::size_t>(stay.room)];
    if (auto it = std::ranges::upper_bound(room, now); it != room.end()) out.due = std::min(out.due, *it);
  }
  for (const auto& s : scans)  // attend sorted them: the first one after now counts from its time
    if (s.at > now) {
      out.due = std::min(out.due, s.at);
      break;
    }
  for (const auto& s : credit(m, a).sessions) out.sessions.push_back(s.session);
  return out;
}

void live_rooms::apply(const std::string& badge, badge_state next) {
  auto [it, added] = badges_.try_emplace(badge);
  auto& was = it->second;
  const auto mark = [&](int room) {
    if (room >= 0) changed_[static_cast<std::size_t>(room)] = 1;
  };
  if (was.room != next.room) {
    mark(was.room);
    mark(next.room);
  }
  if (was.sessions != next.sessions)
    for (const auto* list : {&was.sessions, &next.sessions})
      for (const int s : *list) mark(meeting_->sessions[static_cast<std::size_t>(s)].room);
  if (!added && was.due != no_time) due_.erase({was.due, badge});
  if (was.room >= 0) --present_[static_cast<std::size_t>(was.room)];
  for (const int s : was.sessions) --attendees_[static_cast<std::size_t>(s)];
  if (next.room >= 0) ++present_[static_cast<std::size_t>(next.room)];
  for (const int s : next.sessions) ++attendees_[static_cast<std::size_t>(s)];
  if (next.due != no_time) due_.emplace(next.due, badge);
  if (next.room < 0 && next.sessions.empty() && next.due == no_time) badges_.erase(it);
  else was = std::move(next);
}

result<void> live_rooms::rebuild(sqlite::database& db, std::shared_ptr<const meeting> m, time_ms now) {
  // One snapshot: the mark and the scans read agree.
  CMETRACK_TRY(db.exec("BEGIN"));
  auto mark = single_int(db, "SELECT coalesce(max(rowid), 0) FROM scans");
  auto count = mark ? single_int(db, "SELECT count(*) FROM scans") : mark;
  auto scans = count ? load_all_scans(db, *m, no_time) : std::unexpected(count.error());
  (void)db.exec("COMMIT");
  if (!scans) return std::unexpected(scans.error());
  meeting_ = std::move(m);
  instants_ = instants_of(*meeting_);
  badges_.clear();
  due_.clear();
  queued_.clear();
  present_.assign(meeting_->rooms.size(), 0);
  attendees_.assign(meeting_->sessions.size(), 0);
  changed_.assign(meeting_->rooms.size(), 1);
  mark_ = *mark;
  scans_stored_ = *count;
  for (std::size_t b = 0; b < scans->badge_count(); ++b) apply(scans->badge(b), state_of(scans->scans_of(b), now));
  return {};
}

result<void> live_rooms::refresh_one(sqlite::database& db, const std::string& badge, time_ms now) {
  auto scans = load_badge_scans(db, *meeting_, badge, no_time);
  if (!scans) return std::unexpected(scans.error());
  badge_state next;
  if (scans->badge_count() > 0) next = state_of(scans->scans_of(0), now);
  apply(badge, std::move(next));
  return {};
}

result<void> live_rooms::refresh(sqlite::database& db, const std::set<std::string>& badges, time_ms now) {
  for (const auto& badge : badges) {
    CMETRACK_TRY(refresh_one(db, badge, now));
    queued_.erase(badge);
  }
  return {};
}

result<void> live_rooms::take_new_scans(sqlite::database& db, bool refreshed_already) {
  auto select = sqlite::statement::prepare(db, "SELECT rowid, badge FROM scans WHERE rowid > ? ORDER BY rowid");
  if (!select) return std::unexpected(select.error());
  select->bind(1, mark_);
  return select->for_each_row([&](const sqlite::statement& row) {
    mark_ = row.int64(0);
    ++scans_stored_;
    if (!refreshed_already && !row.is_null(1)) queued_.emplace(row.text(1));
  });
}

result<bool> live_rooms::catch_up(sqlite::database& db, time_ms now, std::size_t limit) {
  std::size_t done = 0;
  while (done < limit && !due_.empty() && due_.begin()->first <= now) {
    auto badge = due_.begin()->second;
    CMETRACK_TRY(refresh_one(db, badge, now));  // takes it off due_
    queued_.erase(badge);
    ++done;
  }
  while (done < limit && !queued_.empty()) {
    auto badge = std::move(queued_.extract(queued_.begin()).value());
    CMETRACK_TRY(refresh_one(db, badge, now));
    ++done;
  }
  return !queued_.empty() || (!due_.empty() && due_.begin()->first <= now);
}

std::vector<int> live_rooms::take_changed_rooms() {
  std::vector<int> out;
  for (std::size_t r = 0; r < changed_.size(); ++r)
    if (changed_[r]) {
      out.push_back(static_cast<int>(r));
      changed_[r] = 0;
    }
  return out;
}

std::vector<std::pair<std::string, std::pair<int, std::vector<int>>>> live_rooms::badges() const {
  std::vector<std::pair<std::string, std::pair<int, std::vector<int>>>> out;
  for (const auto& [badge, s] : badges_)
    if (s.room >= 0 || !s.sessions.empty()) out.push_back({badge, {s.room, s.sessions}});
  std::ranges::sort(out);
  return out;
}

nlohmann::ordered_json live_rooms::room_json(int room, time_ms now) const {
  const auto& m = *meeting_;
  const auto& r = m.rooms[static_cast<std::size_t>(room)];
  const int running = m.session_at(room, now);
  nlohmann::ordered_json next = nullptr;
  auto attendance = nlohmann::ordered_json::array();
  for (const int s : m.sessions_by_room[static_cast<std::size_t>(room)]) {
    const auto& ses = m.sessions[static_cast<std::size_t>(s)];
    if (ses.start <= now) {
      attendance.push_back({{"session", ses.id},
                            {"title", ses.title},
                            {"starts", format_iso8601_utc(ses.start)},
                            {"ends", format_iso8601_utc(ses.end)},
                            {"attendees", attendees(s)}});
    } else if (next.is_null()) {
      next = {{"session", ses.id}, {"title", ses.title}, {"starts", format_iso8601_utc(ses.start)}};
    }
  }
  const session* now_running = running >= 0 ? &m.sessions[static_cast<std::size_t>(running)] : nullptr;
  return {{"room", r.id},
          {"name", r.name},
          {"capacity", r.capacity},
          {"present", present(room)},
          {"session", now_running ? nlohmann::ordered_json(now_running->id) : nullptr},
          {"session_title", now_running ? nlohmann::ordered_json(now_running->title) : nullptr},
          {"session_ends", iso_or_null(now_running ? now_running->end : 0, now_running != nullptr)},
          {"next_session", next},
          {"attendance", attendance}};
}

nlohmann::ordered_json live_rooms::rooms_json(time_ms now) const {
  auto out = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < meeting_->rooms.size(); ++r) out.push_back(room_json(static_cast<int>(r), now));
  return out;
}

}  // namespace cmetrack::central
