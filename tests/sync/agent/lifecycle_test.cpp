// cmetrack-sync as an operator starts and stops it: --help and --version,
// a kiosk.json it cannot use (exit 2, the field named, an entry of
// central_urls by its index), SIGTERM (exit 0,
// promptly, idle or waiting out a backoff).
#include <catch2/catch.hpp>
#include <signal.h>

#include "tests/support/process.h"
#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/fake_central.h"

using namespace cmetrack;
using namespace cmetrack::test;
using namespace std::chrono_literals;

TEST_CASE("cmetrack-sync --help and --version exit 0, a usage error exits 2") {
  auto r = run({"cmetrack-sync", "--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("--config"));
  CHECK_THAT(r.out, Catch::Contains("--once"));
  r = run({"cmetrack-sync", "--version"});
  CHECK(r.exit_code == 0);
  CHECK_FALSE(r.out.empty());
  r = run({"cmetrack-sync", "--config", "kiosk.json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--db"));
  r = run({"cmetrack-sync", "--config", "k.json", "--db", "k.db", "--batch-size", "501"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("cmetrack-sync exits 2 for a kiosk.json it cannot use, naming the field") {
  kiosk_site k;
  const auto pki = make_tls_pki();
  struct bad_case {
    std::string json, field;
  };
  const std::vector<bad_case> cases = {
      {R"({"kiosk": "K-A1", "room": "A", "door": "A1", "token": "t"})", "central_url"},
      {R"({"kiosk": "K-A1", "room": "A", "door": "A1", "central_url": "https://127.0.0.1:9"})", "token"},
      {R"({"kiosk": "K-A1", "room": "A", "door": "A1", "central_url": "http://192.0.2.7:80", "token": "t"})",
       "central_url"},
      {R"({"kiosk": "K-A1", "room": "A", "door": "A1", "central_url": "https://127.0.0.1:9", "token": "t",
           "ca_cert": "not a certificate"})",
       "ca_cert"},
      {R"({"room": "A", "door": "A1", "central_url": "https://127.0.0.1:9", "token": "t"})", "kiosk"},
      {R"({"kiosk": "K-A1", "room": "A", "door": "A1", "central_url": 443, "token": "t"})", "central_url"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    write_file(k.config(), c.json);
    const auto r = run(k.agent_args({"--once"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(k.config()));
    CHECK_THAT(r.err, Catch::Contains("\"" + c.field + "\""));
  }
  const auto r = run({"cmetrack-sync", "--config", k.dir / "missing.json", "--db", k.db()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("missing.json"));
}

TEST_CASE("cmetrack-sync exits 2 for a bad entry of central_urls, naming the file, the field and the index") {
  kiosk_site k;
  write_file(k.config(), R"({"kiosk": "K-A1", "room": "A", "door": "A1", "token": "t",
      "central_url": "https://127.0.0.1:9", "central_urls": ["https://127.0.0.1:10", "ftp://x"]})");
  auto r = run(k.agent_args({"--once"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(k.config() + R"(: field "central_urls"[1] ("ftp://x") must start with https://)"));

  write_file(k.config(), R"({"kiosk": "K-A1", "room": "A", "door": "A1", "token": "t", "central_urls": []})");
  r = run(k.agent_args({"--once"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(k.config() + R"(: field "central_urls" must be an array of 1 to 8 URLs)"));
}

TEST_CASE("cmetrack-sync stops on SIGTERM promptly with exit 0, idle or backing off") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  central.set_config(kiosk_config_body(), "\"v1\"");
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);

  SECTION("idle") {
    agent_process agent(k.agent_args(), k.dir / "agent.log");
    REQUIRE(agent.wait_for_log("config: cached meeting", 10s));
    const auto before = std::chrono::steady_clock::now();
    agent.signal(SIGTERM);
    const auto status = agent.wait_exit(2s);
    const auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before).count();
    WARN("SIGTERM to exit: " << took << " ms");
    CHECK(status == 0);
    CHECK_THAT(agent.log(), Catch::Contains("stopping (SIGTERM)"));
  }
  SECTION("waiting out a 30 s backoff") {
    central.on_request([](const fake_request& r) -> std::optional<fake_reply> {
      if (r.target == "/api/v1/scans") return fake_reply{500, "down for maintenance", {}, false};
      return std::nullopt;
    });
    k.add_scans(3);
    agent_process agent(k.agent_args(), k.dir / "agent.log");
    INFO(agent.log());
    REQUIRE(central.wait_until([&] { return central.requests_to("/api/v1/scans").size() >= 3; }, 20s));
    agent.signal(SIGINT);
    CHECK(agent.wait_exit(2s) == 0);
    CHECK(k.backlog() == 3);
    CHECK_THAT(agent.log(), Catch::Contains("stopping (SIGINT)"));
  }
}
