#include "shared/sqlite/database.h"

#include <fmt/format.h>

#include <cstdint>
#include <utility>

#include "shared/sqlite/sqlite_error.h"

namespace cmetrack::sqlite {
namespace {

// Waits for another connection's lock in steps of 2 ms, up to the busy
// timeout. SQLite's own busy timeout sleeps up to 100 ms a step, so a
// writer that takes the lock back sooner than that (an ingest in parts,
// pausing between them) would keep this one waiting to the end.
int wait_in_short_steps(void* timeout_ms, int tries) {
  constexpr int step_ms = 2;
  if (static_cast<std::intptr_t>(tries) * step_ms >= reinterpret_cast<std::intptr_t>(timeout_ms)) return 0;
  sqlite3_sleep(step_ms);
  return 1;
}

}  // namespace

void database::set_busy_timeout(int ms) {
  sqlite3_busy_handler(db_, wait_in_short_steps, reinterpret_cast<void*>(static_cast<std::intptr_t>(ms)));
}

result<database> database::open(const std::string& path, const open_options& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  database db(raw, path);
  if (rc != SQLITE_OK) {
    if (!raw) return std::unexpected(error{kind_of(rc), fmt::format("{}: cannot open the database: {} (code {})",
                                                                    path, sqlite3_errstr(rc), rc)});
    return std::unexpected(from_sqlite(raw, fmt::format("{}: cannot open the database", path)));
  }
  sqlite3_extended_result_codes(raw, 1);
  db.set_busy_timeout(options.busy_timeout_ms);

  const char* sync = options.sync == synchronous::full     ? "FULL"
                     : options.sync == synchronous::normal ? "NORMAL"
                                                           : "OFF";
  std::string pragmas = fmt::format("PRAGMA foreign_keys=ON; PRAGMA cache_size=-{}; ", options.cache_kib);
  if (!options.read_only) pragmas += fmt::format("PRAGMA journal_mode=WAL; PRAGMA synchronous={};", sync);
  if (auto r = db.exec(pragmas); !r) return std::unexpected(r.error());
  return db;
}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

database::~database() {
  if (db_) sqlite3_close_v2(db_);
}

result<void> database::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return std::unexpected(from_sqlite(db_, path_));
  return {};
}

}  // namespace cmetrack::sqlite
