#pragma once
// PostgreSQL for tests, through the psql command (no libpq here): a cluster
// shared by a test process and an empty database of its own for each test.
//
//   postgres_database db;              // CREATE DATABASE on the shared cluster
//   run_the_product_with(db.url());    // postgresql:///NAME?host=%2Ftmp%2F...&user=...
//   psql(db.url(), "SELECT ...");      // what psql printed (unaligned, tuples only)
//                                      // DROP DATABASE ... WITH (FORCE) at the end
#include <string>

namespace cmetrack::test {

// A PostgreSQL cluster for a test: the one CI started (CMETRACK_TEST_POSTGRES, a libpq URL of its
// `postgres` database) or, without it, one of its own started by deploy/postgres-cluster.sh in a
// temporary directory and stopped when the last user is gone (at the test process's exit).
class postgres_cluster {
 public:
  // The test process's cluster, started on first use when it is its own; throws where
  // deploy/postgres-cluster.sh fails (with what it printed).
  static postgres_cluster& shared();

  ~postgres_cluster();  // stops and removes a cluster this process started
  postgres_cluster(const postgres_cluster&) = delete;
  postgres_cluster& operator=(const postgres_cluster&) = delete;

  // The libpq URL of the cluster's `postgres` database (a superuser's connection).
  const std::string& admin_url() const { return admin_url_; }
  // The same URL naming another database of the cluster.
  std::string url_of(const std::string& database) const;
  // Whether this process started it (no CMETRACK_TEST_POSTGRES).
  bool own() const { return !dir_.empty(); }

 private:
  postgres_cluster();
  std::string admin_url_;
  std::string dir_;  // the cluster's directory when this process started it
  int owner_pid_ = -1;
};

// A new, empty database on the shared cluster for one test, dropped at the end (its URL).
class postgres_database {
 public:
  postgres_database();   // CREATE DATABASE with a unique name (pid + counter + random)
  ~postgres_database();  // DROP DATABASE ... WITH (FORCE)
  postgres_database(const postgres_database&) = delete;
  postgres_database& operator=(const postgres_database&) = delete;

  const std::string& url() const { return url_; }  // postgresql:///NAME?host=...&user=...
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string url_;
};

// Runs `sql` with psql on the database at `url` (-v ON_ERROR_STOP=1 -X -q -A -t -c SQL) and
// returns what it printed: one line a row, columns separated by '|'. Throws on failure, with
// psql's error output.
std::string psql(const std::string& url, const std::string& sql);

// The psql executable: PostgreSQL 15's (/usr/lib/postgresql/15/bin/psql), else the first on PATH.
std::string psql_path();

}  // namespace cmetrack::test
