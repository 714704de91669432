// The central node's disk fails under central.db (tests/support/fault_vfs:
// the Nth write, sync, truncate or journal open fails, or the disk is full
// from the Nth operation on), for N = 1, 2, 3... until a run needs no fault.
// Through the HTTP route, in process (POST /api/v1/scans, as serve runs it):
// a batch that could not be stored is answered 507 (disk full) or 500 with a
// message that says what to do, and acknowledges nothing; a batch is stored
// whole or not at all; central.db passes integrity_check; once the disk works
// again the same batches re-sent are acknowledged and stored once. And
// `ingest` of a scans file under the same faults: a clear error naming the
// file, all or nothing, and a re-run stores each scan once. And `export
// --scans` with a read of central.db failing at any point: the command
// fails naming central.db and leaves neither the file nor FILE.partial,
// never a file cut short.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "shared/sqlite/statement.h"
#include "sync/central/api/dashboard.h"
#include "sync/central/api/routes.h"
#include "sync/central/cli/commands.h"
#include "sync/central/cli/enroll.h"
#include "sync/central/store/store.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::test;
namespace fv = cmetrack::test::fault_vfs;
namespace http = boost::beast::http;

namespace {

// A data directory with the worked example's meeting and kiosk K1 enrolled
// at room A: made once, its central.db copied for every run.
struct central_template {
  temp_dir dir;
  std::string data = dir / "template";
  std::string token;

  central_template() {
    REQUIRE(central::run_init({data, std::string(CMETRACK_TEST_DATA) + "/worked_example.json"}));
    central::enroll_options e;
    e.data = data;
    e.kiosk = "K1";
    e.room = "A";
    e.door = "north";
    e.out = dir / "k1.json";
    REQUIRE(central::run_enroll(e));
    token = nlohmann::json::parse(read_file(e.out)).at("token").get<std::string>();
    REQUIRE(!std::filesystem::exists(central::database_path(data).string() + "-wal"));
  }

