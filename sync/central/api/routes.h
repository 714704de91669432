#pragma once
// The HTTP API of cmetrack-central serve (README.md; docs/formats.md, "Sync
// batches"; docs/staff-api.md): one request in, one response out. The server
// (server/http_server.cpp) reads and writes; the routes decide.
//
// Every route is `routed f(request_context&)`, registered in one table in
// routes.cpp: {path or pattern, methods, who may call it, route}. The table
// decides 404 (no such path), 405 (with Allow) and, before the route runs,
// whose token the request carries (route_support.h), which sets the
// context's `who` for the log line; the route answers through the context.
//
//   routes.cpp        the table and its dispatch; /healthz; the kiosk
//                     routes: POST /api/v1/scans, GET /api/v1/kiosk/config
//   staff_routes.cpp  login, meeting, rooms and their stream, kiosks,
//                     attendees, transcripts, claims, corrections, metrics,
//                     the staff pages
//   sharing_routes.cpp  GET /api/v1/sharing: badge sharing for staff
//   desk_routes.cpp   the desk's claims and corrections, over a meeting
//   route_support.cpp whose token a request carries, answers, the cache
//
// Errors are JSON, {"error": MESSAGE}: 400 malformed request, 401 token
// missing, unknown, revoked or expired, 403 the wrong kind of token or a
// batch of another kiosk, 404 unknown path or badge, 405 wrong method (with
// Allow), 409 the kiosk's room left the meeting, 413 body over 4 MiB
// (decided by the server while reading), 500 store fault, 507 central.db's disk
// is full.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shared/badge.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/sqlite/statement.h"
#include "shared/time.h"
#include "sync/central/api/http_util.h"
#include "sync/central/api/login_throttle.h"
#include "sync/central/reports/live_rooms.h"
#include "sync/central/store/batch_ingest.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {

// What the routes keep between requests, valid while central.db is as this
// connection last saw it: the meeting and its compiled badge pattern, the
// tokens looked up so far, and the prepared statements of a batch. Another
// connection's commit (init, ingest, enroll, revoke, staff while serve runs)
// moves PRAGMA data_version and drops it all; serve's own commits do not.
struct server_cache {
  std::int64_t data_version = -1;  // -1: nothing cached yet
  std::shared_ptr<const meeting> meeting_rows;
  std::unique_ptr<badge_pattern> pattern;
  std::unordered_map<std::string, token_lookup> tokens;  // by SHA-256 of the token
  commit_watch commits;
  batch_statements batch;
};

// The dashboard's live state: the rooms as last sent to the streams, and
// the events the server is to send to every open stream.
struct dashboard_state {
  live_rooms rooms;
  std::vector<std::string> rooms_sent;  // by room: the JSON last sent
  std::vector<std::string> events;      // SSE text, "event: ...\ndata: ...\n\n"
  int streams = 0;                      // open streams (each counts itself: server/), for /metrics
  bool other_commit = false;            // another process committed: look for its scans or meeting
  bool rebuilding = false;              // a rebuild of `rooms` runs on a worker
};

// Responses by status code since serve started, for /metrics.
struct request_counts {
  std::map<unsigned, std::uint64_t> by_status;
};

// What the routes need: the store, opened once by the server.
struct server_state {
  explicit server_state(sqlite::database store) : db(std::move(store)) {}
  sqlite::database db;
  server_cache cache;
  dashboard_state dashboard;
  request_counts requests;
  login_throttle logins;
  login_throttle attendee_logins;  // attendee sign-ins (badge and claim code), counted apart
  // Runs `work` on a worker thread, then `then` back on serve's thread.
  // Unset (the routes without the server, in tests): both run at once.
  std::function<void(std::function<void()> work, std::function<void()> then)> off_thread;
};

struct deferred;

struct routed {
  http_response response;
  std::string who;            // the token's kiosk or staff user, for the log line; empty when none
  bool event_stream = false;  // the response's body is the first events of a stream that stays open
  // Work the route hands off serve's one thread (a password's hashing); the
  // answer is then what `later->then()` gives, and `response` is not used.
  std::shared_ptr<deferred> later = nullptr;
};

// `off_thread` runs on a worker thread and touches nothing of server_state;
// `then` runs back on serve's thread, after it, and gives the answer.
struct deferred {
  std::function<void()> off_thread;
  std::function<routed()> then;
};

// One request as the routes see it: what came in and when, then (set by
// the dispatch and route_support.h's helpers, never by a route) who sent
// it, the path's badge and the meeting.
struct request_context {
  server_state& state;
  const http_request& request;
  std::string_view path;      // the target without its query
  const std::string& client;  // the address the request came from (login rate limiting)
  time_ms now;                // now_ms(), read once as the request is routed
  std::string who;            // "kiosk:ID" or "staff:USER" once authenticated, for the log line; else empty
  kiosk_binding kiosk{};      // the caller, once authenticated as a kiosk
  std::string user{};         // the caller, once authenticated as a staff user
  std::string badge{};        // the path's {badge}, percent-decoded
  std::shared_ptr<const meeting> meeting_rows{};  // once load_meeting(ctx) ran

  unsigned version() const { return request.version(); }
  // The answer, by `who`.
  routed answer(http_response response) const { return {std::move(response), who}; }
  // {"error": message} with `status`.
  routed answer(http::status status, const std::string& message) const {
    return answer(error_response(status, message, version()));
  }
  // 500 with the store's message.
  routed fault(const error& e) const { return answer(http::status::internal_server_error, e.message); }
  // The answer is what `work->then()` gives, once `work->off_thread()` ran.
  routed later(std::shared_ptr<deferred> work) const {
    routed out{{}, who};
    out.later = std::move(work);
    return out;
  }
};

// `client`: the address the request came from (for login rate limiting).
routed handle_request(server_state& state, const http_request& request, const std::string& client);

// Called by the server about once a second: picks up other processes'
// commits, ends stays that time has ended, and queues the events of any
// room that changed (dashboard.events). Does a slice of the work waiting;
// returns whether more waits (then call it again soon, after other work).
bool tick(server_state& state);

}  // namespace cmetrack::central
