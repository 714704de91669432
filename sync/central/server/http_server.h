#pragma once
// cmetrack-central serve: HTTPS (or plain HTTP on a loopback address) with
// Boost.Beast on one Asio thread.
//
//   signals ──stop──> server ──accept──> session ──request──> routes ──> central.db
//                      │  │                │ handshake, wait, header, body, write:
//                      │  │                │ each step under a deadline
//                      │  └ sessions (weak)┘
//                      │                   │ an event stream: the connection handed over
//                      │                   v
//                      └─ streams (weak) ─ event_stream_session (event_stream_session.h)
//
// One thread runs the io_context, and the SQLite work happens on it: a batch
// commit is a few milliseconds, SQLite has one writer anyway, and one thread
// needs no locks. SIGTERM/SIGINT: stop accepting, close idle connections and
// event streams, finish the requests in hand (up to one request deadline),
// close the store.
#include <optional>
#include <string>

#include "shared/error.h"

namespace cmetrack::central {

struct serve_options {
  std::string data;
  std::string listen;  // HOST:PORT; port 0 picks a free port
  std::optional<std::string> tls_cert, tls_key;
  int request_timeout_ms = 10'000;  // TLS handshake, a request's head, its body, the response's write
  int idle_timeout_ms = 30'000;     // a keep-alive connection between requests
  // Open connections at most; at the cap a new one closes the oldest that has
  // no request in hand. Lowered to what the open-file limit allows.
  int max_connections = 2'000;
};

// Runs until SIGTERM or SIGINT. Raises its soft open-file limit to the hard
// one first (a connection is a file descriptor). Prints `listening on URL` as its first line
// on standard output once it accepts connections, and records the URL in
// central.db (setting server_url) for enroll's default.
result<void> run_server(const serve_options& options);

}  // namespace cmetrack::central