  // A fresh data directory holding a copy of the template's central.db.
  std::string copy(const std::string& name) const {
    const std::string to = dir / name;
    std::filesystem::create_directories(to);
    std::filesystem::copy_file(central::database_path(data), central::database_path(to));
    return to;
  }
};

// A connection of the test's own, after the faults are cleared.
sqlite::database open_db(const std::string& data) {
  auto db = sqlite::database::open(central::database_path(data).string(), {.create = false});
  REQUIRE(db);
  return std::move(*db);
}

std::string integrity(sqlite::database& db) {
  auto s = sqlite::statement::prepare(db, "PRAGMA integrity_check");
  REQUIRE(s);
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

// Every stored scan id, with how many rows hold it.
std::multiset<std::string> stored_ids(sqlite::database& db) {
  auto s = sqlite::statement::prepare(db, "SELECT id FROM scans");
  REQUIRE(s);
  std::multiset<std::string> ids;
  REQUIRE(s->for_each_row([&](const sqlite::statement& row) { ids.insert(std::string(row.text(0))); }));
  return ids;
}

struct batch {
  std::vector<std::string> ids;
  std::string body;
};

// `count` batches of `size` scans of kiosk K1 at room A, with ids unique
// across them.
std::vector<batch> make_batches(int count, int size) {
  std::vector<batch> out;
  int seq = 0;
  for (int b = 0; b < count; ++b) {
    batch x;
    auto scans = nlohmann::json::array();
    for (int i = 0; i < size; ++i) {
      ++seq;
      x.ids.push_back(fmt::format("fault-scan-{:04}", seq));
      scans.push_back({{"id", x.ids.back()}, {"seq", seq}, {"badge", fmt::format("TAM26-00000{}", 1 + seq % 3)},
                       {"room", "A"}, {"door", "north"}, {"direction", "auto"},
                       {"at", fmt::format("2026-04-24T12:{:02}:{:02}Z", seq / 60 % 60, seq % 60)},
                       {"source", "wedge"}});
    }
    x.body = nlohmann::json{{"kiosk", "K1"}, {"sent_at", "2026-04-24T12:00:00Z"}, {"scans", scans}}.dump();
    out.push_back(std::move(x));
  }
  return out;
}

central::routed post(central::server_state& state, const std::string& token, const std::string& body) {
  central::http_request req{http::verb::post, "/api/v1/scans", 11};
  req.set(http::field::authorization, "Bearer " + token);
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  return central::handle_request(state, req, "127.0.0.1");
}

// serve's connection and state, as run_server makes them.
std::unique_ptr<central::server_state> open_state(const std::string& data) {
  auto db = central::open_store(data, central::open_mode::existing, central::write_cache_kib);
  REQUIRE(db);
  REQUIRE(db->exec("PRAGMA wal_autocheckpoint=16384;"));
  auto state = std::unique_ptr<central::server_state>(new central::server_state(std::move(*db)));
  REQUIRE(central::ensure_dashboard(*state));
  return state;
}

struct run_result {
  bool faulted = false;
  int refused = 0;  // batches answered 5xx
};

// One run: three batches posted with the fault armed at operation n; then
// the disk repaired and every batch sent again.
run_result run_batches(const central_template& t, std::int64_t n, fv::fault kind, fv::persistence how,
                       bool close_while_faulty) {
  const auto data = t.copy(fmt::format("run-{}", n));
  INFO("run " << n << ": " << data);
  const auto batches = make_batches(3, 20);
  auto state = open_state(data);
  run_result out;
  std::set<std::string> acked;

  fv::fail_at(n, kind, how);
  for (const auto& b : batches) {
    central::routed r;
    REQUIRE_NOTHROW(r = post(*state, t.token, b.body));
    const auto status = r.response.result_int();
    const auto body = nlohmann::json::parse(r.response.body());
    if (status == 200) {
      const auto ids = body.at("acked").get<std::vector<std::string>>();
      CHECK(ids == b.ids);
      acked.insert(ids.begin(), ids.end());
      continue;
    }
    ++out.refused;
    const auto message = body.at("error").get<std::string>();
    INFO("answer " << status << ": " << message);
    CHECK(!body.contains("acked"));
    CHECK_THAT(message, Catch::Contains("central.db"));
    CHECK_THAT(message, Catch::Contains("nothing of this batch was stored"));
    if (kind == fv::fault::disk_full) {
      CHECK(status == 507);
      CHECK_THAT(message, Catch::Contains("free space on the central node's disk"));
    } else {
      CHECK(status == 500);
      CHECK_THAT(message, Catch::Contains("check the central node's disk"));
    }
  }
  out.faulted = fv::faults() > 0;
  if (!out.faulted) CHECK(out.refused == 0);
  if (how == fv::persistence::once) CHECK(out.refused <= 1);

  if (close_while_faulty) state.reset();  // serve stops on the failing disk
  fv::clear();                            // and the disk works again
  {
    // Every acknowledged scan is there, once; each batch whole or not at all.
    auto db = open_db(data);
    CHECK(integrity(db) == "ok");
    const auto ids = stored_ids(db);
    for (const auto& id : acked) CHECK(ids.count(id) == 1);
    for (const auto& b : batches) {
      std::size_t in = 0;
      for (const auto& id : b.ids) in += ids.count(id);
      INFO("batch of " << b.ids.front());
      CHECK((in == 0 || in == b.ids.size()));
    }
  }

  if (!state) state = open_state(data);
  for (const auto& b : batches) {
    const auto r = post(*state, t.token, b.body);
    INFO("re-sent after the repair: " << r.response.body());
    REQUIRE(r.response.result_int() == 200);
    CHECK(nlohmann::json::parse(r.response.body()).at("acked").get<std::vector<std::string>>() == b.ids);
  }
  state.reset();

  auto db = open_db(data);
  CHECK(integrity(db) == "ok");
  const auto ids = stored_ids(db);
  CHECK(ids.size() == 60);
  for (const auto& b : batches)
    for (const auto& id : b.ids) CHECK(ids.count(id) == 1);
  return out;
}

int every_n_batches(fv::fault kind, fv::persistence how, bool close_while_faulty) {
  central_template t;
  fv::scope vfs;
  int faulted = 0, refused = 0;
  for (std::int64_t n = 1; n < 1000; ++n) {
    const auto r = run_batches(t, n, kind, how, close_while_faulty);
    std::filesystem::remove_all(t.dir / fmt::format("run-{}", n));
    if (!r.faulted) break;
    ++faulted;
    refused += r.refused > 0 ? 1 : 0;
  }
  INFO(faulted << " runs faulted, " << refused << " of them refused a batch");
  CHECK(faulted > 3);
  CHECK(refused > 0);
  return faulted;
}

}  // namespace

TEST_CASE("central.db: an I/O error at any write answers that batch 500, acknowledges nothing, and a re-send stores it once") {
  every_n_batches(fv::fault::io_error, fv::persistence::once, false);
}

TEST_CASE("central.db: a disk failing from any write on refuses batches until repaired, and loses no acknowledged scan") {
  every_n_batches(fv::fault::io_error, fv::persistence::persistent, false);
  every_n_batches(fv::fault::io_error, fv::persistence::persistent, true);
}

TEST_CASE("central.db: a disk full from any write on answers 507, and batches are acknowledged again with space") {
  every_n_batches(fv::fault::disk_full, fv::persistence::persistent, false);
  every_n_batches(fv::fault::disk_full, fv::persistence::persistent, true);
}

TEST_CASE("cmetrack-central ingest under I/O faults and a full disk: a clear error naming the file, all or nothing") {
  central_template t;
  fv::scope vfs;
  std::vector<std::string> rows;
  for (int i = 1; i <= 40; ++i)
    rows.push_back(fmt::format("ingest-scan-{:03},K9,{},TAM26-00000{},A,north,auto,2026-04-24T12:{:02}:00Z,wedge", i,
                               i, 1 + i % 3, i % 60));
  std::string csv_text = "id,kiosk,seq,badge,room,door,direction,at,source\n";
  for (const auto& r : rows) csv_text += r + "\n";

  for (const auto kind : {fv::fault::io_error, fv::fault::disk_full}) {
    int faulted = 0;
    for (std::int64_t n = 1; n < 1000; ++n) {
      const auto data = t.copy(fmt::format("ingest-{}-{}", static_cast<int>(kind), n));
      const std::string csv = data + "/scans.csv";
      write_file(csv, csv_text);
      INFO((kind == fv::fault::disk_full ? "disk full" : "I/O error") << " at operation " << n);

      fv::fail_at(n, kind, fv::persistence::persistent);
      auto first = central::run_ingest({data, csv});
      const bool hit = fv::faults() > 0;
      fv::clear();
      if (!hit) {
        CHECK(first);
        std::filesystem::remove_all(data);
        break;
      }
      ++faulted;
      std::size_t stored_first = 0;
      {
        auto db = open_db(data);
        CHECK(integrity(db) == "ok");
        stored_first = stored_ids(db).size();
      }
      if (!first) {
        INFO(first.error().message);
        CHECK(first.error().kind == (kind == fv::fault::disk_full ? error_kind::disk_full : error_kind::io));
        CHECK_THAT(first.error().message, Catch::Contains(csv));
        // What to do: the cause where SQLite knows it (a full disk, a failed
        // write); a central.db that could not be opened at all, checked.
        const auto& m = first.error().message;
        if (kind == fv::fault::disk_full)
          CHECK_THAT(m, Catch::Contains("free space on the central node's disk"));
        else
          CHECK_THAT(m, Catch::Contains("check the central node's disk") ||
                            Catch::Contains("check that the data directory's disk works and has space"));
        CHECK_THAT(first.error().message, Catch::Contains("run the ingest again"));
      }
      // All or nothing: a file whose ingest failed may have reached the disk
      // whole (its commit's sync failed late) but never in part.
      CHECK((stored_first == 0 || stored_first == rows.size()));
      if (first) CHECK(stored_first == rows.size());

      auto again = central::run_ingest({data, csv});
      INFO((again ? *again : again.error().message));
      REQUIRE(again);
      CHECK_THAT(*again, Catch::Contains(fmt::format("{} scans read", rows.size())));
      auto db = open_db(data);
      CHECK(integrity(db) == "ok");
      const auto ids = stored_ids(db);
      CHECK(ids.size() == rows.size());
      for (const auto& id : ids) CHECK(ids.count(id) == 1);
      std::filesystem::remove_all(data);
    }
    CHECK(faulted > 3);
  }
}

TEST_CASE("cmetrack-central export --scans under a read error: no file and no FILE.partial, and an error naming central.db") {
  central_template t;
  const auto data = t.copy("export");
  // Enough scans that the export reads many pages of central.db.
  constexpr int scans = 2000;
  std::string csv_text = "id,kiosk,seq,badge,room,door,direction,at,source\n";
  for (int i = 1; i <= scans; ++i)
    csv_text += fmt::format("export-scan-{:05},K9,{},TAM26-00000{},A,north,auto,2026-04-24T12:{:02}:{:02}Z,wedge\n", i,
                            i, 1 + i % 3, i / 60 % 60, i % 60);
  write_file(data + "/scans.csv", csv_text);
  REQUIRE(central::run_ingest({data, data + "/scans.csv"}));

  fv::scope vfs;
  central::export_options o;
  o.data = data;
  o.out = t.dir / "scans-export.csv";
  const std::string& out = o.out;
  int failed = 0;
  bool reached_the_end = false;
  for (std::int64_t n = 1; n < 5000; ++n) {
    INFO("read error at operation " << n);
    fv::fail_at(n, fv::fault::io_error, fv::persistence::once, true);
    auto exported = central::run_export_scans(o);
    const bool hit = fv::faults() > 0;
    fv::clear();
    INFO((exported ? *exported : exported.error().message));
    CHECK(!std::filesystem::exists(out + ".partial"));
    if (!exported) {
      // Nothing in place: neither the file nor a part of it.
      ++failed;
      CHECK(hit);
      CHECK(!std::filesystem::exists(out));
      CHECK_THAT(exported.error().message, Catch::Contains("central.db"));
      CHECK(exported.error().kind != error_kind::bad_input);
    } else {
      // Whole, or not written: every scan, once.
      REQUIRE(std::filesystem::exists(out));
      const auto text = read_file(out);
      CHECK(std::count(text.begin(), text.end(), '\n') == scans + 1);
      CHECK_THAT(*exported, Catch::Contains(fmt::format("{} scans written", scans)));
      std::filesystem::remove(out);
    }
    if (!hit) {
      reached_the_end = true;
      break;
    }
  }
  // The loop reached past the last read the export makes, and most reads
  // were of the scans themselves.
  CHECK(reached_the_end);
  CHECK(failed > 10);
}

TEST_CASE("cmetrack-central export --attendance under a read error: the roster is never cut short") {
  // The worked example's meeting with a roster of many pages, each attendee
  // in room A for session S1.
  constexpr int people = 1500;
  temp_dir dir;
  auto file = nlohmann::json::parse(read_file(std::string(CMETRACK_TEST_DATA) + "/worked_example.json"));
  auto roster = nlohmann::json::array();
  std::string csv_text = "id,kiosk,seq,badge,room,door,direction,at,source\n";
  for (int i = 1; i <= people; ++i) {
    roster.push_back({{"badge", fmt::format("{:06}", i)}, {"first_name", fmt::format("First{}", i)},
                      {"last_name", fmt::format("Last{}", i)}, {"degree", "MD"}});
    csv_text += fmt::format("roster-in-{:05},K9,{},TAM26-{:06},A,north,in,2026-04-24T12:00:00Z,wedge\n", i, 2 * i, i);
    csv_text += fmt::format("roster-out-{:05},K9,{},TAM26-{:06},A,north,out,2026-04-24T13:00:00Z,wedge\n", i,
                            2 * i + 1, i);
  }
  file["attendees"] = roster;
  const std::string data = dir / "data";
  write_file(dir / "meeting.json", file.dump());
  write_file(dir / "scans.csv", csv_text);
  REQUIRE(central::run_init({data, dir / "meeting.json"}));
  REQUIRE(central::run_ingest({data, dir / "scans.csv"}));

  fv::scope vfs;
  central::export_options o;
  o.data = data;
  o.out = dir / "attendance.csv";
  o.now = "2026-04-25T00:00:00Z";
  int failed = 0;
  bool reached_the_end = false;
  for (std::int64_t n = 1; n < 5000; ++n) {
    INFO("read error at operation " << n);
    fv::fail_at(n, fv::fault::io_error, fv::persistence::once, true);
    auto exported = central::run_export_attendance(o);
    const bool hit = fv::faults() > 0;
    fv::clear();
    INFO((exported ? *exported : exported.error().message));
    CHECK(!std::filesystem::exists(o.out + ".partial"));
    if (!exported) {
      ++failed;
      CHECK(hit);
      CHECK(!std::filesystem::exists(o.out));
      CHECK_THAT(exported.error().message, Catch::Contains("central.db"));
      CHECK(exported.error().kind != error_kind::bad_input);
    } else {
      REQUIRE(std::filesystem::exists(o.out));
      const auto text = read_file(o.out);
      CHECK(std::count(text.begin(), text.end(), '\n') == people + 1);
      CHECK_THAT(*exported, Catch::Contains(fmt::format("{} rows written", people)));
      std::filesystem::remove(o.out);
    }
    if (!hit) {
      reached_the_end = true;
      break;
    }
  }
  CHECK(reached_the_end);
  CHECK(failed > 10);
}
