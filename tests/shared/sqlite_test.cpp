// The SQLite layer on real database files.
#include <catch2/catch.hpp>

#include <array>

#include "shared/sqlite/migrations.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
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
