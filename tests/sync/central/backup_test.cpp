// cmetrack-central backup and restore: a copy made while serve stores
// batches holds every batch acknowledged before it started and no batch in
// part; restored, it serves again, and the kiosks' re-sent batches bring
// back the rest, each scan once.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "shared/time.h"
#include "tests/support/https_client.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {
namespace {

using json = nlohmann::json;
constexpr int batch_size = 100;

std::string batch(int number) {
  auto scans = json::array();
  for (int i = 0; i < batch_size; ++i) {
    const int seq = number * batch_size + i + 1;
    // Jane and Ravi in and out of room A during S1 (08:00-09:30 EDT), a second apart.
    scans.push_back({{"id", fmt::format("K1-{:06}", seq)},
                     {"seq", seq},
                     {"badge", i % 2 ? "000001" : "000002"},
                     {"room", "A"},
                     {"door", "north"},
                     {"direction", "auto"},
                     {"at", format_iso8601_utc(*parse_iso8601("2026-04-24T12:00:00Z") + seq * 1000)},
                     {"source", "wedge"}});
  }
  return json{{"kiosk", "K1"}, {"sent_at", "2026-04-24T12:00:00Z"}, {"scans", scans}}.dump();
}

std::int64_t scans_in(const std::string& db_path) {
  auto db = sqlite::database::open(db_path);
  REQUIRE(db);
  auto q = sqlite::statement::prepare(*db, "SELECT count(*), count(DISTINCT id) FROM scans");
  REQUIRE(q);
  REQUIRE(q->step_row());
  CHECK(q->int64(0) == q->int64(1));
  return q->int64(0);
}

}  // namespace

TEST_CASE("backup: a copy made while batches are stored holds every batch acknowledged before it, none in part",
          "[central][backup]") {
  temp_dir dir;
  const std::string data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out", dir / "k1.json"});
  std::ifstream k1(dir / "k1.json");
  const auto token = json::parse(k1).at("token").get<std::string>();
  auto server = std::make_unique<central_server>(data, std::vector<std::string>{}, dir / "serve.log");
  http_client c(server->url());

  int acked = 0;
  const auto send = [&](int number) {
    const auto r = c.request("POST", "/api/v1/scans", batch(number), {bearer(token)});
    REQUIRE(r.status == 200);
    REQUIRE(json::parse(r.body)["acked"].size() == batch_size);
    ++acked;
  };
  for (int b = 0; b < 20; ++b) send(b);
  const int acked_before = acked;

  // The backup runs while batches keep coming.
  std::atomic<bool> done{false};
  process_result backup;
  std::thread backup_thread([&] {
    backup = run({bin("cmetrack-central"), "backup", "--data", data, "--out", dir / "copy.db"});
    done = true;
  });
  int sent_during = 0;
  while (!done && sent_during < 500) send(acked), ++sent_during;
  backup_thread.join();
  for (int b = 0; b < 5; ++b) send(acked);
  REQUIRE(backup.exit_code == 0);
  CHECK(backup.out.find("copy.db: a copy of ") != std::string::npos);
  WARN(fmt::format("{} batches stored while the backup ran", sent_during));

  const auto copied = scans_in(dir / "copy.db");
  CHECK(copied >= acked_before * batch_size);
  CHECK(copied % batch_size == 0);  // no batch in part
  CHECK(copied <= acked * batch_size);
  CHECK(backup.out.find(fmt::format("with {} scans", copied)) != std::string::npos);

  // The central node dies; its data directory is gone. Restore, serve, and
  // the kiosk's agent re-sends what central.db lost: each scan once.
  server->stop(SIGKILL);
  const std::string fresh = dir / "new-machine";
  const auto restored = central_ok({"restore", "--data", fresh, "--from", dir / "copy.db"});
  CHECK(restored.find(fmt::format("with {} scans", copied)) != std::string::npos);
  CHECK(scans_in(central_db(fresh)) == copied);
  server = std::make_unique<central_server>(fresh, std::vector<std::string>{}, dir / "serve2.log");
  http_client again(server->url());
  for (int b = 0; b < acked; ++b)
    REQUIRE(again.request("POST", "/api/v1/scans", batch(b), {bearer(token)}).status == 200);
  CHECK(scans_in(central_db(fresh)) == acked * batch_size);
  // The transcript is the one the kiosk's scans give, whichever way they came.
  const auto t = transcript(fresh, "000001");
  CHECK(t["badge"] == "000001");
}

TEST_CASE("backup: never overwrites, restore never replaces a central.db, both name the file", "[central][backup]") {
  temp_dir dir;
  const std::string data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_ok({"backup", "--data", data, "--out", dir / "copy.db"});
  const auto twice = central({"backup", "--data", data, "--out", dir / "copy.db"});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("copy.db exists") != std::string::npos);
  const auto over = central({"restore", "--data", data, "--from", dir / "copy.db"});
  CHECK(over.exit_code == 2);
  CHECK(over.err.find("holds a central.db already") != std::string::npos);
  const auto missing = central({"restore", "--data", dir / "x", "--from", dir / "nothing.db"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nothing.db: no such file") != std::string::npos);
  write_file(dir / "junk.db", "not a database at all, just text that is long enough to look like a header\n");
  const auto junk = central({"restore", "--data", dir / "y", "--from", dir / "junk.db"});
  CHECK(junk.exit_code != 0);
  CHECK(junk.err.find("junk.db") != std::string::npos);
}

}  // namespace cmetrack::test
