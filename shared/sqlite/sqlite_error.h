#pragma once
// SQLite's result codes as errors (shared/error.h), in one place: the kind a
// code is, and the connection's last error as a message naming the file.
#include <sqlite3.h>

#include <string_view>

#include "shared/error.h"

namespace cmetrack::sqlite {

// The kind of a result code, extended codes too: SQLITE_FULL a full disk;
// SQLITE_IOERR_*, SQLITE_CORRUPT and SQLITE_CANTOPEN a file that could not
// be read or written (io); SQLITE_CONSTRAINT_* a change the store refused
// (conflict); any other code a failure.
error_kind kind_of(int code);

// The connection's last error: "WHAT: MESSAGE (code N)" of kind_of(N), e.g.
// "/srv/cmetrack/central.db: disk I/O error (code 266)". `what` names the
// database file, and what was being done where that helps.
error from_sqlite(sqlite3* db, std::string_view what);

}  // namespace cmetrack::sqlite
