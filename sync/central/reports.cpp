#include "sync/central/reports.h"

#include <fmt/format.h>

#include <unordered_map>

#include "shared/attendance.h"
#include "shared/badge.h"
#include "sync/central/meeting_store.h"
#include "sync/central/scan_store.h"

namespace cmetrack::central {

nlohmann::ordered_json transcript_json(const meeting& m, const attendee& a, const credit_summary& c) {
  auto sessions = nlohmann::ordered_json::array();
  for (const auto& s : c.sessions) {
    const auto& ses = m.sessions[static_cast<std::size_t>(s.session)];
    sessions.push_back({{"session", ses.id},
                        {"title", ses.title},
                        {"attended_seconds", s.attended_seconds},
                        {"minutes", s.minutes},
                        {"credits", credits(s.quarters)},
                        {"patient_safety_credits", credits(s.patient_safety_quarters)}});
  }
  auto flags = nlohmann::ordered_json::array();
  for (const auto f : c.flags.names()) flags.push_back(f);
  return {{"meeting", m.id},
          {"badge", a.badge},
          {"name", a.name()},
          {"sessions", sessions},
          {"total_credits", credits(c.total_quarters)},
          {"total_patient_safety_credits", credits(c.total_patient_safety_quarters)},
          {"flags", flags}};
}

result<attendee_credit> find_transcript(sqlite::database& db, const meeting& m, std::string_view badge, time_ms now) {
  auto who = find_attendee(db, badge);
  if (!who) return std::unexpected(who.error());
  if (!*who) {  // perhaps a payload as scanned: "TAM26-004217"
    auto pattern = badge_pattern::compile(m.badge_pattern);
    if (!pattern) return std::unexpected(pattern.error());
    if (const auto id = pattern->extract(badge); id && *id != badge) {
      who = find_attendee(db, *id);
      if (!who) return std::unexpected(who.error());
    }
  }
  if (!*who) {
    auto waiting = load_badge_scans(db, m, badge, now);
    if (!waiting) return std::unexpected(waiting.error());
    return bad_input(fmt::format(
        "badge \"{}\" is not on the roster of {}; {} scan(s) of it are kept and count once it is registered "
        "(add it to the meeting file and run init again)",
        badge, m.id, waiting->scan_count()));
  }
  auto scans = load_badge_scans(db, m, (*who)->badge, now);
  if (!scans) return std::unexpected(scans.error());
  attendance a;
  if (scans->badge_count() > 0) a = attend(m, scans->scans_of(0), now);
  return attendee_credit{std::move(**who), credit(m, a)};
}

result<std::vector<attendee_credit>> every_attendee_credit(sqlite::database& db, const meeting& m, time_ms now) {
  auto people = load_attendees(db);
  if (!people) return std::unexpected(people.error());
  auto scans = load_all_scans(db, m, now);
  if (!scans) return std::unexpected(scans.error());
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t b = 0; b < scans->badge_count(); ++b) index.emplace(scans->badge(b), b);
  std::vector<attendee_credit> out;
  out.reserve(people->size());
  for (auto& p : *people) {
    attendance a;
    if (const auto it = index.find(p.badge); it != index.end()) a = attend(m, scans->scans_of(it->second), now);
    auto c = credit(m, a);
    out.push_back({std::move(p), std::move(c)});
  }
  return out;
}

result<nlohmann::ordered_json> transcript_report(sqlite::database& db, const meeting& m, std::string_view badge, time_ms now) {
  auto t = find_transcript(db, m, badge, now);
  if (!t) return std::unexpected(t.error());
  return transcript_json(m, t->who, t->credit);
}

std::vector<room_count> count_rooms(const meeting& m, scan_set& scans, time_ms now) {
  std::vector<room_count> out(m.rooms.size());
  for (std::size_t r = 0; r < m.rooms.size(); ++r) {
    out[r].room = static_cast<int>(r);
    out[r].session = m.session_at(static_cast<int>(r), now);
  }
  for (std::size_t b = 0; b < scans.badge_count(); ++b) {
    const auto a = attend(m, scans.scans_of(b), now);
    if (!a.stays.empty() && a.stays.back().open) ++out[static_cast<std::size_t>(a.stays.back().room)].present;
  }
  return out;
}

nlohmann::ordered_json rooms_json(const meeting& m, const std::vector<room_count>& counts) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& c : counts) {
    const auto& room = m.rooms[static_cast<std::size_t>(c.room)];
    nlohmann::ordered_json session = nullptr;
    if (c.session >= 0) session = m.sessions[static_cast<std::size_t>(c.session)].id;
    out.push_back({{"room", room.id},
                   {"name", room.name},
                   {"capacity", room.capacity},
                   {"present", c.present},
                   {"session", session}});
  }
  return out;
}

result<nlohmann::ordered_json> rooms_report(sqlite::database& db, const meeting& m, time_ms now) {
  auto scans = load_all_scans(db, m, now);
  if (!scans) return std::unexpected(scans.error());
  return rooms_json(m, count_rooms(m, *scans, now));
}

}  // namespace cmetrack::central
