// Badge sharing through cmetrack-central (the meeting file's
// "badge_sharing"): kept in central.db, shown in the transcript (JSON and
// PDF) and listed by `sharing --json`; the credit stays as without it.
// The worked example's meeting with a Room F a walk (300 s) from Ballroom A,
// and at least 60 s between any two rooms.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "shared/meeting_import.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/store.h"
#include "tests/support/pdf_text.h"
#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
using json = nlohmann::json;
namespace t = cmetrack::test;

namespace {

json sharing_meeting(bool with_rules) {
  auto m = t::worked_meeting();
  m["rooms"].push_back({{"id", "F"}, {"name", "Room F"}, {"capacity", 80}});
  if (with_rules)
    m["badge_sharing"] = {{"min_seconds_between_rooms", 60},
                          {"walk_seconds", json::array({{{"from", "A"}, {"to", "F"}, {"seconds", 300}}})}};
  return m;
}

// Jane (000001): A 08:00, A at 10:02:10 by the north door, F at 10:02:40 by
// its main door (30 s: walking takes 300 s). Ravi (000002): A 08:00, B 10:30:00,
// A 10:30:20 (20 s: 60 s required). 000099, not on the roster: A then B, 10 s.
// Times EDT (-04:00), written in UTC.
const std::vector<std::string> scan_rows = {
    "j1,k-a1,1,000001,A,north,in,2026-04-24T12:00:00.000Z,wedge",
    "j2,k-a1,2,000001,A,north,auto,2026-04-24T14:02:10.000Z,wedge",
    "j3,k-f1,1,000001,F,main,in,2026-04-24T14:02:40.000Z,wedge",
    "r1,k-a1,3,000002,A,north,in,2026-04-24T12:00:00.000Z,wedge",
    "r2,k-b1,1,000002,B,main,in,2026-04-24T14:30:00.000Z,wedge",
    "r3,k-a1,4,000002,A,north,in,2026-04-24T14:30:20.000Z,wedge",
    "x1,k-a1,5,000099,A,north,in,2026-04-24T14:00:00.000Z,wedge",
    "x2,k-b1,2,000099,B,main,in,2026-04-24T14:00:10.000Z,wedge",
};

std::string sharing_store(const temp_dir& dir, const std::string& name, bool with_rules) {
  const auto data = dir / name;
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, name + ".json", sharing_meeting(with_rules))});
  t::central_ok({"ingest", "--data", data, t::write_scans(dir, name + ".csv", scan_rows)});
  return data;
}

}  // namespace

TEST_CASE("sharing: the meeting's badge_sharing survives central.db, and init without it turns it off",
          "[central][sharing]") {
  temp_dir dir;
  const auto file = t::write_meeting(dir, "m.json", sharing_meeting(true));
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", file});
  const auto read = cmetrack::read_meeting_file(file);
  REQUIRE(read.has_value());
  REQUIRE(read->meeting.sharing.enabled());
  const auto load = [&] {
    auto db = cmetrack::central::open_store(data, cmetrack::central::open_mode::existing);
    REQUIRE(db.has_value());
    auto m = cmetrack::central::load_meeting(*db);
    REQUIRE(m.has_value());
    return m->sharing;
  };
  CHECK(load() == read->meeting.sharing);

  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "off.json", sharing_meeting(false))});
  CHECK_FALSE(load().enabled());
}

