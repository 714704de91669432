// kiosk.json's central_url: https to anywhere, plain http only to loopback,
// every fault naming the file and the field.
#include <catch2/catch.hpp>

#include "sync/agent/central_url.h"

using namespace cmetrack::agent;

TEST_CASE("central_url: https with a name, a port and a path") {
  const auto u = parse_central_url("https://central.tam26.local:8443/cme/");
  REQUIRE(u);
  CHECK(u->tls);
  CHECK(u->host == "central.tam26.local");
  CHECK(u->port == 8443);
  CHECK(u->path == "/cme");
  CHECK(u->target("/api/v1/scans") == "/cme/api/v1/scans");
  CHECK(u->host_header() == "central.tam26.local:8443");
  CHECK_FALSE(u->host_is_ip());
}

TEST_CASE("central_url: default ports, IPv4 and IPv6 addresses") {
  const auto a = parse_central_url("https://10.1.2.3");
  REQUIRE(a);
  CHECK(a->port == 443);
  CHECK(a->path.empty());
  CHECK(a->target("/api/v1/scans") == "/api/v1/scans");
  CHECK(a->host_is_ip());
  CHECK(a->host_header() == "10.1.2.3");

  const auto b = parse_central_url("https://[fd00::5]:9443/");
  REQUIRE(b);
  CHECK(b->host == "fd00::5");
  CHECK(b->port == 9443);
  CHECK(b->host_header() == "[fd00::5]:9443");

  const auto c = parse_central_url("http://127.0.0.1:8080");
  REQUIRE(c);
  CHECK_FALSE(c->tls);
  CHECK(c->port == 8080);
  const auto d = parse_central_url("http://[::1]");
  REQUIRE(d);
  CHECK(d->port == 80);
  CHECK(parse_central_url("http://localhost:1234"));
}

TEST_CASE("central_url: plain http to a host that is not loopback is refused") {
  const auto u = parse_central_url("http://10.0.0.5:8080", "/etc/cmetrack/kiosk.json");
  REQUIRE_FALSE(u);
  CHECK(u.error().kind == cmetrack::error_kind::bad_input);
  CHECK_THAT(u.error().message, Catch::Contains("/etc/cmetrack/kiosk.json: field \"central_url\""));
  CHECK_THAT(u.error().message, Catch::Contains("not loopback"));
}

TEST_CASE("central_url: malformed URLs name the field and say why") {
  for (const char* text : {"ftp://central", "central:8443", "https://", "https://:8443", "https://central:0",
                           "https://central:65536", "https://central:x", "https://central:", "https://[::1",
                           "https://user@central", "https://central/?q=1"}) {
    INFO(text);
    const auto u = parse_central_url(text);
    REQUIRE_FALSE(u);
    CHECK_THAT(u.error().message, Catch::Contains("field \"central_url\""));
  }
}

TEST_CASE("central_url: loopback hosts") {
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.3.2.1"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("10.0.0.1"));
  CHECK_FALSE(is_loopback_host("central.local"));
}
