#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <thread>

#include "kiosk/store/kiosk_store.h"
#include "shared/meeting_import.h"
#include "tests/support/live_process.h"
#include "shared/time.h"
#include "tests/kiosk/kiosk_cli.h"

using namespace cmetrack;
using namespace cmetrack::test;
using nlohmann::json;

TEST_CASE("cmetrack-kiosk --load-meeting caches the kiosk's room and says so") {
  kiosk_files k;
  const auto r = run(k.args({"--load-meeting", std::string(CMETRACK_TEST_DATA) + "/worked_example.json"}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "kiosk K-A1: cached meeting TAM26 (The Aesthetic Meeting 2026), room A (Ballroom A): "
                 "2 sessions, 2 attendees on the roster\n");
}

TEST_CASE("cmetrack-kiosk --headless --simulated-clock: one JSON line a scan, each one in kiosk.db") {
  kiosk_files k;
  k.load_worked_example();
  const std::string input =
      "2026-04-24T07:55:00-04:00 TAM26-000001\n"
      "2026-04-24T08:40:00-04:00 000001\n"
      "2026-04-24T08:40:05-04:00 000001\n"
      "2026-04-24T08:41:00-04:00 TAM26-777777\n"
      "\n"
      "2026-04-24T08:42:00-04:00 hello world\n"
      "yesterday 000001\n"
      "2026-04-24T10:50:00-04:00 000002";  // the last line may lack its newline
  const auto r = run(k.args({"--headless", "--simulated-clock"}), input);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 7);

  CHECK(lines[0]["result"] == "checked_in");
  CHECK(lines[0]["seq"] == 1);
  CHECK(lines[0]["badge"] == "000001");
  CHECK(lines[0]["at"] == "2026-04-24T11:55:00.000Z");
  CHECK(lines[0]["first_name"] == "Jane");
  CHECK(lines[1]["result"] == "checked_out");
  CHECK(lines[1]["minutes"] == 40);
  CHECK(lines[1]["credits"] == 0.75);
  CHECK(lines[2]["result"] == "duplicate");
  CHECK(lines[3]["result"] == "unknown_badge");
  CHECK(lines[3]["badge"] == "777777");
  CHECK(lines[4]["result"] == "invalid_badge");
  CHECK(lines[4]["badge"].is_null());
  CHECK(lines[5]["result"] == "error");
  CHECK(lines[5]["id"].is_null());
  CHECK(lines[5]["seq"].is_null());
  CHECK_THAT(lines[5]["reason"].get<std::string>(), Catch::Contains("line 7") && Catch::Contains("ISO-TIME PAYLOAD"));
  CHECK(lines[6]["result"] == "checked_in");  // Ravi's first scan
  CHECK(lines[6]["seq"] == 6);
  for (const auto& l : lines) {
    CHECK(l.contains("id"));
    CHECK(l.contains("seq"));
    CHECK(l.contains("badge"));
    CHECK(l.contains("at"));
  }

  auto store = kiosk::kiosk_store::open(k.db());
  REQUIRE(store);
  const auto rows = store->all_scans();
  REQUIRE(rows);
  REQUIRE(rows->size() == 6);
  const std::vector<std::size_t> recorded = {0, 1, 2, 3, 4, 6};
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    const auto& line = lines[recorded[i]];
    INFO("row " << i);
    CHECK(row.id == line["id"]);
    CHECK(row.seq == line["seq"]);
    CHECK(row.result == line["result"]);
    CHECK(format_iso8601_utc(row.at) == line["at"]);
    CHECK(row.room == "A");
    CHECK(row.door == "A1");
    CHECK(row.direction == direction::automatic);
    CHECK(row.source == "headless");
    CHECK_FALSE(row.sent);
  }
  CHECK((*rows)[4].payload == "hello world");
  CHECK_FALSE((*rows)[4].badge);

  SECTION("a restarted kiosk goes on where it stopped") {
    const auto again = run(k.args({"--headless", "--simulated-clock"}), "2026-04-24T11:00:00-04:00 000002\n");
    REQUIRE(again.exit_code == 0);
    const auto more = json_lines(again.out);
    REQUIRE(more.size() == 1);
    CHECK(more[0]["seq"] == 7);
    CHECK(more[0]["result"] == "checked_out");
    CHECK(more[0]["minutes"] == 10);  // S2 10:50-11:00
    CHECK(more[0]["credits"] == 0.25);  // 10 min: 0.67 quarters, nearest 1
  }
}

TEST_CASE("cmetrack-kiosk --headless stamps scans with the time now") {
  kiosk_files k("entry");
  k.load_worked_example();
  const auto before = std::chrono::system_clock::now();
  const auto r = run(k.args({"--headless"}), "TAM26-000002\n");
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["result"] == "checked_in");
  const auto at = parse_iso8601(lines[0]["at"].get<std::string>());
  REQUIRE(at);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
  CHECK(*at >= ms - 1000);
  CHECK(*at <= ms + 60'000);
}

