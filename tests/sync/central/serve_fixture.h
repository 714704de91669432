#pragma once
// What the protocol tests share: a central node holding the worked example's
// meeting (no scans), two enrolled kiosks (K1 at room A, K2 at room B), a
// test CA and server certificate, and `serve` running on 127.0.0.1 over
// HTTPS; batches built as the sync agent sends them; counts read from
// central.db.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "tests/support/https_client.h"
#include "tests/support/test_pki.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {

inline std::string token_of(const std::string& kiosk_json) {
  return nlohmann::json::parse(read_file(kiosk_json)).at("token").get<std::string>();
}

struct served_meeting {
  temp_dir dir;
  std::string data = dir / "data";
  test_pki pki = make_test_pki(dir.path().string());
  std::string k1_json = dir / "k1.json";
  std::string k2_json = dir / "k2.json";
  std::string k1_token, k2_token;
  std::unique_ptr<central_server> server;

  explicit served_meeting(const std::vector<std::string>& serve_extra = {}) {
    central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
    central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out", k1_json,
                "--ca-cert", pki.ca_cert});
    central_ok({"enroll", "--data", data, "--kiosk", "K2", "--room", "B", "--door", "main", "--mode", "entry", "--out",
                k2_json, "--ca-cert", pki.ca_cert});
    k1_token = token_of(k1_json);
    k2_token = token_of(k2_json);
    start(serve_extra);
  }

  void start(const std::vector<std::string>& serve_extra = {}) {
    auto args = tls_args(pki);
    args.insert(args.end(), serve_extra.begin(), serve_extra.end());
    server = std::make_unique<central_server>(data, args, dir / "serve.log");
  }

  std::unique_ptr<http_client> client() const {
    client_options o;
    o.ca_file = pki.ca_cert;
    return std::make_unique<http_client>(server->url(), o);
  }

  // SELECT count(*) ... and the like: the first column of the first row.
  std::int64_t db_int(const std::string& sql) const {
    sqlite::open_options o;
    o.create = false;
    auto db = sqlite::database::open(central_db(data), o);
    REQUIRE(db);
    auto s = sqlite::statement::prepare(*db, sql);
    REQUIRE(s);
    REQUIRE(s->step_row());
    return s->int64(0);
  }
  std::string db_text(const std::string& sql) const {
    sqlite::open_options o;
    o.create = false;
    auto db = sqlite::database::open(central_db(data), o);
    REQUIRE(db);
    auto s = sqlite::statement::prepare(*db, sql);
    REQUIRE(s);
    REQUIRE(s->step_row());
    return std::string(s->text(0));
  }
};

// One scan as the agent sends it.
inline nlohmann::json wire_scan_json(const std::string& id, std::int64_t seq, const std::string& badge,
                                     const std::string& room, const std::string& at,
                                     const std::string& direction = "in", const std::string& door = "north") {
  return {{"id", id}, {"seq", seq}, {"badge", badge}, {"room", room}, {"door", door},
          {"direction", direction}, {"at", at}, {"source", "wedge"}};
}

inline std::string batch_body(const std::string& kiosk, const std::vector<nlohmann::json>& scans,
                              const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json doc = {{"kiosk", kiosk}, {"sent_at", "2026-04-24T12:00:00Z"}, {"scans", scans}};
  for (const auto& [k, v] : extra.items()) doc[k] = v;
  return doc.dump();
}

}  // namespace cmetrack::test
