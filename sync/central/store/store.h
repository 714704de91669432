#pragma once
// central.db: the central node's store. One SQLite file in the data
// directory, WAL, schema by migrations (store.cpp holds them).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "shared/error.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"

namespace cmetrack::central {

enum class open_mode {
  existing,  // the data directory must hold a central.db made by init
  create,    // init: make the directory and the file where missing
};

std::filesystem::path database_path(const std::filesystem::path& data_dir);

// SQLite's page cache: small for reading (a full recompute reads each page
// once), large for bulk writes: ingest inserts at random places in two
// indexes (the scan id, and badge order), which together hold about 300 MiB
// for a 4,000,000-scan congress; a cache that keeps them makes ingest
// 1.45x the sqlite3 shell's .import where 256 MiB made it 1.83x
// (BENCHMARKS.md).
constexpr int read_cache_kib = 8 * 1024;
constexpr int write_cache_kib = 384 * 1024;

result<sqlite::database> open_store(const std::filesystem::path& data_dir, open_mode mode,
                                    int cache_kib = read_cache_kib);

// A second, read-only connection to central.db (the file's path) for work
// serve hands to a worker thread: WAL lets it read beside the writer, from a
// snapshot of its own.
result<sqlite::database> open_store_reader(const std::string& central_db);

// serve's connection: no checkpoint inside its commits (serve runs them on a
// thread of its own: log_checkpoint.h), and commits without a sync of its
// own (serve syncs the log for a group of commits before it answers).
result<void> tune_for_serve(sqlite::database& db);

// Whether another connection committed since the last look (PRAGMA
// data_version, kept prepared): serve's cue to drop what it cached.
class commit_watch {
 public:
  // The connection's data_version now.
  result<std::int64_t> version(sqlite::database& db);

 private:
  std::optional<sqlite::statement> query_;
};

}  // namespace cmetrack::central
