// The dashboard's live picture kept by parts equals one built from scratch,
// over seeded random meetings and scan sets: scans arriving in several
// files while the clock runs through the day, each badge refreshed only
// when it is queued or due (sessions starting, exit graces running out),
// never all present badges at once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>
#include <set>

#include "shared/scans_csv.h"
#include "sync/central/reports/live_rooms.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/scan_store.h"
#include "sync/central/store/store.h"
#include "tests/shared/random_meeting.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {

constexpr std::uint64_t first_seed = 9300;
constexpr int cases = 40;
constexpr int attendees = 8;

std::vector<scan_record> random_records(random_source& r, const meeting& m) {
  std::vector<scan_record> out;
  for (int i = 0; i < attendees; ++i) {
    const auto badge = std::to_string(500 + i);
    for (const auto& s : random_scans(r, m)) {
      scan_record rec;
      rec.kiosk = std::string(s.kiosk);
      rec.seq = s.seq;
      rec.id = badge + "-" + std::to_string(out.size());
      rec.payload = badge;
      rec.room = m.rooms[static_cast<std::size_t>(s.room)].id;
      rec.door = "main";
      rec.direction = s.direction;
      rec.at = s.at;
      out.push_back(rec);
    }
  }
  std::shuffle(out.begin(), out.end(), r.engine());
  return out;
}

void write_scans(const std::string& path, std::span<const scan_record> scans) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  {
    scans_csv_writer w(f);
    for (const auto& s : scans) w.write(s);
  }
  REQUIRE(std::fclose(f) == 0);
}

// What a picture shows: every room's JSON and every badge's state.
std::string shown(const central::live_rooms& rooms, time_ms now) {
  std::string out = rooms.rooms_json(now).dump();
  for (const auto& [badge, state] : rooms.badges()) {
    out += "\n" + badge + " room " + std::to_string(state.first) + " sessions";
    for (const int s : state.second) out += " " + std::to_string(s);
  }
  return out;
}

std::string rebuilt(sqlite::database& db, const std::shared_ptr<const meeting>& m, time_ms now) {
  central::live_rooms fresh;
  REQUIRE(fresh.rebuild(db, m, now));
  return shown(fresh, now);
}

struct store {
  temp_dir dir;
  sqlite::database db;
  std::shared_ptr<const meeting> m;
  explicit store(const meeting& given)
      : db(central::open_store(dir.path() / "data", central::open_mode::create).value()) {
    REQUIRE(central::save_meeting(db, given).has_value());
    auto loaded = central::load_meeting(db);
    REQUIRE(loaded.has_value());
    m = std::make_shared<const meeting>(std::move(*loaded));
  }
};

std::unique_ptr<store> open_with(const meeting& m) { return std::make_unique<store>(m); }

}  // namespace

