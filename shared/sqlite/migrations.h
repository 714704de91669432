#pragma once
// Schema migrations: an ordered list of SQL steps; step i brings the schema
// from version i to i+1 (PRAGMA user_version). Each step runs in its own
// transaction together with the version bump, so a crash leaves the schema at
// a whole version.
#include <span>
#include <string_view>

#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::sqlite {

result<void> migrate(database& db, std::span<const std::string_view> steps);

// The schema version the file holds.
result<int> user_version(database& db);

}  // namespace cmetrack::sqlite
