// cmetrack-bench-congress: writes a synthetic congress for the benchmarks
// (BENCHMARKS.md): DIR/meeting.json in the meeting file's form and
// DIR/scans.csv in the scans file's form (docs/formats.md).
//
// Each room's day holds a morning and an afternoon block of back-to-back
// sessions with lunch between. Each attendee has a budget of scans (the
// budgets sum to --scans exactly) and spends it on visits: walk in around a
// session's start, sometimes stay on for the next session of the block,
// step out and back in, scan twice within the debounce, change rooms
// mid-session, forget the exit scan (~15%). A few payloads fail the badge
// pattern, a misconfigured kiosk names a room the meeting does not have, and
// ~1% of the badges that scan are not on the roster (on-site registration).
//
// Deterministic for a seed: one std::mt19937_64, reduced with plain integer
// arithmetic (no std::*_distribution, whose output differs across libraries).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "shared/time.h"
#include "shared/command_line.h"
#include "shared/version.h"

namespace {

using cmetrack::time_ms;
using cmetrack::ms_per_minute;
using cmetrack::ms_per_second;

struct options {
  std::string out;
  int attendees = 50'000;
  int rooms = 30;
  int sessions = 300;
  int days = 4;
  std::int64_t scans = 4'000'000;
  std::uint64_t seed = 1;
  // How the meeting names itself and prints its badges (the demo meeting is
  // made by this generator too).
  std::string meeting_id = "BENCH26";
  std::string meeting_name = "Synthetic Congress 2026";
  std::string badge_prefix = "BENCH-";
};

class dice {
 public:
  explicit dice(std::uint64_t seed) : engine_(seed) {}
  // Uniform enough in [0, n): the modulo bias is below n / 2^64.
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool per_mille(int p) { return below(1000) < static_cast<std::uint64_t>(p); }
  std::uint64_t bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// The meeting runs in New York in April: local time is UTC-4.
constexpr time_ms utc_offset = -4 * 60 * ms_per_minute;
const time_ms first_day = cmetrack::days_from_civil(2026, 4, 24) * 86'400'000;

time_ms local(int day, int minutes) { return first_day + day * 86'400'000LL + minutes * ms_per_minute - utc_offset; }

std::string local_iso(time_ms t) {  // "2026-04-24T08:00:00-04:00"
  auto s = cmetrack::format_iso8601_utc(t + utc_offset);
  s.resize(19);
  return s + "-04:00";
}

struct kiosk {
  std::string id;
  std::string room;  // as the kiosk was enrolled; "FOYER" is not a room of the meeting
  std::string door;
  std::string_view direction;  // "in", "out" or "auto"
  std::string_view source;     // "scanner" or "camera"
};

struct door {
  int entry_kiosk;  // an entry or auto kiosk
  int exit_kiosk;   // an exit kiosk, or the same auto one
};

struct room {
  std::string id, name;
  int capacity;
  std::vector<door> doors;
  std::vector<int> sessions;  // by start
};

struct session {
  std::string id, title;
  int room, day;
  time_ms start, end;
  time_ms break_start = 0, break_end = 0;  // none when equal
  int quarters = 0, patient_safety_quarters = 0;
  int next_in_block = -1;
};

struct congress {
  std::vector<kiosk> kiosks;
  std::vector<room> rooms;
  std::vector<session> sessions;
  std::vector<std::vector<int>> sessions_by_day;  // by start
  int foyer_kiosk = -1;
};

constexpr std::array topics = {
    "Safety in body contouring", "Rhinoplasty: the difficult nose", "Breast reconstruction outcomes",
    "Managing complications of fillers", "Facial nerve anatomy", "Opioid-sparing analgesia",
    "Venous thromboembolism prophylaxis", "Fat grafting: evidence and practice", "Blepharoplasty pearls",
    "Informed consent and documentation", "Lasers and energy devices", "Abdominoplasty: pitfalls",
    "Scientific session: free papers", "Panel: revision surgery", "Ethics in aesthetic practice",
    "Wound healing and scars",
};

congress plan_meeting(const options& o, dice& d) {
  congress c;
  for (int r = 0; r < o.rooms; ++r) {
    room rm;
    rm.id = fmt::format("R{:02}", r + 1);
    rm.name = r < 6 ? fmt::format("Ballroom {}", static_cast<char>('A' + r)) : fmt::format("Room {}", 200 + r);
    rm.capacity = r < 6 ? 1200 : static_cast<int>(150 + 50 * d.below(10));
    const int doors = rm.capacity >= 1000 ? 3 : rm.capacity >= 500 ? 2 : 1;
    for (int k = 1; k <= doors; ++k) {
      const auto door_id = fmt::format("D{}", k);
      const auto source = d.per_mille(250) ? std::string_view("camera") : std::string_view("scanner");
      const int first = static_cast<int>(c.kiosks.size());
      if (d.per_mille(600)) {  // one kiosk that toggles
        c.kiosks.push_back({fmt::format("K-{}-{}", rm.id, door_id), rm.id, door_id, "auto", source});
        rm.doors.push_back({first, first});
      } else {  // an entry kiosk and an exit kiosk
        c.kiosks.push_back({fmt::format("K-{}-{}-IN", rm.id, door_id), rm.id, door_id, "in", source});
        c.kiosks.push_back({fmt::format("K-{}-{}-OUT", rm.id, door_id), rm.id, door_id, "out", source});
        rm.doors.push_back({first, first + 1});
      }
    }
    c.rooms.push_back(std::move(rm));
  }
  c.foyer_kiosk = static_cast<int>(c.kiosks.size());
  c.kiosks.push_back({"K-FOYER-D1", "FOYER", "D1", "auto", "scanner"});

  // Spread the sessions over the room-days; the remainder goes to random ones.
  const int room_days = o.rooms * o.days;
  std::vector<int> count(static_cast<std::size_t>(room_days), o.sessions / room_days);
  std::vector<int> order(count.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[d.below(i)]);
  for (int i = 0; i < o.sessions % room_days; ++i) ++count[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];

  c.sessions_by_day.resize(static_cast<std::size_t>(o.days));
  for (int day = 0; day < o.days; ++day) {
    for (int r = 0; r < o.rooms; ++r) {
      const int k = count[static_cast<std::size_t>(day * o.rooms + r)];
      const int morning = (k + 1) / 2;
      const int late = static_cast<int>(d.below(2)) * 30;  // some rooms start at 08:30
      // Morning block from 08:00, afternoon block from 13:30: lunch splits them.
      for (const auto& [n, block_start] : {std::pair{morning, 8 * 60 + late}, std::pair{k - morning, 13 * 60 + 30 + late}}) {
        if (n == 0) continue;
        const int block_minutes = static_cast<int>(180 + 30 * d.below(3));
        const int each = std::max(15, block_minutes / n / 15 * 15);
        int t = block_start;
        for (int i = 0; i < n; ++i) {
          session s;
          s.room = r;
          s.day = day;
          s.start = local(day, t);
          s.end = local(day, t + each);
          int earning = each;
          if (each >= 90 && d.per_mille(500)) {  // a coffee break mid-session
            const int length = d.per_mille(500) ? 15 : 20;
            s.break_start = local(day, t + each / 2 / 5 * 5);
            s.break_end = s.break_start + length * ms_per_minute;
            earning -= length;
          }
          const bool industry = d.per_mille(80);  // non-CME: earns nothing
          s.quarters = industry ? 0 : earning / 15;
          if (!industry && d.per_mille(200)) s.patient_safety_quarters = s.quarters / 2;
          s.title = std::string(topics[d.below(topics.size())]) + (industry ? " (industry symposium, non-CME)" : "");
          if (i + 1 < n) s.next_in_block = static_cast<int>(c.sessions.size()) + 1;
          c.sessions.push_back(std::move(s));
          t += each + (d.per_mille(300) ? 15 : 0);  // a 15-minute gap keeps the block
        }
      }
    }
  }
  for (std::size_t i = 0; i < c.sessions.size(); ++i) {
    auto& s = c.sessions[i];
    s.id = fmt::format("S{:03}", i + 1);
    c.rooms[static_cast<std::size_t>(s.room)].sessions.push_back(static_cast<int>(i));
    c.sessions_by_day[static_cast<std::size_t>(s.day)].push_back(static_cast<int>(i));
  }
  auto by_start = [&](int a, int b) { return c.sessions[static_cast<std::size_t>(a)].start < c.sessions[static_cast<std::size_t>(b)].start; };
  for (auto& r : c.rooms) std::ranges::sort(r.sessions, by_start);
  for (auto& l : c.sessions_by_day) std::ranges::stable_sort(l, by_start);
  return c;
}

// Badge numbers: distinct 6-digit numbers, scattered (48271 is prime to 900000).
std::uint32_t badge_number(std::uint32_t person) { return 100'000 + (person * 48'271u + 12'345u) % 900'000u; }

constexpr std::array first_names = {"Jane", "John", "Maria", "Wei", "Aisha", "Carlos", "Olga", "Rahul",
                                    "Emma", "Kenji", "Fatima", "Lucas", "Sofia", "David", "Amara", "Noah"};
constexpr std::array last_names = {"Doe", "Smith", "Garcia", "Chen", "Khan", "Silva", "Ivanova", "Patel",
                                   "Brown", "Tanaka", "Haddad", "Martin", "Rossi", "Cohen", "Okafor", "Nguyen"};

void write_meeting(const std::filesystem::path& path, const congress& c, const options& opt, dice& d) {
  const int attendees = opt.attendees;
  fmt::memory_buffer out;
  auto o = std::back_inserter(out);
  fmt::format_to(o, R"({{
"meeting": {{"id": "{}", "name": "{}", "timezone": "America/New_York", "max_credits": 50.75,
            "rules": {{"rounding": "nearest_quarter", "missing_exit": "session_end", "debounce_seconds": 10, "block_gap_minutes": 30,
                      "arrival_window_minutes": 60, "exit_grace_minutes": 30}}}},
"badge": {{"pattern": "^(?:{})?([0-9]{{6}})$"}},
"rooms": [
)",
                 opt.meeting_id, opt.meeting_name, opt.badge_prefix);
  for (std::size_t i = 0; i < c.rooms.size(); ++i)
    fmt::format_to(o, "  {{\"id\": \"{}\", \"name\": \"{}\", \"capacity\": {}}}{}\n", c.rooms[i].id, c.rooms[i].name,
                   c.rooms[i].capacity, i + 1 < c.rooms.size() ? "," : "");
  fmt::format_to(o, "],\n\"sessions\": [\n");
  for (std::size_t i = 0; i < c.sessions.size(); ++i) {
    const auto& s = c.sessions[i];
    fmt::format_to(o, "  {{\"id\": \"{}\", \"room\": \"{}\", \"title\": \"{}\", \"start\": \"{}\", \"end\": \"{}\", \"credits\": {}",
                   s.id, c.rooms[static_cast<std::size_t>(s.room)].id, s.title, local_iso(s.start), local_iso(s.end),
                   s.quarters / 4.0);
    if (s.patient_safety_quarters > 0) fmt::format_to(o, ", \"patient_safety_credits\": {}", s.patient_safety_quarters / 4.0);
    if (s.break_end > s.break_start)
      fmt::format_to(o, ", \"breaks\": [{{\"start\": \"{}\", \"end\": \"{}\"}}]", local_iso(s.break_start), local_iso(s.break_end));
    fmt::format_to(o, "}}{}\n", i + 1 < c.sessions.size() ? "," : "");
  }
  fmt::format_to(o, "],\n\"attendees\": [\n");
  for (int i = 0; i < attendees; ++i)
    fmt::format_to(o, "  {{\"badge\": \"{:06}\", \"first_name\": \"{}\", \"last_name\": \"{}\", \"degree\": \"{}\"}}{}\n",
                   badge_number(static_cast<std::uint32_t>(i)), first_names[d.below(first_names.size())],
                   last_names[d.below(last_names.size())], d.per_mille(850) ? "MD" : "DO", i + 1 < attendees ? "," : "");
  fmt::format_to(o, "]\n}}\n");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0)
    throw std::runtime_error(fmt::format("{}: cannot write", path.string()));
}

// A scan as generated; seq and id are given when the file is written.
struct raw_scan {
  time_ms at;
  std::uint32_t person;
  std::uint16_t kiosk;
  std::uint8_t invalid_payload;  // the scanner misread the badge
  std::uint8_t keyed;            // staff typed the badge in
};

class attendee_day_planner {
 public:
  attendee_day_planner(const congress& c, dice& d, std::vector<raw_scan>& out) : c_(c), d_(d), out_(out) {}

