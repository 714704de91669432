// The chaos test: a central node over TLS, three headless kiosks with their
// sync agents, and the fault proxy between agents and central injecting every
// fault kind at random. Meanwhile the central node is killed with SIGKILL and
// restarted twice, each agent once, and the network goes down for a while.
// At the end the central node must hold exactly the scans the kiosks printed
// as recorded: none lost, none twice.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "shared/time.h"
#include "tests/e2e/system.h"
#include "tests/support/process.h"
#include "tests/support/test_pki.h"

namespace {

using namespace cmetrack::test;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int kiosk_count = 3;
constexpr int scans_per_kiosk = 2000;
constexpr int chunk = 50;

// One kiosk: its headless process fed with simulated-clock lines, and its
// sync agent.
struct kiosk {
  std::string id, room, config, db, agent_log;
  std::unique_ptr<live_process> process, agent;
  std::set<std::string> recorded;  // ids printed with a result other than error
  int printed = 0;

  void start_agent() {
    agent = std::make_unique<live_process>(logged({bin("cmetrack-sync"), "--config", config, "--db", db,
                                                  "--max-backoff-ms", "2000", "--timeout-ms", "3000"},
                                                 agent_log));
  }
  void kill_agent() {
    agent->signal(SIGKILL);
    agent->wait();
    agent.reset();
  }
};

}  // namespace

