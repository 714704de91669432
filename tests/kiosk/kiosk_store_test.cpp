#include <catch2/catch.hpp>

#include "kiosk/core/kiosk_store.h"
#include "shared/sqlite/statement.h"
#include "tests/kiosk/fixtures.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;
using cmetrack::kiosk::test::at;
namespace fx = cmetrack::kiosk::test;

namespace {

std::string pragma_text(sqlite::database& db, const char* pragma) {
  auto s = sqlite::statement::prepare(db, pragma);
  REQUIRE(s);
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

}  // namespace

TEST_CASE("kiosk.db: WAL, synchronous FULL, and no meeting before one is cached") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  CHECK(pragma_text(store->db(), "PRAGMA journal_mode") == "wal");
  CHECK(pragma_text(store->db(), "PRAGMA synchronous") == "2");  // FULL
  auto cached = store->load_cached_meeting();
  REQUIRE(cached);
  CHECK_FALSE(*cached);
  auto seq = store->next_seq();
  REQUIRE(seq);
  CHECK(*seq == 1);
}

TEST_CASE("kiosk.db: the cached meeting reads back as the kiosk's room, its sessions and the roster") {
  cmetrack::test::temp_dir dir;
  meeting full = fx::worked_example();
  full.rules.arrival_window = 45 * 60'000;  // not the defaults, so they must be stored
  full.rules.exit_grace = 12 * 60'000;
  {
    auto store = kiosk_store::open(dir / "kiosk.db");
    REQUIRE(store);
    REQUIRE(store->cache_meeting(full, "A"));
  }
  auto store = kiosk_store::open(dir / "kiosk.db");  // reopened: the schema is not made twice
  REQUIRE(store);
  auto cached = store->load_cached_meeting();
  REQUIRE(cached);
  REQUIRE(*cached);
  const meeting& m = **cached;
  CHECK(m.id == "TAM26");
  CHECK(m.name == "The Aesthetic Meeting 2026");
  CHECK(m.max_quarters == 203);  // 50.75 credits
  CHECK(m.rules.debounce == 10'000);
  CHECK(m.rules.block_gap == 30 * 60'000);
  CHECK(m.rules.arrival_window == 45 * 60'000);
  CHECK(m.rules.exit_grace == 12 * 60'000);
  CHECK(m.badge_pattern == full.badge_pattern);
  REQUIRE(m.rooms.size() == 1);
  CHECK(m.rooms[0].id == "A");
  CHECK(m.rooms[0].name == "Ballroom A");
  CHECK(m.rooms[0].capacity == 1200);
  CHECK(m.room_index("A") == 0);
  REQUIRE(m.sessions.size() == 2);
  CHECK(m.sessions[0].id == "S1");
  CHECK(m.sessions[0].credit_quarters == 5);
  CHECK(m.sessions[0].patient_safety_quarters == 2);
  CHECK(m.sessions[0].breaks == std::vector<interval>{{at("08:45:00"), at("08:55:00")}});
  CHECK(m.sessions[0].block_end == at("11:00:00"));  // S1 and S2 form one block
  CHECK(m.sessions[1].id == "S2");
  CHECK(m.sessions[1].start == at("10:00:00"));
  CHECK(m.session_for_stay(0, at("07:55:00")) == 0);
  REQUIRE(m.attendees.size() == 2);
  CHECK(m.attendees[0].badge == "000001");
  CHECK(m.attendees[0].first_name == "Jane");
  CHECK(m.attendees[1].first_name == "Ravi");
}

TEST_CASE("kiosk.db: caching again replaces the meeting, and a room the meeting lacks changes nothing") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  REQUIRE(store->cache_meeting(fx::worked_example(), "A"));
  REQUIRE(store->cache_meeting(fx::worked_example(), "B"));
  auto cached = store->load_cached_meeting();
  REQUIRE((cached && *cached));
  CHECK((*cached)->rooms[0].id == "B");
  REQUIRE((*cached)->sessions.size() == 1);
  CHECK((*cached)->sessions[0].id == "S3");
  CHECK((*cached)->sessions[0].breaks.empty());

  auto bad = store->cache_meeting(fx::worked_example(), "C");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == error_kind::bad_input);
  CHECK_THAT(bad.error().message, Catch::Contains("no room \"C\""));
  cached = store->load_cached_meeting();
  REQUIRE((cached && *cached));
  CHECK((*cached)->rooms[0].id == "B");
}

TEST_CASE("kiosk.db: scans round trip, and seq is unique") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  const scan_row a{"id-a", 1, "TAM26-000001", "000001", "A", "A1", direction::automatic, at("08:00:00"), "test",
                   "checked_in", false};
  const scan_row b{"id-b", 2, "garbage", std::nullopt, "A", "A1", direction::in, at("07:59:00"), "test",
                   "invalid_badge", false};
  REQUIRE(store->insert_scan(a));
  REQUIRE(store->insert_scan(b));
  CHECK(*store->next_seq() == 3);
  auto all = store->all_scans();
  REQUIRE(all);
  CHECK(*all == std::vector<scan_row>{a, b});
  auto of_badge = store->scans_of_badge("000001");
  REQUIRE(of_badge);
  CHECK(*of_badge == std::vector<scan_row>{a});

  scan_row clash = a;
  clash.id = "id-c";
  auto r = store->insert_scan(clash);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == error_kind::conflict);  // seq is UNIQUE
  CHECK_THAT(r.error().message, Catch::Contains("cannot record the scan"));
  CHECK(store->all_scans()->size() == 2);
}
