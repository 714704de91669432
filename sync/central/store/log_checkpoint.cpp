#include "sync/central/store/log_checkpoint.h"

#include <sqlite3.h>

#include <utility>

#include "shared/sqlite/sqlite_error.h"

namespace cmetrack::central {
namespace {

int on_wal_commit(void* watch, sqlite3*, const char*, int pages) {
  (*static_cast<std::function<void(int)>*>(watch))(pages);
  return SQLITE_OK;
}

}  // namespace

log_length_watch::log_length_watch(sqlite::database& db, std::function<void(int pages)> after_commit)
    : db_(db), after_commit_(std::move(after_commit)) {
  sqlite3_wal_hook(db_.handle(), on_wal_commit, &after_commit_);
}

log_length_watch::~log_length_watch() { sqlite3_wal_hook(db_.handle(), nullptr, nullptr); }

namespace {

result<checkpoint_outcome> checkpoint(sqlite::database& db, int mode) {
  checkpoint_outcome out;
  const int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, mode, &out.log_pages, &out.copied_pages);
  if (rc == SQLITE_BUSY) {
    out.busy = true;
    return out;
  }
  if (rc != SQLITE_OK) return std::unexpected(sqlite::from_sqlite(db.handle(), "cannot checkpoint central.db's log"));
  return out;
}

}  // namespace

result<checkpoint_outcome> checkpoint_log(sqlite::database& db) {
  return checkpoint(db, SQLITE_CHECKPOINT_PASSIVE);
}

result<checkpoint_outcome> restart_log(sqlite::database& db, int wait_ms) {
  db.set_busy_timeout(wait_ms);
  auto out = checkpoint(db, SQLITE_CHECKPOINT_RESTART);
  db.set_busy_timeout(sqlite::open_options{}.busy_timeout_ms);
  return out;
}

}  // namespace cmetrack::central
