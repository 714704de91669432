// cmetrack-central serve refuses to start where it should: plain HTTP on a
// non-loopback address, a missing or broken certificate or key; and it
// speaks TLS 1.2 or newer only.
#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {

TEST_CASE("serve: plain HTTP on a non-loopback address is refused with exit 2", "[serve]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  const auto r = central({"serve", "--data", data, "--listen", "0.0.0.0:0"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("plain HTTP is allowed only on a loopback address") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(central({"serve", "--data", data, "--listen", "nonsense"}).exit_code == 2);
}

TEST_CASE("serve: a certificate or key that cannot be loaded exits 2 naming the file", "[serve]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  const auto pki = make_test_pki(dir.path().string());
  const auto missing = central({"serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert", dir / "nope.pem",
                                "--tls-key", pki.server_key});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.pem") != std::string::npos);
  write_file(dir / "junk.pem", "not a certificate\n");
  const auto junk = central({"serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert", dir / "junk.pem",
                             "--tls-key", pki.server_key});
  CHECK(junk.exit_code == 2);
  CHECK(junk.err.find("junk.pem") != std::string::npos);
  const auto wrong_key = central({"serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert", pki.server_cert,
                                  "--tls-key", pki.ca_key});
  CHECK(wrong_key.exit_code == 2);
  CHECK(wrong_key.err.find(pki.ca_key) != std::string::npos);
  const auto half = central({"serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert", pki.server_cert});
  CHECK(half.exit_code == 2);
  const auto no_store = central({"serve", "--data", dir / "empty", "--listen", "127.0.0.1:0"});
  CHECK(no_store.exit_code == 2);
  CHECK(no_store.err.find("init") != std::string::npos);
}

TEST_CASE("serve: plain HTTP on loopback works -- its URL becomes enroll's default", "[serve]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_server server(data, {}, dir / "serve.log");
  CHECK(server.url().starts_with("http://127.0.0.1:"));
  http_client c(server.url());
  CHECK(c.request("GET", "/healthz").body == "ok");
  central_ok({"enroll", "--data", data, "--kiosk", "K9", "--room", "A", "--door", "d", "--out", dir / "k9.json"});
  CHECK(nlohmann::json::parse(read_file(dir / "k9.json")).at("central_url") == server.url());
}

TEST_CASE("serve: TLS 1.1 is refused, TLS 1.2 accepted", "[serve]") {
  served_meeting m;
  client_options old;
  old.ca_file = m.pki.ca_cert;
  old.max_tls_version = TLS1_1_VERSION;
  http_client tls11(m.server->url(), old);
  CHECK_THROWS_WITH(tls11.connect(), Catch::Contains("TLS handshake"));
  client_options v12 = old;
  v12.max_tls_version = TLS1_2_VERSION;
  http_client tls12(m.server->url(), v12);
  CHECK(tls12.request("GET", "/healthz").status == 200);
  // The server, not the client, refused: it saw a TLS 1.1 hello.
  REQUIRE(m.server->stop(SIGTERM) == 0);
  CHECK(m.server->log().find("TLS handshake: unsupported protocol") != std::string::npos);
}

TEST_CASE("serve: a client that does not trust the server's CA cannot connect", "[serve]") {
  served_meeting m;
  temp_dir other;
  const auto stranger = make_test_pki(other.path().string());
  client_options o;
  o.ca_file = stranger.ca_cert;
  http_client c(m.server->url(), o);
  CHECK_THROWS_WITH(c.connect(), Catch::Contains("TLS handshake"));
}

}  // namespace cmetrack::test
