#include "shared/meeting.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace cmetrack {
namespace {

// "M.D." and "m d" are "MD".
std::string degree_key(std::string_view degree) {
  std::string out;
  for (const char c : degree)
    if (c != '.' && c != ' ' && c != '\t') out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

}  // namespace

std::optional<interval> meeting_span(const meeting& m) {
  if (m.sessions.empty()) return std::nullopt;
  interval span{m.sessions.front().start, m.sessions.front().end};
  for (const auto& s : m.sessions) {
    span.start = std::min(span.start, s.start);
    span.end = std::max(span.end, s.end);
  }
  return span;
}

bool is_physician(const meeting& m, const attendee& a) {
  if (!a.degree) return false;
  // "MD, PhD" and "DO/MPH" hold two degrees.
  std::string_view rest = *a.degree;
  while (!rest.empty()) {
    const auto cut = rest.find_first_of(",/;");
    const auto key = degree_key(rest.substr(0, cut));
    if (!key.empty() && std::ranges::any_of(m.activity.physician_degrees,
                                            [&](const std::string& d) { return degree_key(d) == key; }))
      return true;
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  return false;
}

int meeting::room_index(std::string_view room_id) const {
  const auto it = room_by_id.find(room_id);
  return it == room_by_id.end() ? -1 : it->second;
}

int meeting::session_at(int room, time_ms t) const {
  for (const int s : sessions_by_room[static_cast<std::size_t>(room)]) {
    const auto& ses = sessions[static_cast<std::size_t>(s)];
    if (ses.start > t) break;
    if (t < ses.end) return s;
  }
  return -1;
}

int meeting::session_for_stay(int room, time_ms t) const {
  const auto& list = sessions_by_room[static_cast<std::size_t>(room)];
  // First session of the room that ends after t: either it is running at t,
  // or it is the next one to start.
  const auto it = std::partition_point(list.begin(), list.end(), [&](int s) {
    return sessions[static_cast<std::size_t>(s)].end <= t;
  });
  if (it == list.end()) return -1;
  const auto& ses = sessions[static_cast<std::size_t>(*it)];
  if (ses.start <= t || ses.start - t <= rules.arrival_window) return *it;
  return -1;
}

void index_sessions(meeting& m) {
  std::ranges::sort(m.sessions, [](const session& a, const session& b) {
    return a.room != b.room ? a.room < b.room : a.start < b.start;
  });
  m.room_by_id.clear();
  for (std::size_t i = 0; i < m.rooms.size(); ++i) m.room_by_id.emplace(m.rooms[i].id, static_cast<int>(i));
  m.sessions_by_room.assign(m.rooms.size(), {});

  for (std::size_t i = 0; i < m.sessions.size(); ++i) {
    auto& s = m.sessions[i];
    std::ranges::sort(s.breaks, {}, &interval::start);
    std::vector<interval> merged;
    for (const auto& b : s.breaks) {
      if (!merged.empty() && b.start <= merged.back().end)
        merged.back().end = std::max(merged.back().end, b.end);
      else
        merged.push_back(b);
    }
    s.breaks = std::move(merged);
    m.sessions_by_room[static_cast<std::size_t>(s.room)].push_back(static_cast<int>(i));
  }

  // Blocks: walk each room's sessions backwards so each knows where its block ends.
  for (const auto& list : m.sessions_by_room) {
    for (std::size_t k = list.size(); k-- > 0;) {
      auto& s = m.sessions[static_cast<std::size_t>(list[k])];
      s.block_end = s.end;
      if (k + 1 < list.size()) {
        const auto& next = m.sessions[static_cast<std::size_t>(list[k + 1])];
        if (next.start - s.end <= m.rules.block_gap) s.block_end = next.block_end;
      }
    }
  }
}

}  // namespace cmetrack
