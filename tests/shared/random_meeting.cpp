#include "tests/shared/random_meeting.h"

#include <fmt/format.h>

#include <algorithm>

namespace cmetrack::test {
namespace {

constexpr time_ms day_start = 1'777'017'600'000;  // 2026-04-24T08:00:00Z
constexpr std::string_view kiosk_names[] = {"k1", "k2", "k3", "k4"};

}  // namespace

meeting random_meeting(random_source& r) {
  meeting m;
  m.id = "RAND";
  m.name = "Random meeting";
  m.timezone = "UTC";
  m.badge_pattern = "^([0-9]+)$";
  m.rules.rounding = r.chance(50) ? rounding_policy::nearest_quarter : rounding_policy::floor_quarter;
  m.rules.missing_exit = r.chance(70) ? missing_exit_policy::session_end : missing_exit_policy::none;
  m.rules.debounce = r.between(0, 20) * ms_per_second;
  m.rules.block_gap = r.between(0, 45) * ms_per_minute;
  // Either parameter at an edge (0 or 240) now and then, else anywhere between.
  const auto minutes_0_to_240 = [&r] { return r.chance(20) ? (r.chance(50) ? 0 : 240) : r.between(0, 240); };
  m.rules.arrival_window = minutes_0_to_240() * ms_per_minute;
  m.rules.exit_grace = minutes_0_to_240() * ms_per_minute;
  const auto rooms = r.between(1, 4);
  int quarters = 0;
  for (int room = 0; room < rooms; ++room) {
    // fmt, not std::string's operator+: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
    m.rooms.push_back({fmt::format("R{}", room), fmt::format("Room {}", room), static_cast<int>(r.between(10, 500))});
    time_ms t = day_start + r.between(0, 120) * ms_per_minute;
    const auto sessions = r.between(1, 6);
    for (int k = 0; k < sessions; ++k) {
      session s;
      s.id = fmt::format("S{}-{}", room, k);
      s.room = room;
      s.title = s.id;
      s.start = t;
      s.end = t + r.between(2, 8) * 15 * ms_per_minute;
      s.credit_quarters = static_cast<int>(r.between(0, (s.end - s.start) / (15 * ms_per_minute)));
      s.patient_safety_quarters = static_cast<int>(r.between(0, s.credit_quarters));
      if (r.chance(40)) {
        const time_ms b = s.start + r.between(10, (s.end - s.start) / ms_per_minute - 10) * ms_per_minute;
        s.breaks.push_back({b, std::min(s.end, b + r.between(5, 20) * ms_per_minute)});
      }
      quarters += s.credit_quarters;
      m.sessions.push_back(s);
      t = s.end + r.between(0, 90) * ms_per_minute;
    }
  }
  m.max_quarters = static_cast<int>(r.between(quarters / 3, quarters + 4));
  index_sessions(m);
  return m;
}

std::vector<scan> random_scans(random_source& r, const meeting& m) {
  std::vector<scan> out;
  const auto n = r.between(0, 30);
  std::int64_t seq[4] = {0, 0, 0, 0};
  for (int i = 0; i < n; ++i) {
    scan s;
    const auto& anchor = m.sessions[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(m.sessions.size()) - 1))];
    s.room = r.chance(80) ? anchor.room : static_cast<int>(r.between(0, static_cast<std::int64_t>(m.rooms.size()) - 1));
    // From before the arrival window's reach to past the exit grace's.
    s.at = anchor.start + r.between(-90 * 60, 200 * 60) * ms_per_second;
    if (!out.empty() && r.chance(15)) {  // a double scan a few seconds later
      s = out.back();
      s.at += r.between(0, 15) * ms_per_second;
    }
    const auto k = static_cast<std::size_t>(r.between(0, 3));
    s.kiosk = kiosk_names[k];
    s.seq = ++seq[k];
    s.id_hash = r.engine()();
    s.direction = static_cast<direction>(r.between(0, 2));
    out.push_back(s);
  }
  return out;
}

}  // namespace cmetrack::test
