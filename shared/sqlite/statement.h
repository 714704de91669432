#pragma once
// A prepared statement, prepared once and reused: bind, step, read columns,
// reset. Text handed to bind() must outlive the next step() (SQLITE_STATIC),
// which keeps the bulk paths free of copies. Stepping tells a row, the end
// of the rows and an error apart: a read that fails half way through is an
// error naming the database file (sqlite_error.h), never the last row.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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

  // Steps to the next row: true when a row is ready to read, false when
  // there are no more; an error of SQLite's kind (sqlite_error.h) where the
  // step failed: "central.db: disk I/O error (code 266)".
  [[nodiscard]] result<bool> step();
  // Steps to the one row a query always gives (a count, a PRAGMA, a
  // settings row); no row at all is an error too.
  [[nodiscard]] result<void> step_row();
  // Steps through every row, calling fn(*this) for each to read its columns,
  // then resets. fn returns nothing, or a result<void> whose error ends the
  // walk. The first error, SQLite's or fn's.
  template <class Fn>
  [[nodiscard]] result<void> for_each_row(Fn&& fn);
  // Steps a statement that returns no rows, then resets it.
  [[nodiscard]] result<void> run();
  // Rewinds the statement and clears its bindings.
  void reset();

  // Columns are numbered from 0.
  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  int integer(int column) const { return sqlite3_column_int(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // Valid until the next step or reset.
  std::string_view text(int column) const;
  std::optional<std::string> optional_text(int column) const;

  const std::string& path() const { return path_; }  // the database file's

 private:
  statement(sqlite3_stmt* stmt, sqlite3* db, std::string path) : stmt_(stmt), db_(db), path_(std::move(path)) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  std::string path_;
};

template <class Fn>
result<void> statement::for_each_row(Fn&& fn) {
  result<void> out;
  for (;;) {
    auto row = step();
    if (!row) {
      out = std::unexpected(std::move(row.error()));
      break;
    }
    if (!*row) break;
    if constexpr (std::is_void_v<std::invoke_result_t<Fn&, const statement&>>) {
      fn(std::as_const(*this));
    } else if (auto r = fn(std::as_const(*this)); !r) {
      out = std::unexpected(std::move(r.error()));
      break;
    }
  }
  reset();
  return out;
}

}  // namespace cmetrack::sqlite
