// cmetrack-kiosk --export-scans: a kiosk that cannot reach the central node
// hands over its outbox as a scans file; the central node ingests it, each
// scan once, and the credit is the one the kiosk's scans give.
#include <catch2/catch.hpp>

#include <string>

#include "tests/kiosk/kiosk_cli.h"
#include "tests/support/process.h"

namespace cmetrack::test {

TEST_CASE("cmetrack-kiosk --export-scans writes the outbox as a scans file the central node ingests once") {
  kiosk_files k;
  k.load_worked_example();
  // Jane Doe in room A during S1 (08:00-09:30 EDT) from 08:05 to 09:10: 55 minutes
  // less the 10-minute break: 3,300 s, 3.67 quarters, 1.0 credit by nearest quarter hour.
  const auto recorded = run(k.args({"--headless", "--simulated-clock"}),
                            "2026-04-24T12:05:00Z 000001\n2026-04-24T13:10:00Z 000001\n2026-04-24T13:11:00Z not-a-badge\n");
  REQUIRE(recorded.exit_code == 0);
  const auto exported = run(k.args({"--export-scans", k.dir / "outbox.csv"}));
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out.find("3 scans of kiosk K-A1 (3 not yet acknowledged") != std::string::npos);
  const auto csv = read_file(k.dir / "outbox.csv");
  CHECK(csv.rfind("id,kiosk,seq,badge,room,door,direction,at,source\n", 0) == 0);
  CHECK(csv.find(",K-A1,1,000001,A,A1,auto,2026-04-24T12:05:00.000Z,headless\n") != std::string::npos);
  CHECK(csv.find(",K-A1,3,not-a-badge,A,A1,auto,") != std::string::npos);

  const std::string data = k.dir / "central";
  REQUIRE(run({"cmetrack-central", "init", "--data", data, "--meeting",
               std::string(CMETRACK_TEST_DATA) + "/worked_example.json"}).exit_code == 0);
  const auto first = run({"cmetrack-central", "ingest", "--data", data, k.dir / "outbox.csv"});
  INFO(first.err);
  CHECK(first.out.find("3 scans read, 3 stored") != std::string::npos);
  const auto again = run({"cmetrack-central", "ingest", "--data", data, k.dir / "outbox.csv"});
  CHECK(again.out.find("3 scans read, 0 stored, 3 already stored") != std::string::npos);
  const auto t = run({"cmetrack-central", "transcript", "--data", data, "--badge", "000001", "--json", "--now",
                      "2026-04-24T16:00:00Z"});
  CHECK(t.out.find("\"total_credits\": 1.0") != std::string::npos);
}

TEST_CASE("cmetrack-kiosk --export-scans to a place it cannot write says so and writes nothing") {
  kiosk_files k;
  k.load_worked_example();
  const auto r = run(k.args({"--export-scans", k.dir / "no-such-dir/outbox.csv"}));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no-such-dir/outbox.csv: cannot write") != std::string::npos);
}

}  // namespace cmetrack::test
