// cmetrack-central enroll / revoke / kiosks: kiosk.json as the kiosk reads
// it, a token that works against serve, and one that stops working.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/meeting_import.h"
#include "tests/sync/central/db_snapshot.h"
#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {

TEST_CASE("enroll: writes a kiosk.json (mode 0600) that the kiosk reads and whose token works against serve",
          "[enroll]") {
  served_meeting m;
  const auto out = m.dir / "k3.json";
  // After serve started, enroll's default URL is the one serve recorded.
  const auto printed = central_ok({"enroll", "--data", m.data, "--kiosk", "K3", "--room", "A", "--door", "south",
                                   "--mode", "exit", "--out", out, "--ca-cert", m.pki.ca_cert});
  struct stat st {};
  REQUIRE(stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto config = kiosk::read_kiosk_config(out);
  REQUIRE(config);
  CHECK(config->kiosk == "K3");
  CHECK(config->room == "A");
  CHECK(config->door == "south");
  CHECK(config->mode == kiosk::kiosk_mode::exit);
  REQUIRE(config->central_url);
  CHECK(*config->central_url == m.server->url());
  REQUIRE(config->ca_cert);
  CHECK(*config->ca_cert == read_file(m.pki.ca_cert));
  REQUIRE(config->token);
  CHECK(config->token->size() == 64);
  CHECK(config->token->find_first_not_of("0123456789abcdef") == std::string::npos);

  const auto doc = nlohmann::json::parse(read_file(out));
  const auto pin = doc.at("staff_pin").get<std::string>();
  CHECK(pin.size() == 6);
  CHECK(pin.find_first_not_of("0123456789") == std::string::npos);
  CHECK(printed.find("staff PIN: " + pin) != std::string::npos);
  CHECK(config->staff_pin == pin);  // the kiosk's staff mode reads it
  CHECK(printed.find(*config->token) == std::string::npos);

  // central.db holds the token's hash, never the token.
  CHECK(m.db_int("SELECT count(*) FROM kiosk_tokens WHERE kiosk = 'K3'") == 1);
  CHECK(m.db_int(fmt::format("SELECT count(*) FROM kiosk_tokens WHERE token_sha256 = '{}'", *config->token)) == 0);
  CHECK(read_file(central_db(m.data)).find(*config->token) == std::string::npos);

  // The agent's way in: the URL, CA and token of kiosk.json.
  write_file(m.dir / "k3-ca.pem", *config->ca_cert);
  client_options o;
  o.ca_file = m.dir / "k3-ca.pem";
  http_client agent(*config->central_url, o);
  const auto r = agent.request("GET", "/api/v1/kiosk/config", "", {bearer(*config->token)});
  REQUIRE(r.status == 200);
  CHECK(nlohmann::json::parse(r.body).at("kiosk").at("mode") == "exit");

  // The config goes into kiosk.db as the agent will put it there.
  auto meeting = parse_meeting(r.body, "kiosk config");
  REQUIRE(meeting);
  auto store = kiosk::kiosk_store::open(m.dir / "kiosk.db");
  REQUIRE(store);
  REQUIRE(store->cache_meeting(meeting->meeting, config->room));
  auto cached = store->load_cached_meeting();
  REQUIRE(cached);
  REQUIRE(*cached);
  CHECK((*cached)->sessions.size() == 2);
  CHECK((*cached)->attendees.size() == 2);
}

TEST_CASE("enroll: enrolling a kiosk again revokes its earlier token", "[enroll]") {
  served_meeting m;
  auto c = m.client();
  const auto old_token = m.k1_token;
  const auto printed = central_ok({"enroll", "--data", m.data, "--kiosk", "K1", "--room", "A", "--door", "north",
                                   "--out", m.k1_json, "--ca-cert", m.pki.ca_cert});
  CHECK(printed.find("revoked") != std::string::npos);
  const auto new_token = token_of(m.k1_json);
  CHECK(new_token != old_token);
  CHECK(c->request("GET", "/api/v1/kiosk/config", "", {bearer(old_token)}).status == 401);
  CHECK(c->request("GET", "/api/v1/kiosk/config", "", {bearer(new_token)}).status == 200);
}

TEST_CASE("enroll: a room the meeting lacks exits 2 naming it, and nothing is written", "[enroll]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  const auto before = db_snapshot(central_db(data));
  const auto r = central({"enroll", "--data", data, "--kiosk", "K1", "--room", "Z", "--door", "d", "--out",
                          dir / "k.json"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("\"Z\"") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "k.json"));
  CHECK(db_snapshot(central_db(data)) == before);

  write_file(dir / "not-a-cert.pem", "hello\n");
  const auto bad_ca = central({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out",
                               dir / "k.json", "--ca-cert", dir / "not-a-cert.pem"});
  CHECK(bad_ca.exit_code == 2);
  CHECK(bad_ca.err.find("not-a-cert.pem") != std::string::npos);
  CHECK(central({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out", dir / "k.json",
                 "--mode", "sideways"})
            .exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "k.json"));
  CHECK(db_snapshot(central_db(data)) == before);
}

