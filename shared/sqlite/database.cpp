#include "shared/sqlite/database.h"

#include <fmt/format.h>

#include <utility>

namespace cmetrack::sqlite {

result<database> database::open(const std::string& path, const open_options& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  database db(raw, path);
  if (rc != SQLITE_OK)
    return failure(fmt::format("{}: cannot open the database: {}", path,
                               raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);

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
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string why = message ? message : last_error();
    sqlite3_free(message);
    return failure(fmt::format("{}: {}", path_, why));
  }
  return {};
}

std::string database::last_error() const {
  return fmt::format("{} (code {})", sqlite3_errmsg(db_), sqlite3_extended_errcode(db_));
}

}  // namespace cmetrack::sqlite
