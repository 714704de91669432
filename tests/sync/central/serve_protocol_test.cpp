// cmetrack-central serve over HTTPS on loopback: every status code of the
// HTTP API contract, as a kiosk's sync agent meets it.
#include <catch2/catch.hpp>

#include "shared/meeting_import.h"
#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {
namespace {

using nlohmann::json;

std::vector<json> two_scans() {
  return {wire_scan_json("s-1", 1, "TAM26-000001", "A", "2026-04-24T11:55:00.000Z"),
          wire_scan_json("s-2", 2, "TAM26-000002", "A", "2026-04-24T11:58:00.000Z")};
}

}  // namespace

TEST_CASE("serve: /healthz answers 200 ok over HTTPS the test CA vouches for", "[serve]") {
  served_meeting m;
  CHECK(m.server->url().starts_with("https://127.0.0.1:"));
  auto c = m.client();
  const auto r = c->request("GET", "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == "ok");
}

TEST_CASE("serve: a batch is stored once and acknowledged -- a re-sent batch is acknowledged and not stored twice",
          "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto body = batch_body("K1", two_scans(), {{"backlog", 7}});
  const auto first = c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
  REQUIRE(first.status == 200);
  const auto ack = json::parse(first.body);
  CHECK(ack.at("acked") == json({"s-1", "s-2"}));
  CHECK(ack.at("server_time").get<std::string>().ends_with("Z"));
  CHECK(m.db_int("SELECT count(*) FROM scans") == 2);

  const auto again = c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body).at("acked") == json({"s-1", "s-2"}));
  CHECK(m.db_int("SELECT count(*) FROM scans") == 2);
  CHECK(m.db_text("SELECT kiosk FROM scans WHERE id = 's-1'") == "K1");
  CHECK(m.db_text("SELECT badge FROM scans WHERE id = 's-1'") == "000001");

  // The transcript counts Jane once: in at 11:55Z, session_end for S1.
  const auto t = transcript(m.data, "000001");
  CHECK(t.at("sessions").size() == 1);
  CHECK(t.at("sessions")[0].at("session") == "S1");

  const auto kiosks = json::parse(central_ok({"kiosks", "--data", m.data, "--json"}));
  REQUIRE(kiosks.size() == 2);
  CHECK(kiosks[0].at("kiosk") == "K1");
  CHECK(kiosks[0].at("backlog") == 7);
  CHECK(kiosks[0].at("last_contact").is_string());
  CHECK(kiosks[1].at("last_contact").is_null());
}

TEST_CASE("serve: a batch naming another kiosk is refused 403 and nothing is stored", "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto r = c->request("POST", "/api/v1/scans", batch_body("K2", two_scans()), {bearer(m.k1_token)});
  CHECK(r.status == 403);
  CHECK(json::parse(r.body).at("error").get<std::string>().find("\"K2\"") != std::string::npos);
  CHECK(m.db_int("SELECT count(*) FROM scans") == 0);
  CHECK(m.db_int("SELECT count(*) FROM quarantine") == 0);
}

TEST_CASE("serve: a missing, unknown or revoked token is refused 401", "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto body = batch_body("K1", two_scans());
  const auto none = c->request("POST", "/api/v1/scans", body);
  CHECK(none.status == 401);
  CHECK(none.header("www-authenticate") == "Bearer");
  CHECK(json::parse(none.body).at("error").get<std::string>().find("Authorization") != std::string::npos);
  CHECK(c->request("POST", "/api/v1/scans", body, {bearer(std::string(64, 'a'))}).status == 401);
  CHECK(c->request("GET", "/api/v1/kiosk/config", "", {{"Authorization", "Basic eDp5"}}).status == 401);

  central_ok({"revoke", "--data", m.data, "--kiosk", "K1"});
  const auto revoked = c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
  CHECK(revoked.status == 401);
  CHECK(json::parse(revoked.body).at("error").get<std::string>().find("revoked") != std::string::npos);
  CHECK(m.db_int("SELECT count(*) FROM scans") == 0);
  // K2's token still works.
  CHECK(c->request("POST", "/api/v1/scans", batch_body("K2", {}), {bearer(m.k2_token)}).status == 200);
  const auto kiosks = json::parse(central_ok({"kiosks", "--data", m.data, "--json"}));
  CHECK(kiosks[0].at("revoked") == true);
  CHECK(kiosks[1].at("revoked") == false);
}

