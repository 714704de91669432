// serve's checkpoints: central.db's log is copied back into the file on a
// thread of its own, never inside a commit of serve's connection (which
// runs on the I/O thread, where every batch would wait for the copy).
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "sync/central/server/log_checkpointer.h"
#include "sync/central/store/log_checkpoint.h"
#include "sync/central/store/store.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {
namespace {

namespace fs = std::filesystem;
using central::checkpoint_log;
using central::lengthen_log;
using central::log_checkpointer;
using central::restart_log;
using central::tune_for_serve;

sqlite::database open_db(const std::string& path) {
  sqlite::open_options options;
  options.sync = sqlite::synchronous::normal;
  auto db = sqlite::database::open(path, options);
  REQUIRE(db);
  return std::move(*db);
}

// `rows` rows of 3,000 bytes, one commit: most of a page each.
void commit_rows(sqlite::database& db, int rows) {
  REQUIRE(db.exec(fmt::format("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) "
                              "INSERT INTO pages SELECT randomblob(3000) FROM n;",
                              rows)));
}

TEST_CASE("serve's connection leaves central.db's log to the checkpoint thread, which copies it back past its mark") {
  temp_dir dir;
  const auto path = dir / "central.db";
  auto serve_db = open_db(path);
  REQUIRE(serve_db.exec("CREATE TABLE pages (body BLOB);"));
  REQUIRE(tune_for_serve(serve_db));
  const auto file_size = [&] { return fs::file_size(path); };
  const auto before = file_size();

  // 1,500 pages: past SQLite's own mark of 1,000, so a connection as SQLite
  // sets it up copies them back within the commit ...
  const auto plain_path = dir / "plain.db";
  {
    auto plain = open_db(plain_path);
    REQUIRE(plain.exec("CREATE TABLE pages (body BLOB);"));
    const auto plain_before = fs::file_size(plain_path);
    commit_rows(plain, 1500);
    CHECK(fs::file_size(plain_path) > plain_before + 1000 * 4096);
  }
  // ... and serve's does not.
  commit_rows(serve_db, 1500);
  CHECK(file_size() == before);

  // With the checkpoint thread watching, the next commit past the mark is
  // copied back, by that thread.
  auto own = open_db(path);
  {
    log_checkpointer checkpoints(serve_db, own, 1000);
    commit_rows(serve_db, 1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (file_size() < before + 1500 * 3000 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(file_size() >= before + 1500 * 3000);
  auto done = checkpoint_log(own);
  REQUIRE(done);
  CHECK(done->copied_pages == done->log_pages);  // nothing was left to copy

  // A reader in the log while a checkpoint runs leaves part of it to copy,
  // and a writer then appends rather than starting the log again.
  auto reader = open_db(path);
  REQUIRE(reader.exec("BEGIN; SELECT count(*) FROM pages;"));
  commit_rows(serve_db, 100);
  auto partly = checkpoint_log(own);
  REQUIRE(partly);
  CHECK(partly->copied_pages < partly->log_pages);
  commit_rows(serve_db, 1);
  auto longer = checkpoint_log(own);
  REQUIRE(longer);
  CHECK(longer->log_pages > partly->log_pages);
  // While the reader stays, a restart gives up after its wait, busy.
  auto held = restart_log(own, 20);
  REQUIRE(held);
  CHECK(held->busy);
  // Once it has left, the restart copies the rest, and the next commit
  // writes the log from its head.
  REQUIRE(reader.exec("COMMIT;"));
  auto restarted = restart_log(own, 20);
  REQUIRE(restarted);
  CHECK_FALSE(restarted->busy);
  CHECK(restarted->copied_pages == restarted->log_pages);
  commit_rows(serve_db, 1);
  auto fresh = checkpoint_log(own);
  REQUIRE(fresh);
  CHECK(fresh->log_pages < 10);
}

TEST_CASE("serve lengthens central.db's log at start with zeros, and the frames written into them read back after a reopen") {
  temp_dir dir;
  const auto path = dir / "central.db";
  const auto log = dir / "central.db-wal";
  constexpr std::int64_t long_log = 4 << 20;
  {
    auto serve_db = open_db(path);
    REQUIRE(serve_db.exec("CREATE TABLE pages (body BLOB);"));
    REQUIRE(tune_for_serve(serve_db));
    commit_rows(serve_db, 10);
    const auto short_log = fs::file_size(log);
    REQUIRE(short_log < 100 * 4096);

    REQUIRE(lengthen_log(serve_db, long_log));
    CHECK(fs::file_size(log) == long_log);
    // Zeros, not a hole: every block of the file is there.
    struct stat st{};
    REQUIRE(::stat(log.c_str(), &st) == 0);
    CHECK(st.st_blocks * 512 >= long_log);

    // Commits go on inside the file's length, and a connection that opens
    // the store now reads every row: the zeros after the frames are no frame.
    commit_rows(serve_db, 500);
    CHECK(fs::file_size(log) == long_log);
    auto other = open_db(path);
    auto counted = sqlite::statement::prepare(other, "SELECT count(*) FROM pages");
    REQUIRE(counted);
    REQUIRE(counted->step_row());
    CHECK(counted->int64(0) == 510);

    // A log already as long is left as it is.
    REQUIRE(lengthen_log(serve_db, 1 << 20));
    CHECK(fs::file_size(log) == long_log);

    // While another connection writes, the lengthening waits for it, and
    // the writer's frames are not overwritten.
    REQUIRE(other.exec("BEGIN IMMEDIATE; INSERT INTO pages VALUES (randomblob(10));"));
    serve_db.set_busy_timeout(50);
    CHECK_FALSE(lengthen_log(serve_db, long_log * 2));
    CHECK(fs::file_size(log) == long_log);
    REQUIRE(other.exec("COMMIT;"));
  }
  // Every connection closed: SQLite copies the log back and removes it.
  auto reopened = open_db(path);
  auto counted = sqlite::statement::prepare(reopened, "SELECT count(*) FROM pages");
  REQUIRE(counted);
  REQUIRE(counted->step_row());
  CHECK(counted->int64(0) == 511);
  REQUIRE(reopened.exec("PRAGMA integrity_check;"));
}

}  // namespace
}  // namespace cmetrack::test
