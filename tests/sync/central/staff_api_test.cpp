// The staff API of cmetrack-central serve (docs/staff-api.md): staff users
// and their tokens, who may call what, login and logout, rooms and their
// live stream, attendee search, transcripts and /metrics. A real server on
// 127.0.0.1 (plain HTTP, allowed on loopback) over a meeting whose sessions
// run now.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "shared/time.h"
#include "tests/support/event_stream.h"
#include "tests/support/https_client.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {
namespace {

using json = nlohmann::json;

std::string token_of(const std::string& kiosk_json) {
  std::ifstream in(kiosk_json);
  return json::parse(in).at("token").get<std::string>();
}

// The worked example's rooms and roster, its sessions moved to run around
// now: S1 in room A from 30 minutes ago for 90 minutes, S2 after it, S3 in
// room B from 30 minutes ago for an hour.
json meeting_now() {
  auto m = worked_meeting();
  const auto now = now_ms();
  const auto at = [&](int minutes) { return format_iso8601_utc(now + minutes * ms_per_minute); };
  m["sessions"] = json::array({
      {{"id", "S1"}, {"room", "A"}, {"title", "Safety in body contouring"}, {"start", at(-30)}, {"end", at(60)},
       {"credits", 1.5}, {"patient_safety_credits", 0.5}},
      {{"id", "S2"}, {"room", "A"}, {"title", "Fat grafting outcomes"}, {"start", at(75)}, {"end", at(135)},
       {"credits", 1}},
      {{"id", "S3"}, {"room", "B"}, {"title", "Breast implant illness"}, {"start", at(-30)}, {"end", at(30)},
       {"credits", 1}},
  });
  return m;
}

struct staff_server {
  temp_dir dir;
  std::string data = dir / "data";
  std::string staff_token, kiosk_token;
  std::unique_ptr<central_server> server;

  staff_server() {
    const auto meeting = dir / "meeting.json";
    std::ofstream(meeting) << meeting_now().dump();
    central_ok({"init", "--data", data, "--meeting", meeting});
    const auto made = run({bin("cmetrack-central"), "staff", "--data", data, "--user", "desk1", "--password-stdin"},
                          "correct horse\n");
    REQUIRE(made.exit_code == 0);
    staff_token = made.out.substr(0, made.out.find('\n'));
    central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out",
                dir / "k1.json"});
    kiosk_token = token_of(dir / "k1.json");
    server = std::make_unique<central_server>(data, std::vector<std::string>{}, dir / "serve.log");
  }

  std::unique_ptr<http_client> client() const { return std::make_unique<http_client>(server->url()); }

  // Posts one scan of `badge` at room A, made `ago_ms` ago, as kiosk K1's agent does.
  http_reply scan(http_client& c, const std::string& id, const std::string& badge, const std::string& direction,
                  time_ms ago_ms = 0) {
    const auto now = format_iso8601_utc(now_ms());
    const auto at = format_iso8601_utc(now_ms() - ago_ms);
    const json batch = {{"kiosk", "K1"},
                        {"sent_at", now},
                        {"scans", json::array({{{"id", id},
                                                {"seq", 1},
                                                {"badge", badge},
                                                {"room", "A"},
                                                {"door", "north"},
                                                {"direction", direction},
                                                {"at", at},
                                                {"source", "wedge"}}})}};
    return c.request("POST", "/api/v1/scans", batch.dump(), {bearer(kiosk_token)});
  }
};

const std::vector<std::string> staff_gets = {
    "/api/v1/meeting", "/api/v1/rooms", "/api/v1/kiosks", "/api/v1/attendees?q=doe",
    "/api/v1/attendees/000001/transcript", "/api/v1/attendees/000001/transcript.pdf",
    "/api/v1/attendees/000001/scans", "/api/v1/sharing", "/metrics"};
const std::vector<std::string> staff_posts = {"/api/v1/attendees/000001/claims", "/api/v1/attendees/000001/corrections",
                                              "/api/v1/logout"};

}  // namespace