TEST_CASE("sharing: transcript --json lists the events under sharing, the credit as without the rules",
          "[central][cli][sharing]") {
  temp_dir dir;
  const auto data = sharing_store(dir, "data", true);
  const auto jane = t::transcript(data, "000001");
  REQUIRE(jane["sharing"].size() == 1);
  CHECK(jane["sharing"][0] == json{{"at", "2026-04-24T14:02:40.000Z"},
                                   {"from_room", "A"},
                                   {"to_room", "F"},
                                   {"from_door", "north"},
                                   {"to_door", "main"},
                                   {"gap_seconds", 30},
                                   {"required_seconds", 300},
                                   {"from_at", "2026-04-24T14:02:10.000Z"},
                                   {"from_scan", "j2"},
                                   {"to_scan", "j3"}});
  for (const auto& f : jane["flags"]) CHECK(f.get<std::string>().find("shar") == std::string::npos);
  const auto ravi = t::transcript(data, "000002");
  REQUIRE(ravi["sharing"].size() == 1);
  CHECK(ravi["sharing"][0]["required_seconds"] == 60);
  CHECK(ravi["sharing"][0]["gap_seconds"] == 20);

  // Never dropped: every scan counts as it would without the rules.
  const auto plain = sharing_store(dir, "plain", false);
  for (const std::string badge : {"000001", "000002"}) {
    INFO(badge);
    auto with = t::transcript(data, badge);
    auto without = t::transcript(plain, badge);
    CHECK(without["sharing"] == json::array());
    CHECK(with["sharing"].size() == 1);
    with.erase("sharing");
    without.erase("sharing");
    CHECK(with == without);
  }
  // Before the second scan of each pair, nothing.
  CHECK(t::transcript(data, "000001", "2026-04-24T14:02:39Z")["sharing"] == json::array());
}

TEST_CASE("sharing: the transcript PDF says where and when in words, for review", "[central][cli][pdf][sharing]") {
  temp_dir dir;
  const auto data = sharing_store(dir, "data", true);
  const auto pdf = dir / "jane.pdf";
  t::central_ok({"transcript", "--data", data, "--badge", "000001", "--pdf", pdf, "--now", t::after_meeting});
  const auto text = t::pdf_text(pdf);
  INFO(text);
  CHECK(text.find("For review") != std::string::npos);
  CHECK(text.find("Possible badge sharing (needs review): scanned in Ballroom A (door north) at 10:02:10 and Room F "
                  "(door main) at 10:02:40 on Fri 24 Apr, 30 s apart; walking takes at least 300 s.") !=
        std::string::npos);

  const auto plain = sharing_store(dir, "plain", false);
  const auto plain_pdf = dir / "plain.pdf";
  t::central_ok({"transcript", "--data", plain, "--badge", "000001", "--pdf", plain_pdf, "--now", t::after_meeting});
  CHECK(t::pdf_text(plain_pdf).find("badge sharing") == std::string::npos);
}

TEST_CASE("sharing --json: every flagged badge, newest first, with its name and events", "[central][cli][sharing]") {
  temp_dir dir;
  const auto data = sharing_store(dir, "data", true);
  const auto all = json::parse(t::central_ok({"sharing", "--data", data, "--json", "--now", t::after_meeting}));
  REQUIRE(all.size() == 3);
  CHECK(all[0]["badge"] == "000002");  // 10:30:20
  CHECK(all[0]["name"] == "Ravi Shah");
  CHECK(all[1]["badge"] == "000001");  // 10:02:40
  CHECK(all[1]["name"] == "Jane Doe");
  CHECK(all[1]["events"] == t::transcript(data, "000001")["sharing"]);
  CHECK(all[2]["badge"] == "000099");  // 10:00:10, not on the roster yet
  CHECK(all[2]["name"].is_null());
  CHECK(all[2]["events"][0]["from_room"] == "A");
  CHECK(all[2]["events"][0]["to_room"] == "B");

  // As of 09:00 EDT nothing has happened yet; a store without the rules lists nothing.
  CHECK(json::parse(t::central_ok({"sharing", "--data", data, "--json", "--now", "2026-04-24T13:00:00Z"})) ==
        json::array());
  const auto plain = sharing_store(dir, "plain", false);
  CHECK(json::parse(t::central_ok({"sharing", "--data", plain, "--json", "--now", t::after_meeting})) == json::array());

  // --json is required, as for rooms.
  CHECK(t::central({"sharing", "--data", data}).exit_code == 2);
}
