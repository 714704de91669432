#include "sync/central/archive/postgres.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

namespace cmetrack::postgres {
namespace {

std::int64_t to_int64(const char* text) {
  std::int64_t v = 0;
  std::from_chars(text, text + std::strlen(text), v);
  return v;
}

// The server's message without its trailing newline.
std::string message_of(const char* m) {
  // libpq's lines ("...failed: Connection refused\n\tIs the server running...") as one.
  std::string s;
  bool space = false;
  for (const char* p = m ? m : ""; *p; ++p) {
    if (*p == '\n' || *p == '\t' || *p == ' ') {
      space = !s.empty();
      continue;
    }
    if (space) s += ' ';
    space = false;
    s += *p;
  }
  return s;
}

error_kind kind_of(const PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (!state) return error_kind::failure;
  const std::string_view s(state);
  if (s == "53100") return error_kind::disk_full;
  if (s.starts_with("23") || s == "P0001") return error_kind::bad_input;
  return error_kind::failure;
}

}  // namespace

bool is_url(std::string_view data) { return data.starts_with("postgresql://") || data.starts_with("postgres://"); }

std::string redacted(std::string_view url) {
  // postgresql://user:password@host/...: the password is between the first
  // ':' after the scheme and the '@' of the authority.
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto start = scheme + 3;
  const auto end = url.find_first_of("/?", start);
  const auto authority = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const auto colon = authority.find(':');
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return fmt::format("{}{}***{}", url.substr(0, start), authority.substr(0, colon + 1),
                     url.substr(start + at));
}

std::optional<std::string> rows::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t rows::int64(int row, int column) const { return to_int64(PQgetvalue(result_.get(), row, column)); }

std::optional<std::int64_t> rows::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::int64_t rows::affected() const { return to_int64(PQcmdTuples(result_.get())); }

result<connection> connection::open(const std::string& url) {
  const auto shown = redacted(url);
  // At most 10 s to connect unless the URL says otherwise (its values come
  // after, and win).
  const char* const keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* const values[] = {"10", url.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keywords, values, 1);
  if (!c) return failure(fmt::format("{}: cannot connect (out of memory)", shown));
  connection out(c, shown);
  if (PQstatus(c) != CONNECTION_OK)
    return failure(fmt::format("{}: cannot connect: {}; check the URL, that the server runs and that the role may "
                               "log in",
                               shown, message_of(PQerrorMessage(c))));
  // Quiet NOTICEs (CREATE ... IF NOT EXISTS says "already exists"); text is UTF-8.
  if (auto r = out.exec("SET client_min_messages = warning; SET client_encoding = 'UTF8'"); !r)
    return std::unexpected(r.error());
  return out;
}

result<rows> connection::exec(const std::string& sql, const std::vector<parameter>& params) {
  PGresult* r = nullptr;
  if (params.empty()) {
    r = PQexec(conn_.get(), sql.c_str());
  } else {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    r = PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                     nullptr, 0);
  }
  rows out(r);
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return out;
  const auto what = message_of(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_.get()));
  return std::unexpected(error{kind_of(r), fmt::format("{}: {}", url_, what)});
}

result<void> connection::failed(const char* what) {
  return failure(fmt::format("{}: {}: {}", url_, what, message_of(PQerrorMessage(conn_.get()))));
}

result<void> connection::copy_start(const std::string& sql) {
  rows r(PQexec(conn_.get(), sql.c_str()));
  if (PQresultStatus(r.get()) != PGRES_COPY_IN) {
    const char* m = PQresultErrorMessage(r.get());
    return std::unexpected(error{kind_of(r.get()), fmt::format("{}: {}", url_, message_of(m))});
  }
  copy_buffer_.clear();
  return {};
}

result<void> connection::copy_row(const std::vector<parameter>& row) {
  // The text format: tab between fields, \N for NULL, a backslash before
  // a backslash, tab, newline or carriage return.
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) copy_buffer_ += '\t';
    if (!row[i]) {
      copy_buffer_ += "\\N";
      continue;
    }
    for (const char c : *row[i]) {
      switch (c) {
        case '\\': copy_buffer_ += "\\\\"; break;
        case '\t': copy_buffer_ += "\\t"; break;
        case '\n': copy_buffer_ += "\\n"; break;
        case '\r': copy_buffer_ += "\\r"; break;
        default: copy_buffer_ += c;
      }
    }
  }
  copy_buffer_ += '\n';
  return copy_buffer_.size() >= (1u << 20) ? copy_send() : result<void>{};
}

result<void> connection::copy_send() {
  if (copy_buffer_.empty()) return {};
  if (PQputCopyData(conn_.get(), copy_buffer_.data(), static_cast<int>(copy_buffer_.size())) != 1)
    return failed("COPY could not send its rows");
  copy_buffer_.clear();
  return {};
}

result<void> connection::copy_end() {
  CMETRACK_TRY(copy_send());
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) return failed("COPY could not end");
  // The COPY's own result, then the end of results.
  rows r(PQgetResult(conn_.get()));
  while (PGresult* more = PQgetResult(conn_.get())) PQclear(more);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
    return std::unexpected(error{kind_of(r.get()), fmt::format("{}: {}", url_, message_of(PQresultErrorMessage(r.get())))});
  return {};
}

result<transaction> transaction::begin(connection& c) {
  if (auto r = c.exec("BEGIN"); !r) return std::unexpected(r.error());
  return transaction(c);
}

transaction::~transaction() {
  if (c_) (void)c_->exec("ROLLBACK");
}

result<void> transaction::commit() {
  auto r = c_->exec("COMMIT");
  c_ = nullptr;
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace cmetrack::postgres
