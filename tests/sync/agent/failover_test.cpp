// cmetrack-sync with several central nodes (kiosk.json's central_urls): it
// moves to the next URL when the one it talks to is down (nothing listens,
// the node dies or stops answering mid-run, 502/503/504), stays where the
// store itself answered (401, 403, 500, 507), and every scan is
// acknowledged once across the nodes, never marked without an ack.
#include <catch2/catch.hpp>
#include <signal.h>

#include <fmt/format.h>

#include <memory>

#include "shared/sync_wire.h"
#include "tests/support/process.h"
#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/fake_central.h"

using namespace cmetrack;
using namespace cmetrack::test;
using namespace std::chrono_literals;

namespace {

// A loopback URL nothing listens on.
std::string closed_url(const tls_pki& pki) {
  fake_central gone(pki);
  return gone.url();
}

// Scans POSTs that carry scans (not the agent's clock probes).
bool carries_scans(const fake_request& r) {
  if (r.target != "/api/v1/scans") return false;
  const auto d = decode_batch(r.body);
  return d && !d->batch.scans.empty();
}

// A script: the first `answered` batches as usual, then `reply` to every
// batch after them.
fake_central::script after_batches(int answered, fake_reply reply) {
  auto seen = std::make_shared<int>(0);  // the script runs under the fake's lock
  return [seen, answered, reply](const fake_request& r) -> std::optional<fake_reply> {
    if (!carries_scans(r) || (*seen)++ < answered) return std::nullopt;
    return reply;
  };
}

// Every scan of kiosk.db acknowledged exactly once across the two nodes,
// and marked sent.
void check_each_scan_acknowledged_once(kiosk_site& k, const fake_central& first, const fake_central& second) {
  const auto a = first.acked(), b = second.acked();
  for (const auto& row : k.scans()) {
    INFO("scan " << row.id << ", seq " << row.seq);
    const int times = (a.count(row.id) ? a.at(row.id) : 0) + (b.count(row.id) ? b.at(row.id) : 0);
    CHECK(times == 1);
    CHECK(row.sent);
  }
}

}  // namespace

TEST_CASE("cmetrack-sync moves to the second central URL when nothing listens at the first and delivers there") {
  const auto pki = make_tls_pki();
  const auto down = closed_url(pki);
  fake_central second(pki);
  second.set_config(kiosk_config_body(), "\"v1\"");
  kiosk_site k;
  k.write_config(down, {down, second.url()}, fake_central::token, pki.ca_cert);  // as enroll writes it
  const auto ids = k.add_scans(120);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("started: central " + down + " (1 of 2: " + down + ", " + second.url() + ")"));
  CHECK_THAT(r.err, Catch::Contains("cannot reach central at " + down + ": connection refused"));
  CHECK_THAT(r.err, Catch::Contains("moving from central " + down + " to " + second.url() + " (2 of 2)"));
  CHECK_THAT(r.err, Catch::Contains("config: cached meeting"));
  CHECK(k.backlog() == 0);
  const auto acked = second.acked();
  CHECK(acked.size() == ids.size());
  for (const auto& id : ids) CHECK(acked.count(id) == 1);
  for (const auto& [id, times] : acked) CHECK(times == 1);
}

TEST_CASE("cmetrack-sync backs off only once every central URL has failed, then starts the round again") {
  const auto pki = make_tls_pki();
  const auto a = closed_url(pki), b = closed_url(pki);
  kiosk_site k;
  k.write_config(std::nullopt, {a, b}, fake_central::token, pki.ca_cert);  // the list alone
  k.add_scans(5);

  const auto once = run(k.agent_args({"--once"}), "", 60);
  INFO(once.err);
  CHECK(once.exit_code == 1);
  CHECK_THAT(once.err, Catch::Contains("cannot reach central at " + b + ": connection refused; 5 scans queued\n"));
  CHECK(k.backlog() == 5);

  agent_process agent(k.agent_args({"--max-backoff-ms", "300"}), k.dir / "agent.log");
  const std::string round = "5 scans queued; all 2 central URLs failed: moving from central " + b + " to " + a +
                            " (1 of 2), retrying in ";
  REQUIRE(agent.wait_for_log(round, 10s));
  REQUIRE(agent.wait_for_log("5 scans queued; moving from central " + a + " to " + b + " (2 of 2)\n", 10s));
  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
  const auto log = agent.log();
  INFO(log);
  // The move within a round goes at once; the backoff comes after its end.
  CHECK(count_of(log, "(2 of 2), retrying in") == 0);
  CHECK(k.backlog() == 5);
}

