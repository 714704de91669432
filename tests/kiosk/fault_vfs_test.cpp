// The kiosk's disk fails under kiosk.db (tests/support/fault_vfs: the Nth
// write, sync, truncate, journal open or read fails, or the disk is full
// from the Nth operation on), for N = 1, 2, 3... until a run needs no
// fault: the scan in hand is refused with `error` and a reason staff can act
// on (no crash, nothing thrown), every scan the kiosk said it recorded is in the file
// exactly once with seq 1, 2, 3..., the file passes integrity_check, and once
// the disk works again the next scans record at the next seq.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kiosk/core/scan_intake.h"
#include "shared/sqlite/statement.h"
#include "tests/kiosk/fixtures.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;
namespace fx = cmetrack::kiosk::test;
namespace fv = cmetrack::test::fault_vfs;

namespace {

std::string integrity(sqlite::database& db) {
  auto s = sqlite::statement::prepare(db, "PRAGMA integrity_check");
  REQUIRE(s);
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

// A kiosk.db with the worked example cached for room A: made once, copied
// for every run so each starts from the same fresh file.
std::string template_db(const cmetrack::test::temp_dir& dir) {
  const std::string path = dir / "template.db";
  {
    auto store = kiosk_store::open(path);
    REQUIRE(store);
    REQUIRE(store->cache_meeting(fx::worked_example(), "A"));
  }  // closed: the WAL is checkpointed into the file and removed
  REQUIRE(!std::filesystem::exists(path + "-wal"));
  return path;
}

// The scans of a run: registered badges in and out, an unregistered one, a
// payload that is no badge; each at its own minute, so a row tells which
// scan it was.
const std::vector<std::string> payloads = {"TAM26-000001", "TAM26-000002", "TAM26-000003", "not a badge",
                                           "TAM26-000001", "TAM26-000002"};
time_ms scan_time(std::size_t i) { return fx::at("08:00:00") + static_cast<time_ms>(i) * 60'000; }

struct run_result {
  bool faulted = false;  // the plan failed an operation
  int refused = 0;       // scans answered `error`
};

// One run: a fresh kiosk.db, the fault armed at operation n, the scans
// recorded; then the disk repaired, two more scans, and the file checked.
// `close_while_faulty`: the kiosk is closed (as at a restart) before the
// disk is repaired, so the next open finds what the failed writes left.
run_result run(const cmetrack::test::temp_dir& dir, const std::string& templ, std::int64_t n, fv::fault kind,
               fv::persistence how, bool close_while_faulty, bool count_reads) {
  const std::string path = dir / fmt::format("run-{}.db", n);
  std::filesystem::copy_file(templ, path);
  INFO("run " << n << ": " << path);

  std::map<time_ms, std::string> recorded;  // at -> id, of the scans the kiosk said it recorded
  std::set<time_ms> refused;                // the scans it said it did not
  std::int64_t last_seq = 0;
  run_result out;

  const auto check_outcome = [&](const scan_outcome& o, time_ms at) {
    if (o.result == scan_result::error) {
      INFO("reason: " << o.reason);
      // Nothing claimed; the reason names the file and what to do.
      CHECK(o.id.empty());
      CHECK(o.seq == 0);
      CHECK_THAT(o.reason, Catch::Contains(path));
      if (kind == fv::fault::disk_full)
        CHECK_THAT(o.reason, Catch::Contains("free space on the kiosk's disk"));
      else
        CHECK_THAT(o.reason, Catch::Contains("check the kiosk's disk"));
      CHECK_THAT(o.reason, Catch::Contains("scans recorded so far are safe"));
      refused.insert(at);
      ++out.refused;
      return;
    }
    CHECK(o.seq == last_seq + 1);
    CHECK(!o.id.empty());
    last_seq = o.seq;
    recorded.emplace(at, o.id);
  };

  auto opened = kiosk_store::open(path);
  REQUIRE(opened);
  auto store = std::make_unique<kiosk_store>(std::move(*opened));
  auto created = scan_intake::create(*store, fx::room_a_kiosk());
  REQUIRE(created);
  auto intake = std::make_unique<scan_intake>(std::move(*created));

  fv::fail_at(n, kind, how, count_reads);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    scan_outcome o;
    REQUIRE_NOTHROW(o = intake->record(payloads[i], scan_time(i), "wedge"));
    check_outcome(o, scan_time(i));
  }
  out.faulted = fv::faults() > 0;
  if (!out.faulted) CHECK(out.refused == 0);
  if (how == fv::persistence::once) CHECK(out.refused <= 1);

  if (close_while_faulty) {
    intake.reset();
    store.reset();  // the kiosk stops; its close may fail to checkpoint
  }
  fv::clear();  // the disk works again (space freed, disk replaced)
  if (close_while_faulty) {
    auto reopened = kiosk_store::open(path);
    REQUIRE(reopened);
    store = std::make_unique<kiosk_store>(std::move(*reopened));
    auto again = scan_intake::create(*store, fx::room_a_kiosk());
    REQUIRE(again);
    intake = std::make_unique<scan_intake>(std::move(*again));
    // A scan refused because its commit's sync failed may have reached the
    // disk all the same, and a restart finds it: it is then stored, once,
    // at the next seq. Never the other way round.
    auto rows = store->all_scans();
    REQUIRE(rows);
    last_seq = rows->empty() ? 0 : rows->back().seq;
  }
  for (std::size_t i = payloads.size(); i < payloads.size() + 2; ++i) {
    const auto o = intake->record("TAM26-000002", scan_time(i), "wedge");
    INFO("after the repair: " << o.reason);
    REQUIRE(o.result != scan_result::error);
    check_outcome(o, scan_time(i));
  }
  intake.reset();
  store.reset();

  // What a restart finds: the file is sound; every recorded scan is there
  // once with its id; the only other rows are refused scans that reached
  // the disk after all; seq runs 1, 2, 3...
  auto reopened = kiosk_store::open(path);
  REQUIRE(reopened);
  CHECK(integrity(reopened->connection_for_tests()) == "ok");
  auto rows = reopened->all_scans();
  REQUIRE(rows);
  std::map<time_ms, int> seen;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    CHECK(r.seq == static_cast<std::int64_t>(i) + 1);
    ++seen[r.at];
    if (auto it = recorded.find(r.at); it != recorded.end()) {
      CHECK(r.id == it->second);
    } else {
      INFO("a row no scan was recorded as, at " << r.at);
      CHECK(close_while_faulty);
      CHECK(refused.contains(r.at));
    }
  }
  for (const auto& [at, id] : recorded) {
    INFO("recorded scan " << id);
    CHECK(seen[at] == 1);
  }
  for (const auto& [at, times] : seen) CHECK(times == 1);
  std::filesystem::remove(path);
  return out;
}

// Runs N = 1, 2, 3... until a run hits no fault (the scans need fewer
// operations than N); returns how many runs faulted. `count_reads`: reads
// are operations too (and fail).
int every_n(fv::fault kind, fv::persistence how, bool close_while_faulty, bool count_reads = false) {
  cmetrack::test::temp_dir dir;
  fv::scope vfs;
  const auto templ = template_db(dir);
  int faulted = 0, refused = 0;
  for (std::int64_t n = 1; n < 500; ++n) {
    const auto r = run(dir, templ, n, kind, how, close_while_faulty, count_reads);
    if (!r.faulted) break;
    ++faulted;
    refused += r.refused > 0 ? 1 : 0;
  }
  INFO(faulted << " runs faulted, " << refused << " of them refused a scan");
  // The loop reached every operation the scans make, and the faults were seen.
  CHECK(faulted > static_cast<int>(payloads.size()));
  CHECK(refused > 0);
  return faulted;
}

}  // namespace

TEST_CASE("kiosk.db: an I/O error at any write refuses the scan in hand, and the next scan records") {
  every_n(fv::fault::io_error, fv::persistence::once, false);
  every_n(fv::fault::io_error, fv::persistence::once, false, true);  // reads fail too
}

TEST_CASE("kiosk.db: a disk failing from any write on refuses every scan until repaired, and loses none") {
  every_n(fv::fault::io_error, fv::persistence::persistent, false);
  every_n(fv::fault::io_error, fv::persistence::persistent, true);
}

TEST_CASE("kiosk.db: a disk full from any write on refuses scans with a reason, and recording resumes with space") {
  every_n(fv::fault::disk_full, fv::persistence::persistent, false);
  every_n(fv::fault::disk_full, fv::persistence::persistent, true);
}
