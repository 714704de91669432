#include "shared/badge_sharing.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>

namespace cmetrack {

time_ms required_between(const sharing_rules& rules, int room_a, int room_b) {
  if (room_a == room_b) return 0;
  time_ms required = rules.min_between_rooms;
  for (const auto& w : rules.walks)
    if ((w.from_room == room_a && w.to_room == room_b) || (w.from_room == room_b && w.to_room == room_a))
      required = std::max(required, w.min);
  return required;
}

std::vector<sharing_event> find_badge_sharing(const meeting& m, std::span<scan> scans, time_ms now) {
  std::vector<sharing_event> out;
  if (!m.sharing.enabled()) return out;
  std::ranges::sort(scans, processing_order);
  for (std::size_t i = 1; i < scans.size(); ++i) {
    const auto& a = scans[i - 1];
    const auto& b = scans[i];
    if (b.at > now) break;
    if (a.room == b.room) continue;
    const time_ms required = required_between(m.sharing, a.room, b.room);
    const time_ms gap = b.at - a.at;
    if (gap < required) out.push_back({a, b, gap, required});
  }
  return out;
}

namespace {

using json = nlohmann::json;

constexpr std::int64_t max_seconds = 86'400;

// A whole number of seconds at `where`, 1 to max_seconds.
result<time_ms> seconds_at(const json& v, const std::string& where) {
  if (!v.is_number_integer())
    return bad_input(fmt::format("{}: must be a whole number of seconds, not {}", where, v.dump()));
  const auto s = v.get<std::int64_t>();
  if (s < 1 || s > max_seconds)
    return bad_input(fmt::format("{}: {} is not between 1 and {} seconds", where, s, max_seconds));
  return s * ms_per_second;
}

// The index of the room with this id at `where`, or a fault naming it.
result<int> room_at(const json& object, const std::string& path, std::string_view key, const meeting& m) {
  const auto where = fmt::format("{}.{}", path, key);
  const auto it = object.find(key);
  if (it == object.end()) return bad_input(fmt::format("{}: missing; it must be a room id of the meeting", where));
  if (!it->is_string()) return bad_input(fmt::format("{}: must be a room id (a string), not {}", where, it->dump()));
  const auto id = it->get<std::string>();
  const auto room = std::ranges::find(m.rooms, id, &room::id);
  if (room == m.rooms.end()) {
    std::string ids;
    for (const auto& r : m.rooms) ids += (ids.empty() ? "" : ", ") + r.id;
    return bad_input(fmt::format("{}: no room \"{}\" in the meeting; use one of its room ids ({})", where, id, ids));
  }
  return static_cast<int>(room - m.rooms.begin());
}

void warn_unknown(const json& object, const std::string& path, std::initializer_list<std::string_view> known,
                  std::vector<std::string>& warnings) {
  for (const auto& [key, value] : object.items())
    if (std::ranges::find(known, key) == known.end())
      warnings.push_back(fmt::format("{}.{}: unknown field, ignored", path, key));
}

}  // namespace

result<sharing_rules> parse_badge_sharing(std::string_view json_text, const meeting& m,
                                          std::vector<std::string>& warnings) {
  const std::string top = "badge_sharing";
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return bad_input(fmt::format("{}: not JSON", top));
  if (!doc.is_object())
    return bad_input(fmt::format("{}: must be an object such as {{\"min_seconds_between_rooms\": 60}}, not {}", top,
                                 doc.dump()));
  warn_unknown(doc, top, {"min_seconds_between_rooms", "walk_seconds"}, warnings);
  sharing_rules rules;
  if (const auto it = doc.find("min_seconds_between_rooms"); it != doc.end()) {
    auto s = seconds_at(*it, top + ".min_seconds_between_rooms");
    if (!s) return std::unexpected(s.error());
    rules.min_between_rooms = *s;
  }
  if (const auto it = doc.find("walk_seconds"); it != doc.end()) {
    if (!it->is_array())
      return bad_input(fmt::format("{}.walk_seconds: must be an array of {{\"from\", \"to\", \"seconds\"}}, not {}",
                                   top, it->dump()));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto path = fmt::format("{}.walk_seconds[{}]", top, i);
      const auto& w = (*it)[i];
      if (!w.is_object())
        return bad_input(fmt::format("{}: must be an object {{\"from\", \"to\", \"seconds\"}}, not {}", path, w.dump()));
      warn_unknown(w, path, {"from", "to", "seconds"}, warnings);
      auto from = room_at(w, path, "from", m);
      if (!from) return std::unexpected(from.error());
      auto to = room_at(w, path, "to", m);
      if (!to) return std::unexpected(to.error());
      if (*from == *to)
        return bad_input(fmt::format("{}.to: a walk joins two different rooms; \"{}\" is also its \"from\"", path,
                                     m.rooms[static_cast<std::size_t>(*to)].id));
      if (!w.contains("seconds")) return bad_input(fmt::format("{}.seconds: missing; it must be a whole number", path));
      auto seconds = seconds_at(w.at("seconds"), path + ".seconds");
      if (!seconds) return std::unexpected(seconds.error());
      for (std::size_t k = 0; k < rules.walks.size(); ++k) {
        const auto& other = rules.walks[k];
        if ((other.from_room == *from && other.to_room == *to) || (other.from_room == *to && other.to_room == *from))
          return bad_input(fmt::format("{}: the walk between \"{}\" and \"{}\" is given already in "
                                       "walk_seconds[{}]; a walk holds both ways, give it once",
                                       path, m.rooms[static_cast<std::size_t>(*from)].id,
                                       m.rooms[static_cast<std::size_t>(*to)].id, k));
      }
      rules.walks.push_back({*from, *to, *seconds});
    }
  }
  return rules;
}

std::string badge_sharing_json(const meeting& m) {
  if (!m.sharing.enabled()) return {};
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (m.sharing.min_between_rooms > 0) out["min_seconds_between_rooms"] = m.sharing.min_between_rooms / ms_per_second;
  auto walks = nlohmann::ordered_json::array();
  for (const auto& w : m.sharing.walks)
    walks.push_back({{"from", m.rooms[static_cast<std::size_t>(w.from_room)].id},
                     {"to", m.rooms[static_cast<std::size_t>(w.to_room)].id},
                     {"seconds", w.min / ms_per_second}});
  if (!walks.empty()) out["walk_seconds"] = std::move(walks);
  return out.dump();
}

}  // namespace cmetrack
