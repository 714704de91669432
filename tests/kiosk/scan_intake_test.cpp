#include <catch2/catch.hpp>

#include <set>

#include "kiosk/core/scan_intake.h"
#include "tests/kiosk/fixtures.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;
using cmetrack::kiosk::test::at;
namespace fx = cmetrack::kiosk::test;

namespace {

// A kiosk at room A's door (or another room's) with the worked example
// cached, on a fresh kiosk.db.
struct kiosk_at_room_a {
  explicit kiosk_at_room_a(kiosk_mode mode = kiosk_mode::automatic, const std::string& room = "A",
                           bool four_attendees = false) {
    auto s = kiosk_store::open(dir / "kiosk.db");
    REQUIRE(s);
    store.emplace(std::move(*s));
    REQUIRE(store->cache_meeting(fx::worked_example(four_attendees), room));
    auto config = fx::room_a_kiosk(mode);
    if (room != "A") {
      config.kiosk = "K-" + room + "1";
      config.room = room;
      config.door = room + "1";
    }
    auto i = scan_intake::create(*store, config);
    REQUIRE(i);
    intake.emplace(std::move(*i));
  }
  scan_outcome scan(const std::string& payload, const std::string& time) {
    return intake->record(payload, at(time), "test");
  }
  std::vector<scan_row> rows() {
    auto r = store->all_scans();
    REQUIRE(r);
    return *r;
  }
  cmetrack::test::temp_dir dir;
  std::optional<kiosk_store> store;
  std::optional<scan_intake> intake;
};

}  // namespace

