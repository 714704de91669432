// The central node loses power mid-write: `cmetrack-central serve` is killed
// with SIGKILL at a random moment (seeded; the seed is printed) while a
// client posts batches of 50 scans, fifty times, and restarted each time.
// After every kill central.db passes integrity_check and holds every scan of
// every batch the client saw acknowledged, exactly once. At the end every
// batch is sent again: each is acknowledged, and nothing is stored twice.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "tests/support/https_client.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {
namespace {

constexpr int kills = 50;
constexpr int scans_per_batch = 50;

struct crash_batch {
  std::vector<std::string> ids;
  std::string body;
};

// Batch `b` of kiosk K1 at room A: ids unique across batches, the same
// every time batch `b` is made (a re-send is the same batch).
crash_batch make_batch(int b) {
  crash_batch x;
  auto scans = nlohmann::json::array();
  for (int i = 0; i < scans_per_batch; ++i) {
    const int seq = b * scans_per_batch + i + 1;
    x.ids.push_back(fmt::format("crash-{:06}", seq));
    scans.push_back({{"id", x.ids.back()}, {"seq", seq}, {"badge", fmt::format("TAM26-00000{}", 1 + seq % 3)},
                     {"room", "A"}, {"door", "north"}, {"direction", "auto"},
                     {"at", fmt::format("2026-04-24T{:02}:{:02}:{:02}Z", 12 + seq / 3600 % 10, seq / 60 % 60, seq % 60)},
                     {"source", "wedge"}});
  }
  x.body = nlohmann::json{{"kiosk", "K1"}, {"sent_at", "2026-04-24T12:00:00Z"}, {"scans", scans}}.dump();
  return x;
}

// What the client thread saw, read by the test once the thread is joined.
struct client_log {
  std::vector<int> acked;  // batches answered 200 with all their ids
  std::vector<std::string> wrong;  // answers that are neither 200 with the ids nor a cut connection
  int next = 0;            // the first batch not acknowledged yet
};

// Posts batch after batch (from log.next) until `stop`; a batch whose
// answer did not come (the server died) is sent again next time.
void post_until_stopped(const std::string& url, const std::string& token, client_log& log,
                        const std::atomic<bool>& stop) {
  client_options o;
  o.timeout_ms = 5'000;
  while (!stop) {
    try {
      http_client c(url, o);
      while (!stop) {
        const auto b = make_batch(log.next);
        const auto r = c.request("POST", "/api/v1/scans", b.body, {bearer(token)});
        if (r.status != 200) {
          log.wrong.push_back(fmt::format("batch {}: {} {}", log.next, r.status, r.body));
          return;
        }
        if (nlohmann::json::parse(r.body).at("acked").get<std::vector<std::string>>() != b.ids) {
          log.wrong.push_back(fmt::format("batch {}: acked other ids: {}", log.next, r.body));
          return;
        }
        log.acked.push_back(log.next);
        ++log.next;
      }
    } catch (const std::exception&) {
      // The server is gone (killed): a cut connection, or none to be had.
      if (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

struct db_check {
  std::string integrity;
  std::set<std::string> ids;
  std::int64_t rows = 0;
};

// central.db as it is after the kill, opened read-only by the test.
db_check check_db(const std::string& data) {
  sqlite::open_options o;
  o.create = false;
  o.read_only = true;
  auto db = sqlite::database::open(central_db(data), o);
  REQUIRE(db);
  db_check out;
  auto ic = sqlite::statement::prepare(*db, "PRAGMA integrity_check");
  REQUIRE(ic);
  REQUIRE(ic->step_row());
  out.integrity = std::string(ic->text(0));
  auto s = sqlite::statement::prepare(*db, "SELECT id FROM scans");
  REQUIRE(s);
  REQUIRE(s->for_each_row([&](const sqlite::statement& row) {
    out.ids.insert(std::string(row.text(0)));
    ++out.rows;
  }));
  return out;
}

std::uint32_t crash_seed() {
  if (const char* s = std::getenv("CMETRACK_CRASH_SEED")) return static_cast<std::uint32_t>(std::strtoul(s, nullptr, 10));
  return std::random_device{}();
}

}  // namespace

TEST_CASE("serve killed with SIGKILL fifty times mid-ingest: central.db sound, every acknowledged batch there once",
          "[serve][crash]") {
  const auto started = std::chrono::steady_clock::now();
  const std::uint32_t seed = crash_seed();
  fmt::print("crash test seed: {} (CMETRACK_CRASH_SEED={} repeats this run)\n", seed, seed);
  INFO("seed " << seed << " (CMETRACK_CRASH_SEED=" << seed << " repeats this run)");
  std::mt19937 rng(seed);

  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out", dir / "k1.json"});
  const auto token = nlohmann::json::parse(read_file(dir / "k1.json")).at("token").get<std::string>();

  client_log log;
  std::set<std::string> acked_ids;
  std::size_t acked_seen = 0;
  int batches_tried = 0;  // batches 0 .. batches_tried-1 have been sent at least once
  std::uniform_int_distribution<int> delay_ms(0, 150);
  for (int k = 0; k < kills; ++k) {
    const int delay = delay_ms(rng);
    INFO("kill " << k + 1 << " of " << kills << ", " << delay << " ms after serve listened");
    {
      central_server server(data, {}, dir / "serve.log");
      std::atomic<bool> stop{false};
      std::thread client([&] { post_until_stopped(server.url(), token, log, stop); });
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));  // the random moment, not a wait for something
      CHECK(server.stop(SIGKILL) == -1);
      stop = true;
      client.join();
    }
    REQUIRE(log.wrong.empty());
    batches_tried = std::max(batches_tried, log.next + 1);
    for (; acked_seen < log.acked.size(); ++acked_seen)
      for (const auto& id : make_batch(log.acked[acked_seen]).ids) acked_ids.insert(id);

    const auto after = check_db(data);
    CHECK(after.integrity == "ok");
    CHECK(after.rows == static_cast<std::int64_t>(after.ids.size()));
    std::size_t missing = 0;
    for (const auto& id : acked_ids) missing += after.ids.contains(id) ? std::size_t{0} : std::size_t{1};
    INFO(acked_ids.size() << " scans acknowledged so far, " << after.ids.size() << " stored");
    CHECK(missing == 0);
    // Nothing stored that was never sent.
    CHECK(after.ids.size() <= static_cast<std::size_t>(batches_tried) * scans_per_batch);
  }
  INFO(log.acked.size() << " batches acknowledged across " << kills << " kills");
  CHECK(log.acked.size() > 0);

  // Every batch sent so far, sent again: each acknowledged, nothing twice.
  {
    central_server server(data, {}, dir / "serve.log");
    http_client c(server.url());
    for (int b = 0; b < batches_tried; ++b) {
      const auto batch = make_batch(b);
      const auto r = c.request("POST", "/api/v1/scans", batch.body, {bearer(token)});
      INFO("batch " << b << " re-sent: " << r.body);
      REQUIRE(r.status == 200);
      CHECK(nlohmann::json::parse(r.body).at("acked").get<std::vector<std::string>>() == batch.ids);
    }
    CHECK(server.stop(SIGTERM) == 0);
  }
  const auto end = check_db(data);
  CHECK(end.integrity == "ok");
  CHECK(end.rows == static_cast<std::int64_t>(batches_tried) * scans_per_batch);
  CHECK(end.ids.size() == static_cast<std::size_t>(end.rows));
  for (const auto& id : acked_ids) CHECK(end.ids.contains(id));
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("crash test: {} kills, {} batches acknowledged, {} re-sent, {:.1f} s\n", kills, log.acked.size(),
             batches_tried, seconds);
}

}  // namespace cmetrack::test
