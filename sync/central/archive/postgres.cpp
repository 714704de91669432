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
  PGconn* c = PQconnectdb(url.c_str());
  if (!c) return failure(fmt::format("{}: cannot connect (out of memory)", shown));
  connection out(c, shown);
  if (PQstatus(c) != CONNECTION_OK)
    return failure(fmt::format("{}: cannot connect: {}; check the URL, that the server runs and that the role may "
                               "log in",
                               shown, message_of(PQerrorMessage(c))));
  // Quiet NOTICEs (CREATE ... IF NOT EXISTS says "already exists").
  if (auto r = out.exec("SET client_min_messages = warning"); !r) return std::unexpected(r.error());
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
