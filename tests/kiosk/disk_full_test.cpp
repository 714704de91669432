// The disk fills up under a kiosk (SQLite's max_page_count stands in for a
// full filesystem): the scan that does not fit is refused with `error` and a
// reason staff can act on, nothing is claimed that was not recorded, nothing
// earlier is lost, the file stays sound, and once space returns recording
// carries on with the next seq.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kiosk/core/scan_intake.h"
#include "shared/sqlite/statement.h"
#include "tests/kiosk/fixtures.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;
namespace fx = cmetrack::kiosk::test;

namespace {

std::int64_t pragma_int(sqlite::database& db, const std::string& pragma) {
  auto s = sqlite::statement::prepare(db, "PRAGMA " + pragma);
  REQUIRE(s);
  REQUIRE(s->step_row());
  return s->int64(0);
}

std::string integrity(sqlite::database& db) {
  auto s = sqlite::statement::prepare(db, "PRAGMA integrity_check");
  REQUIRE(s);
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("disk full: the scan that does not fit is refused with error and nothing earlier is lost") {
  cmetrack::test::temp_dir dir;
  const std::string path = dir / "kiosk.db";
  std::set<std::string> recorded_ids;       // every scan the kiosk acknowledged
  std::set<std::string> recorded_payloads;
  std::int64_t last_seq = 0;
  std::string refused_payload;
  {
    auto store = kiosk_store::open(path);
    REQUIRE(store);
    REQUIRE(store->cache_meeting(fx::worked_example(), "A"));
    auto intake = scan_intake::create(*store, fx::room_a_kiosk());
    REQUIRE(intake);

    const auto acknowledge = [&](const scan_outcome& o, const std::string& payload) {
      REQUIRE(o.result != scan_result::error);
      CHECK(o.seq == last_seq + 1);
      last_seq = o.seq;
      recorded_ids.insert(o.id);
      recorded_payloads.insert(payload);
    };

    // The morning so far: a few attendees in.
    // (000001 and 000002 are on the worked example's roster; 000003 is not.)
    for (const char* badge : {"TAM26-000001", "TAM26-000003"})
      acknowledge(intake->record(badge, fx::at("07:55:00"), "wedge"), badge);

    // The disk fills: the file may not grow past the pages it has now.
    const std::int64_t pages = pragma_int(store->connection_for_tests(), "page_count");
    REQUIRE(pages > 0);
    REQUIRE(store->connection_for_tests().exec(fmt::format("PRAGMA max_page_count = {}", pages)));
    REQUIRE(pragma_int(store->connection_for_tests(), "max_page_count") == pages);

    // Scans keep coming (long damaged payloads fill pages fast) until one
    // does not fit.
    scan_outcome refused;
    for (int i = 0; i < 5000; ++i) {
      const std::string payload = fmt::format("DAMAGED-{:06}-{}", i, std::string(300, 'x'));
      const auto o = intake->record(payload, fx::at("08:00:00") + i, "camera");
      if (o.result == scan_result::error) {
        refused = o;
        refused_payload = payload;
        break;
      }
      acknowledge(o, payload);
    }
    REQUIRE(refused.result == scan_result::error);
    INFO("reason: " << refused.reason);
    CHECK(recorded_ids.size() > 3);  // the limit was not hit at once: we saw the file fill
    // Staff see why: the database is full, and where.
    CHECK_THAT(lower(refused.reason), Catch::Contains("full"));
    CHECK_THAT(refused.reason, Catch::Contains(path));
    CHECK_THAT(refused.reason, Catch::Contains("free space on the kiosk's disk"));
    // Nothing is claimed: no id, no seq for the refused scan.
    CHECK(refused.id.empty());
    CHECK(refused.seq == 0);

    // Still full: the same scan again is refused too.
    CHECK(intake->record(refused_payload, fx::at("08:05:00"), "camera").result == scan_result::error);

    // Space returns: the kiosk records again, at the next seq.
    REQUIRE(store->connection_for_tests().exec("PRAGMA max_page_count = 1073741823"));
    const auto again = intake->record("TAM26-000002", fx::at("08:06:00"), "wedge");
    REQUIRE(again.result == scan_result::checked_in);
    CHECK(again.first_name.size() > 0);
    CHECK(again.seq == last_seq + 1);
    acknowledge(again, "TAM26-000002");
  }

  // After a restart: every acknowledged scan is in kiosk.db, once; the
  // refused ones are not; the file is sound.
  auto reopened = kiosk_store::open(path);
  REQUIRE(reopened);
  CHECK(integrity(reopened->connection_for_tests()) == "ok");
  auto rows = reopened->all_scans();
  REQUIRE(rows);
  std::set<std::string> ids, payloads;
  std::vector<std::int64_t> seqs;
  for (const auto& r : *rows) {
    ids.insert(r.id);
    payloads.insert(r.payload);
    seqs.push_back(r.seq);
  }
  CHECK(rows->size() == recorded_ids.size());
  CHECK(ids == recorded_ids);
  CHECK(payloads == recorded_payloads);
  CHECK(payloads.count(refused_payload) == 0);
  // seq has no gap where the refused scans were.
  for (std::size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == static_cast<std::int64_t>(i) + 1);
}
