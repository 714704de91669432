#pragma once
// "The database is unchanged": every row of every table of a SQLite file, as
// one string to compare before and after a command.
#include <string>

namespace cmetrack::test {

// Opens `path` read-only (it must exist) and writes, for each table in
// sqlite_master by name, its schema and `SELECT * ... ORDER BY rowid`, each
// value tagged with its type. Throws when the file cannot be read.
std::string db_snapshot(const std::string& path);

}  // namespace cmetrack::test
