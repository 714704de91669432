// A scan the kiosk commits while the agent is idle reaches the central node
// at once: the agent is woken by inotify on kiosk.db, not by polling (the
// fallback tick is set to a minute here, so only the wake-up can be fast).
#include <catch2/catch.hpp>
#include <signal.h>

#include <fmt/format.h>

#include <algorithm>

#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/fake_central.h"

using namespace cmetrack;
using namespace cmetrack::test;
using namespace std::chrono_literals;

TEST_CASE("cmetrack-sync delivers a scan committed while it is idle within milliseconds") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  central.set_config(kiosk_config_body(), "\"v1\"");
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);

  agent_process agent(k.agent_args({"--tick-ms", "60000"}), k.dir / "agent.log");
  REQUIRE(central.wait_until([&] { return !central.requests_to("/api/v1/kiosk/config").empty(); }, 10s));
  REQUIRE(agent.wait_for_log("config: cached meeting TAM26", 10s));

  std::vector<double> latencies;
  for (int i = 0; i < 8; ++i) {
    const auto before = std::chrono::steady_clock::now();
    const std::string id = k.record_scan(i % 2 ? "TAM26-000001" : "TAM26-000002");
    REQUIRE(central.wait_until([&] { return central.first_seen(id) != std::chrono::steady_clock::time_point::max(); },
                               5s));
    latencies.push_back(std::chrono::duration<double, std::milli>(central.first_seen(id) - before).count());
    // Idle again before the next one: acknowledged and marked.
    REQUIRE(central.wait_until([&] { return k.backlog() == 0; }, 5s));
  }
  std::sort(latencies.begin(), latencies.end());
  std::string figures;
  for (const double l : latencies) figures += fmt::format("{:.1f} ", l);
  WARN("wake-up latency, scan committed at the kiosk to received by central (ms): " << figures);
  CHECK(latencies.back() < 2'000);

  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
}
