#include "shared/sqlite/sqlite_error.h"

#include <fmt/format.h>

namespace cmetrack::sqlite {

error_kind kind_of(int code) {
  switch (code & 0xff) {  // the primary code of an extended one
    case SQLITE_FULL: return error_kind::disk_full;
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_CANTOPEN: return error_kind::io;
    case SQLITE_CONSTRAINT: return error_kind::conflict;
    default: return error_kind::failure;
  }
}

error from_sqlite(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  return {kind_of(code), fmt::format("{}: {} (code {})", what, sqlite3_errmsg(db), code)};
}

}  // namespace cmetrack::sqlite
