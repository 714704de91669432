#pragma once
// central.db: the central node's store. One SQLite file in the data
// directory, WAL, schema by migrations (store.cpp holds them).
#include <filesystem>

#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

enum class open_mode {
  existing,  // the data directory must hold a central.db made by init
  create,    // init: make the directory and the file where missing
};

std::filesystem::path database_path(const std::filesystem::path& data_dir);

// SQLite's page cache: small for reading (a full recompute reads each page
// once), large for bulk writes (ingest keeps the scan indexes in memory).
constexpr int read_cache_kib = 8 * 1024;
constexpr int write_cache_kib = 256 * 1024;

result<sqlite::database> open_store(const std::filesystem::path& data_dir, open_mode mode,
                                    int cache_kib = read_cache_kib);

}  // namespace cmetrack::central
