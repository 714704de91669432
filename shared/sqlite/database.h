#pragma once
// One open SQLite connection. On open: WAL journal, a busy timeout, foreign
// keys on, and the synchronous mode the caller chose (kiosks want FULL: a scan
// shown as recorded survives a power cut; the central node's bulk ingest can
// use NORMAL, which in WAL mode is still safe against corruption).
#include <sqlite3.h>

#include <string>
#include <string_view>

#include "shared/error.h"

namespace cmetrack::sqlite {

enum class synchronous { off, normal, full };

struct open_options {
  synchronous sync = synchronous::full;
  int busy_timeout_ms = 5000;
  int cache_kib = 64 * 1024;  // page cache per connection
  bool create = true;         // create the file if it does not exist
  bool read_only = false;
};

class database {
 public:
  static result<database> open(const std::string& path, const open_options& options = {});

  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  // Runs one or more statements that return no rows. An error is of
  // SQLite's kind and names the file (sqlite_error.h).
  [[nodiscard]] result<void> exec(std::string_view sql);

  // How long a statement waits for another connection's lock (in steps of
  // 2 ms) before it fails busy.
  void set_busy_timeout(int ms);

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace cmetrack::sqlite