TEST_CASE("serve: malformed JSON or a bad head is refused 400 with a message naming the field", "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto post = [&](const std::string& body) {
    return c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
  };
  const auto not_json = post("{\"kiosk\": ");
  CHECK(not_json.status == 400);
  CHECK(json::parse(not_json.body).at("error") == "the body is not JSON");
  const auto no_sent_at = post(R"({"kiosk": "K1", "scans": []})");
  CHECK(no_sent_at.status == 400);
  CHECK(json::parse(no_sent_at.body).at("error").get<std::string>().starts_with("sent_at"));
  const auto no_id = post(batch_body("K1", {json{{"seq", 1}}}));
  CHECK(no_id.status == 400);
  CHECK(json::parse(no_id.body).at("error").get<std::string>().starts_with("scans[0].id"));
  CHECK(m.db_int("SELECT count(*) FROM scans") == 0);
}

TEST_CASE("serve: invalid scans and scans of another room are quarantined with their reason and acknowledged",
          "[serve]") {
  served_meeting m;
  auto c = m.client();
  auto bad_time = wire_scan_json("q-1", 3, "TAM26-000001", "A", "yesterday");
  const auto other_room = wire_scan_json("q-2", 4, "TAM26-000001", "B", "2026-04-24T12:00:00Z");
  const auto bad_badge = wire_scan_json("q-3", 5, "garbage", "A", "2026-04-24T12:01:00Z");
  const auto body = batch_body("K1", {bad_time, two_scans()[0], other_room, bad_badge});
  const auto r = c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
  REQUIRE(r.status == 200);
  auto acked = json::parse(r.body).at("acked").get<std::vector<std::string>>();
  std::sort(acked.begin(), acked.end());
  CHECK(acked == std::vector<std::string>{"q-1", "q-2", "q-3", "s-1"});
  // A payload failing the badge pattern is stored (badge NULL), as ingest does.
  CHECK(m.db_int("SELECT count(*) FROM scans") == 2);
  CHECK(m.db_int("SELECT count(*) FROM scans WHERE id = 'q-3' AND badge IS NULL") == 1);
  CHECK(m.db_int("SELECT count(*) FROM quarantine") == 2);
  CHECK(m.db_text("SELECT reason FROM quarantine WHERE id = 'q-1'").starts_with("scans[0].at"));
  CHECK(m.db_text("SELECT reason FROM quarantine WHERE id = 'q-2'").find("\"B\"") != std::string::npos);
  CHECK(json::parse(m.db_text("SELECT raw FROM quarantine WHERE id = 'q-1'")).at("at") == "yesterday");
  // Re-sent: acknowledged again, quarantined once.
  REQUIRE(c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)}).status == 200);
  CHECK(m.db_int("SELECT count(*) FROM quarantine") == 2);
  const auto kiosks = json::parse(central_ok({"kiosks", "--data", m.data, "--json"}));
  CHECK(kiosks[0].at("quarantined") == 2);
}

