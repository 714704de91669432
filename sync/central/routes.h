#pragma once
// The HTTP API of cmetrack-central serve (architecture.md, "HTTP API"): one
// request in, one response out. The server (http_server.cpp) reads and
// writes; this file decides.
//
//   GET  /healthz               200 "ok"
//   POST /api/v1/scans          kiosk token; a batch -> {"acked", "server_time"}
//   GET  /api/v1/kiosk/config   kiosk token; the kiosk's config, ETag / If-None-Match
//
// Errors are JSON, {"error": MESSAGE}: 400 malformed batch, 401 token
// missing, unknown or revoked, 403 batch of another kiosk, 404 unknown path,
// 405 wrong method (with Allow), 409 the kiosk's room left the meeting,
// 413 body over 4 MiB (decided by the server while reading), 500 store fault.
#include <boost/beast/http.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "shared/badge.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "sync/central/batch_ingest.h"
#include "sync/central/kiosk_registry.h"

namespace cmetrack::central {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

constexpr std::uint64_t max_body_bytes = 4 * 1024 * 1024;

// What the routes keep between requests, valid while central.db is as this
// connection last saw it: the meeting and its compiled badge pattern, the
// tokens looked up so far, and the prepared statements of a batch. Another
// connection's commit (init, enroll, revoke while serve runs) moves
// PRAGMA data_version and drops it all; serve's own commits do not.
struct server_cache {
  std::int64_t data_version = -1;  // -1: nothing cached yet
  std::unique_ptr<meeting> meeting_rows;
  std::unique_ptr<badge_pattern> pattern;
  std::unordered_map<std::string, token_lookup> tokens;  // by SHA-256 of the token
  std::unique_ptr<sqlite::statement> data_version_query;
  batch_statements batch;
};

// What the routes need: the store, opened once by the server.
struct server_state {
  sqlite::database db;
  server_cache cache;
};

struct routed {
  http_response response;
  std::string kiosk;  // the token's kiosk, for the log line; empty when none
};

routed handle_request(server_state& state, const http_request& request);

// A JSON error response {"error": message}, for the server's own refusals
// (400 unreadable head, 413 body too large).
http_response error_response(http::status status, const std::string& message, unsigned version);

}  // namespace cmetrack::central
