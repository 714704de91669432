#include "sync/agent/https_client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

#include "shared/time.h"
#include "shared/version.h"
#include "sync/agent/agent_log.h"

namespace cmetrack::agent {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// The config (the roster of a large meeting) is the biggest answer.
constexpr std::uint64_t max_answer_bytes = 64ull << 20;

std::string plain_words(const error_code& ec) {
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again) return "host not found";
  if (ec == asio::error::network_unreachable) return "network unreachable";
  if (ec == asio::error::host_unreachable) return "host unreachable";
  if (ec == asio::error::connection_reset) return "connection reset";
  if (ec == asio::error::broken_pipe) return "connection broken";
  if (ec == asio::error::eof || ec == http::error::end_of_stream || ec == asio::ssl::error::stream_truncated)
    return "connection closed";
  if (ec == http::error::body_limit) return "answer too large";
  return ec.message();
}

struct connection {
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
};

}  // namespace

struct https_client::impl {
  central_url url;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::chrono::milliseconds deadline;
  std::unique_ptr<connection> conn;
  bool close_after = false;  // the last answer said Connection: close
  bool stopped = false;

  std::string say_deadline() const { return say_delay(deadline.count()); }

  transport_error io_failure(const error_code& ec, std::string_view while_doing) const {
    if (ec == beast::error::timeout)
      return {transport_fault::timeout,
              fmt::format("no answer from central at {} within {} while {}", url.text, say_deadline(), while_doing)};
    return {transport_fault::closed,
            fmt::format("central at {} dropped the connection while {} ({})", url.text, while_doing, plain_words(ec))};
  }

  transport_error handshake_failure(const error_code& ec) {
    if (ec == beast::error::timeout)
      return {transport_fault::timeout,
              fmt::format("TLS: no handshake with central at {} within {}", url.text, say_deadline())};
    const long verify = SSL_get_verify_result(conn->secure->native_handle());
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
      return {transport_fault::tls_verify,
              fmt::format("TLS: certificate verify failed: the certificate of central at {} is not for {} ({}); "
                          "check central_url in kiosk.json, or re-enroll the kiosk",
                          url.text, url.host, X509_verify_cert_error_string(verify))};
    if (verify != X509_V_OK)
      return {transport_fault::tls_verify,
              fmt::format("TLS: certificate verify failed: {} (check ca_cert in kiosk.json)",
                          X509_verify_cert_error_string(verify))};
    return {transport_fault::tls,
            fmt::format("TLS: handshake with central at {} failed: {}", url.text, plain_words(ec))};
  }

  asio::awaitable<std::expected<void, transport_error>> connect() {
    auto ex = co_await asio::this_coro::executor;
    error_code ec;

    // The resolver has no deadline of its own: a timer cancels it.
    auto resolver = std::make_shared<tcp::resolver>(ex);
    asio::steady_timer resolve_deadline(ex);
    resolve_deadline.expires_after(deadline);
    resolve_deadline.async_wait([resolver](const error_code& e) {
      if (!e) resolver->cancel();
    });
    const auto endpoints = co_await resolver->async_resolve(url.host, std::to_string(url.port),
                                                           asio::redirect_error(asio::use_awaitable, ec));
    resolve_deadline.cancel();
    if (ec)
      co_return std::unexpected(transport_error{
          transport_fault::unreachable,
          fmt::format("cannot reach central at {}: {}", url.text,
                      ec == asio::error::operation_aborted ? "the host name did not resolve in time" : plain_words(ec))});

    auto c = std::make_unique<connection>();
    if (url.tls) {
      c->secure.emplace(ex, tls);
      SSL* ssl = c->secure->native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (url.host_is_ip()) {
        X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
      } else {
        // SNI (names only, never addresses); SSL_set_tlsext_host_name without its old-style cast.
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(url.host.c_str()));
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
      }
      c->secure->set_verify_mode(asio::ssl::verify_peer);
    } else {
      c->plain.emplace(ex);
    }
    conn = std::move(c);