namespace {

// "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", lower-case hex. (Not
// std::regex: GCC 12 warns falsely inside <regex> under the sanitizers.)
bool is_uuid_v4(const std::string& id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return id[14] == '4' && (id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

}  // namespace

TEST_CASE("intake: each result kind is recorded as the attendee is told") {
  kiosk_at_room_a k;
  const auto in = k.scan("TAM26-000001", "07:55:00");
  CHECK(in.result == scan_result::checked_in);
  CHECK(in.badge == "000001");
  CHECK(in.first_name == "Jane");
  CHECK(in.seq == 1);
  CHECK(in.at == at("07:55:00"));

  const auto unknown = k.scan("TAM26-123456", "07:56:00");
  CHECK(unknown.result == scan_result::unknown_badge);
  CHECK(unknown.badge == "123456");
  CHECK(unknown.first_name.empty());

  const auto invalid = k.scan("TAM25-000001", "07:57:00");
  CHECK(invalid.result == scan_result::invalid_badge);
  CHECK_FALSE(invalid.badge);

  const auto out = k.scan("000001", "08:40:00");
  CHECK(out.result == scan_result::checked_out);

  const auto dup = k.scan("000001", "08:40:05");
  CHECK(dup.result == scan_result::duplicate);

  const auto rows = k.rows();
  REQUIRE(rows.size() == 5);
  const std::vector<std::string> results = {"checked_in", "unknown_badge", "invalid_badge", "checked_out", "duplicate"};
  const std::vector<scan_outcome> outcomes = {in, unknown, invalid, out, dup};
  std::set<std::string> ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(rows[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(rows[i].id == outcomes[i].id);
    CHECK(is_uuid_v4(rows[i].id));
    CHECK(rows[i].result == results[i]);
    CHECK(rows[i].badge == outcomes[i].badge);
    CHECK(rows[i].room == "A");
    CHECK(rows[i].door == "A1");
    CHECK(rows[i].direction == direction::automatic);
    CHECK(rows[i].source == "test");
    CHECK_FALSE(rows[i].sent);
    ids.insert(rows[i].id);
  }
  CHECK(ids.size() == 5);
  CHECK(rows[2].payload == "TAM25-000001");
}

TEST_CASE("intake: debounce at the 10 s boundary, against the last scan that counted") {
  SECTION("9.999 s later is a duplicate") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "08:00:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "08:00:09.999").result == scan_result::duplicate);
  }
  SECTION("10 s later counts: inside, so auto is out") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "08:00:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "08:00:10").result == scan_result::checked_out);
  }
  SECTION("a duplicate does not extend the window") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "08:00:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "08:00:06").result == scan_result::duplicate);
    CHECK(k.scan("000001", "08:00:12").result == scan_result::checked_out);
  }
  SECTION("another badge is not debounced") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "08:00:00").result == scan_result::checked_in);
    CHECK(k.scan("000002", "08:00:01").result == scan_result::checked_in);
  }
  SECTION("an entry kiosk debounces too, and records a repeated entry as checked_in") {
    kiosk_at_room_a k(kiosk_mode::entry);
    CHECK(k.scan("000001", "08:00:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "08:00:03").result == scan_result::duplicate);
    CHECK(k.scan("000001", "08:05:00").result == scan_result::checked_in);
  }
}

TEST_CASE("intake: the kiosk's mode decides the direction") {
  SECTION("entry: always in") {
    kiosk_at_room_a k(kiosk_mode::entry);
    CHECK(k.scan("000001", "08:00:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "08:30:00").result == scan_result::checked_in);
    for (const auto& r : k.rows()) CHECK(r.direction == direction::in);
  }
  SECTION("exit: always out; with no stay open it earns nothing") {
    kiosk_at_room_a k(kiosk_mode::exit);
    const auto out = k.scan("000001", "08:30:00");
    CHECK(out.result == scan_result::checked_out);
    CHECK(out.minutes == 0);
    CHECK(out.quarters == 0);
    CHECK(k.rows().at(0).direction == direction::out);
  }
  SECTION("auto: toggles in, out, in") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "07:55:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "08:40:00").result == scan_result::checked_out);
    CHECK(k.scan("000001", "08:50:00").result == scan_result::checked_in);
  }
  SECTION("auto: a stay past its block's end and the exit grace is over, so the next scan is in") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "07:55:00").result == scan_result::checked_in);
    CHECK(k.scan("000001", "11:30:01").result == scan_result::checked_in);
  }
  SECTION("auto: within the exit grace after the block's end, the next scan is the exit") {
    kiosk_at_room_a k;
    CHECK(k.scan("000001", "07:55:00").result == scan_result::checked_in);
    const auto out = k.scan("000001", "11:30:00");
    CHECK(out.result == scan_result::checked_out);
    CHECK(out.minutes == 140);  // 07:55-11:00: S1 90 min less the 10-min break, S2 60 min
    CHECK(out.quarters == 9);
  }
  SECTION("auto: an unregistered badge's scans are kept and do not toggle it") {
    kiosk_at_room_a k;
    CHECK(k.scan("999999", "08:00:00").result == scan_result::unknown_badge);
    CHECK(k.scan("000001", "08:00:30").result == scan_result::checked_in);
    CHECK(k.scan("999999", "08:10:00").result == scan_result::unknown_badge);
  }
}

