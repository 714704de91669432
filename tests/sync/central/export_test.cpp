// export --scans: the contract's CSV, every scan (quarantined ones too), and
// a round trip through ingest into a fresh store gives the same transcripts.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/sync/central/central_cli.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

std::string export_scans(const std::string& data, const std::string& out) {
  return t::central_ok({"export", "--data", data, "--scans", "--out", out});
}

std::string transcript_text(const std::string& data, const std::string& badge) {
  return t::central_ok({"transcript", "--data", data, "--badge", badge, "--json", "--now", t::after_meeting});
}

}  // namespace

TEST_CASE("export --scans writes the contract's header, then every scan by time", "[central][cli][export]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto out = dir / "scans.csv";
  CHECK(export_scans(data, out) == out + ": 8 scans written\n");
  const auto text = t::read_file(out);
  CHECK_THAT(text, StartsWith("id,kiosk,seq,badge,room,door,direction,at,source\n"));
  // worked_example.csv is in time order, with times as the store writes them.
  CHECK(text == t::read_file(t::test_data("worked_example.csv")));
  CHECK_FALSE(std::filesystem::exists(out + ".partial"));
}

TEST_CASE("export --scans then ingest into a fresh data directory gives the same transcripts",
          "[central][cli][export]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  // Beside the worked example: quarantined scans, a door that needs quoting,
  // milliseconds, and a scan with no source.
  const auto extra = t::write_scans(dir, "extra.csv", {
      "q-1,k-a2,1,000001-TAM26,A,south,in,2026-04-24T11:59:00.000Z,wedge",
      "q-2,k-z1,1,TAM26-000002,Z,main,in,2026-04-24T14:30:00.000Z,camera",
      R"(q-3,k-a3,1,TAM26-000001,A,"north, by the ""bar""",in,2026-04-24T15:30:00.250Z,)",
  });
  t::central_ok({"ingest", "--data", data, extra});
  const auto first = dir / "first.csv";
  CHECK(export_scans(data, first) == first + ": 11 scans written\n");
  CHECK_THAT(t::read_file(first), Contains(R"(,"north, by the ""bar""",)"));

  const auto fresh = dir / "fresh";
  t::central_ok({"init", "--data", fresh, "--meeting", t::test_data("worked_example.json")});
  CHECK(t::central_ok({"ingest", "--data", fresh, first}) ==
        first + ": 11 scans read, 11 stored, 0 already stored; quarantined: 1 fail the badge pattern, "
                "1 name a room the meeting does not have\n");
  for (const char* badge : {"000001", "000002"}) {
    INFO("badge " << badge);
    CHECK(transcript_text(fresh, badge) == transcript_text(data, badge));
  }
  CHECK(t::transcript(fresh, "000001").at("total_credits") == 2.75);

  const auto second = dir / "second.csv";
  export_scans(fresh, second);
  CHECK(t::read_file(second) == t::read_file(first));
}

TEST_CASE("export --scans to a directory that does not exist fails, exit 2, naming the file", "[central][cli][export]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto out = dir / "no-such-dir/scans.csv";
  const auto r = t::central({"export", "--data", data, "--scans", "--out", out});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(out));
  CHECK_FALSE(std::filesystem::exists(dir / "no-such-dir"));
}