    conn->lowest().expires_after(deadline);
    co_await conn->lowest().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      conn.reset();
      co_return std::unexpected(transport_error{
          ec == beast::error::timeout ? transport_fault::timeout : transport_fault::unreachable,
          fmt::format("cannot reach central at {}: {}", url.text,
                      ec == beast::error::timeout ? "no connection within " + say_deadline() : plain_words(ec))});
    }
    conn->lowest().socket().set_option(tcp::no_delay(true), ec);

    if (url.tls) {
      conn->lowest().expires_after(deadline);
      co_await conn->secure->async_handshake(asio::ssl::stream_base::client,
                                             asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        auto failure = handshake_failure(ec);
        conn.reset();
        co_return std::unexpected(std::move(failure));
      }
    }
    co_return std::expected<void, transport_error>();
  }

  template <class Stream>
  asio::awaitable<exchange_result> round_trip_on(Stream& stream, http::request<http::string_body>& req) {
    error_code ec;
    http_answer answer;
    conn->lowest().expires_after(deadline);
    answer.sent_at = now_ms();
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::unexpected(io_failure(ec, "sending the request"));

    http::response_parser<http::string_body> parser;
    parser.body_limit(max_answer_bytes);
    conn->lowest().expires_after(deadline);
    co_await http::async_read(stream, conn->buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::unexpected(io_failure(ec, "waiting for the answer"));
    answer.received_at = now_ms();

    auto& res = parser.get();
    answer.status = res.result_int();
    answer.body = std::move(res.body());
    if (const auto it = res.find(http::field::etag); it != res.end()) answer.etag = std::string(it->value());
    if (const auto it = res.find(http::field::date); it != res.end()) answer.date = std::string(it->value());
    close_after = !res.keep_alive();
    co_return answer;
  }

  asio::awaitable<exchange_result> round_trip(http::request<http::string_body>& req) {
    if (conn->secure) co_return co_await round_trip_on(*conn->secure, req);
    co_return co_await round_trip_on(*conn->plain, req);
  }
};

https_client::https_client(std::unique_ptr<impl> p) : url_(p->url), impl_(std::move(p)) {}
https_client::~https_client() = default;

result<std::unique_ptr<https_client>> https_client::create(asio::io_context&, central_url url,
                                                           const std::optional<std::string>& ca_pem,
                                                           std::chrono::milliseconds deadline) {
  auto p = std::make_unique<impl>();
  p->url = std::move(url);
  p->deadline = deadline;
  SSL_CTX_set_min_proto_version(p->tls.native_handle(), TLS1_2_VERSION);
  p->tls.set_verify_mode(asio::ssl::verify_peer);
  error_code ec;
  if (ca_pem) {
    p->tls.add_certificate_authority(asio::buffer(*ca_pem), ec);
    if (ec)
      return bad_input(fmt::format("field \"ca_cert\" does not hold a PEM certificate ({}); "
                                   "copy it from the kiosk.json that `cmetrack-central enroll` wrote",
                                   ec.message()));
  } else {
    p->tls.set_default_verify_paths(ec);
  }
  return std::unique_ptr<https_client>(new https_client(std::move(p)));
}

asio::awaitable<exchange_result> https_client::exchange(http::verb method, std::string target, std::string body,
                                                        std::vector<http_header> headers) {
  impl& s = *impl_;
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, url_.host_header());
  req.set(http::field::user_agent, fmt::format("cmetrack-sync/{}", cmetrack::version));
  for (const auto& h : headers) req.set(h.name, h.value);
  if (method == http::verb::post) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.keep_alive(true);
  req.prepare_payload();

  const auto start = std::chrono::steady_clock::now();
  for (int attempt = 0;; ++attempt) {
    if (s.stopped) co_return std::unexpected(transport_error{transport_fault::closed, "stopping"});
    const bool reused = s.conn != nullptr;
    if (!reused) {
      auto made = co_await s.connect();
      if (!made) co_return std::unexpected(std::move(made.error()));
    }
    exchange_result r = co_await s.round_trip(req);
    if (r) {
      if (s.close_after) s.conn.reset();
      r->elapsed_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
      co_return r;
    }
    s.conn.reset();
    // A kept-alive connection the central node closed while idle: once
    // more on a new one. Anything else is for the caller to retry later.
    if (!reused || attempt > 0 || r.error().fault != transport_fault::closed || s.stopped) co_return r;
  }
}

void https_client::abort() {
  impl_->stopped = true;
  if (impl_->conn) impl_->conn->lowest().close();
}

void https_client::use(central_url url) {
  impl_->conn.reset();
  impl_->close_after = false;
  impl_->url = url;
  url_ = std::move(url);
}

}  // namespace cmetrack::agent
