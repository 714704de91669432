// ingest: idempotent by scan id, independent of arrival order, and scans it
// cannot use are kept in quarantine, reported, and earn nothing.
#include <catch2/catch.hpp>

#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/db_snapshot.h"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using cmetrack::test::temp_dir;
using nlohmann::json;
namespace t = cmetrack::test;

namespace {

std::string transcript_text(const std::string& data, const std::string& badge) {
  return t::central_ok({"transcript", "--data", data, "--badge", badge, "--json", "--now", t::after_meeting});
}

}  // namespace

TEST_CASE("ingesting the same file twice stores nothing the second time", "[central][cli][ingest]") {
  temp_dir dir;
  const auto data = dir / "data";
  const auto csv = t::test_data("worked_example.csv");
  t::central_ok({"init", "--data", data, "--meeting", t::test_data("worked_example.json")});
  CHECK(t::central_ok({"ingest", "--data", data, csv}) == csv + ": 8 scans read, 8 stored, 0 already stored\n");
  const auto before = t::db_snapshot(t::central_db(data));
  const auto one = transcript_text(data, "000001"), two = transcript_text(data, "000002");

  CHECK(t::central_ok({"ingest", "--data", data, csv}) == csv + ": 8 scans read, 0 stored, 8 already stored\n");
  CHECK(t::db_snapshot(t::central_db(data)) == before);
  CHECK(transcript_text(data, "000001") == one);
  CHECK(transcript_text(data, "000002") == two);
}

TEST_CASE("the transcripts depend on the set of scans, not the order files arrive in", "[central][cli][ingest]") {
  temp_dir dir;
  const auto reference = t::worked_store(dir, "reference");
  // The worked example's scans split in two; the later half arrives first,
  // as from a kiosk that was offline, and with one scan in both files.
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::test_data("worked_example.json")});
  t::central_ok({"ingest", "--data", data,
                 t::write_scans(dir, "late.csv",
                                {"k-a1-7,k-a1,7,TAM26-000002,A,north,out,2026-04-24T14:50:00.000Z,wedge",
                                 "k-a1-6,k-a1,6,TAM26-000001,A,north,in,2026-04-24T14:05:00.000Z,wedge",
                                 "k-b1-1,k-b1,1,TAM26-000001,B,main,in,2026-04-24T13:20:00.000Z,camera",
                                 "k-a1-4,k-a1,4,TAM26-000001,A,north,auto,2026-04-24T12:40:05.000Z,wedge"})});
  CHECK(t::central_ok({"ingest", "--data", data, t::test_data("worked_example.csv")}) ==
        t::test_data("worked_example.csv") + ": 8 scans read, 4 stored, 4 already stored\n");
  CHECK(transcript_text(data, "000001") == transcript_text(reference, "000001"));
  CHECK(transcript_text(data, "000002") == transcript_text(reference, "000002"));
}

