// The SQLite layer on real database files: stepping tells a row, the end
// and an error apart, and errors carry their kind (a conflict, a failing or
// full disk through tests/support/fault_vfs) and name the file.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "shared/sqlite/migrations.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {

std::int64_t count_rows(sqlite::database& db) {
  auto s = sqlite::statement::prepare(db, "SELECT count(*) FROM t");
  REQUIRE(s.has_value());
  REQUIRE(s->step_row());
  return s->int64(0);
}

std::string pragma(sqlite::database& db, const char* name) {
  auto s = sqlite::statement::prepare(db, std::string("PRAGMA ") + name);
  REQUIRE(s.has_value());
  REQUIRE(s->step_row());
  return std::string(s->text(0));
}

}  // namespace

TEST_CASE("a database opens in WAL mode with the synchronous mode asked for", "[sqlite]") {
  temp_dir dir;
  auto db = sqlite::database::open(dir / "a.db", {.sync = sqlite::synchronous::full});
  REQUIRE(db.has_value());
  CHECK(pragma(*db, "journal_mode") == "wal");
  CHECK(pragma(*db, "synchronous") == "2");
  auto normal = sqlite::database::open(dir / "b.db", {.sync = sqlite::synchronous::normal});
  REQUIRE(normal.has_value());
  CHECK(pragma(*normal, "synchronous") == "1");
}

TEST_CASE("a transaction rolls back unless committed", "[sqlite]") {
  temp_dir dir;
  auto db = sqlite::database::open(dir / "t.db");
  REQUIRE(db.has_value());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").has_value());
  auto insert = sqlite::statement::prepare(*db, "INSERT INTO t (x) VALUES (?)");
  REQUIRE(insert.has_value());
  {
    auto tx = sqlite::transaction::begin(*db);
    REQUIRE(tx.has_value());
    REQUIRE(insert->bind(1, 1).run().has_value());
  }  // not committed
  CHECK(count_rows(*db) == 0);
  {
    auto tx = sqlite::transaction::begin(*db);
    REQUIRE(tx.has_value());
    REQUIRE(insert->bind(1, 2).run().has_value());  // the same statement, reused
    REQUIRE(tx->commit().has_value());
  }
  CHECK(count_rows(*db) == 1);
}

TEST_CASE("migrations run once each, in order, keyed by user_version", "[sqlite]") {
  temp_dir dir;
  const std::array<std::string_view, 2> steps = {"CREATE TABLE t (x INTEGER)", "ALTER TABLE t ADD COLUMN y TEXT"};
  {
    auto db = sqlite::database::open(dir / "m.db");
    REQUIRE(db.has_value());
    REQUIRE(sqlite::migrate(*db, std::span(steps).first(1)).has_value());
    CHECK(sqlite::user_version(*db) == 1);
  }
  auto db = sqlite::database::open(dir / "m.db");
  REQUIRE(db.has_value());
  REQUIRE(sqlite::migrate(*db, steps).has_value());  // only step 2 runs
  CHECK(sqlite::user_version(*db) == 2);
  REQUIRE(sqlite::migrate(*db, steps).has_value());  // nothing to do
  CHECK(db->exec("INSERT INTO t (x, y) VALUES (1, 'a')").has_value());

  const std::array<std::string_view, 1> older = {"CREATE TABLE t (x INTEGER)"};
  auto refused = sqlite::migrate(*db, older);
  REQUIRE_FALSE(refused.has_value());
  CHECK_THAT(refused.error().message, Catch::Contains("newer than this program knows"));
}

TEST_CASE("a failing migration step leaves the schema at the last whole version", "[sqlite]") {
  temp_dir dir;
  auto db = sqlite::database::open(dir / "f.db");
  REQUIRE(db.has_value());
  const std::array<std::string_view, 2> steps = {"CREATE TABLE t (x INTEGER)",
                                                 "CREATE TABLE u (y INTEGER); CREATE TABLE t (oops)"};
  CHECK_FALSE(sqlite::migrate(*db, steps).has_value());
  CHECK(sqlite::user_version(*db) == 1);
  CHECK_FALSE(db->exec("SELECT * FROM u").has_value());  // step 2 left nothing behind
}

TEST_CASE("step(): true at each row, false at the end, then the statement runs again", "[sqlite]") {
  temp_dir dir;
  auto db = sqlite::database::open(dir / "s.db");
  REQUIRE(db.has_value());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);").has_value());
  auto s = sqlite::statement::prepare(*db, "SELECT x FROM t ORDER BY x");
  REQUIRE(s.has_value());
  for (int pass = 0; pass < 2; ++pass) {
    auto row = s->step();
    REQUIRE(row.has_value());
    REQUIRE(*row);
    CHECK(s->int64(0) == 1);
    row = s->step();
    REQUIRE(row.has_value());
    REQUIRE(*row);
    CHECK(s->int64(0) == 2);
    row = s->step();
    REQUIRE(row.has_value());
    CHECK_FALSE(*row);
  }

  std::vector<std::int64_t> seen;
  REQUIRE(s->for_each_row([&](const sqlite::statement& r) { seen.push_back(r.int64(0)); }).has_value());
  CHECK(seen == std::vector<std::int64_t>{1, 2});
  // fn's own error ends the walk, and is the walk's.
  seen.clear();
  const auto stopped = s->for_each_row([&](const sqlite::statement& r) -> result<void> {
    seen.push_back(r.int64(0));
    return bad_input("row 1 is enough");
  });
  REQUIRE_FALSE(stopped.has_value());
  CHECK(stopped.error().message == "row 1 is enough");
  CHECK(seen == std::vector<std::int64_t>{1});

  auto none = sqlite::statement::prepare(*db, "SELECT x FROM t WHERE x > 2");
  REQUIRE(none.has_value());
  auto empty = none->step();
  REQUIRE(empty.has_value());
  CHECK_FALSE(*empty);
  const auto no_row = none->step_row();  // where a row was expected: an error
  REQUIRE_FALSE(no_row.has_value());
  CHECK_THAT(no_row.error().message, Catch::Contains(dir / "s.db") && Catch::Contains("gave no row"));
}

