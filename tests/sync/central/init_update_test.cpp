// Re-running init with an edited meeting file updates the store, and the
// next transcript reflects it; a store belongs to one meeting.
#include <catch2/catch.hpp>

#include <string>

#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/db_snapshot.h"

using Catch::Matchers::Contains;
using cmetrack::test::temp_dir;
using nlohmann::json;
namespace t = cmetrack::test;

namespace {

std::string init(const std::string& data, const std::string& meeting) {
  return t::central_ok({"init", "--data", data, "--meeting", meeting});
}

// Replaces every `from` in `text` with `to`.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size())) text.replace(p, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("init again with the same file reports no change and leaves the store as it was", "[central][cli][init]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto before = t::db_snapshot(t::central_db(data));
  const auto out = init(data, t::test_data("worked_example.json"));
  CHECK_THAT(out, Contains("TAM26") && Contains("updated") && Contains("(0 added, 0 updated)"));
  CHECK(t::db_snapshot(t::central_db(data)) == before);
}

TEST_CASE("init with a session moved in time: the next transcript credits the new times", "[central][cli][init]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  REQUIRE(t::transcript(data, "000001").at("total_credits") == 2.75);

  auto m = t::worked_meeting();
  m["sessions"][2]["start"] = "2026-04-24T09:30:00-04:00";  // S3, room B: 09:00-10:00 becomes 09:30-10:30
  m["sessions"][2]["end"] = "2026-04-24T10:30:00-04:00";
  init(data, t::write_meeting(dir, "moved.json", m));

  // Attendee 1 is in B from 09:20 until the scan in A at 10:05 (inside S3's
  // block now, so an implicit exit): S3 gets 09:30-10:05 = 35 min -> 2 quarters.
  const auto one = t::transcript(data, "000001");
  REQUIRE(one.at("sessions").size() == 3);
  CHECK(one.at("sessions").at(1) == json::parse(R"({"session": "S3", "title": "Breast implant illness",
      "attended_seconds": 2100, "minutes": 35, "credits": 0.5, "patient_safety_credits": 0.0})"));
  CHECK(one.at("total_credits") == 2.5);
  CHECK(one.at("flags") == json::parse(R"(["duplicate", "implicit_exit", "missing_exit"])"));
  // The live view runs S3 at 10:15 now.
  CHECK(t::rooms(data, "2026-04-24T14:15:00Z").at(1).at("session") == "S3");
}

TEST_CASE("a badge scanned before it was registered counts once init adds it", "[central][cli][init]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  // 000003 registers on site: scanned into A at 07:59 and out at 09:00.
  t::central_ok({"ingest", "--data", data,
                 t::write_scans(dir, "walk-in.csv",
                                {"k-a2-1,k-a2,1,TAM26-000003,A,south,in,2026-04-24T11:59:00.000Z,wedge",
                                 "k-a2-2,k-a2,2,TAM26-000003,A,south,out,2026-04-24T13:00:00.000Z,wedge"})});

  const auto unregistered = t::central({"transcript", "--data", data, "--badge", "000003", "--json", "--now", t::after_meeting});
  CHECK(unregistered.exit_code == 2);
  CHECK_THAT(unregistered.err, Contains("\"000003\"") && Contains("not on the roster") && Contains("2 scan(s)"));
  CHECK(t::rooms(data, "2026-04-24T12:10:00Z").at(0).at("present") == 3);  // counted while unregistered

  auto m = t::worked_meeting();
  m["attendees"].push_back({{"badge", "000003"}, {"first_name", "Mei"}, {"last_name", "Lin"}});
  CHECK_THAT(init(data, t::write_meeting(dir, "registered.json", m)), Contains("3 attendees in the file (1 added, 0 updated)"));

  // S1 08:00-09:00 less the 10-min break = 50 min -> 3 quarters; patient
  // safety floor(4 x 0.75 x 0.5 / 1.25) = 1 quarter.
  CHECK(t::transcript(data, "000003") == json::parse(R"({
    "meeting": "TAM26", "badge": "000003", "name": "Mei Lin",
    "sessions": [{"session": "S1", "title": "Safety in body contouring", "attended_seconds": 3000, "minutes": 50,
                  "credits": 0.75, "patient_safety_credits": 0.25}],
    "total_credits": 0.75, "total_patient_safety_credits": 0.25, "flags": [],
    "claims": null, "corrections": [], "sharing": []})"));
}

TEST_CASE("init updates an attendee's details and keeps attendees left out of the file", "[central][cli][init]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  auto m = t::worked_meeting();
  m["attendees"] = json::array({m["attendees"][1]});  // only attendee 2, renamed
  m["attendees"][0]["last_name"] = "Shah-Iyer";
  const auto out = init(data, t::write_meeting(dir, "renamed.json", m));
  CHECK_THAT(out, Contains("(0 added, 1 updated; 1 registered earlier and not in the file are kept)"));
  CHECK(t::transcript(data, "000002").at("name") == "Ravi Shah-Iyer");
  CHECK(t::transcript(data, "000001").at("total_credits") == 2.75);
}