TEST_CASE("the live picture kept by parts equals one rebuilt, through the day and new scans",
          "[property][store][dashboard]") {
  for (int i = 0; i < cases; ++i) {
    const auto seed = first_seed + static_cast<std::uint64_t>(i);
    INFO("seed " << seed);
    random_source r(seed);
    auto s = open_with(random_meeting(r));
    auto& db = s->db;
    const auto& m = s->m;
    const auto scans = random_records(r, *m);

    // The scans in three files, stored at random points of the day.
    const auto n = static_cast<std::int64_t>(scans.size());
    const auto cut1 = static_cast<std::size_t>(r.between(0, n));
    const auto cut2 = static_cast<std::size_t>(r.between(static_cast<std::int64_t>(cut1), n));
    const std::vector<std::span<const scan_record>> parts = {
        std::span(scans).first(cut1), std::span(scans).subspan(cut1, cut2 - cut1), std::span(scans).subspan(cut2)};
    for (std::size_t p = 0; p < parts.size(); ++p) write_scans(s->dir / ("part" + std::to_string(p) + ".csv"), parts[p]);

    time_ms now = m->sessions.front().start - 90 * ms_per_minute;
    time_ms last = 0;
    for (const auto& ses : m->sessions) last = std::max(last, ses.block_end + m->rules.exit_grace + 60 * ms_per_minute);
    REQUIRE(central::ingest_scans_file(db, *m, s->dir / "part0.csv", 0));
    central::live_rooms rooms;
    REQUIRE(rooms.rebuild(db, m, now));
    std::size_t next_part = 1;
    int steps = 0;
    while (now < last) {
      // Now and then exactly on a session's start, a second after it, its
      // end, or just past its exit grace, or on a scan's time or just under a
      // second after it; otherwise a random stretch.
      const auto& ses = m->sessions[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(m->sessions.size()) - 1))];
      const auto& picked = scans.empty() ? scan_record{} : scans[static_cast<std::size_t>(r.between(0, n - 1))];
      const time_ms edges[] = {ses.start,  ses.start + ms_per_second, ses.end, ses.block_end + m->rules.exit_grace + 1,
                               picked.at,  picked.at + 999,           picked.at + 1};
      const time_ms edge = edges[r.between(0, 6)];
      if (edge > now && r.chance(50)) now = edge;
      else now += r.chance(30) ? r.between(1, 1500) : r.between(1, 90 * 60) * ms_per_second;
      if (next_part < parts.size() && r.chance(15)) {
        REQUIRE(central::ingest_scans_file(db, *m, s->dir / ("part" + std::to_string(next_part) + ".csv"), 0));
        if (r.chance(50)) {
          REQUIRE(rooms.take_new_scans(db, false));  // another process's ingest
        } else {  // serve's own batch: its badges refreshed, then the mark moved
          std::set<std::string> badges;
          for (const auto& scan : parts[next_part]) badges.insert(scan.payload);
          REQUIRE(rooms.refresh(db, badges, now));
          REQUIRE(rooms.take_new_scans(db, true));
        }
        ++next_part;
      }
      for (;;) {
        auto more = rooms.catch_up(db, now, 3);
        REQUIRE(more.has_value());
        if (!*more) break;
      }
      INFO("step " << steps << " at " << format_iso8601_utc(now));
      REQUIRE(shown(rooms, now) == rebuilt(db, m, now));
      ++steps;
    }
    std::size_t stored = 0;
    for (std::size_t p = 0; p < next_part; ++p) stored += parts[p].size();
    CHECK(rooms.scans_stored() == static_cast<std::int64_t>(stored));
  }
}

TEST_CASE("the live picture reads a badge in a room again only when it is due", "[store][dashboard]") {
  random_source r(first_seed);
  auto s = open_with(random_meeting(r));
  const auto& m = s->m;
  const auto& first = m->sessions.front();
  // Forty badges walk into the first session's room in its first minute.
  std::vector<scan_record> in;
  for (int b = 0; b < 40; ++b)
    in.push_back({"s" + std::to_string(b), "k1", b + 1, std::to_string(700 + b),
                  m->rooms[static_cast<std::size_t>(first.room)].id, "main", direction::in,
                  first.start + b * ms_per_second, std::nullopt});
  write_scans(s->dir / "in.csv", in);
  REQUIRE(central::ingest_scans_file(s->db, *m, s->dir / "in.csv", 0));

  central::live_rooms rooms;
  const time_ms now = first.start + 2 * ms_per_minute;
  REQUIRE(rooms.rebuild(s->db, m, now));
  CHECK(rooms.present(first.room) == 40);
  // Nothing changes before the room's next session, break or block bound:
  // no badge is due and a slice reads nothing.
  CHECK(rooms.next_due() > now + ms_per_second);
  CHECK(rooms.next_due() <= first.end + ms_per_second);
  auto more = rooms.catch_up(s->db, now + ms_per_second, 1);
  REQUIRE(more.has_value());
  CHECK_FALSE(*more);
}
