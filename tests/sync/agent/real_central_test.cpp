// cmetrack-sync against the real `cmetrack-central serve` (TLS, 127.0.0.1),
// with the kiosk.json that `cmetrack-central enroll` wrote: the outbox
// arrives and is stored once, the config is pulled, a re-run sends nothing.
#include <catch2/catch.hpp>
#include <signal.h>

#include <thread>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "tests/support/process.h"
#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/tls_pki.h"

using namespace cmetrack;
using namespace cmetrack::test;
using namespace std::chrono_literals;

namespace {

std::int64_t count_in(const std::string& db_path, const std::string& sql) {
  auto db = sqlite::database::open(db_path, {.create = false, .read_only = true});
  REQUIRE(db);
  auto s = sqlite::statement::prepare(*db, sql);
  REQUIRE(s);
  REQUIRE(s->step_row());
  return s->int64(0);
}

}  // namespace

TEST_CASE("cmetrack-sync delivers to the real cmetrack-central serve, enrolled with enroll", "[real-central]") {
  kiosk_site k;
  const auto pki = make_tls_pki();
  write_file(k.dir / "ca.pem", pki.ca_cert);
  write_file(k.dir / "central.pem", pki.server_cert);
  write_file(k.dir / "central.key", pki.server_key);
  const std::string data = k.dir / "central";
  auto r = run({"cmetrack-central", "init", "--data", data, "--meeting", std::string(CMETRACK_TEST_DATA) + "/worked_example.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  agent_process serve({"cmetrack-central", "serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert",
                       k.dir / "central.pem", "--tls-key", k.dir / "central.key"},
                      k.dir / "central.log");
  REQUIRE(serve.wait_for_log("listening on https://", 20s));
  const auto log = serve.log();
  const auto at = log.find("listening on ") + 13;
  const std::string url = log.substr(at, log.find('\n', at) - at);

  r = run({"cmetrack-central", "enroll", "--data", data, "--kiosk", "K-A1", "--room", "A", "--door", "A1", "--out",
           k.config(), "--central-url", url, "--ca-cert", k.dir / "ca.pem"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  const auto ids = k.add_scans(1100);
  r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(k.backlog() == 0);
  CHECK(count_in(data + "/central.db", "SELECT COUNT(*) FROM scans WHERE kiosk = 'K-A1'") == 1100);
  CHECK_THAT(r.err, Catch::Contains("config: cached meeting TAM26, room A"));
  CHECK_FALSE(k.store().read_sync_status()->config_etag.empty());

  // Sent again (as after a lost answer): stored once.
  REQUIRE(k.store().connection_for_tests().exec("UPDATE scans SET sent = 0 WHERE seq <= 300"));
  r = run(k.agent_args({"--once"}), "", 60);
  CHECK(r.exit_code == 0);
  CHECK(k.backlog() == 0);
  CHECK(count_in(data + "/central.db", "SELECT COUNT(*) FROM scans") == 1100);

  // A scan recorded while the agent runs arrives at once.
  agent_process agent(k.agent_args(), k.dir / "agent.log");
  REQUIRE(agent.wait_for_log("started", 10s));
  k.record_scan();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (count_in(data + "/central.db", "SELECT COUNT(*) FROM scans") < 1101 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  CHECK(count_in(data + "/central.db", "SELECT COUNT(*) FROM scans") == 1101);
  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
  serve.signal(SIGTERM);
  CHECK(serve.wait_exit(20s) == 0);
}