TEST_CASE("staff: the command makes a user and prints a token, and running it again revokes the old one", "[staff]") {
  staff_server s;
  CHECK(s.staff_token.size() == 64);
  auto c = s.client();
  CHECK(c->request("GET", "/api/v1/rooms", "", {bearer(s.staff_token)}).status == 200);

  const auto again = run({bin("cmetrack-central"), "staff", "--data", s.data, "--user", "desk1", "--password-stdin"},
                         "another password\n");
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("new password") != std::string::npos);
  const auto old_reply = c->request("GET", "/api/v1/rooms", "", {bearer(s.staff_token)});
  CHECK(old_reply.status == 401);
  CHECK(old_reply.body.find("revoked") != std::string::npos);
  const auto fresh = again.out.substr(0, again.out.find('\n'));
  CHECK(c->request("GET", "/api/v1/rooms", "", {bearer(fresh)}).status == 200);

  // Without --password-stdin a password is made up and shown, once.
  const auto made_up = run({bin("cmetrack-central"), "staff", "--data", s.data, "--user", "night.desk"});
  REQUIRE(made_up.exit_code == 0);
  const auto at = made_up.err.find("password of \"night.desk\": ");
  REQUIRE(at != std::string::npos);
  const auto password = made_up.err.substr(at + 26, 16);
  const auto login = c->request("POST", "/api/v1/login", json{{"user", "night.desk"}, {"password", password}}.dump());
  CHECK(login.status == 200);
}

TEST_CASE("staff: a short password and a bad user name are refused, naming the field", "[staff]") {
  staff_server s;
  const auto short_one = run({bin("cmetrack-central"), "staff", "--data", s.data, "--user", "desk2", "--password-stdin"},
                             "abc\n");
  CHECK(short_one.exit_code == 2);
  CHECK(short_one.err.find("at least 8 characters") != std::string::npos);
  const auto spaced = run({bin("cmetrack-central"), "staff", "--data", s.data, "--user", "desk 2", "--password-stdin"},
                          "long enough\n");
  CHECK(spaced.exit_code == 2);
  CHECK(spaced.err.find("--user") != std::string::npos);
}

TEST_CASE("staff: every staff endpoint refuses a missing or wrong token (401) and a kiosk token (403)", "[staff]") {
  staff_server s;
  auto c = s.client();
  for (const auto& target : staff_gets) {
    INFO(target);
    const auto none = c->request("GET", target);
    CHECK(none.status == 401);
    CHECK(none.header("www-authenticate") == "Bearer");
    CHECK(c->request("GET", target, "", {bearer(std::string(64, 'a'))}).status == 401);
    const auto kiosk = c->request("GET", target, "", {bearer(s.kiosk_token)});
    CHECK(kiosk.status == 403);
    CHECK(kiosk.body.find("kiosk \\\"K1\\\"") != std::string::npos);
    CHECK(c->request("GET", target, "", {bearer(s.staff_token)}).status == 200);
  }
  for (const auto& target : staff_posts) {
    INFO(target);
    CHECK(c->request("POST", target, "{}").status == 401);
    CHECK(c->request("POST", target, "{}", {bearer(std::string(64, 'b'))}).status == 401);
    CHECK(c->request("POST", target, "{}", {bearer(s.kiosk_token)}).status == 403);
  }
  CHECK(c->request("GET", "/api/v1/rooms/stream").status == 401);
  CHECK(c->request("GET", "/api/v1/rooms/stream", "", {bearer(s.kiosk_token)}).status == 403);
  // The kiosk's own endpoints refuse a staff token.
  CHECK(c->request("GET", "/api/v1/kiosk/config", "", {bearer(s.staff_token)}).status == 403);
  CHECK(c->request("POST", "/api/v1/scans", "{}", {bearer(s.staff_token)}).status == 403);
  // A wrong method is 405 with Allow, before any token is looked at.
  const auto wrong = c->request("DELETE", "/api/v1/rooms");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("allow") == "GET");
}

