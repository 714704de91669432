// Signed badges through cmetrack-central serve: the kiosk config carries the
// key (kiosks check badges offline), the staff's meeting JSON never shows
// it, and a batch's forged payloads are stored without a badge id. A real
// server on 127.0.0.1 (plain HTTP, allowed on loopback).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "tests/support/https_client.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {
namespace {

using json = nlohmann::json;

const std::string signing_key_hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// The badge ids central.db holds for scans `ids`, in that order ("NULL" for none).
std::vector<std::string> stored_badges(const std::string& data, const std::vector<std::string>& ids) {
  sqlite::open_options o;
  o.create = false;
  auto db = sqlite::database::open(central_db(data), o);
  REQUIRE(db);
  std::vector<std::string> out;
  for (const auto& id : ids) {
    auto s = sqlite::statement::prepare(*db, "SELECT coalesce(badge, 'NULL') FROM scans WHERE id = ?");
    REQUIRE(s);
    s->bind(1, std::string_view(id));
    REQUIRE(s->step_row());
    out.emplace_back(s->text(0));
  }
  return out;
}

}  // namespace

TEST_CASE("signed badges via serve: the kiosk config carries badge.key, GET /api/v1/meeting never shows it, and a "
          "batch's forged payloads get no badge id",
          "[serve][signed]") {
  temp_dir dir;
  const auto data = dir / "data";
  auto meeting = worked_meeting();
  meeting["badge"]["key"] = signing_key_hex;
  central_ok({"init", "--data", data, "--meeting", write_meeting(dir, "signed.json", meeting)});
  const auto made = run({bin("cmetrack-central"), "staff", "--data", data, "--user", "desk1", "--password-stdin"},
                        "correct horse\n");
  REQUIRE(made.exit_code == 0);
  const auto staff_token = made.out.substr(0, made.out.find('\n'));
  central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out", dir / "k1.json"});
  const auto kiosk_token = json::parse(read_file(dir / "k1.json")).at("token").get<std::string>();
  central_server server(data, {}, dir / "serve.log");
  http_client c(server.url());

  const auto config = c.request("GET", "/api/v1/kiosk/config", "", {bearer(kiosk_token)});
  REQUIRE(config.status == 200);
  CHECK(json::parse(config.body).at("badge") ==
        json({{"pattern", "^(?:TAM26-)?([0-9]{6})$"}, {"key", signing_key_hex}}));

  const auto staff_view = c.request("GET", "/api/v1/meeting", "", {bearer(staff_token)});
  REQUIRE(staff_view.status == 200);
  CHECK(json::parse(staff_view.body).at("id") == "TAM26");
  CHECK(staff_view.body.find(signing_key_hex) == std::string::npos);
  CHECK(staff_view.body.find("key") == std::string::npos);

  // MACs computed outside the code (openssl dgst -sha256 -mac HMAC ...).
  const json batch = {
      {"kiosk", "K1"},
      {"sent_at", "2026-04-24T12:00:00Z"},
      {"scans", json::array({
                    {{"id", "s-1"}, {"seq", 1}, {"badge", "TAM26-000001.T34E8S5M"}, {"room", "A"}, {"door", "north"},
                     {"direction", "in"}, {"at", "2026-04-24T11:55:00Z"}, {"source", "wedge"}},
                    {{"id", "s-2"}, {"seq", 2}, {"badge", "TAM26-000002"}, {"room", "A"}, {"door", "north"},
                     {"direction", "in"}, {"at", "2026-04-24T11:56:00Z"}, {"source", "wedge"}},
                    {{"id", "s-3"}, {"seq", 3}, {"badge", "TAM26-000002.EKTEZ8HJ"}, {"room", "A"}, {"door", "north"},
                     {"direction", "in"}, {"at", "2026-04-24T11:57:00Z"}, {"source", "wedge"}},
                })}};
  const auto posted = c.request("POST", "/api/v1/scans", batch.dump(), {bearer(kiosk_token)});
  REQUIRE(posted.status == 200);
  CHECK(json::parse(posted.body).at("acked") == json({"s-1", "s-2", "s-3"}));
  CHECK(stored_badges(data, {"s-1", "s-2", "s-3"}) == std::vector<std::string>{"000001", "NULL", "NULL"});

  const auto ravi = c.request("GET", "/api/v1/attendees/000002/transcript", "", {bearer(staff_token)});
  REQUIRE(ravi.status == 200);
  CHECK(json::parse(ravi.body).at("sessions") == json::array());
  CHECK(server.stop(SIGTERM) == 0);
}

}  // namespace cmetrack::test
