// GET /api/v1/sharing and the transcript's "sharing" through cmetrack-central
// serve (plain HTTP on 127.0.0.1): the flagged badge with its name, and a
// voided scan taking its event away. (401/403: staff_api_test.cpp's matrix.)
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/https_client.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {
namespace {

using json = nlohmann::json;

// Jane (000001) in Ballroom A at 10:02:10 EDT, Room F (300 s away) at
// 10:02:40; Ravi (000002) in A and then B an hour apart: nothing.
struct sharing_server {
  temp_dir dir;
  std::string data = dir / "data";
  std::string staff_token;
  std::unique_ptr<central_server> server;

  sharing_server() {
    auto m = worked_meeting();
    m["rooms"].push_back({{"id", "F"}, {"name", "Room F"}, {"capacity", 80}});
    m["badge_sharing"] = {{"min_seconds_between_rooms", 60},
                          {"walk_seconds", json::array({{{"from", "A"}, {"to", "F"}, {"seconds", 300}}})}};
    central_ok({"init", "--data", data, "--meeting", write_meeting(dir, "m.json", m)});
    central_ok({"ingest", "--data", data,
                write_scans(dir, "s.csv",
                            {"j1,k-a1,1,000001,A,north,in,2026-04-24T12:00:00.000Z,wedge",
                             "j2,k-a1,2,000001,A,north,in,2026-04-24T14:02:10.000Z,wedge",
                             "j3,k-f1,1,000001,F,main,in,2026-04-24T14:02:40.000Z,wedge",
                             "r1,k-a1,3,000002,A,north,in,2026-04-24T12:00:00.000Z,wedge",
                             "r2,k-b1,1,000002,B,main,in,2026-04-24T13:00:00.000Z,wedge"})});
    const auto made = run({bin("cmetrack-central"), "staff", "--data", data, "--user", "desk1", "--password-stdin"},
                          "correct horse\n");
    REQUIRE(made.exit_code == 0);
    staff_token = made.out.substr(0, made.out.find('\n'));
    server = std::make_unique<central_server>(data, std::vector<std::string>{}, dir / "serve.log");
  }

  json get(http_client& c, const std::string& target) {
    const auto r = c.request("GET", target, "", {bearer(staff_token)});
    INFO(target << ": " << r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }
};

}  // namespace

TEST_CASE("sharing: GET /api/v1/sharing lists the flagged badge with its name, and voiding a scan takes the event away",
          "[staff][sharing]") {
  sharing_server s;
  http_client c(s.server->url());
  const auto list = s.get(c, "/api/v1/sharing");
  REQUIRE(list.size() == 1);
  CHECK(list[0]["badge"] == "000001");
  CHECK(list[0]["name"] == "Jane Doe");
  REQUIRE(list[0]["events"].size() == 1);
  const auto& e = list[0]["events"][0];
  CHECK(e["from_room"] == "A");
  CHECK(e["to_room"] == "F");
  CHECK(e["from_door"] == "north");
  CHECK(e["to_door"] == "main");
  CHECK(e["gap_seconds"] == 30);
  CHECK(e["required_seconds"] == 300);
  CHECK(e["at"] == "2026-04-24T14:02:40.000Z");
  CHECK(s.get(c, "/api/v1/attendees/000001/transcript")["sharing"] == list[0]["events"]);
  CHECK(s.get(c, "/api/v1/attendees/000002/transcript")["sharing"] == json::array());

  // The desk voids the scan at F: the scan stays stored, the event goes.
  const json correction = {{"action", "void_scan"}, {"scan", "j3"}, {"reason", "a colleague's badge, scanned by mistake"}};
  const auto voided = c.request("POST", "/api/v1/attendees/000001/corrections", correction.dump(), {bearer(s.staff_token)});
  INFO(voided.body);
  REQUIRE(voided.status == 200);
  CHECK(json::parse(voided.body)["sharing"] == json::array());
  CHECK(s.get(c, "/api/v1/sharing") == json::array());
  CHECK(s.get(c, "/api/v1/attendees/000001/transcript")["sharing"] == json::array());
}

}  // namespace cmetrack::test