TEST_CASE("step(): a statement on a table dropped underneath is an error naming the file, not the end", "[sqlite]") {
  temp_dir dir;
  const std::string path = dir / "d.db";
  auto db = sqlite::database::open(path);
  REQUIRE(db.has_value());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").has_value());
  auto s = sqlite::statement::prepare(*db, "SELECT x FROM t");
  REQUIRE(s.has_value());
  auto other = sqlite::database::open(path);
  REQUIRE(other.has_value());
  REQUIRE(other->exec("DROP TABLE t").has_value());

  const auto row = s->step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == error_kind::failure);
  CHECK_THAT(row.error().message, Catch::StartsWith(path + ": ") && Catch::Contains("no such table: t") &&
                                      Catch::Contains("(code 1)"));
  int rows = 0;
  const auto walk = s->for_each_row([&](const sqlite::statement&) { ++rows; });
  REQUIRE_FALSE(walk.has_value());
  CHECK(rows == 0);
}

TEST_CASE("a change the store's constraints refuse is a conflict, from run() and from step()", "[sqlite]") {
  temp_dir dir;
  const std::string path = dir / "c.db";
  auto db = sqlite::database::open(path);
  REQUIRE(db.has_value());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1);").has_value());
  auto insert = sqlite::statement::prepare(*db, "INSERT INTO t (x) VALUES (?) RETURNING x");
  REQUIRE(insert.has_value());
  const auto ran = insert->bind(1, 1).run();
  REQUIRE_FALSE(ran.has_value());
  CHECK(ran.error().kind == error_kind::conflict);
  CHECK(ran.error().message == path + ": UNIQUE constraint failed: t.x (code 2067)");
  const auto stepped = insert->bind(1, 1).step();
  REQUIRE_FALSE(stepped.has_value());
  CHECK(stepped.error().kind == error_kind::conflict);
  insert->reset();
  const auto exec = db->exec("INSERT INTO t VALUES (1)");
  REQUIRE_FALSE(exec.has_value());
  CHECK(exec.error().kind == error_kind::conflict);
  CHECK(count_rows(*db) == 1);  // the first row alone
}

TEST_CASE("step(): a read failing half way through the rows is an io error, never a shorter list", "[sqlite]") {
  namespace fv = cmetrack::test::fault_vfs;
  temp_dir dir;
  const std::string path = dir / "r.db";
  constexpr int rows = 3000;  // many pages
  {
    auto db = sqlite::database::open(path);
    REQUIRE(db.has_value());
    REQUIRE(db->exec("CREATE TABLE t (x INTEGER PRIMARY KEY, filler TEXT);"
                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                     "INSERT INTO t SELECT i, printf('%.100c', 'x') FROM n;")
                .has_value());
  }  // closed: the WAL checkpointed into the file
  fv::scope vfs;
  int cut = 0;  // runs whose read failed after some rows
  bool whole = false;
  for (std::int64_t n = 1; n < 1000 && !whole; ++n) {
    INFO("read error at operation " << n);
    fv::fail_at(n, fv::fault::io_error, fv::persistence::once, true);
    auto db = sqlite::database::open(path);
    int seen = 0;
    result<void> walk;
    if (db) {
      auto s = sqlite::statement::prepare(*db, "SELECT x FROM t ORDER BY x");
      if (s) walk = s->for_each_row([&](const sqlite::statement&) { ++seen; });
      else walk = std::unexpected(s.error());
    } else {
      walk = std::unexpected(db.error());
    }
    const bool hit = fv::faults() > 0;
    fv::clear();
    if (walk) {
      CHECK(seen == rows);  // every row, or an error
      whole = !hit;
      continue;
    }
    INFO(walk.error().message);
    CHECK(hit);
    CHECK(walk.error().kind == error_kind::io);
    CHECK_THAT(walk.error().message, Catch::Contains(path));
    if (seen > 0) {
      ++cut;
      CHECK(seen < rows);
      CHECK_THAT(walk.error().message, Catch::Contains("disk I/O error (code 266)"));  // SQLITE_IOERR_READ
    }
  }
  CHECK(whole);
  CHECK(cut > 10);
}

TEST_CASE("run(): a write the full disk refuses is disk_full", "[sqlite]") {
  namespace fv = cmetrack::test::fault_vfs;
  temp_dir dir;
  const std::string path = dir / "f.db";
  fv::scope vfs;
  auto db = sqlite::database::open(path);
  REQUIRE(db.has_value());
  REQUIRE(db->exec("CREATE TABLE t (x TEXT)").has_value());
  auto insert = sqlite::statement::prepare(*db, "INSERT INTO t (x) VALUES (?)");
  REQUIRE(insert.has_value());
  const std::string page(4096, 'x');
  fv::fail_at(1, fv::fault::disk_full, fv::persistence::persistent);
  const auto r = insert->bind(1, std::string_view(page)).run();
  const bool hit = fv::faults() > 0;
  fv::clear();
  REQUIRE(hit);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == error_kind::disk_full);
  CHECK_THAT(r.error().message, Catch::StartsWith(path + ": ") && Catch::Contains("(code 13)"));
  REQUIRE(insert->bind(1, std::string_view(page)).run().has_value());  // space again
  CHECK(count_rows(*db) == 1);
}
