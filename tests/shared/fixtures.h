#pragma once
// The worked example's meeting (docs/rules.md), read through the importer, and
// a terse way to write one attendee's scans on its day (2026-04-24, -04:00).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "shared/attendance.h"
#include "shared/credit.h"
#include "shared/meeting_import.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {

inline meeting worked_example_meeting() {
  const std::string path = std::string(CMETRACK_TEST_DATA) + "/worked_example.json";
  auto m = read_meeting_file(path);
  REQUIRE(m.has_value());
  return m->meeting;
}

// "08:40" or "08:40:05" on the example's day, local time (-04:00).
inline time_ms at(const std::string& hhmm) {
  const std::string full = hhmm.size() == 5 ? hhmm + ":00" : hhmm;
  return *parse_iso8601("2026-04-24T" + full + "-04:00");
}

// One scan: "08:40 auto A". Kiosk and sequence follow the order written.
struct scan_line {
  std::string time;
  std::string direction;
  std::string room;
};

inline std::vector<scan> scans_of(const meeting& m, const std::vector<scan_line>& lines) {
  std::vector<scan> out;
  std::int64_t seq = 0;
  for (const auto& l : lines) {
    scan s;
    s.at = at(l.time);
    s.kiosk = "kiosk-1";
    s.seq = ++seq;
    s.id_hash = static_cast<std::uint64_t>(seq);
    s.room = m.room_index(l.room);
    s.direction = *parse_direction(l.direction);
    REQUIRE(s.room >= 0);
    out.push_back(s);
  }
  return out;
}

inline attendance attend_lines(const meeting& m, const std::vector<scan_line>& lines, const std::string& now = "23:00") {
  auto scans = scans_of(m, lines);
  return attend(m, scans, at(now));
}

// Quarters earned in the session with this id, 0 when not attended.
inline int quarters_in(const meeting& m, const credit_summary& c, const std::string& session_id) {
  for (const auto& s : c.sessions)
    if (m.sessions[static_cast<std::size_t>(s.session)].id == session_id) return s.quarters;
  return 0;
}

inline std::int64_t seconds_in(const meeting& m, const credit_summary& c, const std::string& session_id) {
  for (const auto& s : c.sessions)
    if (m.sessions[static_cast<std::size_t>(s.session)].id == session_id) return s.attended_seconds;
  return 0;
}

}  // namespace cmetrack::test
