#include "sync/central/live_rooms.h"

#include "shared/attendance.h"
#include "shared/credit.h"
#include "shared/time.h"
#include "sync/central/scan_store.h"

namespace cmetrack::central {
namespace {

// A badge's open stay and attended sessions from its scans.
template <class State>
State state_of(const meeting& m, std::span<scan> scans, time_ms now) {
  State out;
  const auto a = attend(m, scans, now);
  if (!a.stays.empty() && a.stays.back().open) out.room = a.stays.back().room;
  for (const auto& s : credit(m, a).sessions) out.sessions.push_back(s.session);
  return out;
}

nlohmann::ordered_json iso_or_null(time_ms t, bool known) {
  if (!known) return nullptr;
  return format_iso8601_utc(t);
}

}  // namespace

void live_rooms::apply(const std::string& badge, badge_state next) {
  auto& now = badges_[badge];
  if (now.room >= 0) --present_[static_cast<std::size_t>(now.room)];
  for (const int s : now.sessions) --attendees_[static_cast<std::size_t>(s)];
  if (next.room >= 0) ++present_[static_cast<std::size_t>(next.room)];
  for (const int s : next.sessions) ++attendees_[static_cast<std::size_t>(s)];
  if (next.room < 0 && next.sessions.empty()) badges_.erase(badge);
  else now = std::move(next);
}

result<void> live_rooms::rebuild(sqlite::database& db, const meeting& m, time_ms now) {
  auto scans = load_all_scans(db, m, now);
  if (!scans) return std::unexpected(scans.error());
  badges_.clear();
  present_.assign(m.rooms.size(), 0);
  attendees_.assign(m.sessions.size(), 0);
  for (std::size_t b = 0; b < scans->badge_count(); ++b)
    apply(scans->badge(b), state_of<badge_state>(m, scans->scans_of(b), now));
  built_ = true;
  return {};
}

result<void> live_rooms::refresh(sqlite::database& db, const meeting& m, const std::set<std::string>& badges,
                                 time_ms now) {
  if (!built_) return rebuild(db, m, now);
  for (const auto& badge : badges) {
    auto scans = load_badge_scans(db, m, badge, now);
    if (!scans) return std::unexpected(scans.error());
    badge_state next;
    if (scans->badge_count() > 0) next = state_of<badge_state>(m, scans->scans_of(0), now);
    apply(badge, std::move(next));
  }
  return {};
}

result<void> live_rooms::refresh_present(sqlite::database& db, const meeting& m, time_ms now) {
  if (!built_) return rebuild(db, m, now);
  std::set<std::string> in_rooms;
  for (const auto& [badge, state] : badges_)
    if (state.room >= 0) in_rooms.insert(badge);
  return refresh(db, m, in_rooms, now);
}

nlohmann::ordered_json live_rooms::room_json(const meeting& m, int room, time_ms now) const {
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
                            {"attendees", built_ ? attendees(s) : 0}});
    } else if (next.is_null()) {
      next = {{"session", ses.id}, {"title", ses.title}, {"starts", format_iso8601_utc(ses.start)}};
    }
  }
  const session* now_running = running >= 0 ? &m.sessions[static_cast<std::size_t>(running)] : nullptr;
  return {{"room", r.id},
          {"name", r.name},
          {"capacity", r.capacity},
          {"present", built_ ? present(room) : 0},
          {"session", now_running ? nlohmann::ordered_json(now_running->id) : nullptr},
          {"session_title", now_running ? nlohmann::ordered_json(now_running->title) : nullptr},
          {"session_ends", iso_or_null(now_running ? now_running->end : 0, now_running != nullptr)},
          {"next_session", next},
          {"attendance", attendance}};
}

nlohmann::ordered_json live_rooms::rooms_json(const meeting& m, time_ms now) const {
  auto out = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < m.rooms.size(); ++r) out.push_back(room_json(m, static_cast<int>(r), now));
  return out;
}

}  // namespace cmetrack::central