TEST_CASE("serve: a clock offset past a day, a negative backlog, are refused 400 naming the field, and nothing is stored",
          "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto refused = [&](const json& extra, const std::string& named) {
    const auto r = c->request("POST", "/api/v1/scans", batch_body("K1", {two_scans()[0]}, extra), {bearer(m.k1_token)});
    CHECK(r.status == 400);
    CHECK(r.body.find(named) != std::string::npos);
  };
  refused({{"clock_offset_ms", 9223372036854775807LL}}, "clock_offset_ms: 9223372036854775807 is not from -86400000 to 86400000");
  refused({{"clock_offset_ms", 1'000'000'000'000'000'000LL}}, "clock_offset_ms");
  refused({{"clock_offset_ms", -86'400'001LL}}, "clock_offset_ms");
  refused({{"backlog", -1}}, "backlog: -1 is not from 0");
  CHECK(m.db_int("SELECT count(*) FROM scans") == 0);
  // At the bounds: taken.
  const auto r = c->request("POST", "/api/v1/scans",
                            batch_body("K1", {two_scans()[0]}, {{"clock_offset_ms", -86'400'000LL}, {"backlog", 0}}),
                            {bearer(m.k1_token)});
  CHECK(r.status == 200);
}

TEST_CASE("serve: another door, seq 0, a time years away, an overlong badge are quarantined with the reason",
          "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto other_door = wire_scan_json("d-1", 3, "TAM26-000001", "A", "2026-04-24T12:00:00Z", "in", "B-1");
  const auto seq_zero = wire_scan_json("d-2", 0, "TAM26-000001", "A", "2026-04-24T12:00:00Z");
  const auto years_away = wire_scan_json("d-3", 5, "TAM26-000001", "A", "2031-04-24T12:00:00Z");
  const auto long_badge = wire_scan_json("d-4", 6, std::string(300, '7'), "A", "2026-04-24T12:00:00Z");
  const auto r = c->request("POST", "/api/v1/scans", batch_body("K1", {other_door, seq_zero, years_away, long_badge}),
                            {bearer(m.k1_token)});
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body).at("acked").size() == 4);
  CHECK(m.db_int("SELECT count(*) FROM scans") == 0);
  CHECK(m.db_text("SELECT reason FROM quarantine WHERE id = 'd-1'") ==
        "door: \"B-1\" is not the door kiosk \"K1\" is enrolled for (\"north\")");
  CHECK(m.db_text("SELECT reason FROM quarantine WHERE id = 'd-2'").starts_with("scans[1].seq: 0 is not from 1"));
  CHECK(m.db_text("SELECT reason FROM quarantine WHERE id = 'd-3'").find("not within 7 days of the meeting's sessions") !=
        std::string::npos);
  CHECK(m.db_text("SELECT reason FROM quarantine WHERE id = 'd-4'") ==
        "scans[3].badge: 300 characters, more than the 256 allowed; shorten it");
}

TEST_CASE("serve: a body over 4 MiB is refused 413 and nothing is stored", "[serve]") {
  served_meeting m;
  auto c = m.client();
  std::vector<json> scans;
  std::string body = batch_body("K1", two_scans());
  // 5 MiB: the batch padded with a long source field.
  auto padded = two_scans();
  padded[0]["source"] = std::string(5 * 1024 * 1024, 'x');
  body = batch_body("K1", padded);
  REQUIRE(body.size() > 5 * 1024 * 1024);
  const auto r = c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)});
  CHECK(r.status == 413);
  CHECK(json::parse(r.body).at("error").get<std::string>().find("4 MiB") != std::string::npos);
  CHECK(m.db_int("SELECT count(*) FROM scans") == 0);
  // The server goes on serving.
  CHECK(m.client()->request("GET", "/healthz").status == 200);
}

TEST_CASE("serve: unknown paths are 404, wrong methods 405 with Allow", "[serve]") {
  served_meeting m;
  auto c = m.client();
  CHECK(c->request("GET", "/api/v1/nothing").status == 404);
  CHECK(c->request("GET", "/nothing.html").status == 404);
  CHECK(c->request("GET", "/").status == 200);  // the login page
  const auto get_scans = c->request("GET", "/api/v1/scans", "", {bearer(m.k1_token)});
  CHECK(get_scans.status == 405);
  CHECK(get_scans.header("allow") == "POST");
  CHECK(c->request("POST", "/api/v1/kiosk/config", "{}", {bearer(m.k1_token)}).status == 405);
  CHECK(c->request("POST", "/healthz", "{}").status == 405);
}