TEST_CASE("staff: login gives a session token, a wrong password or user is 401, logout ends it", "[staff]") {
  staff_server s;
  auto c = s.client();
  const auto wrong = c->request("POST", "/api/v1/login", json{{"user", "desk1"}, {"password", "wrong one"}}.dump());
  CHECK(wrong.status == 401);
  CHECK(json::parse(wrong.body)["error"] == "user or password is wrong");
  const auto nobody = c->request("POST", "/api/v1/login", json{{"user", "nobody"}, {"password", "correct horse"}}.dump());
  CHECK(nobody.status == 401);
  CHECK(nobody.body == wrong.body);
  CHECK(c->request("POST", "/api/v1/login", "user=desk1").status == 400);

  const auto ok = c->request("POST", "/api/v1/login", json{{"user", "desk1"}, {"password", "correct horse"}}.dump());
  REQUIRE(ok.status == 200);
  const auto session = json::parse(ok.body);
  CHECK(session["user"] == "desk1");
  const auto token = session["token"].get<std::string>();
  const auto expires = parse_iso8601(session["expires_at"].get<std::string>());
  REQUIRE(expires);
  CHECK(*expires - now_ms() > 11 * 60 * ms_per_minute);
  CHECK(*expires - now_ms() <= 12 * 60 * ms_per_minute);
  CHECK(c->request("GET", "/api/v1/meeting", "", {bearer(token)}).status == 200);
  CHECK(c->request("POST", "/api/v1/logout", "", {bearer(token)}).status == 204);
  const auto after = c->request("GET", "/api/v1/meeting", "", {bearer(token)});
  CHECK(after.status == 401);
  CHECK(after.body.find("log in again") != std::string::npos);
  // The API token is not ended by a session's logout.
  CHECK(c->request("GET", "/api/v1/meeting", "", {bearer(s.staff_token)}).status == 200);
}

TEST_CASE("staff: a guesser's address backs off and is held (429), while the desk logs in from its own", "[staff]") {
  staff_server s;
  // The guesser at 127.0.0.2, the desk at 127.0.0.1: both loopback.
  client_options from_elsewhere;
  from_elsewhere.source_address = "127.0.0.2";
  http_client guesser(s.server->url(), from_elsewhere);
  auto desk = s.client();
  const auto login = [](http_client& c, const std::string& password) {
    return c.request("POST", "/api/v1/login", json{{"user", "desk1"}, {"password", password}}.dump());
  };
  // Two failures are free; the third starts the address's backoff.
  for (int i = 0; i < 3; ++i) CHECK(login(guesser, "guess " + std::to_string(i)).status == 401);
  const auto held = login(guesser, "correct horse");
  CHECK(held.status == 429);
  CHECK(held.body.find("too many failed logins; try again in ") != std::string::npos);
  CHECK(held.header("retry-after") == "1");
  // The right password from an address without failures goes through.
  CHECK(login(*desk, "correct horse").status == 200);
  // Another user is not held up either.
  run({bin("cmetrack-central"), "staff", "--data", s.data, "--user", "desk2", "--password-stdin"}, "second desk pw\n");
  CHECK(desk->request("POST", "/api/v1/login", json{{"user", "desk2"}, {"password", "second desk pw"}}.dump()).status ==
        200);
}

TEST_CASE("staff: a route that throws is answered 500 and logged, and serve goes on", "[staff]") {
  staff_server s;
  auto c = s.client();
  // A last name that is not UTF-8, as an older version could store it
  // (written straight into central.db): its JSON cannot be written.
  const auto edit = run({"/usr/bin/sqlite3", central_db(s.data),
                         "UPDATE attendees SET last_name = CAST(X'446FFF65' AS TEXT) WHERE badge = '000001'"});
  REQUIRE(edit.exit_code == 0);
  const auto failed = c->request("GET", "/api/v1/attendees/000001/transcript", "", {bearer(s.staff_token)});
  CHECK(failed.status == 500);
  CHECK(failed.body.find("serve goes on") != std::string::npos);
  CHECK(s.server->log().find("GET /api/v1/attendees/000001/transcript: the route failed: ") != std::string::npos);
  // The same connection, and new ones, are served on.
  CHECK(c->request("GET", "/api/v1/attendees/000002/transcript", "", {bearer(s.staff_token)}).status == 200);
  CHECK(s.client()->request("GET", "/healthz").status == 200);
}

TEST_CASE("staff: the meeting, and the rooms with the session now and next", "[staff]") {
  staff_server s;
  auto c = s.client();
  const auto meeting = json::parse(c->request("GET", "/api/v1/meeting", "", {bearer(s.staff_token)}).body);
  CHECK(meeting["id"] == "TAM26");
  CHECK(meeting["timezone"] == "America/New_York");
  CHECK(meeting["designation"].get<std::string>().find("maximum of 50.75 AMA PRA Category 1 Credits") !=
        std::string::npos);
  const auto rooms = json::parse(c->request("GET", "/api/v1/rooms", "", {bearer(s.staff_token)}).body);
  REQUIRE(rooms.size() == 2);
  CHECK(rooms[0]["room"] == "A");
  CHECK(rooms[0]["capacity"] == 1200);
  CHECK(rooms[0]["present"] == 0);
  CHECK(rooms[0]["session"] == "S1");
  CHECK(rooms[0]["session_title"] == "Safety in body contouring");
  CHECK(rooms[0]["next_session"]["session"] == "S2");
  REQUIRE(rooms[0]["attendance"].size() == 1);  // S2 has not started
  CHECK(rooms[0]["attendance"][0]["session"] == "S1");
  CHECK(rooms[1]["session"] == "S3");
  CHECK(rooms[1]["next_session"].is_null());
}

