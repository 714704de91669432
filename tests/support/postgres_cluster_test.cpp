// The tests' PostgreSQL: a database of one's own on the shared cluster (CI's, or one this
// process starts with deploy/postgres-cluster.sh), usable through its URL and gone after.
#include "tests/support/postgres_cluster.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "tests/support/process.h"

namespace cmetrack::test {

namespace {

std::string database_count(const std::string& name) {
  return psql(postgres_cluster::shared().admin_url(),
              "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'");
}

}  // namespace

TEST_CASE("postgres: two databases are distinct and each takes CREATE TABLE, INSERT and SELECT", "[postgres]") {
  postgres_database first, second;
  INFO("cluster: " << postgres_cluster::shared().admin_url());
  CHECK(first.name() != second.name());
  CHECK(first.url() != second.url());
  CHECK(psql(first.url(), "SELECT current_database()") == first.name() + "\n");
  CHECK(psql(second.url(), "SELECT current_database()") == second.name() + "\n");

  psql(first.url(), "CREATE TABLE scans (id text PRIMARY KEY, badge text NOT NULL)");
  psql(first.url(), "INSERT INTO scans VALUES ('s1', 'B-1'), ('s2', 'B-2')");
  psql(second.url(), "CREATE TABLE scans (id text PRIMARY KEY, badge text NOT NULL)");
  psql(second.url(), "INSERT INTO scans VALUES ('s3', 'B-3')");

  CHECK(psql(first.url(), "SELECT id, badge FROM scans ORDER BY id") == "s1|B-1\ns2|B-2\n");
  CHECK(psql(second.url(), "SELECT id, badge FROM scans ORDER BY id") == "s3|B-3\n");
  CHECK_THROWS(psql(first.url(), "INSERT INTO scans VALUES ('s1', 'B-9')"));  // psql's errors are errors
}

TEST_CASE("postgres: a database is dropped with its postgres_database, open connections and all", "[postgres]") {
  auto db = std::make_unique<postgres_database>();
  const std::string name = db->name();
  psql(db->url(), "CREATE TABLE t (x int)");
  CHECK(database_count(name) == "1\n");

  // A client still connected does not keep it (WITH (FORCE)).
  const spawned client = spawn({psql_path(), "-X", "-q", "-d", db->url()});
  const auto connected = [&] {
    return psql(postgres_cluster::shared().admin_url(),
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + name + "'") == "1\n";
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!connected() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(connected());

  db.reset();
  CHECK(database_count(name) == "0\n");
  close(client.in);
  close(client.out);
  close(client.err);
  waitpid(client.pid, nullptr, 0);
}

}  // namespace cmetrack::test
