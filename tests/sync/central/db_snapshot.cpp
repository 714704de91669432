#include "tests/sync/central/db_snapshot.h"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace cmetrack::test {
namespace {

struct db_close {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct stmt_finalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using db_ptr = std::unique_ptr<sqlite3, db_close>;
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalize>;

stmt_ptr prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw std::runtime_error("db_snapshot: " + sql + ": " + sqlite3_errmsg(db));
  return stmt_ptr(raw);
}

std::string text_of(sqlite3_stmt* s, int column) {
  const auto* p = sqlite3_column_text(s, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
           : std::string();
}

// Every row of `sql`, one line a row, each value with its type.
void dump_rows(sqlite3* db, const std::string& sql, std::string& out) {
  auto s = prepare(db, sql);
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    const int n = sqlite3_column_count(s.get());
    for (int c = 0; c < n; ++c) {
      out += c == 0 ? "  " : " | ";
      switch (sqlite3_column_type(s.get(), c)) {
        case SQLITE_NULL: out += "NULL"; break;
        case SQLITE_INTEGER: out += "i:" + std::to_string(sqlite3_column_int64(s.get(), c)); break;
        case SQLITE_FLOAT: out += "f:" + text_of(s.get(), c); break;
        case SQLITE_BLOB: out += "b:" + std::to_string(sqlite3_column_bytes(s.get(), c)) + " bytes"; break;
        default: out += "t:'" + text_of(s.get(), c) + "'"; break;
      }
    }
    out += '\n';
  }
  if (rc != SQLITE_DONE) throw std::runtime_error("db_snapshot: " + sql + ": " + sqlite3_errmsg(db));
}

}  // namespace

std::string db_snapshot(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  db_ptr db(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error("db_snapshot: cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));

  std::string out;
  dump_rows(db.get(), "PRAGMA user_version", out);
  std::vector<std::string> tables;
  {
    auto s = prepare(db.get(), "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      tables.push_back(text_of(s.get(), 0));
      out += "table " + tables.back() + ": " + text_of(s.get(), 1) + "\n";
    }
  }
  for (const auto& t : tables) {
    out += "rows of " + t + ":\n";
    std::string quoted;
    for (const char c : t) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    dump_rows(db.get(), "SELECT * FROM \"" + quoted + "\" ORDER BY rowid", out);
  }
  return out;
}

}  // namespace cmetrack::test