TEST_CASE("enroll: without --central-url or a URL serve recorded, kiosk.json points at https://127.0.0.1:8443",
          "[enroll]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out", dir / "k.json"});
  const auto doc = nlohmann::json::parse(read_file(dir / "k.json"));
  CHECK(doc.at("central_url") == "https://127.0.0.1:8443");
  CHECK(doc.at("ca_cert").is_null());
  central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out", dir / "k.json",
              "--central-url", "https://central.example:9443"});
  CHECK(nlohmann::json::parse(read_file(dir / "k.json")).at("central_url") == "https://central.example:9443");
}

TEST_CASE("enroll: --central-url given twice writes the first as central_url and both as central_urls",
          "[enroll]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  const auto printed = central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out",
                                   dir / "k.json", "--central-url", "https://10.0.0.5:8443", "--central-url",
                                   "https://10.0.0.6:8443"});
  CHECK(printed.find("central URLs: https://10.0.0.5:8443, then https://10.0.0.6:8443") != std::string::npos);
  const auto doc = nlohmann::ordered_json::parse(read_file(dir / "k.json"));
  CHECK(doc.at("central_url") == "https://10.0.0.5:8443");
  CHECK(doc.at("central_urls") == nlohmann::ordered_json::array({"https://10.0.0.5:8443", "https://10.0.0.6:8443"}));
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"kiosk", "room", "door", "mode", "central_url", "central_urls", "token",
                                         "ca_cert", "staff_pin"});
  auto config = kiosk::read_kiosk_config(dir / "k.json");  // the kiosk reads it
  REQUIRE(config);
  CHECK(config->central_urls == std::vector<std::string>{"https://10.0.0.5:8443", "https://10.0.0.6:8443"});

  // One --central-url writes what it always wrote: no central_urls.
  central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out", dir / "k.json",
              "--central-url", "https://10.0.0.5:8443"});
  const auto one = nlohmann::json::parse(read_file(dir / "k.json"));
  CHECK(one.at("central_url") == "https://10.0.0.5:8443");
  CHECK_FALSE(one.contains("central_urls"));

  // A bad one among them, or more than 8: exit 2, nothing written.
  std::filesystem::remove(dir / "k.json");
  const auto bad = central({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out",
                            dir / "k.json", "--central-url", "https://10.0.0.5:8443", "--central-url", "10.0.0.6"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--central-url: \"10.0.0.6\"") != std::string::npos);
  std::vector<std::string> nine = {"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "d", "--out",
                                   dir / "k.json"};
  for (int i = 1; i <= 9; ++i) {
    nine.push_back("--central-url");
    nine.push_back("https://10.0.0." + std::to_string(i) + ":8443");
  }
  const auto too_many = central(nine);
  CHECK(too_many.exit_code == 2);
  CHECK(too_many.err.find("at most 8 central URLs") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "k.json"));
}

TEST_CASE("revoke: a kiosk never enrolled exits 2 naming it", "[enroll]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  const auto r = central({"revoke", "--data", data, "--kiosk", "ghost"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("\"ghost\"") != std::string::npos);
}

}  // namespace cmetrack::test