  struct visit {
    int room;
    time_ms in_at, out_at;
    bool exits;
    int extras = 0;  // scans beyond the entry and the exit
  };

  // Spends exactly `budget` scans of `person` on visits over the days.
  void attend(std::uint32_t person, std::int64_t budget) {
    if (budget <= 0) return;
    person_ = person;
    std::vector<visit> visits;
    const auto days = c_.sessions_by_day.size();
    for (std::size_t day = 0; day < days; ++day)
      if (d_.per_mille(850)) plan_day(day, visits);
    if (visits.empty()) plan_day(d_.below(days), visits);
    if (visits.empty()) return;  // a meeting without sessions
    std::int64_t base = 0;
    for (const auto& v : visits) base += v.exits ? 2 : 1;
    while (base > budget && visits.size() > 1) {  // drop random visits until the budget holds
      const auto i = d_.below(visits.size());
      base -= visits[i].exits ? 2 : 1;
      visits.erase(visits.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (base > budget) {
      visits[0].exits = false;
      base = 1;
    }
    for (std::int64_t e = budget - base; e > 0; --e) ++visits[d_.below(visits.size())].extras;
    for (const auto& v : visits) emit_visit(v);
  }

 private:
  void plan_day(std::size_t day, std::vector<visit>& visits) {
    const auto& list = c_.sessions_by_day[day];
    if (list.empty()) return;
    time_ms t = c_.sessions[static_cast<std::size_t>(list.front())].start - 30 * ms_per_minute;
    for (;;) {
      const auto first = std::ranges::find_if(list, [&](int s) { return at(s).start >= t - 10 * ms_per_minute; });
      const auto left = list.end() - first;
      if (left == 0) break;
      const auto& s = at(*(first + static_cast<std::ptrdiff_t>(d_.below(static_cast<std::uint64_t>(std::min<std::ptrdiff_t>(6, left))))));
      visit v{s.room, 0, 0, !d_.per_mille(150)};
      // Arrivals bunch just before the start; some come late, a few early.
      const auto roll = d_.below(100);
      const std::int64_t minutes = roll < 80 ? d_.between(-12, 5) : roll < 95 ? d_.between(5, 30) : d_.between(-25, -12);
      v.in_at = std::max(t, s.start + minutes * ms_per_minute + d_.between(0, 59'999));
      const session* last = &s;
      while (last->next_in_block >= 0 && d_.per_mille(350)) last = &at(last->next_in_block);  // stays on
      v.out_at = d_.per_mille(750) ? last->end + d_.between(-6 * ms_per_minute, 4 * ms_per_minute)
                                   : d_.between(v.in_at + (last->end - v.in_at) / 3, last->end);  // leaves early
      v.out_at = std::max(v.out_at, v.in_at + 5 * ms_per_minute);
      visits.push_back(v);
      t = v.out_at + d_.between(5, 40) * ms_per_minute;
      if (d_.per_mille(120)) t += 60 * ms_per_minute;  // skips a slot
    }
  }

  const session& at(int s) const { return c_.sessions[static_cast<std::size_t>(s)]; }

  const door& pick_door(int room) {
    const auto& doors = c_.rooms[static_cast<std::size_t>(room)].doors;
    return doors[d_.below(doors.size())];
  }

  bool running(int room, time_ms t) const {
    for (const int s : c_.rooms[static_cast<std::size_t>(room)].sessions)
      if (at(s).start <= t && t < at(s).end) return true;
    return false;
  }

  void emit(time_ms t, int kiosk) {
    raw_scan s{t, person_, static_cast<std::uint16_t>(kiosk), 0, 0};
    if (d_.below(10'000) < 2) s.kiosk = static_cast<std::uint16_t>(c_.foyer_kiosk);  // enrolled for a room that is not one
    s.invalid_payload = d_.below(10'000) < 5;
    s.keyed = d_.per_mille(10);
    out_.push_back(s);
  }

  // The entry, the extras in time order between entry and exit, the exit.
  void emit_visit(const visit& v) {
    int room = v.room;
    emit(v.in_at, pick_door(room).entry_kiosk);
    std::vector<int> actions;  // 2: step out and back in; 1: a double scan; 0: walk into another room
    for (int e = v.extras; e > 0;) {
      const auto roll = d_.below(1000);
      const int a = e >= 2 && roll < 750 ? 2 : roll % 2 == 0 ? 1 : 0;
      actions.push_back(a);
      e -= a == 2 ? 2 : 1;
    }
    std::vector<time_ms> times(actions.size());
    const time_ms span = std::max<time_ms>(1, v.out_at - v.in_at - ms_per_minute);
    for (auto& x : times) x = v.in_at + static_cast<time_ms>(d_.below(static_cast<std::uint64_t>(span)));
    std::ranges::sort(times);
    for (std::size_t i = 0; i < actions.size(); ++i) {
      const time_ms x = std::max(times[i], out_.back().at + 15 * ms_per_second);
      if (actions[i] == 2) {
        const door& dr = pick_door(room);
        emit(x, dr.exit_kiosk);
        const time_ms next = i + 1 < times.size() ? times[i + 1] : v.out_at;
        emit(std::max(x + 20 * ms_per_second, std::min(x + d_.between(3, 20) * ms_per_minute, next - 20 * ms_per_second)),
             pick_door(room).entry_kiosk);
      } else if (actions[i] == 1) {  // the same kiosk again, inside the debounce
        const raw_scan again = out_.back();
        emit(again.at + d_.between(1'000, 8'000), again.kiosk);
      } else {
        int to = -1;
        for (int tries = 0; tries < 6 && to < 0; ++tries) {
          const auto r = static_cast<int>(d_.below(c_.rooms.size()));
          if (r != room && running(r, x)) to = r;
        }
        if (to < 0) to = static_cast<int>((static_cast<std::size_t>(room) + 1 + d_.below(c_.rooms.size() - 1)) % c_.rooms.size());
        if (c_.rooms.size() == 1) to = room;
        room = to;
        emit(x, pick_door(room).entry_kiosk);
      }
    }
    if (v.exits) emit(std::max(v.out_at, out_.back().at + 15 * ms_per_second), pick_door(room).exit_kiosk);
  }

  const congress& c_;
  dice& d_;
  std::vector<raw_scan>& out_;
  std::uint32_t person_ = 0;
};

std::vector<raw_scan> simulate(const options& o, const congress& c, dice& d) {
  // ~1% more people scan than the roster holds: registered on site, later.
  const auto people = static_cast<std::size_t>(o.attendees) + static_cast<std::size_t>(o.attendees) / 100;
  std::vector<std::int64_t> weight(people);
  std::int64_t total = 0;
  for (auto& w : weight) total += (w = d.between(250, 1750));  // some scan seven times as much as others
  std::vector<raw_scan> scans;
  scans.reserve(static_cast<std::size_t>(o.scans) + 16);
  attendee_day_planner planner(c, d, scans);
  std::int64_t given = 0;
  std::vector<std::int64_t> budget(people);
  for (std::size_t p = 0; p < people; ++p) given += (budget[p] = o.scans * weight[p] / total);
  for (std::size_t p = 0; given < o.scans; ++p, ++given) ++budget[p];
  for (std::size_t p = 0; p < people; ++p) planner.attend(static_cast<std::uint32_t>(p), budget[p]);
  return scans;
}

void write_scans(const std::filesystem::path& path, const congress& c, std::vector<raw_scan>& scans,
                 const std::string& prefix, dice& d) {
  // Kiosks number their scans in the order they make them.
  std::ranges::sort(scans, [](const raw_scan& a, const raw_scan& b) {
    return a.at != b.at ? a.at < b.at : a.kiosk != b.kiosk ? a.kiosk < b.kiosk : a.person < b.person;
  });
  std::vector<std::int64_t> seq(c.kiosks.size(), 0);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error(fmt::format("{}: cannot write", path.string()));
  fmt::memory_buffer out;
  auto o = std::back_inserter(out);
  fmt::format_to(o, "id,kiosk,seq,badge,room,door,direction,at,source\n");
  for (const auto& s : scans) {
    const auto& k = c.kiosks[s.kiosk];
    // A random (version 4) UUID, as a kiosk makes one when it records the scan.
    const std::uint64_t hi = d.bits(), lo = d.bits();
    fmt::format_to(o, "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x},{},{},", hi >> 32, (hi >> 16) & 0xffff, hi & 0xfff,
                   0x8000 | (lo >> 48 & 0x3fff), lo & 0xffff'ffff'ffff, k.id, ++seq[s.kiosk]);
    const auto number = badge_number(s.person);
    if (s.invalid_payload) {
      const auto kind = number % 3;
      if (kind == 0) fmt::format_to(o, "{}{:05}", prefix, number % 100'000);  // a digit lost
      else if (kind == 1) fmt::format_to(o, "{:06}X", number);
      else fmt::format_to(o, "WIFI:S:congress;T:WPA;;");  // a poster's code
    } else {
      fmt::format_to(o, "{}{:06}", number % 4 != 0 ? prefix : "", number);  // older badges print the bare number
    }
    fmt::format_to(o, ",{},{},{},{},{}\n", k.room, k.door, k.direction, cmetrack::format_iso8601_utc(s.at),
                   s.keyed ? std::string_view("keyboard") : k.source);
    if (out.size() > (1 << 20)) {
      if (std::fwrite(out.data(), 1, out.size(), f) != out.size()) break;
      out.clear();
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0)
    throw std::runtime_error(fmt::format("{}: cannot write", path.string()));
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"cmetrack-bench-congress: writes a synthetic congress (meeting.json, scans.csv) for the benchmarks",
               "cmetrack-bench-congress"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  app.add_option("--out", o.out, "Directory to write meeting.json and scans.csv into")->required();
  app.add_option("--attendees", o.attendees, "Attendees on the roster")->check(CLI::Range(1, 800'000))->capture_default_str();
  app.add_option("--rooms", o.rooms, "Session rooms")->check(CLI::Range(1, 99))->capture_default_str();
  app.add_option("--sessions", o.sessions, "Sessions")->check(CLI::Range(1, 999))->capture_default_str();
  app.add_option("--days", o.days, "Days")->check(CLI::Range(1, 14))->capture_default_str();
  app.add_option("--scans", o.scans, "Scans, exactly")->check(CLI::Range(std::int64_t{0}, std::int64_t{500'000'000}))->capture_default_str();
  app.add_option("--seed", o.seed, "Random seed")->capture_default_str();
  app.add_option("--meeting-id", o.meeting_id, "The meeting's id")->capture_default_str();
  app.add_option("--meeting-name", o.meeting_name, "The meeting's name")->capture_default_str();
  app.add_option("--badge-prefix", o.badge_prefix, "What badges print before the number (letters, digits, '-')")
      ->check([](const std::string& p) {
        for (const char ch : p)
          if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-') return std::string("letters, digits and '-' only");
        return std::string();
      })
      ->capture_default_str();
  if (const auto status = cmetrack::parse_command_line(app, argc, argv)) return *status;
  try {
    const auto started = std::chrono::steady_clock::now();
    std::filesystem::create_directories(o.out);
    dice d(o.seed);
    const auto c = plan_meeting(o, d);
    write_meeting(std::filesystem::path(o.out) / "meeting.json", c, o, d);
    auto scans = simulate(o, c, d);
    write_scans(std::filesystem::path(o.out) / "scans.csv", c, scans, o.badge_prefix, d);
    std::int64_t invalid = 0, foyer = 0;
    for (const auto& s : scans) {
      invalid += s.invalid_payload;
      foyer += s.kiosk == c.foyer_kiosk;
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print("{}: {} rooms, {} sessions, {} attendees, {} kiosks; {} scans ({} invalid payloads, {} at an unknown room) in {:.1f} s\n",
               o.out, c.rooms.size(), c.sessions.size(), o.attendees, c.kiosks.size(), scans.size(), invalid, foyer, seconds);
  } catch (const std::exception& e) {
    fmt::print(stderr, "cmetrack-bench-congress: {}\n", e.what());
    return 1;
  }
  return 0;
}
