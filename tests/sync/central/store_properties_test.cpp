// Properties of the store over seeded random meetings and scan sets: what
// central.db computes equals what the engine computes from the same scans in
// memory, whatever order the scans files arrive in, and ingesting them again
// changes nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

#include "shared/attendance.h"
#include "shared/scans_csv.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/scan_store.h"
#include "sync/central/store/store.h"
#include "tests/shared/random_meeting.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {

constexpr std::uint64_t first_seed = 7100;
constexpr int cases = 60;
constexpr int attendees = 6;

struct attendee_scans {
  std::string badge;
  std::vector<scan> scans;
};

// The meeting's roster, and each attendee's scans with ids that are unique
// across the meeting.
std::vector<attendee_scans> populate(random_source& r, meeting& m) {
  std::vector<attendee_scans> out;
  for (int i = 0; i < attendees; ++i) {
    attendee a;
    a.badge = std::to_string(100 + i);
    a.first_name = "First" + std::to_string(i);
    a.last_name = "Last";
    m.attendees.push_back(a);
    out.push_back({a.badge, random_scans(r, m)});
  }
  return out;
}

std::vector<scan_record> records(const meeting& m, std::vector<attendee_scans>& people, random_source& r) {
  std::vector<scan_record> out;
  for (auto& p : people) {
    for (auto& s : p.scans) {
      scan_record rec;
      rec.kiosk = std::string(s.kiosk);
      rec.seq = s.seq;
      rec.id = p.badge + "-" + rec.kiosk + "-" + std::to_string(s.seq) + "-" + std::to_string(out.size());
      s.id_hash = scan_id_hash(rec.id);  // as the store will compute it
      rec.payload = p.badge;
      rec.room = m.rooms[static_cast<std::size_t>(s.room)].id;
      rec.door = "main";
      rec.direction = s.direction;
      rec.at = s.at;
      out.push_back(rec);
    }
  }
  // Scans the store must keep and never count: a damaged payload, a room the
  // meeting does not have.
  out.push_back({"q-1", "k9", 1, "not-a-badge", m.rooms[0].id, "main", direction::in, m.sessions[0].start, "camera"});
  out.push_back({"q-2", "k9", 2, people[0].badge, "NOWHERE", "main", direction::in, m.sessions[0].start, std::nullopt});
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

std::string transcripts(sqlite::database& db, const meeting& m, time_ms now) {
  std::string out;
  for (const auto& a : m.attendees) {
    auto t = central::transcript_report(db, m, a.badge, now);
    REQUIRE(t.has_value());
    out += t->dump() + "\n";
  }
  return out;
}

std::string expected_transcripts(const meeting& m, std::vector<attendee_scans> people, time_ms now) {
  std::string out;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto c = credit(m, attend(m, people[i].scans, now));
    out += central::transcript_json(m, central::attendee_credit{m.attendees[i], c, {}}).dump() + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("central.db gives the engine's result, whatever the arrival order, re-ingesting changes nothing",
          "[property][store]") {
  for (int i = 0; i < cases; ++i) {
    const auto seed = first_seed + static_cast<std::uint64_t>(i);
    INFO("seed " << seed);
    random_source r(seed);
    auto m = random_meeting(r);
    auto people = populate(r, m);
    const auto scans = records(m, people, r);
    const time_ms now = m.sessions.front().start + 24 * 3600 * ms_per_second;

    temp_dir dir;
    const auto split = static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(scans.size())));
    write_scans(dir / "first.csv", std::span(scans).first(split));
    write_scans(dir / "second.csv", std::span(scans).subspan(split));
    write_scans(dir / "all.csv", scans);

    auto db = central::open_store(dir.path() / "data", central::open_mode::create);
    REQUIRE(db.has_value());
    REQUIRE(central::save_meeting(*db, m).has_value());
    auto stored = central::load_meeting(*db);
    REQUIRE(stored.has_value());
    stored->attendees = m.attendees;

    // The later file may arrive first.
    const bool later_first = r.chance(50);
    REQUIRE(central::ingest_scans_file(*db, *stored, dir / (later_first ? "second.csv" : "first.csv"), 0));
    REQUIRE(central::ingest_scans_file(*db, *stored, dir / (later_first ? "first.csv" : "second.csv"), 0));
    const auto once = transcripts(*db, *stored, now);
    CHECK(once == expected_transcripts(m, people, now));

    auto again = central::ingest_scans_file(*db, *stored, dir / "all.csv", 0);
    REQUIRE(again.has_value());
    CHECK(again->stored == 0);
    CHECK(again->already_stored == static_cast<std::int64_t>(scans.size()));
    CHECK(transcripts(*db, *stored, now) == once);
  }
}
