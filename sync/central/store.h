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

result<sqlite::database> open_store(const std::filesystem::path& data_dir, open_mode mode);

}  // namespace cmetrack::central