TEST_CASE("init with a changed rule: the next transcript follows it", "[central][cli][init]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  auto m = t::worked_meeting();

  SECTION("rounding floor_quarter") {
    m["meeting"]["rules"]["rounding"] = "floor_quarter";
    init(data, t::write_meeting(dir, "floor.json", m));
    // 3900 s, 2400 s, 3300 s -> 4, 2, 3 quarters (nearest gave 4, 3, 4).
    const auto one = t::transcript(data, "000001");
    REQUIRE(one.at("sessions").size() == 3);
    CHECK(one.at("sessions").at(0).at("credits") == 1.0);
    CHECK(one.at("sessions").at(1).at("credits") == 0.5);
    CHECK(one.at("sessions").at(2).at("credits") == 0.75);
    CHECK(one.at("total_credits") == 2.25);
    CHECK(t::transcript(data, "000002").at("total_credits") == 2.0);  // 5.33 and 3.33 quarters: floor = nearest
  }
  SECTION("missing_exit none") {
    m["meeting"]["rules"]["missing_exit"] = "none";
    init(data, t::write_meeting(dir, "none.json", m));
    // Attendee 1's stays in B and the last one in A closed missing_exit.
    const auto one = t::transcript(data, "000001");
    REQUIRE(one.at("sessions").size() == 1);
    CHECK(one.at("sessions").at(0).at("session") == "S1");
    CHECK(one.at("total_credits") == 1.0);
    CHECK(one.at("total_patient_safety_credits") == 0.25);
    CHECK(t::transcript(data, "000002").at("total_credits") == 2.0);
  }
  SECTION("a meeting maximum below attendee 1's sum") {
    m["meeting"]["max_credits"] = 2.5;
    init(data, t::write_meeting(dir, "cap.json", m));
    const auto one = t::transcript(data, "000001");
    CHECK(one.at("total_credits") == 2.5);
    CHECK(one.at("flags") == json::parse(R"(["duplicate", "implicit_exit", "meeting_cap", "missing_exit"])"));
    CHECK(t::transcript(data, "000002").at("flags") == json::array());
  }
}

TEST_CASE("init with another meeting's file on the same --data is refused, exit 2, store unchanged",
          "[central][cli][init]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto before = t::db_snapshot(t::central_db(data));
  auto m = t::worked_meeting();
  m["meeting"]["id"] = "PSTM26";
  const auto r = t::central({"init", "--data", data, "--meeting", t::write_meeting(dir, "other.json", m)});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("\"TAM26\"") && Contains("\"PSTM26\"") && Contains(data));
  CHECK(r.out.empty());
  CHECK(t::db_snapshot(t::central_db(data)) == before);
}

TEST_CASE("init with a changed badge pattern re-reads the stored scans", "[central][cli][init]") {
  temp_dir dir;
  const auto data = dir / "data";
  init(data, t::test_data("worked_example.json"));
  // Attendee 2's reprinted badge reads "TAM26/000002": the pattern fails it.
  const auto csv = dir / "slash.csv";
  t::write_file(csv, replace_all(t::read_file(t::test_data("worked_example.csv")), "TAM26-000002", "TAM26/000002"));
  CHECK_THAT(t::central_ok({"ingest", "--data", data, csv}), Contains("quarantined: 2 fail the badge pattern"));
  CHECK(t::transcript(data, "000002").at("total_credits") == 0.0);
  CHECK(t::transcript(data, "000002").at("sessions") == json::array());

  auto m = t::worked_meeting();
  SECTION("widened: both forms read") {
    m["badge"]["pattern"] = "^(?:TAM26[-/])?([0-9]{6})$";
    CHECK_THAT(init(data, t::write_meeting(dir, "wide.json", m)),
               Contains("badge pattern changed: 2 stored scans now read as another badge id"));
    const auto two = t::transcript(data, "000002");
    CHECK(two.at("total_credits") == 2.0);
    CHECK(two.at("total_patient_safety_credits") == 0.5);
    CHECK(t::transcript(data, "000001").at("total_credits") == 2.75);
  }
  SECTION("narrowed: only the new form reads") {
    m["badge"]["pattern"] = "^TAM26/([0-9]{6})$";
    CHECK_THAT(init(data, t::write_meeting(dir, "narrow.json", m)),
               Contains("badge pattern changed: 8 stored scans now read as another badge id"));
    CHECK(t::transcript(data, "000002").at("total_credits") == 2.0);
    const auto one = t::transcript(data, "000001");
    CHECK(one.at("total_credits") == 0.0);
    CHECK(one.at("sessions") == json::array());
  }
}