TEST_CASE("intake: the exit shows the stay's minutes and credit (the worked example, rooms A and B)") {
  SECTION("attendee 1: 07:55 in, 08:40 out is 40 min of S1, 0.75 credits") {
    kiosk_at_room_a k;
    k.scan("000001", "07:55:00");
    const auto out = k.scan("000001", "08:40:00");
    REQUIRE(out.result == scan_result::checked_out);
    CHECK(out.first_name == "Jane");
    CHECK(out.minutes == 40);
    CHECK(out.quarters == 3);
    SECTION("back at 08:50, out at 09:20: 30 min less 5 of break, 25 min, 0.5") {
      CHECK(k.scan("000001", "08:50:00").result == scan_result::checked_in);
      const auto again = k.scan("000001", "09:20:00");
      CHECK(again.minutes == 25);
      CHECK(again.quarters == 2);
    }
  }
  SECTION("attendee 2: 07:58 in, 10:50 out is S1 80 min + S2 50 min: 2.00 credits") {
    kiosk_at_room_a k;
    CHECK(k.scan("TAM26-000002", "07:58:00").result == scan_result::checked_in);
    const auto out = k.scan("TAM26-000002", "10:50:00");
    REQUIRE(out.result == scan_result::checked_out);
    CHECK(out.first_name == "Ravi");
    CHECK(out.minutes == 130);
    CHECK(out.quarters == 8);
  }
  SECTION("attendee 3: 07:58 in, 11:06 out, within the exit grace: S1 80 min + S2 60 min, 2.25 credits") {
    kiosk_at_room_a k(kiosk_mode::automatic, "A", true);
    CHECK(k.scan("000030", "07:58:00").result == scan_result::checked_in);
    const auto out = k.scan("000030", "11:06:00");
    REQUIRE(out.result == scan_result::checked_out);
    CHECK(out.first_name == "Mei");
    CHECK(out.minutes == 140);
    CHECK(out.quarters == 9);
  }
  SECTION("attendee 3 on an exit kiosk past the grace, 11:31: checked out, but the stay is stale and earns nothing "
          "more") {
    kiosk_at_room_a k(kiosk_mode::entry, "A", true);
    CHECK(k.scan("000030", "07:58:00").result == scan_result::checked_in);
    auto exit_intake = scan_intake::create(*k.store, fx::room_a_kiosk(kiosk_mode::exit));
    REQUIRE(exit_intake);
    const auto out = exit_intake->record("000030", at("11:31:00"), "test");
    CHECK(out.result == scan_result::checked_out);
    CHECK(out.minutes == 0);
    CHECK(out.quarters == 0);
  }
  SECTION("attendee 3 on an auto kiosk past the grace, 11:31: the stay has closed, so the scan checks in") {
    kiosk_at_room_a k(kiosk_mode::automatic, "A", true);
    CHECK(k.scan("000030", "07:58:00").result == scan_result::checked_in);
    CHECK(k.scan("000030", "11:31:00").result == scan_result::checked_in);
  }
  SECTION("attendee 4 at room B: in at 08:10, within the arrival window, out at 09:40: 40 min of S3, 0.75") {
    kiosk_at_room_a k(kiosk_mode::automatic, "B", true);
    CHECK(k.scan("000040", "08:10:00").result == scan_result::checked_in);
    const auto out = k.scan("000040", "09:40:00");
    REQUIRE(out.result == scan_result::checked_out);
    CHECK(out.first_name == "Omar");
    CHECK(out.minutes == 40);
    CHECK(out.quarters == 3);
  }
  SECTION("the same on an entry kiosk and an exit kiosk sharing one kiosk.db") {
    kiosk_at_room_a k(kiosk_mode::entry);
    CHECK(k.scan("000002", "07:58:00").result == scan_result::checked_in);
    auto exit_intake = scan_intake::create(*k.store, fx::room_a_kiosk(kiosk_mode::exit));
    REQUIRE(exit_intake);
    const auto out = exit_intake->record("000002", at("10:50:00"), "test");
    CHECK(out.result == scan_result::checked_out);
    CHECK(out.quarters == 8);
  }
}

TEST_CASE("intake: a database failure records nothing and says why") {
  kiosk_at_room_a k;
  REQUIRE(k.store->connection_for_tests().exec("PRAGMA query_only = ON"));
  const auto r = k.scan("000001", "08:00:00");
  CHECK(r.result == scan_result::error);
  CHECK(r.id.empty());
  CHECK_FALSE(r.reason.empty());
  REQUIRE(k.store->connection_for_tests().exec("PRAGMA query_only = OFF"));
  CHECK(k.rows().empty());
  CHECK(k.scan("000001", "08:00:00").seq == 1);
}

TEST_CASE("intake: a kiosk.db with no meeting, or another room's, is refused") {
  cmetrack::test::temp_dir dir;
  auto store = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(store);
  auto none = scan_intake::create(*store, fx::room_a_kiosk());
  REQUIRE_FALSE(none);
  CHECK(none.error().kind == error_kind::bad_input);
  CHECK_THAT(none.error().message, Catch::Contains("--load-meeting"));

  REQUIRE(store->cache_meeting(fx::worked_example(), "B"));
  auto other = scan_intake::create(*store, fx::room_a_kiosk());
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error().message, Catch::Contains("room \"B\""));
}
