#include <catch2/catch.hpp>

#include "kiosk/store/kiosk_store.h"
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
  CHECK(pragma_text(store->connection_for_tests(), "PRAGMA journal_mode") == "wal");
  CHECK(pragma_text(store->connection_for_tests(), "PRAGMA synchronous") == "2");  // FULL
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

namespace {

scan_row outbox_row(std::int64_t seq, bool sent = false) {
  return {"id-" + std::to_string(seq), seq, "TAM26-000001", "000001", "A", "A1", direction::automatic,
          at("08:00:00") + seq * 60'000, "test", "checked_in", sent};
}

std::vector<std::int64_t> seqs_of(const std::vector<scan_row>& rows) {
  std::vector<std::int64_t> seqs;
  for (const auto& r : rows) seqs.push_back(r.seq);
  return seqs;
}

std::vector<std::int64_t> unsent_seqs(kiosk_store& store) {
  auto rows = store.unsent_scans(100);
  REQUIRE(rows);
  return seqs_of(*rows);
}

}  // namespace

TEST_CASE("kiosk.db outbox: the unsent scans oldest first by seq, and the outbox state counts them") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  auto empty = store->read_outbox_state();
  REQUIRE(empty);
  CHECK(*empty == outbox_state{0, 0});
  REQUIRE(store->unsent_scans(10)->empty());

  // Inserted out of seq order; 2 and 5 already acknowledged.
  for (const std::int64_t seq : {4, 1, 5, 3, 2, 6}) REQUIRE(store->insert_scan(outbox_row(seq, seq == 2 || seq == 5)));
  CHECK(unsent_seqs(*store) == std::vector<std::int64_t>{1, 3, 4, 6});
  auto first_two = store->unsent_scans(2);
  REQUIRE(first_two);
  CHECK(seqs_of(*first_two) == std::vector<std::int64_t>{1, 3});
  CHECK((*first_two)[0] == outbox_row(1));  // the whole row, as recorded

  auto whole = store->read_outbox_state();
  REQUIRE(whole);
  CHECK(*whole == outbox_state{4, 6});
  CHECK(*store->backlog() == 4);
  // Counting on from seq 4: only 6 is unsent above it; the highest seq is still 6.
  CHECK(*store->read_outbox_state(4) == outbox_state{1, 6});
  // Nothing above the last count: none, and the count's own seq back.
  CHECK(*store->read_outbox_state(6) == outbox_state{0, 6});
  REQUIRE(store->insert_scan(outbox_row(7)));
  CHECK(*store->read_outbox_state(6) == outbox_state{1, 7});
}

TEST_CASE("kiosk.db outbox: record_delivery marks the acknowledged scans and writes the sync status") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  for (const std::int64_t seq : {1, 2, 3, 4}) REQUIRE(store->insert_scan(outbox_row(seq, seq == 3)));
  sync_status status;
  status.last_contact = at("08:10:00");
  status.clock_offset_ms = -250;
  status.config_etag = "\"v7\"";

  // id-3 is sent already and id-9 is no scan of this kiosk: both skipped.
  const std::vector<std::string> acked = {"id-1", "id-3", "id-9", "id-4"};
  auto marked = store->record_delivery(acked, status);
  REQUIRE(marked);
  CHECK(*marked == 2);
  CHECK(unsent_seqs(*store) == std::vector<std::int64_t>{2});
  CHECK(*store->read_sync_status() == status);
  CHECK(*store->read_outbox_state() == outbox_state{1, 4});
  // The kiosk's own commits stay synced: the connection is back at FULL.
  CHECK(pragma_text(store->connection_for_tests(), "PRAGMA synchronous") == "2");

  // Again: nothing left to mark among them.
  auto again = store->record_delivery(acked, status);
  REQUIRE(again);
  CHECK(*again == 0);

  // What another connection (the kiosk's) sees after the agent's commit.
  auto kiosk = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(kiosk);
  auto rows = kiosk->all_scans();
  REQUIRE(rows);
  REQUIRE(rows->size() == 4);
  CHECK((*rows)[0].sent);
  CHECK_FALSE((*rows)[1].sent);
  CHECK((*rows)[2].sent);
  CHECK((*rows)[3].sent);
  CHECK(*kiosk->read_sync_status() == status);
}

TEST_CASE("kiosk.db outbox: record_delivery is one transaction, a failed status write marks nothing") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  for (const std::int64_t seq : {1, 2}) REQUIRE(store->insert_scan(outbox_row(seq)));
  sync_status before;
  before.last_error = "central answered 503";
  REQUIRE(store->write_sync_status(before));
  // The sync_status write fails after the marks are made.
  REQUIRE(store->connection_for_tests().exec(
      "CREATE TRIGGER refuse_status BEFORE UPDATE ON sync_status BEGIN SELECT RAISE(ABORT, 'status refused'); END;"));

  sync_status after;
  after.last_contact = at("08:10:00");
  const std::vector<std::string> acked = {"id-1", "id-2"};
  auto marked = store->record_delivery(acked, after);
  REQUIRE_FALSE(marked);
  CHECK_THAT(marked.error().message, Catch::Contains("status refused"));
  CHECK(unsent_seqs(*store) == std::vector<std::int64_t>{1, 2});  // the marks rolled back with it
  CHECK(*store->read_sync_status() == before);
  CHECK(pragma_text(store->connection_for_tests(), "PRAGMA synchronous") == "2");  // FULL again, on failure too

  REQUIRE(store->connection_for_tests().exec("DROP TRIGGER refuse_status;"));
  auto retried = store->record_delivery(acked, after);
  REQUIRE(retried);
  CHECK(*retried == 2);
  CHECK(unsent_seqs(*store).empty());
}