TEST_CASE("a payload failing the badge pattern and a scan naming an unknown room are kept in quarantine",
          "[central][cli][ingest]") {
  temp_dir dir;
  auto m = t::worked_meeting();
  m["attendees"].push_back({{"badge", "000003"}, {"first_name", "Mei"}, {"last_name", "Lin"}});
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "meeting.json", m)});
  t::central_ok({"ingest", "--data", data, t::test_data("worked_example.csv")});

  // 000003's badge printed back to front fails the pattern; had it counted,
  // 07:59-09:00 in A would earn 0.75. A scan of attendee 2 at room "Z" at
  // 10:30 would, were Z a room, end their stay in A early.
  const std::vector<std::string> rows = {
      "q-1,k-a2,1,000003-TAM26,A,south,in,2026-04-24T11:59:00.000Z,wedge",
      "q-2,k-a2,2,000003-TAM26,A,south,out,2026-04-24T13:00:00.000Z,wedge",
      "q-3,k-z1,1,TAM26-000002,Z,main,in,2026-04-24T14:30:00.000Z,camera",
  };
  const auto csv = t::write_scans(dir, "quarantine.csv", rows);
  CHECK(t::central_ok({"ingest", "--data", data, csv}) ==
        csv + ": 3 scans read, 3 stored, 0 already stored; quarantined: 2 fail the badge pattern, "
              "1 name a room the meeting does not have\n");

  SECTION("they earn nothing") {
    const auto three = t::transcript(data, "000003");
    CHECK(three.at("sessions") == json::array());
    CHECK(three.at("total_credits") == 0.0);
    CHECK(three.at("flags") == json::array());
    const auto two = t::transcript(data, "000002");
    CHECK(two.at("sessions").at(1).at("attended_seconds") == 3000);  // S2 10:00-10:50, as without the scan at Z
    CHECK(two.at("total_credits") == 2.0);
    CHECK(two.at("flags") == json::array());
  }
  SECTION("the live view shows neither") {
    const auto now = t::rooms(data, "2026-04-24T14:40:00Z");
    REQUIRE(now.size() == 2);  // A and B; no room Z
    CHECK(now.at(0).at("present") == 2);
    CHECK(now.at(1).at("present") == 0);
  }
  SECTION("they are in export --scans, as received") {
    const auto out = dir / "export.csv";
    t::central_ok({"export", "--data", data, "--scans", "--out", out});
    const auto text = t::read_file(out);
    for (const auto& row : rows) CHECK_THAT(text, Contains("\n" + row + "\n"));
  }
  SECTION("a second ingest of them stores and reports nothing new") {
    CHECK(t::central_ok({"ingest", "--data", data, csv}) == csv + ": 3 scans read, 0 stored, 3 already stored\n");
  }
}

TEST_CASE("ingest --commit-every stores a file in parts, and a bad row later says which scans were stored",
          "[central][cli][ingest]") {
  temp_dir dir;
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::test_data("worked_example.json")});
  const std::vector<std::string> good = {
      "k-a1-1,k-a1,1,TAM26-000001,A,north,in,2026-04-24T12:40:00.000Z,wedge",
      "k-a1-2,k-a1,2,TAM26-000002,A,north,in,2026-04-24T12:41:00.000Z,wedge",
      "k-a1-3,k-a1,3,TAM26-000001,A,north,out,2026-04-24T13:40:00.000Z,wedge",
      "k-a1-4,k-a1,4,TAM26-000002,A,north,out,2026-04-24T13:41:00.000Z,wedge",
      "k-a1-5,k-a1,5,TAM26-000001,A,north,in,2026-04-24T14:00:00.000Z,wedge"};
  auto bad = good;
  bad[3] = "k-a1-4,k-a1,4,TAM26-000002,A,north,sideways,2026-04-24T13:41:00.000Z,wedge";
  const auto file = t::write_scans(dir, "scans.csv", bad);

  const auto r = t::central({"ingest", "--data", data, "--commit-every", "2", file});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("scans.csv:5") && Contains("direction") &&
                        Contains("only the file's first 2 scans were stored (in parts of at most 2); running the "
                                 "ingest again skips them"));
  CHECK(t::central_ok({"export", "--data", data, "--scans", "--out", dir / "stored.csv"}).size() > 0);
  CHECK(t::read_file(dir / "stored.csv").find("k-a1-2,") != std::string::npos);
  CHECK(t::read_file(dir / "stored.csv").find("k-a1-3,") == std::string::npos);

  // Corrected, the file is stored whole: the first part is not stored twice.
  const auto fixed = t::write_scans(dir, "scans.csv", good);
  CHECK(t::central_ok({"ingest", "--data", data, "--commit-every", "2", fixed}) ==
        fixed + ": 5 scans read, 3 stored, 2 already stored\n");
  // Without the option a bad row stores nothing, as before.
  const auto other = dir / "other";
  t::central_ok({"init", "--data", other, "--meeting", t::test_data("worked_example.json")});
  const auto whole = t::central({"ingest", "--data", other, t::write_scans(dir, "bad.csv", bad)});
  CHECK(whole.exit_code == 2);
  CHECK_THAT(whole.err, !Contains("were stored"));
  CHECK(t::central_ok({"export", "--data", other, "--scans", "--out", dir / "none.csv"}).size() > 0);
  CHECK(t::read_file(dir / "none.csv").find("k-a1-1,") == std::string::npos);
}
