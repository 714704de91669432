#include "deploy/crowd/crowd_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "deploy/crowd/dice.h"

namespace cmetrack::crowd {
namespace {

constexpr time_ms day_ms = 86'400'000;
constexpr time_ms minute = ms_per_minute;

class planner {
 public:
  planner(const meeting& m, const std::vector<int>& kiosk_rooms, const crowd_options& o)
      : m_(m), o_(o), d_(o.seed), kiosk_of_room_(m.rooms.size(), -1) {
    for (std::size_t k = 0; k < kiosk_rooms.size(); ++k) {
      const auto r = static_cast<std::size_t>(kiosk_rooms[k]);
      if (r < kiosk_of_room_.size() && kiosk_of_room_[r] < 0) kiosk_of_room_[r] = static_cast<int>(k);
    }
    // The sessions of rooms with a kiosk, by start, split into days.
    std::vector<int> all;
    for (std::size_t s = 0; s < m.sessions.size(); ++s)
      if (kiosk_of(m.sessions[s].room) >= 0) all.push_back(static_cast<int>(s));
    std::ranges::sort(all, [&](int a, int b) { return at(a).start < at(b).start; });
    if (all.empty()) return;
    first_ = at(all.front()).start;
    for (const int s : all) {
      const auto day = static_cast<std::size_t>((at(s).start - first_) / day_ms);
      if (days_.size() <= day) days_.resize(day + 1);
      days_[day].push_back(s);
    }
  }

  std::vector<planned_scan> run() {
    if (days_.empty()) return {};
    const auto people = m_.attendees.size() + static_cast<std::size_t>(std::max(0, o_.walk_ins));
    for (std::size_t p = 0; p < people; ++p) {
      badge_ = p < m_.attendees.size() ? m_.attendees[p].badge : fmt::format("{:06}", 999'999 - p + m_.attendees.size());
      if (p == 0) {
        guide();
        continue;
      }
      for (std::size_t day = 0; day < days_.size(); ++day)
        if (d_.per_mille(850)) attend_day(days_[day]);
    }
    std::ranges::stable_sort(out_, [](const auto& a, const auto& b) { return a.at < b.at; });
    return std::move(out_);
  }

 private:
  const session& at(int s) const { return m_.sessions[static_cast<std::size_t>(s)]; }
  int kiosk_of(int room) const {
    return room >= 0 && static_cast<std::size_t>(room) < kiosk_of_room_.size()
               ? kiosk_of_room_[static_cast<std::size_t>(room)]
               : -1;
  }

  // The next session of the same room, where it continues the block.
  int next_in_block(int s) const {
    const auto& list = m_.sessions_by_room[static_cast<std::size_t>(at(s).room)];
    const auto it = std::ranges::find(list, s);
    if (it == list.end() || it + 1 == list.end()) return -1;
    return at(*(it + 1)).start <= at(s).end + m_.rules.block_gap ? *(it + 1) : -1;
  }

  void scan(time_ms t, int room, bool plain = false) {
    std::string payload = o_.badge_prefix + badge_;
    if (!plain) {
      if (d_.per_mille(100)) payload = badge_;  // keyed in, or a scanner without the prefix
      if (d_.per_mille(3)) payload.erase(payload.size() - 1 - d_.below(5), 1);  // a misread: fails the pattern
    }
    out_.push_back({t, kiosk_of(room), payload});
    if (!plain && d_.per_mille(40)) out_.push_back({t + d_.between(1'000, 8'000), kiosk_of(room), payload});  // twice
  }

  void guide() {
    for (const auto& day : days_)
      for (const int s : day)
        if (at(s).room == at(days_[0][0]).room) {
          scan(at(s).start - 4 * minute, at(s).room, true);
          scan(at(s).end + 2 * minute, at(s).room, true);
        }
  }

  // Another room with a session running at t, or -1.
  int other_room(int room, time_ms t) {
    for (int tries = 0; tries < 8; ++tries) {
      const auto r = static_cast<int>(d_.below(m_.rooms.size()));
      if (r != room && kiosk_of(r) >= 0 && m_.session_at(r, t) >= 0) return r;
    }
    return -1;
  }

  void attend_day(const std::vector<int>& list) {
    time_ms t = at(list.front()).start - 30 * minute;
    for (;;) {
      const auto first = std::ranges::find_if(list, [&](int s) { return at(s).start >= t - 10 * minute; });
      const auto left = list.end() - first;
      if (left == 0) return;
      const int s = *(first + static_cast<std::ptrdiff_t>(d_.below(static_cast<std::uint64_t>(std::min<std::ptrdiff_t>(4, left)))));
      // Arrivals bunch just before the start; some come late, a few early.
      const auto roll = d_.below(100);
      const auto minutes = roll < 80 ? d_.between(-12, 5) : roll < 95 ? d_.between(5, 30) : d_.between(-25, -12);
      const time_ms in_at = std::max(t, at(s).start + minutes * minute + d_.between(0, 59'999));
      if (in_at >= at(s).end - 5 * minute) {
        t = at(s).end;
        continue;
      }
      int last = s;
      while (next_in_block(last) >= 0 && d_.per_mille(400)) last = next_in_block(last);  // stays on
      const time_ms end = at(last).end;
      time_ms out_at = d_.per_mille(750) ? end + d_.between(-6 * minute, 4 * minute)
                                         : d_.between(in_at + (end - in_at) / 3, end);  // leaves early
      out_at = std::max(out_at, in_at + 5 * minute);

      int room = at(s).room;
      scan(in_at, room);
      const time_ms x = in_at + 2 * minute + static_cast<time_ms>(d_.below(static_cast<std::uint64_t>(std::max<time_ms>(1, out_at - in_at - 4 * minute))));
      const auto event = d_.below(100);
      if (event < 6) {  // walks into another room mid-session, no exit scan here
        if (const int other = other_room(room, x); other >= 0) {
          room = other;
          scan(x, room);
          const int there = m_.session_at(room, x);
          out_at = std::max(x + 5 * minute, at(there).end + d_.between(-5 * minute, 3 * minute));
        }
      } else if (event < 16 && out_at - x > 10 * minute) {  // steps out and back in
        scan(x, room);
        scan(x + d_.between(3, 9) * minute, room);
      }
      if (!d_.per_mille(150)) scan(out_at, room);  // else: forgets the exit scan
      t = out_at + d_.between(5, 40) * minute;
      if (d_.per_mille(120)) t += 60 * minute;  // skips a slot
    }
  }

  const meeting& m_;
  const crowd_options& o_;
  dice d_;
  std::vector<int> kiosk_of_room_;
  std::vector<std::vector<int>> days_;
  time_ms first_ = 0;
  std::string badge_;
  std::vector<planned_scan> out_;
};

}  // namespace

std::vector<planned_scan> plan_crowd(const meeting& m, const std::vector<int>& kiosk_rooms, const crowd_options& o) {
  return planner(m, kiosk_rooms, o).run();
}

}  // namespace cmetrack::crowd
