// cmetrack-sync against a fake central node on loopback (TLS): the outbox
// goes out in batches of at most 500, exactly what was acknowledged is
// marked sent, and failed exchanges keep every scan queued until it is
// acknowledged, once.
#include <catch2/catch.hpp>
#include <signal.h>

#include "shared/time.h"
#include "tests/support/process.h"
#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/fake_central.h"

using namespace cmetrack;
using namespace cmetrack::test;
using namespace std::chrono_literals;

namespace {
}  // namespace

TEST_CASE("cmetrack-sync --once delivers 1,234 queued scans in batches of at most 500 and marks them sent") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  central.set_config(kiosk_config_body(), "\"v1\"");
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);
  const auto ids = k.add_scans(1234);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 0);

  const auto batches = central.batches();
  REQUIRE(batches.size() == 3);
  CHECK(batches[0].scans.size() == 500);
  CHECK(batches[1].scans.size() == 500);
  CHECK(batches[2].scans.size() == 234);
  CHECK(batches[0].backlog == 734);
  CHECK(batches[2].backlog == 0);
  std::vector<std::string> sent;
  for (const auto& b : batches) {
    CHECK(b.kiosk == "K-A1");
    for (const auto& s : b.scans) sent.push_back(s.id);
  }
  CHECK(sent == ids);  // every scan, oldest first, none twice
  CHECK(batches[0].scans[0].badge == "000002");  // the payload as scanned
  CHECK(batches[0].scans[1].badge == "TAM26-000001");
  CHECK(batches[0].scans[0].room == "A");
  CHECK(batches[0].scans[0].door == "A1");

  CHECK(k.backlog() == 0);
  for (const auto& row : k.scans()) CHECK(row.sent);
  const auto acked = central.acked();
  CHECK(acked.size() == 1234);
  for (const auto& [id, times] : acked) CHECK(times == 1);

  CHECK(count_of(r.err, "sent 500 scans in ") == 2);
  CHECK(count_of(r.err, "sent 234 scans in ") == 1);
  CHECK_THAT(r.err, Catch::Contains("500 acknowledged; clock offset "));
  const auto status = k.store().read_sync_status();
  REQUIRE(status);
  CHECK(status->last_contact.has_value());
  CHECK(status->last_error.empty());
}

TEST_CASE("cmetrack-sync marks exactly the acknowledged scans, and keeps the rest queued") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  // Central acknowledges only the scans of even seq, ever.
  central.on_request([](const fake_request& r) -> std::optional<fake_reply> {
    if (r.target != "/api/v1/scans") return std::nullopt;
    const auto d = decode_batch(r.body);
    std::vector<std::string> even;
    for (const auto& s : d->batch.scans)
      if (s.seq % 2 == 0) even.push_back(s.id);
    return ack_reply(even, now_ms());
  });
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);
  k.add_scans(10);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 1);  // scans still queued
  for (const auto& row : k.scans()) {
    INFO("seq " << row.seq);
    CHECK(row.sent == (row.seq % 2 == 0));
  }
  CHECK(k.backlog() == 5);
  CHECK_THAT(r.err, Catch::Contains("sent 10 scans in "));
  CHECK_THAT(r.err, Catch::Contains("5 acknowledged"));
  // The second round sent the five odd ones, and none came back acknowledged.
  CHECK_THAT(r.err, Catch::Contains("central acknowledged none of the 5 scans sent; 5 scans queued"));
}

TEST_CASE("cmetrack-sync keeps scans queued through a 500 and dropped connections, each arrives once") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  int posts = 0;  // runs on the server's thread, under its lock
  central.on_request([&posts](const fake_request& r) -> std::optional<fake_reply> {
    if (r.target != "/api/v1/scans") return std::nullopt;
    switch (posts++) {
      case 0: return fake_reply{500, "database is locked", {}, false};
      case 1: return fake_reply{200, "", {}, true};  // request read, connection dropped, no answer
      case 2: return fake_reply{503, "", {}, true};
      default: return std::nullopt;
    }
  });
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);
  auto ids = k.add_scans(700);

  agent_process agent(k.agent_args({"--max-backoff-ms", "200"}), k.dir / "agent.log");
  const auto all_acked = [&] { return central.acked().size() >= ids.size(); };
  REQUIRE(central.wait_until(all_acked, 30s));
  // A scan recorded after the failures goes the same way.
  ids.push_back(k.record_scan());
  REQUIRE(central.wait_until(all_acked, 10s));
  REQUIRE(central.wait_until([&] { return k.backlog() == 0; }, 10s));

  const auto acked = central.acked();
  CHECK(acked.size() == ids.size());
  for (const auto& id : ids) CHECK(acked.count(id) == 1);
  for (const auto& [id, times] : acked) CHECK(times == 1);
  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
  const auto log = agent.log();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("central answered 500: database is locked; 700 scans queued, retrying in "));
  CHECK_THAT(log, Catch::Contains("dropped the connection while waiting for the answer"));
  CHECK_THAT(log, Catch::Contains("sent 500 scans in "));
  CHECK_THAT(log, Catch::Contains("stopped; 0 scans queued"));
}

TEST_CASE("cmetrack-sync measures the clock offset on each exchange and sends it with the next batch") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  central.set_clock_skew(600'000);  // central's clock 10 minutes ahead: the kiosk runs slow
  central.set_config(kiosk_config_body(), "\"v1\"");
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);
  k.add_scans(4);

  const auto r = run(k.agent_args({"--once", "--batch-size", "2"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto batches = central.batches();
  REQUIRE(batches.size() == 2);
  // An empty batch measures the clock first, so even the first batch
  // carries a precise offset; the second the one measured on the first.
  CHECK(central.clock_probes() == 1);
  REQUIRE(batches[0].clock_offset_ms);
  CHECK(std::abs(*batches[0].clock_offset_ms - 600'000) <= 500);
  REQUIRE(batches[1].clock_offset_ms);
  CHECK(std::abs(*batches[1].clock_offset_ms - 600'000) <= 500);
  const auto status = k.store().read_sync_status();
  REQUIRE(status);
  CHECK(std::abs(status->clock_offset_ms - 600'000) <= 500);
  CHECK_THAT(r.err, Catch::Contains("clock offset +600"));
}
