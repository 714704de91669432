// What the agent says, and keeps, when the central node cannot be used: a
// refused token, a certificate it must not trust, a host that does not
// answer. Every scan stays queued.
#include <catch2/catch.hpp>
#include <signal.h>

#include "tests/support/process.h"
#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/fake_central.h"

using namespace cmetrack;
using namespace cmetrack::test;
using namespace std::chrono_literals;

TEST_CASE("cmetrack-sync with a refused token says to re-enroll the kiosk and keeps the outbox") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  kiosk_site k;
  k.write_config(central.url(), "revoked-token", pki.ca_cert);
  k.add_scans(5);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("central refused the token (401): re-enroll kiosk K-A1"));
  CHECK(k.backlog() == 5);
  CHECK(central.acked().empty());
  const auto status = k.store().read_sync_status();
  REQUIRE(status);
  CHECK_THAT(status->last_error, Catch::Contains("refused the token (401)"));
  CHECK_FALSE(status->last_contact.has_value());

  SECTION("running on, it retries at the longest backoff, not faster") {
    const std::size_t before = central.requests_to("/api/v1/scans").size();  // the --once run's
    agent_process agent(k.agent_args({"--max-backoff-ms", "400"}), k.dir / "agent.log");
    REQUIRE(central.wait_until([&] { return central.requests_to("/api/v1/scans").size() >= before + 4; }, 20s));
    agent.signal(SIGTERM);
    CHECK(agent.wait_exit(5s) == 0);
    const auto posts = central.requests_to("/api/v1/scans");
    for (std::size_t i = before + 1; i < posts.size(); ++i) {
      const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(posts[i].at - posts[i - 1].at).count();
      INFO("gap " << i << ": " << gap << " ms");
      CHECK(gap >= 380);
    }
    CHECK(k.backlog() == 5);
    CHECK_THAT(agent.log(), Catch::Contains("5 scans queued, retrying in 400 ms"));
  }
}

TEST_CASE("cmetrack-sync refuses a central node whose certificate is not from kiosk.json's CA") {
  const auto pki = make_tls_pki();
  const auto other = make_tls_pki("some other CA");
  fake_central central(pki);
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, other.ca_cert);
  k.add_scans(3);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("TLS: certificate verify failed"));
  CHECK_THAT(r.err, Catch::Contains("(check ca_cert in kiosk.json); 3 scans queued"));
  CHECK(central.requests().empty());  // not one request went over the untrusted connection
  CHECK(central.handshake_failures() >= 1);
  CHECK(k.backlog() == 3);
  const auto status = k.store().read_sync_status();
  REQUIRE(status);
  CHECK_THAT(status->last_error, Catch::Contains("certificate verify failed"));
}

TEST_CASE("cmetrack-sync refuses a certificate of its CA that is not for the central URL's host") {
  const auto pki = make_tls_pki("cmetrack test CA", "DNS:central.elsewhere.example");
  fake_central central(pki);
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);
  k.add_scans(2);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("is not for 127.0.0.1"));
  CHECK(central.requests().empty());
  CHECK(k.backlog() == 2);
}

TEST_CASE("cmetrack-sync says it cannot reach a central node that is down, and keeps trying") {
  const auto pki = make_tls_pki();
  std::string url;
  {
    fake_central gone(pki);
    url = gone.url();
  }  // closed: nothing listens on its port now
  kiosk_site k;
  k.write_config(url, fake_central::token, pki.ca_cert);
  k.add_scans(120);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot reach central at " + url + ": connection refused; 120 scans queued"));
  CHECK(k.backlog() == 120);

  agent_process agent(k.agent_args({"--max-backoff-ms", "300"}), k.dir / "agent.log");
  REQUIRE(agent.wait_for_log("connection refused; 120 scans queued, retrying in ", 10s));
  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
  CHECK(k.backlog() == 120);
}
