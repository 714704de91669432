#pragma once
// One keep-alive HTTP/1.1 connection to the central node, over TLS 1.2+ (or
// plain HTTP to a loopback host), made on first use, reused across
// requests, and dropped after any error so the next request makes a new one.
//
//   exchange() --> [connect: resolve, TCP, TLS handshake] --> write --> read
//                   each step has a deadline (beast::tcp_stream expires_after)
//
// The peer's certificate must chain to the CA of kiosk.json's ca_cert and
// name the URL's host (DNS name or IP address). A request on a reused
// connection that the central node had closed while idle is retried once on
// a new one (both the scans POST and the config GET are idempotent).
#include <utility>  // before Boost 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shared/error.h"
#include "shared/time.h"
#include "sync/agent/central_url.h"

namespace cmetrack::agent {

// What the central node answered, with the kiosk clock's readings around
// the exchange (for the clock offset).
struct http_answer {
  unsigned status = 0;
  std::string body;
  std::string etag;  // the ETag header, as sent
  std::string date;  // the Date header
  time_ms sent_at = 0;      // system clock, just before the request was written
  time_ms received_at = 0;  // system clock, once the answer was read
  std::int64_t elapsed_ms = 0;  // steady clock, the whole exchange with any connect
};

enum class transport_fault {
  unreachable,  // resolve or TCP connect failed
  tls_verify,   // the certificate does not chain to ca_cert, or is not for the host
  tls,          // any other TLS failure
  timeout,      // a deadline passed
  closed,       // the central node closed or reset the connection mid-exchange
};

// A message for a person, e.g. "cannot reach central at https://...: connection refused".
struct transport_error {
  transport_fault fault = transport_fault::unreachable;
  std::string message;
};

using exchange_result = std::expected<http_answer, transport_error>;

struct http_header {
  std::string name, value;
};

class https_client {
 public:
  // Bad input ("field \"ca_cert\" ...", for the caller to prefix with the file) where the PEM holds no
  // certificate. Without a CA the system's trust store is used.
  static result<std::unique_ptr<https_client>> create(boost::asio::io_context& io, central_url url,
                                                      const std::optional<std::string>& ca_pem,
                                                      std::chrono::milliseconds deadline);
  ~https_client();
  https_client(const https_client&) = delete;
  https_client& operator=(const https_client&) = delete;

  boost::asio::awaitable<exchange_result> exchange(boost::beast::http::verb method, std::string target,
                                                   std::string body, std::vector<http_header> headers);

  // Closes the connection: an exchange in flight ends with an error.
  void abort();
  // Talks to `url` from the next exchange on (another central node of the
  // meeting, the same CA and deadlines); the connection in hand is closed.
  // Not while an exchange is in flight.
  void use(central_url url);

  const central_url& url() const { return url_; }

 private:
  struct impl;
  explicit https_client(std::unique_ptr<impl> p);
  central_url url_;
  std::unique_ptr<impl> impl_;
};

}  // namespace cmetrack::agent