TEST_CASE("staff: a scan reaching the central node is on the open stream within a second", "[staff][stream]") {
  staff_server s;
  event_stream stream(s.server->url(), "/api/v1/rooms/stream", s.staff_token);
  // First: every room, then every kiosk.
  const auto a = stream.next(5000);
  REQUIRE(a.name == "room");
  CHECK(json::parse(a.data)["room"] == "A");
  CHECK(json::parse(a.data)["present"] == 0);
  CHECK(stream.next(5000).name == "room");
  const auto k = stream.next(5000);
  REQUIRE(k.name == "kiosk");
  CHECK(json::parse(k.data)["kiosk"] == "K1");

  auto c = s.client();
  // In two minutes ago (the agent was offline): two minutes of S1 attended.
  REQUIRE(s.scan(*c, "K1-1", "000001", "in", 120'000).status == 200);
  const auto answered = std::chrono::steady_clock::now();
  json room;
  for (;;) {
    const auto e = stream.next(1000);
    REQUIRE(!e.name.empty());  // within a second of the answer
    if (e.name == "room") {
      room = json::parse(e.data);
      break;
    }
  }
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - answered).count();
  WARN(fmt::format("room event {:.1f} ms after the batch was acknowledged", ms));
  CHECK(room["room"] == "A");
  CHECK(room["present"] == 1);
  CHECK(room["attendance"][0]["attendees"] == 1);

  // The badge's exit: the count goes back down.
  REQUIRE(s.scan(*c, "K1-2", "TAM26-000001", "out").status == 200);
  for (;;) {
    const auto e = stream.next(1000);
    REQUIRE(!e.name.empty());
    if (e.name == "room") {
      CHECK(json::parse(e.data)["present"] == 0);
      break;
    }
  }
  // GET /api/v1/rooms agrees, as does `rooms --json` on the same store.
  const auto rooms = json::parse(c->request("GET", "/api/v1/rooms", "", {bearer(s.staff_token)}).body);
  CHECK(rooms[0]["present"] == 0);
  CHECK(rooms[0]["attendance"][0]["attendees"] == 1);
}

TEST_CASE("staff: scans ingested by another process reach the stream too", "[staff][stream]") {
  staff_server s;
  event_stream stream(s.server->url(), "/api/v1/rooms/stream", s.staff_token);
  for (int i = 0; i < 3; ++i) REQUIRE(!stream.next(5000).name.empty());
  const auto csv = s.dir / "door.csv";
  std::ofstream(csv) << scans_header << "\n"
                     << "F1,K9,1,000002,B,main,in," << format_iso8601_utc(now_ms() - 60'000) << ",wedge\n";
  central_ok({"ingest", "--data", s.data, csv});
  for (;;) {
    const auto e = stream.next(3000);  // the server looks for other processes' commits once a second
    REQUIRE(!e.name.empty());
    if (e.name == "room" && json::parse(e.data)["room"] == "B") {
      CHECK(json::parse(e.data)["present"] == 1);
      break;
    }
  }
}

TEST_CASE("staff: attendees are found by name or badge, the transcript by badge", "[staff]") {
  staff_server s;
  auto c = s.client();
  const auto find = [&](const std::string& q) {
    const auto r = c->request("GET", "/api/v1/attendees?q=" + q, "", {bearer(s.staff_token)});
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  };
  const auto shah = find("shah");
  REQUIRE(shah.size() == 1);
  CHECK(shah[0] == json{{"badge", "000002"}, {"name", "Ravi Shah"}, {"degree", "DO"}});
  CHECK(find("ravi+sh")[0]["badge"] == "000002");
  CHECK(find("000001")[0]["name"] == "Jane Doe");
  CHECK(find("%25").empty());  // a literal %, in no name
  CHECK(find("").empty());
  CHECK(find("zzz").empty());

  const auto t = c->request("GET", "/api/v1/attendees/000001/transcript", "", {bearer(s.staff_token)});
  REQUIRE(t.status == 200);
  CHECK(json::parse(t.body)["name"] == "Jane Doe");
  const auto payload = c->request("GET", "/api/v1/attendees/TAM26-000001/transcript", "", {bearer(s.staff_token)});
  CHECK(json::parse(payload.body)["badge"] == "000001");
  const auto unknown = c->request("GET", "/api/v1/attendees/999999/transcript", "", {bearer(s.staff_token)});
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("not on the roster") != std::string::npos);
  // The log holds badge ids, never the attendees' names or what staff typed.
  const auto log = s.server->log();
  CHECK(log.find("GET /api/v1/attendees 200 by=staff:desk1") != std::string::npos);
  for (const char* personal : {"Jane", "Doe", "Ravi", "Shah", "ravi", "shah"}) {
    INFO(personal);
    CHECK(log.find(personal) == std::string::npos);
  }
}

TEST_CASE("staff: /metrics in Prometheus text format", "[staff]") {
  staff_server s;
  auto c = s.client();
  REQUIRE(s.scan(*c, "K1-1", "000001", "in", 120'000).status == 200);
  const auto r = c->request("GET", "/metrics", "", {bearer(s.staff_token)});
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("text/plain; version=0.0.4") == 0);
  CHECK(r.body.find("cmetrack_room_present{room=\"A\"} 1\n") != std::string::npos);
  CHECK(r.body.find("cmetrack_room_capacity{room=\"B\"} 400\n") != std::string::npos);
  CHECK(r.body.find("cmetrack_session_attendees{session=\"S1\"} 1\n") != std::string::npos);
  CHECK(r.body.find("cmetrack_scans_stored 1\n") != std::string::npos);
  CHECK(r.body.find("cmetrack_kiosk_last_contact_age_seconds{kiosk=\"K1\"} ") != std::string::npos);
  CHECK(r.body.find("cmetrack_http_responses_total{code=\"200\"} ") != std::string::npos);
}

TEST_CASE("staff: the transcript as a PDF, and the pages with headers that keep them to themselves", "[staff]") {
  staff_server s;
  auto c = s.client();
  const auto pdf = c->request("GET", "/api/v1/attendees/000002/transcript.pdf", "", {bearer(s.staff_token)});
  REQUIRE(pdf.status == 200);
  CHECK(pdf.header("content-type") == "application/pdf");
  CHECK(pdf.body.rfind("%PDF-", 0) == 0);
  write_file(s.dir / "t.pdf", pdf.body);
  const auto text = run({"/usr/bin/pdftotext", "-layout", s.dir / "t.pdf", "-"});
  CHECK(text.out.find("Ravi Shah") != std::string::npos);
  CHECK(text.out.find("Physicians should claim only credit commensurate") != std::string::npos);
  CHECK(c->request("GET", "/api/v1/attendees/999999/transcript.pdf", "", {bearer(s.staff_token)}).status == 404);

  const auto page = c->request("GET", "/");
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type").find("text/html") == 0);
  CHECK(page.header("content-security-policy").find("default-src 'self'") == 0);
  CHECK(page.header("x-content-type-options") == "nosniff");
  CHECK(page.header("x-frame-options") == "DENY");
  CHECK(c->request("POST", "/index.html").status == 405);
  CHECK(c->request("GET", "/no-such-page.html").status == 404);
}

TEST_CASE("staff: a correction reaches the open stream like a scan", "[staff][stream]") {
  staff_server s;
  auto c = s.client();
  REQUIRE(s.scan(*c, "K1-1", "000001", "in", 120'000).status == 200);
  event_stream stream(s.server->url(), "/api/v1/rooms/stream", s.staff_token);
  const auto first = stream.next(5000);
  REQUIRE(first.name == "room");
  CHECK(json::parse(first.data)["present"] == 1);
  while (!stream.next(300).name.empty()) {
  }
  const auto voided = c->request("POST", "/api/v1/attendees/000001/corrections",
                                 json{{"action", "void_scan"}, {"scan", "K1-1"}, {"reason", "scanned by mistake"}}.dump(),
                                 {bearer(s.staff_token)});
  INFO(voided.body);
  REQUIRE(voided.status == 200);
  for (;;) {
    const auto e = stream.next(1000);
    REQUIRE(!e.name.empty());
    if (e.name == "room" && json::parse(e.data)["room"] == "A") {
      CHECK(json::parse(e.data)["present"] == 0);
      break;
    }
  }
}

}  // namespace cmetrack::test
