#include "sync/central/store/backup.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include "shared/atomic_file.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/sqlite_error.h"
#include "shared/sqlite/statement.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

// Copies every page of `from` into `to` in one step: one read transaction
// on `from`, so writers (serve, in WAL mode) go on and the copy is one
// consistent snapshot.
result<void> copy_database(sqlite::database& from, sqlite::database& to, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
  if (!b) return std::unexpected(sqlite::from_sqlite(to.handle(), fmt::format("{}: cannot start", what)));
  int rc = SQLITE_OK;
  for (int tries = 0; tries < 100; ++tries) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(50);
  }
  const int finish = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    const int code = rc != SQLITE_DONE ? rc : finish;
    return std::unexpected(
        error{sqlite::kind_of(code), fmt::format("{}: {} (code {})", what, sqlite3_errstr(code), code)});
  }
  return {};
}

// PRAGMA integrity_check's first line and the number of scans, or why not.
result<std::int64_t> check_copy(sqlite::database& db, const std::string& shown) {
  auto check = sqlite::statement::prepare(db, "PRAGMA integrity_check");
  if (!check) return std::unexpected(check.error());
  const auto checked = check->step();
  if (!checked) return with_context(fmt::format("{}: PRAGMA integrity_check could not run", shown), checked.error());
  if (!*checked || check->text(0) != "ok")
    return failure(fmt::format("{}: the copy fails PRAGMA integrity_check: {}", shown,
                               !*checked || check->is_null(0) ? std::string("no answer") : std::string(check->text(0))));
  check->reset();
  auto scans = sqlite::statement::prepare(db, "SELECT count(*) FROM scans");
  if (!scans) return bad_input(fmt::format("{}: not a central.db (no scans table): {}", shown, scans.error().message));
  if (auto r = scans->step_row(); !r) return with_context(fmt::format("{}: cannot count its scans", shown), r.error());
  const auto n = scans->int64(0);
  scans->reset();
  return n;
}

}  // namespace

result<std::string> run_backup(const backup_options& o) {
  auto source = open_store(o.data, open_mode::existing);
  if (!source) return std::unexpected(source.error());
  std::error_code ec;
  const auto out = std::filesystem::path(o.out);
  if (std::filesystem::exists(out, ec))
    return bad_input(fmt::format("--out: {} exists; give a new file name (backups are never overwritten)", o.out));
  // SQLite writes the copy to FILE.partial; it is put in place whole.
  auto file = atomic_file::for_partial_written_elsewhere(o.out);
  std::int64_t scans = 0;
  {
    sqlite::open_options options;
    options.sync = sqlite::synchronous::full;
    auto copy = sqlite::database::open(file.partial(), options);
    if (!copy) return bad_input(fmt::format("--out: {}: {}", o.out, copy.error().message));
    CMETRACK_TRY(copy_database(*source, *copy, "backup of " + source->path()));
    // One self-contained file: no -wal beside it.
    CMETRACK_TRY(copy->exec("PRAGMA journal_mode=DELETE;"));
    auto counted = check_copy(*copy, file.partial());
    if (!counted) return std::unexpected(counted.error());
    scans = *counted;
  }
  if (auto r = file.commit(); !r) return with_context("--out", r.error());
  return fmt::format("{}: a copy of {} with {} scans\n", o.out, database_path(o.data).string(), scans);
}

result<std::string> run_restore(const restore_options& o) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(o.from, ec))
    return bad_input(fmt::format("--from: {}: no such file; give a file `cmetrack-central backup` wrote", o.from));
  sqlite::open_options read_only;
  auto backup = sqlite::database::open(o.from, read_only);
  if (!backup) return bad_input(fmt::format("--from: {}: {}", o.from, backup.error().message));
  auto scans = check_copy(*backup, o.from);
  if (!scans) return std::unexpected(scans.error());
  if (std::filesystem::exists(database_path(o.data), ec))
    return bad_input(fmt::format("--data: {} holds a central.db already; restore puts a backup in its place only "
                                 "where there is none: stop serve and move {} (and any -wal, -shm beside it) aside "
                                 "first",
                                 o.data, database_path(o.data).string()));
  // Creates the data directory where it is gone (a new machine).
  auto target = open_store(o.data, open_mode::create);
  if (!target) return std::unexpected(target.error());
  if (auto r = copy_database(*backup, *target, "restore into " + target->path()); !r) return std::unexpected(r.error());
  // Where the backup is from an older cmetrack, bring its schema up to date.
  auto reopened = open_store(o.data, open_mode::existing);
  if (!reopened) return std::unexpected(reopened.error());
  return fmt::format("{}: restored from {} with {} scans; start serve, and the kiosks' agents send what they "
                     "still hold\n",
                     database_path(o.data).string(), o.from, *scans);
}

}  // namespace cmetrack::central
