#pragma once
// A PostgreSQL connection through libpq, as the archive uses it: open by URL
// (postgresql://...), run SQL with text parameters, read the rows as text.
// Errors have kinds (shared/error.h): a server that cannot be reached or a
// failed statement is a failure, a full disk (SQLSTATE 53100) disk_full, a
// constraint or trigger's refusal (class 23, P0001) bad_input. Messages name
// the URL without its password.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"

namespace cmetrack::postgres {

// Whether `data` is a PostgreSQL URL rather than a data directory.
bool is_url(std::string_view data);

// The URL with its password, if any, replaced by "***".
std::string redacted(std::string_view url);

// The rows a statement returned.
class rows {
 public:
  explicit rows(PGresult* r) : result_(r, &PQclear) {}
  PGresult* get() const { return result_.get(); }
  int size() const { return PQntuples(result_.get()); }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const { return PQgetvalue(result_.get(), row, column); }
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  // The number of rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

using parameter = std::optional<std::string>;  // nothing: NULL

class connection {
 public:
  // Connects within 10 s (or the URL's connect_timeout).
  static result<connection> open(const std::string& url);

  // One statement (or several without parameters), its rows.
  result<rows> exec(const std::string& sql, const std::vector<parameter>& params = {});

  // COPY ... FROM STDIN: start it, send its rows (copy_row), end it. Nothing
  // else runs on the connection in between.
  result<void> copy_start(const std::string& sql);
  result<void> copy_row(const std::vector<parameter>& row);
  result<void> copy_end();

  const std::string& url() const { return url_; }  // redacted

 private:
  connection(PGconn* c, std::string url) : conn_(c, &PQfinish), url_(std::move(url)) {}
  result<void> copy_send();
  result<void> failed(const char* what);

  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
  std::string url_;
  std::string copy_buffer_;  // COPY's text format, sent a megabyte at a time
};

// BEGIN now; ROLLBACK at the end of the scope unless commit() succeeded.
class transaction {
 public:
  static result<transaction> begin(connection& c);
  transaction(transaction&& other) noexcept : c_(other.c_) { other.c_ = nullptr; }
  transaction& operator=(transaction&&) = delete;
  ~transaction();
  result<void> commit();

 private:
  explicit transaction(connection& c) : c_(&c) {}
  connection* c_;
};

}  // namespace cmetrack::postgres
