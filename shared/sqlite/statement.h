#pragma once
// A prepared statement, prepared once and reused: bind, step, read columns,
// reset. Text handed to bind() must outlive the next step() (SQLITE_STATIC),
// which keeps the bulk paths free of copies.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::sqlite {

class statement {
 public:
  static result<statement> prepare(database& db, std::string_view sql);

  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  // Parameters are numbered from 1, as in SQL.
  statement& bind(int index, std::int64_t value);
  statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, double value);
  statement& bind(int index, std::string_view text);  // not copied
  statement& bind(int index, std::nullopt_t);
  statement& bind(int index, const std::optional<std::string>& text);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Steps a statement that returns no rows, then resets it.
  result<void> run();
  void reset();

  // Columns are numbered from 0.
  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  int integer(int column) const { return sqlite3_column_int(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // Valid until the next step or reset.
  std::string_view text(int column) const;
  std::optional<std::string> optional_text(int column) const;

  std::string last_error() const;

 private:
  statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

}  // namespace cmetrack::sqlite