// Found by tests/fuzz/fuzz_http_request: the 404's message quoted a path
// that was not UTF-8, and the JSON encoder's exception ended serve.
TEST_CASE("serve: a path that is not UTF-8 is 404 with the bad bytes replaced -- serve goes on", "[serve]") {
  served_meeting m;
  const auto r = m.client()->request("GET", "/\x90pi/v1/kiosk/config");
  CHECK(r.status == 404);
  CHECK(json::parse(r.body).at("error") == "no such path: /\xEF\xBF\xBDpi/v1/kiosk/config");
  CHECK(m.client()->request("GET", "/healthz").status == 200);
}

TEST_CASE("serve: the kiosk config is the kiosk's room as a meeting file, with an ETag -- If-None-Match gives 304",
          "[serve]") {
  served_meeting m;
  auto c = m.client();
  const auto r = c->request("GET", "/api/v1/kiosk/config", "", {bearer(m.k1_token)});
  REQUIRE(r.status == 200);
  const auto etag = r.header("etag");
  CHECK(etag.size() == 34);
  CHECK(etag.front() == '"');
  auto parsed = parse_meeting(r.body, "kiosk config");
  REQUIRE(parsed);
  CHECK(parsed->meeting.rooms.size() == 1);
  CHECK(parsed->meeting.rooms[0].id == "A");
  CHECK(parsed->meeting.sessions.size() == 2);
  CHECK(parsed->meeting.attendees.size() == 2);
  CHECK(parsed->meeting.attendees[0].first_name == "Jane");
  CHECK(json::parse(r.body).at("kiosk") == json({{"id", "K1"}, {"room", "A"}, {"door", "north"}, {"mode", "auto"}}));

  const auto same = c->request("GET", "/api/v1/kiosk/config", "", {bearer(m.k1_token), {"If-None-Match", etag}});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  CHECK(same.header("etag") == etag);
  CHECK(c->request("GET", "/api/v1/kiosk/config", "", {bearer(m.k1_token), {"If-None-Match", "\"old\""}}).status ==
        200);

  // A change to the meeting changes the ETag: a new attendee.
  auto meeting = worked_meeting();
  meeting["attendees"].push_back({{"badge", "000003"}, {"first_name", "Ana"}, {"last_name", "Lee"}});
  central_ok({"init", "--data", m.data, "--meeting", write_meeting(m.dir, "m2.json", meeting)});
  const auto changed = c->request("GET", "/api/v1/kiosk/config", "", {bearer(m.k1_token), {"If-None-Match", etag}});
  CHECK(changed.status == 200);
  CHECK(changed.header("etag") != etag);

  // K2's config is room B's.
  const auto k2 = c->request("GET", "/api/v1/kiosk/config", "", {bearer(m.k2_token)});
  REQUIRE(k2.status == 200);
  CHECK(json::parse(k2.body).at("rooms")[0].at("id") == "B");
  CHECK(c->request("GET", "/api/v1/kiosk/config").status == 401);
}

TEST_CASE("serve: one line a request on stderr: method, path, status, kiosk, time", "[serve]") {
  served_meeting m;
  auto c = m.client();
  c->request("POST", "/api/v1/scans", batch_body("K1", two_scans()), {bearer(m.k1_token)});
  c->request("GET", "/nowhere");
  REQUIRE(m.server->stop(SIGTERM) == 0);
  const auto log = m.server->log();
  CHECK(log.find("POST /api/v1/scans 200 by=kiosk:K1 ") != std::string::npos);
  CHECK(log.find("GET /nowhere 404 by=- ") != std::string::npos);
  CHECK(log.find(m.k1_token) == std::string::npos);
}

}  // namespace cmetrack::test