TEST_CASE("chaos: every recorded scan reaches the central node exactly once, whatever the network and crashes do",
          "[e2e][chaos]") {
  temp_dir dir;
  make_test_pki(dir.path().string());
  const auto init = run({bin("cmetrack-central"), "init", "--data", dir / "central", "--meeting", demo_meeting()});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);

  central_node central(dir);
  central.start();

  live_process proxy(logged({bin("cmetrack-fault-proxy"), "--listen", "127.0.0.1:0", "--upstream",
                             "127.0.0.1:" + std::to_string(central.port()), "--seed", "2026", "--fault-rate", "0.25",
                             "--faults", "delay,drop,cut_request,cut_response,blackhole,reset", "--delay-ms",
                             "50-300", "--cut-request-bytes", "200-40000", "--cut-response-bytes", "1500-6000",
                             "--reset-bytes", "0-20000", "--blackhole-ms", "4000", "--lifetime-ms", "2000",
                             // every kind early, whatever the random draw gives later
                             "--schedule", "2:drop,3:cut_request=3000,4:cut_response=2000,5:reset=5000,6:blackhole=3000,"
                             "7:delay=200,9:cut_request=300,10:reset=0"},
                            dir / "proxy.log"));
  const auto& proxy_lines = proxy.read_lines(1, 10'000);
  REQUIRE(proxy_lines.size() == 1);
  const int proxy_port = port_of(proxy_lines[0]);

  // Three kiosks in three rooms, enrolled against the proxy's address.
  std::vector<kiosk> kiosks(kiosk_count);
  for (int k = 0; k < kiosk_count; ++k) {
    auto& K = kiosks[static_cast<std::size_t>(k)];
    K.id = fmt::format("K{}", k + 1);
    K.room = fmt::format("R0{}", k + 1);
    K.config = dir / (K.id + ".json");
    K.db = dir / (K.id + ".db");
    K.agent_log = dir / (K.id + "-agent.log");
    const auto enroll = run({bin("cmetrack-central"), "enroll", "--data", dir / "central", "--kiosk", K.id, "--room",
                             K.room, "--door", K.room + "-main", "--out", K.config, "--central-url",
                             fmt::format("https://127.0.0.1:{}", proxy_port), "--ca-cert", dir / "ca.pem"});
    INFO(enroll.err);
    REQUIRE(enroll.exit_code == 0);
    const auto load =
        run({bin("cmetrack-kiosk"), "--config", K.config, "--db", K.db, "--load-meeting", demo_meeting()});
    INFO(load.err);
    REQUIRE(load.exit_code == 0);
    K.process = std::make_unique<live_process>(
        logged({bin("cmetrack-kiosk"), "--config", K.config, "--db", K.db, "--headless", "--simulated-clock"},
               dir / (K.id + "-kiosk.log")));
    K.start_agent();
  }

  // The scans: registered badges mostly, some unknown and some garbage, at
  // a few seconds' intervals through the first day.
  std::mt19937_64 rng(26);
  const auto payload = [&rng]() -> std::string {
    const auto roll = rng() % 100;
    if (roll < 2) return "NOT-A-BADGE";
    if (roll < 3) return "DEMO26-999999";
    const auto n = 100000 + rng() % 90000;
    return (rng() % 2 ? "DEMO26-" : "") + std::to_string(n);
  };
  std::vector<std::int64_t> clock(kiosk_count, 0);

  const int rounds = scans_per_kiosk / chunk;
  for (int round = 0; round < rounds; ++round) {
    // The faults, at set points of the stream.
    if (round == 8 || round == 28) {
      central.kill();
      std::this_thread::sleep_for(500ms);
      central.start();
    }
    if (round == 14) proxy.signal(SIGUSR1);  // the network goes down
    if (round == 18) proxy.signal(SIGUSR2);  // and comes back
    if (round == 20 || round == 23 || round == 26) {
      auto& K = kiosks[static_cast<std::size_t>((round - 20) / 3)];
      K.kill_agent();
      K.start_agent();
    }

    for (int k = 0; k < kiosk_count; ++k) {
      auto& K = kiosks[static_cast<std::size_t>(k)];
      std::string lines;
      for (int i = 0; i < chunk; ++i) {
        clock[static_cast<std::size_t>(k)] += 1 + static_cast<std::int64_t>(rng() % 20);
        const cmetrack::time_ms t = (1'777'032'000 + clock[static_cast<std::size_t>(k)]) * 1000;  // from 08:00 NY
        lines += cmetrack::format_iso8601_utc(t) + " " + payload() + "\n";
      }
      K.process->write(lines);
      const auto& out = K.process->read_lines(static_cast<std::size_t>(K.printed + chunk), 30'000);
      REQUIRE(out.size() == static_cast<std::size_t>(K.printed + chunk));
      for (std::size_t i = static_cast<std::size_t>(K.printed); i < out.size(); ++i) {
        const auto line = json::parse(out[i]);
        if (line.at("result").get<std::string>() != "error") K.recorded.insert(line.at("id").get<std::string>());
      }
      K.printed += chunk;
    }
    std::this_thread::sleep_for(50ms);
  }

  // The kiosks are done; the agents drain their outboxes.
  for (auto& K : kiosks) {
    K.process->close_input();
    CHECK(K.process->wait() == 0);
  }
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  std::int64_t backlog = 0;
  do {
    backlog = 0;
    for (const auto& K : kiosks) backlog += query_number(K.db, "SELECT COUNT(*) FROM scans WHERE sent = 0");
    if (backlog == 0) break;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  INFO("backlog left: " << backlog);
  for (auto& K : kiosks) {
    K.agent->signal(SIGTERM);
    CHECK(K.agent->wait() == 0);
  }
  central.stop();
  proxy.signal(SIGTERM);
  proxy.wait();
  REQUIRE(backlog == 0);

  // Every kind of fault was applied (the proxy's summary line counts them),
  // and the central node was started three times.
  const auto proxy_log = read_file(dir / "proxy.log");
  const auto summary = proxy_log.substr(std::min(proxy_log.find("summary "), proxy_log.size()));
  fmt::print("chaos: proxy {}", summary);
  INFO(summary);
  for (const std::string kind : {"delay", "drop", "cut_request", "cut_response", "blackhole", "reset", "down"}) {
    const auto at = summary.find(" " + kind + "=");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(summary.substr(at + kind.size() + 2)) > 0);
  }
  const auto central_log = read_file(dir / "central.log");
  std::size_t starts = 0;
  for (auto at = central_log.find("serving"); at != std::string::npos; at = central_log.find("serving", at + 1)) ++starts;
  CHECK(starts == 3);

  // What the kiosks printed as recorded, and what the central node holds.
  std::set<std::string> printed;
  for (const auto& K : kiosks) printed.insert(K.recorded.begin(), K.recorded.end());
  const std::string central_db = dir / "central/central.db";
  const auto stored = query_texts(central_db, "SELECT id FROM scans");
  const auto stored_rows = query_number(central_db, "SELECT COUNT(*) FROM scans");
  const auto distinct_seqs = query_number(central_db, "SELECT COUNT(*) FROM (SELECT DISTINCT kiosk, seq FROM scans)");
  fmt::print("chaos: kiosks printed {} scans as recorded; the central node holds {} ({} rows)\n", printed.size(),
             stored.size(), stored_rows);
  std::vector<std::string> lost, unexpected;
  std::set_difference(printed.begin(), printed.end(), stored.begin(), stored.end(), std::back_inserter(lost));
  std::set_difference(stored.begin(), stored.end(), printed.begin(), printed.end(), std::back_inserter(unexpected));
  CHECK(lost.empty());
  CHECK(unexpected.empty());
  CHECK(stored_rows == static_cast<std::int64_t>(printed.size()));
  CHECK(distinct_seqs == stored_rows);  // no scan stored twice under another id
  CHECK(printed.size() > static_cast<std::size_t>(kiosk_count * scans_per_kiosk * 9 / 10));
}