TEST_CASE("cmetrack-sync moves to the second central node when the first dies mid-run, each scan acknowledged once") {
  const auto pki = make_tls_pki();
  fake_central first(pki), second(pki);
  first.set_config(kiosk_config_body(), "\"v1\"");
  second.set_config(kiosk_config_body(), "\"v1\"");
  // Two batches acknowledged, then the third is read and the node dies
  // without an answer: its scans must go to the second node.
  first.on_request(after_batches(2, fake_reply{200, "", {}, false, /*die=*/true}));
  kiosk_site k;
  k.write_config(first.url(), {first.url(), second.url()}, fake_central::token, pki.ca_cert);
  const auto ids = k.add_scans(1000);

  agent_process agent(k.agent_args({"--batch-size", "100", "--max-backoff-ms", "300"}), k.dir / "agent.log");
  REQUIRE(second.wait_until([&] { return k.backlog() == 0; }, 30s));
  // A scan recorded after the move goes to the second node too.
  const auto late = k.record_scan();
  REQUIRE(second.wait_until([&] { return second.acked().count(late) == 1 && k.backlog() == 0; }, 10s));
  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
  const auto log = agent.log();
  INFO(log);

  CHECK(first.acked().size() == 200);
  CHECK(first.batches().size() == 3);  // the third one unanswered
  CHECK(second.acked().size() == ids.size() - 200 + 1);
  check_each_scan_acknowledged_once(k, first, second);
  CHECK_THAT(log, Catch::Contains("cannot reach central at " + first.url() + ": connection refused"));
  CHECK_THAT(log, Catch::Contains("moving from central " + first.url() + " to " + second.url() + " (2 of 2)"));
  CHECK_THAT(log, Catch::Contains("stopped; 0 scans queued"));
}

TEST_CASE("cmetrack-sync moves to the second central node when the first stops answering, after the step's deadline") {
  const auto pki = make_tls_pki();
  fake_central first(pki), second(pki);
  first.set_config(kiosk_config_body(), "\"v1\"");
  second.set_config(kiosk_config_body(), "\"v1\"");
  fake_reply silence;
  silence.hang = true;
  first.on_request(after_batches(2, silence));
  kiosk_site k;
  k.write_config(first.url(), {second.url()}, fake_central::token, pki.ca_cert);
  const auto ids = k.add_scans(500);

  agent_process agent(k.agent_args({"--batch-size", "100", "--timeout-ms", "500", "--max-backoff-ms", "300"}),
                      k.dir / "agent.log");
  REQUIRE(second.wait_until([&] { return k.backlog() == 0; }, 30s));
  agent.signal(SIGTERM);
  CHECK(agent.wait_exit(5s) == 0);
  const auto log = agent.log();
  INFO(log);

  CHECK(first.acked().size() == 200);
  CHECK(second.acked().size() == ids.size() - 200);
  check_each_scan_acknowledged_once(k, first, second);
  CHECK_THAT(log, Catch::Contains("no answer from central at " + first.url() + " within 500 ms while waiting for the "
                                  "answer; 300 scans queued; moving from central " + first.url() + " to " +
                                  second.url() + " (2 of 2)"));
}

TEST_CASE("cmetrack-sync moves to the second central node on a 502, 503 or 504 from the first") {
  for (unsigned status : {502u, 503u, 504u}) {
    INFO(status);
    const auto pki = make_tls_pki();
    fake_central first(pki), second(pki);
    second.set_config(kiosk_config_body(), "\"v1\"");
    first.on_request([status](const fake_request&) -> std::optional<fake_reply> {
      return fake_reply{status, "no upstream", {}, false};
    });
    kiosk_site k;
    k.write_config(std::nullopt, {first.url(), second.url()}, fake_central::token, pki.ca_cert);
    const auto ids = k.add_scans(30);

    const auto r = run(k.agent_args({"--once"}), "", 60);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains(fmt::format("central answered {}: no upstream", status)));
    CHECK_THAT(r.err, Catch::Contains("moving from central " + first.url() + " to " + second.url() + " (2 of 2)"));
    CHECK(first.acked().empty());
    CHECK(second.acked().size() == ids.size());
    CHECK(k.backlog() == 0);
  }
}

TEST_CASE("cmetrack-sync stays with the first central node on a 401, 403, 500 or 507 and never asks the second") {
  for (unsigned status : {401u, 403u, 500u, 507u}) {
    INFO(status);
    const auto pki = make_tls_pki();
    fake_central first(pki), second(pki);
    first.on_request([status](const fake_request&) -> std::optional<fake_reply> {
      return fake_reply{status, "the store's answer", {}, false};
    });
    kiosk_site k;
    k.write_config(first.url(), {first.url(), second.url()}, fake_central::token, pki.ca_cert);
    k.add_scans(5);

    const auto r = run(k.agent_args({"--once"}), "", 60);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(fmt::format("({})", status)) || Catch::Contains(fmt::format("answered {}", status)));
    CHECK_THAT(r.err, !Catch::Contains("moving from central"));
    CHECK(second.requests().empty());
    CHECK(first.acked().empty());
    CHECK(k.backlog() == 5);
  }
}
