#include "shared/credit.h"

#include <algorithm>

namespace cmetrack {
namespace {

constexpr std::int64_t seconds_per_quarter = 900;

time_ms overlap(const std::vector<interval>& merged, time_ms start, time_ms end) {
  time_ms total = 0;
  for (const auto& iv : merged) {
    if (iv.start >= end) break;
    const time_ms a = std::max(iv.start, start), b = std::min(iv.end, end);
    if (b > a) total += b - a;
  }
  return total;
}

// The union of the attendee's countable stays in one room, sorted, disjoint.
std::vector<interval> presence_in(const meeting& m, const attendance& a, int room) {
  std::vector<interval> list;
  const bool drop_missing = m.rules.missing_exit == missing_exit_policy::none;
  for (const auto& s : a.stays)
    if (s.room == room && s.end > s.start && !(drop_missing && s.missing_exit)) list.push_back({s.start, s.end});
  std::ranges::sort(list, {}, &interval::start);
  std::vector<interval> merged;
  for (const auto& iv : list) {
    if (!merged.empty() && iv.start <= merged.back().end)
      merged.back().end = std::max(merged.back().end, iv.end);
    else
      merged.push_back(iv);
  }
  return merged;
}

}  // namespace

int quarters_for(std::int64_t attended_seconds, rounding_policy policy) {
  const std::int64_t q = policy == rounding_policy::nearest_quarter
                             ? (attended_seconds + seconds_per_quarter / 2 - 1) / seconds_per_quarter
                             : attended_seconds / seconds_per_quarter;
  return static_cast<int>(q);
}

credit_summary credit(const meeting& m, const attendance& a) {
  credit_summary out;
  out.flags = a.flags;

  std::vector<int> rooms;
  for (const auto& s : a.stays)
    if (std::ranges::find(rooms, s.room) == rooms.end()) rooms.push_back(s.room);

  for (const int room : rooms) {
    const auto presence = presence_in(m, a, room);
    if (presence.empty()) continue;
    for (const int si : m.sessions_by_room[static_cast<std::size_t>(room)]) {
      const auto& ses = m.sessions[static_cast<std::size_t>(si)];
      time_ms attended = overlap(presence, ses.start, ses.end);
      if (attended == 0) continue;
      for (const auto& br : ses.breaks) attended -= overlap(presence, br.start, br.end);
      session_credit c;
      c.session = si;
      c.attended_seconds = attended / ms_per_second;
      if (c.attended_seconds <= 0) continue;
      c.minutes = c.attended_seconds / 60;
      c.quarters = std::min(ses.credit_quarters, quarters_for(c.attended_seconds, m.rules.rounding));
      c.patient_safety_quarters =
          ses.credit_quarters == 0 ? 0 : c.quarters * ses.patient_safety_quarters / ses.credit_quarters;
      out.sessions.push_back(c);
    }
  }

  std::ranges::sort(out.sessions, [&](const session_credit& x, const session_credit& y) {
    const auto &sx = m.sessions[static_cast<std::size_t>(x.session)], &sy = m.sessions[static_cast<std::size_t>(y.session)];
    return sx.start != sy.start ? sx.start < sy.start : sx.id < sy.id;
  });

  int sum = 0, ps = 0;
  for (const auto& c : out.sessions) {
    sum += c.quarters;
    ps += c.patient_safety_quarters;
  }
  out.total_quarters = std::min(sum, m.max_quarters);
  if (sum > m.max_quarters) out.flags.raise(flag::meeting_cap);
  out.total_patient_safety_quarters = std::min(ps, out.total_quarters);
  return out;
}

}  // namespace cmetrack
