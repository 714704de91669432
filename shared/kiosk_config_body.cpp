#include "shared/kiosk_config_body.h"

#include <nlohmann/json.hpp>

namespace cmetrack {
namespace {

using ordered = nlohmann::ordered_json;

double credits(int quarters) { return quarters / 4.0; }

}  // namespace

std::string kiosk_config_body(const meeting& m, std::string_view room, const kiosk_identity& kiosk) {
  const int r = m.room_index(room);
  ordered rules = {
      {"rounding", m.rules.rounding == rounding_policy::floor_quarter ? "floor_quarter" : "nearest_quarter"},
      {"missing_exit", m.rules.missing_exit == missing_exit_policy::none ? "none" : "session_end"},
      {"debounce_seconds", m.rules.debounce / ms_per_second},
      {"block_gap_minutes", m.rules.block_gap / ms_per_minute},
      {"arrival_window_minutes", m.rules.arrival_window / ms_per_minute},
      {"exit_grace_minutes", m.rules.exit_grace / ms_per_minute}};
  ordered doc = {{"meeting",
                  {{"id", m.id}, {"name", m.name}, {"timezone", m.timezone}, {"max_credits", credits(m.max_quarters)},
                   {"rules", std::move(rules)}}},
                 {"badge", {{"pattern", m.badge_pattern}}}};
  // A signed meeting's key travels to the kiosk, which checks badges offline.
  if (!m.badge_key.empty()) doc["badge"]["key"] = m.badge_key;
  ordered rooms = ordered::array();
  ordered sessions = ordered::array();
  if (r >= 0) {
    const auto& rm = m.rooms[static_cast<std::size_t>(r)];
    rooms.push_back({{"id", rm.id}, {"name", rm.name}, {"capacity", rm.capacity}});
    for (const auto& s : m.sessions) {
      if (s.room != r) continue;
      ordered breaks = ordered::array();
      for (const auto& b : s.breaks)
        breaks.push_back({{"start", format_iso8601_utc(b.start)}, {"end", format_iso8601_utc(b.end)}});
      sessions.push_back({{"id", s.id},
                          {"room", rm.id},
                          {"title", s.title},
                          {"start", format_iso8601_utc(s.start)},
                          {"end", format_iso8601_utc(s.end)},
                          {"credits", credits(s.credit_quarters)},
                          {"patient_safety_credits", credits(s.patient_safety_quarters)},
                          {"breaks", std::move(breaks)}});
    }
  }
  ordered attendees = ordered::array();
  for (const auto& a : m.attendees)
    attendees.push_back({{"badge", a.badge}, {"first_name", a.first_name}, {"last_name", "-"}});
  doc["rooms"] = std::move(rooms);
  doc["sessions"] = std::move(sessions);
  doc["attendees"] = std::move(attendees);
  doc["kiosk"] = {{"id", kiosk.id}, {"room", kiosk.room}, {"door", kiosk.door}, {"mode", kiosk.mode}};
  return doc.dump();
}

}  // namespace cmetrack