TEST_CASE("cmetrack-kiosk --headless: a line too long for a badge is an error, and the next one counts") {
  kiosk_files k;
  k.load_worked_example();
  const auto r = run(k.args({"--headless", "--simulated-clock"}),
                     std::string(10'000, 'x') + "\n2026-04-24T08:00:00-04:00 000001\n");
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["result"] == "error");
  CHECK_THAT(lines[0]["reason"].get<std::string>(), Catch::Contains("line 1: longer than 4096 bytes"));
  CHECK(lines[1]["result"] == "checked_in");
  CHECK(lines[1]["seq"] == 1);
}

TEST_CASE("cmetrack-kiosk --headless takes up a meeting the sync agent caches while it runs") {
  kiosk_files files;
  files.load_worked_example();
  live_process kiosk(files.args({"--headless", "--simulated-clock"}));
  kiosk.write("2026-04-24T12:00:00Z TAM26-000777\n");
  REQUIRE(kiosk.read_lines(1, 10'000).size() == 1);

  // Registration adds badge 000777; the agent (another connection) caches
  // the new meeting, and marks a scan sent (a commit that is not a meeting).
  auto imported = read_meeting_file(std::string(CMETRACK_TEST_DATA) + "/worked_example.json");
  REQUIRE(imported);
  attendee walk_in;
  walk_in.badge = "000777";
  walk_in.first_name = "Ana";
  walk_in.last_name = "Lima";
  imported->meeting.attendees.push_back(walk_in);
  {
    auto agent = kiosk::kiosk_store::open(files.db());
    REQUIRE(agent);
    REQUIRE(agent->cache_meeting(imported->meeting, "A"));
    kiosk::sync_status status;
    status.last_contact = 1;
    REQUIRE(agent->write_sync_status(status));
  }

  kiosk.write("2026-04-24T12:05:00Z TAM26-000002\n2026-04-24T12:06:00Z TAM26-000777\n");
  const auto& lines = kiosk.read_lines(3, 10'000);
  REQUIRE(lines.size() == 3);
  kiosk.close_input();
  CHECK(kiosk.wait() == 0);
  CHECK(nlohmann::json::parse(lines[0])["result"] == "unknown_badge");
  const auto walked_in = nlohmann::json::parse(lines[2]);
  CHECK(walked_in["first_name"] == "Ana");  // on the roster now: greeted by name
  CHECK(walked_in["result"] == "checked_out");  // the stay her unknown-badge scan opened ends
}

TEST_CASE("cmetrack-kiosk --headless, signed badges: a badge with its MAC counts, the number without it, or with a "
          "forged MAC, is invalid_badge and earns nothing") {
  // The worked example signed with the key 00 01 ... 1f (badge.key). MACs
  // computed outside the code (openssl dgst -sha256 -mac HMAC, first 40 bits
  // in Crockford base32): TAM26-000001 T34E8S5M, 000001 484E6VDH, TAM26-000002 EKTEZ8HK.
  kiosk_files k;
  auto meeting = json::parse(read_file(std::string(CMETRACK_TEST_DATA) + "/worked_example.json"));
  meeting["badge"]["key"] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  const auto file = k.dir / "signed.json";
  write_file(file, meeting.dump());
  const auto loaded = run(k.args({"--load-meeting", file}));
  INFO(loaded.err);
  REQUIRE(loaded.exit_code == 0);

  const auto r = run(k.args({"--headless", "--simulated-clock"}),
                     "2026-04-24T07:55:00-04:00 TAM26-000001.T34E8S5M\n"  // Jane's badge
                     "2026-04-24T08:10:00-04:00 TAM26-000001\n"           // her number from a barcode generator
                     "2026-04-24T08:20:00-04:00 TAM26-000001.00000000\n"  // a made-up MAC
                     "2026-04-24T08:30:00-04:00 000001.T34E8S5M\n"        // her MAC on another payload
                     "2026-04-24T08:40:00-04:00 000001.484E6VDH\n"        // signed, the short form
                     "2026-04-24T09:00:00-04:00 TAM26-000002\n"
                     "2026-04-24T09:01:00-04:00 TAM26-000002.EKTEZ8HJ\n"  // one character changed
                     "2026-04-24T09:02:00-04:00 TAM26-000002.EKTEZ8HK\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 8);
  CHECK(lines[0]["result"] == "checked_in");
  CHECK(lines[0]["badge"] == "000001");
  for (const std::size_t forged : {1u, 2u, 3u, 5u, 6u}) {
    INFO("line " << forged + 1);
    CHECK(lines[forged]["result"] == "invalid_badge");
    CHECK(lines[forged]["badge"].is_null());
    CHECK_FALSE(lines[forged].contains("first_name"));
  }
  // The forgeries did not end Jane's stay: 08:00-08:40 of S1.
  CHECK(lines[4]["result"] == "checked_out");
  CHECK(lines[4]["minutes"] == 40);
  CHECK(lines[4]["credits"] == 0.75);
  CHECK(lines[7]["result"] == "checked_in");
  CHECK(lines[7]["first_name"] == "Ravi");

  auto store = kiosk::kiosk_store::open(k.db());
  REQUIRE(store);
  const auto rows = store->all_scans();
  REQUIRE(rows);
  REQUIRE(rows->size() == 8);  // every scan is recorded, the forged ones without a badge
  CHECK((*rows)[1].payload == "TAM26-000001");
  CHECK_FALSE((*rows)[1].badge);
  CHECK((*rows)[4].badge == std::optional<std::string>("000001"));
}

TEST_CASE("cmetrack-kiosk --headless started before its meeting is cached waits, refuses scans without recording "
          "them, and takes them once the sync agent caches the meeting") {
  kiosk_files files;  // kiosk.json only: kiosk.db holds no meeting (a fresh install, the agent not through yet)
  live_process kiosk(files.args({"--headless", "--simulated-clock"}));
  kiosk.write("2026-04-24T07:55:00-04:00 TAM26-000001\n");
  const auto& refused = kiosk.read_lines(1, 10'000);
  REQUIRE(refused.size() == 1);
  const auto no = nlohmann::json::parse(refused[0]);
  CHECK(no["result"] == "error");
  CHECK(no["waiting"] == true);
  CHECK(no["id"].is_null());
  CHECK(no["seq"].is_null());
  CHECK(no["at"] == "2026-04-24T11:55:00.000Z");
  CHECK_THAT(no["reason"].get<std::string>(),
             Catch::StartsWith("waiting for this room's meeting from the central node: not recorded") &&
                 Catch::Contains("kiosk K-A1, room A"));
  {
    auto look = kiosk::kiosk_store::open(files.db());
    REQUIRE(look);
    CHECK(look->all_scans()->empty());  // the refused scan is nowhere
  }

  // The agent's first pull: the meeting cached over another connection.
  {
    auto agent = kiosk::kiosk_store::open(files.db());
    REQUIRE(agent);
    auto imported = read_meeting_file(std::string(CMETRACK_TEST_DATA) + "/worked_example.json");
    REQUIRE(imported);
    REQUIRE(agent->cache_meeting(imported->meeting, "A"));
  }

  kiosk.write("2026-04-24T07:56:00-04:00 TAM26-000001\n");
  const auto& lines = kiosk.read_lines(2, 10'000);
  REQUIRE(lines.size() == 2);
  kiosk.close_input();
  CHECK(kiosk.wait() == 0);
  const auto yes = nlohmann::json::parse(lines[1]);
  CHECK(yes["result"] == "checked_in");
  CHECK(yes["seq"] == 1);  // the first scan recorded: the refused one took no seq
  CHECK(yes["first_name"] == "Jane");
  CHECK_FALSE(yes.contains("waiting"));

  const std::string err = kiosk.error_output();
  CHECK_THAT(err, Catch::Contains("cmetrack-kiosk: waiting for this room's meeting from the central node: kiosk K-A1, "
                                  "room A; " + files.db() + " holds none yet"));
  CHECK_THAT(err, Catch::Contains("cmetrack-kiosk: meeting TAM26 cached for room A: taking scans"));
  auto store = kiosk::kiosk_store::open(files.db());
  REQUIRE(store);
  const auto rows = store->all_scans();
  REQUIRE(rows);
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].id == yes["id"]);
  CHECK((*rows)[0].result == "checked_in");
}

TEST_CASE("cmetrack-kiosk --headless waiting for its meeting says so on stderr as soon as the meeting comes, "
          "before the next scan") {
  kiosk_files files;
  live_process kiosk(files.args({"--headless", "--simulated-clock"}));
  kiosk.write("2026-04-24T07:55:00-04:00 TAM26-000001\n");
  REQUIRE(kiosk.read_lines(1, 10'000).size() == 1);  // refused: it runs, and waits
  {
    auto agent = kiosk::kiosk_store::open(files.db());
    REQUIRE(agent);
    auto imported = read_meeting_file(std::string(CMETRACK_TEST_DATA) + "/worked_example.json");
    REQUIRE(imported);
    REQUIRE(agent->cache_meeting(imported->meeting, "A"));
  }
  // It looks at kiosk.db each second while stdin is quiet: within 3 s it
  // has said the meeting came, with no scan to prompt it.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  kiosk.signal(SIGTERM);
  CHECK(kiosk.wait() == 0);
  CHECK_THAT(kiosk.error_output(), Catch::Contains("meeting TAM26 cached for room A: taking scans"));
}
