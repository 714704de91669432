// Clock skew: a kiosk whose clock runs 10 minutes fast still gives the right
// credit. The central node runs 10 minutes behind the machine's clock
// (faketime), so the kiosk and its agent are 10 minutes ahead of it; the
// kiosk stamps its scans 10 minutes late. The agent measures the offset, the
// central node corrects the scan times, and the transcript is docs/rules.md's
// worked example for Ravi Shah (badge 000002): in 07:58, out 10:50.
#include <catch2/catch.hpp>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/e2e/system.h"
#include "tests/support/process.h"
#include "tests/support/test_pki.h"

namespace {

using namespace cmetrack::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

std::string worked_example() { return std::string(CMETRACK_TEST_DATA) + "/worked_example.json"; }

}  // namespace

TEST_CASE("skew: a kiosk whose clock runs 10 minutes fast still gives the right credit", "[e2e][skew]") {
  temp_dir dir;
  make_test_pki(dir.path().string());
  REQUIRE(run({bin("cmetrack-central"), "init", "--data", dir / "central", "--meeting", worked_example()}).exit_code ==
          0);
  // libfaketime preloaded directly (not the faketime wrapper, which would
  // stand between the test's SIGTERM and the server).
  central_node central(dir, {"env", "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "FAKETIME=-10m", "ASAN_OPTIONS=verify_asan_link_order=0",
                             "FAKETIME_DONT_FAKE_MONOTONIC=1"});
  central.start();

  const auto enroll = run({bin("cmetrack-central"), "enroll", "--data", dir / "central", "--kiosk", "K-A1", "--room",
                           "A", "--door", "north", "--out", dir / "kiosk.json", "--central-url", central.url(),
                           "--ca-cert", dir / "ca.pem"});
  INFO(enroll.err);
  REQUIRE(enroll.exit_code == 0);
  REQUIRE(run({bin("cmetrack-kiosk"), "--config", dir / "kiosk.json", "--db", dir / "kiosk.db", "--load-meeting",
               worked_example()})
              .exit_code == 0);

  // The kiosk's clock says 12:08Z and 15:00Z where the true times are
  // 11:58Z (07:58 in New York) and 14:50Z (10:50).
  const auto kiosk = run({bin("cmetrack-kiosk"), "--config", dir / "kiosk.json", "--db", dir / "kiosk.db",
                          "--headless", "--simulated-clock"},
                         "2026-04-24T12:08:00Z TAM26-000002\n2026-04-24T15:00:00Z TAM26-000002\n");
  INFO(kiosk.err);
  REQUIRE(kiosk.exit_code == 0);
  CHECK(kiosk.out.find("checked_in") != std::string::npos);
  CHECK(kiosk.out.find("checked_out") != std::string::npos);

  live_process agent(
      logged({bin("cmetrack-sync"), "--config", dir / "kiosk.json", "--db", dir / "kiosk.db"}, dir / "agent.log"));
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (query_number(dir / "kiosk.db", "SELECT COUNT(*) FROM scans WHERE sent = 0") > 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  agent.signal(SIGTERM);
  CHECK(agent.wait() == 0);
  central.stop();
  INFO(read_file(dir / "agent.log"));
  INFO(read_file(dir / "central.log"));
  REQUIRE(query_number(dir / "kiosk.db", "SELECT COUNT(*) FROM scans WHERE sent = 0") == 0);

  // Staff see the kiosk's offset: central's clock minus the kiosk's, -10 min.
  const auto kiosks = run({bin("cmetrack-central"), "kiosks", "--data", dir / "central", "--json"});
  INFO(kiosks.out << kiosks.err);
  REQUIRE(kiosks.exit_code == 0);
  const auto listed = json::parse(kiosks.out);
  REQUIRE(listed.size() == 1);
  const auto offset = listed[0].at("clock_offset_ms").get<std::int64_t>();
  CHECK(offset < -595'000);
  CHECK(offset > -605'000);

  const auto transcript = run({bin("cmetrack-central"), "transcript", "--data", dir / "central", "--badge", "000002",
                               "--json", "--now", "2026-04-24T20:00:00Z"});
  INFO(transcript.out << transcript.err);
  REQUIRE(transcript.exit_code == 0);
  const auto t = json::parse(transcript.out);
  REQUIRE(t.at("sessions").size() == 2);
  CHECK(t["sessions"][0]["session"] == "S1");
  CHECK(t["sessions"][0]["attended_seconds"] == 80 * 60);  // 08:00-09:30 less the 10-minute break
  CHECK(t["sessions"][0]["credits"] == 1.25);
  CHECK(t["sessions"][1]["session"] == "S2");
  CHECK(t["sessions"][1]["attended_seconds"] == 50 * 60);  // 10:00-10:50; uncorrected it would be 60
  CHECK(t["sessions"][1]["credits"] == 0.75);
  CHECK(t["total_credits"] == 2.0);
}
