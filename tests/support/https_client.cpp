#include "tests/support/https_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace cmetrack::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct http_client::impl {
  std::string host, port;
  bool tls = false;
  client_options options;
  asio::io_context ioc;
  std::optional<asio::ssl::context> ssl_ctx;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*secure) : *plain; }

  // Runs the io_context until the operation started before it completes.
  void finish(const beast::error_code& ec, const char* what) {
    ioc.restart();
    ioc.run();
    if (ec) throw std::runtime_error(std::string(what) + ": " + ec.message());
  }

  void connect() {
    if (plain || secure) return;
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) throw std::runtime_error("resolve " + host + ": " + ec.message());
    if (tls) {
      secure.emplace(ioc, *ssl_ctx);
      SSL* ssl = secure->native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str()));
      }
    } else {
      plain.emplace(ioc);
    }
    auto& s = lowest();
    s.expires_after(std::chrono::milliseconds(options.timeout_ms));
    if (options.source_address.empty()) {
      s.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    } else {  // one endpoint, from a socket bound to the source address (a range would reopen it)
      const tcp::endpoint to = *endpoints.begin();
      s.socket().open(to.protocol());
      s.socket().bind(tcp::endpoint(asio::ip::make_address(options.source_address), 0));
      s.async_connect(to, [&](beast::error_code e) { ec = e; });
    }
    finish(ec, "connect");
    if (tls) {
      s.expires_after(std::chrono::milliseconds(options.timeout_ms));
      secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
      try {
        finish(ec, "TLS handshake");
      } catch (...) {
        secure.reset();
        throw;
      }
    }
  }

  template <class Stream>
  http_reply exchange(Stream& stream, http::request<http::string_body>& req) {
    beast::error_code ec;
    lowest().expires_after(std::chrono::milliseconds(options.timeout_ms));
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    finish(ec, "write");
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    lowest().expires_after(std::chrono::milliseconds(options.timeout_ms));
    http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    finish(ec, "read");
    auto res = parser.release();
    http_reply reply;
    reply.status = static_cast<int>(res.result_int());
    reply.body = res.body();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(f.value());
    }
    if (!res.keep_alive()) {
      plain.reset();
      secure.reset();
      buffer.clear();
    }
    return reply;
  }
};

http_client::http_client(const std::string& base_url, client_options options) : impl_(std::make_unique<impl>()) {
  auto& i = *impl_;
  i.options = std::move(options);
  std::string rest;
  if (base_url.starts_with("https://")) {
    i.tls = true;
    rest = base_url.substr(8);
  } else if (base_url.starts_with("http://")) {
    rest = base_url.substr(7);
  } else {
    throw std::runtime_error("not an http(s) URL: " + base_url);
  }
  if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("no port in " + base_url);
  i.host = rest.substr(0, colon);
  i.port = rest.substr(colon + 1);
  if (i.tls) {
    i.ssl_ctx.emplace(asio::ssl::context::tls_client);
    i.ssl_ctx->set_verify_mode(asio::ssl::verify_peer);
    if (!i.options.ca_file.empty()) i.ssl_ctx->load_verify_file(i.options.ca_file);
    if (i.options.max_tls_version != 0) {
      SSL_CTX* native = i.ssl_ctx->native_handle();
      SSL_CTX_set_security_level(native, 0);  // let old protocols be offered at all
      SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
      SSL_CTX_set_min_proto_version(native, TLS1_VERSION);
      SSL_CTX_set_max_proto_version(native, i.options.max_tls_version);
    }
  }
}

http_client::~http_client() = default;

void http_client::connect() { impl_->connect(); }

http_reply http_client::request(const std::string& method, const std::string& target, const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers) {
  auto& i = *impl_;
  i.connect();
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, i.host);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  try {
    return i.tls ? i.exchange(*i.secure, req) : i.exchange(*i.plain, req);
  } catch (...) {
    i.plain.reset();
    i.secure.reset();
    i.buffer.clear();
    throw;
  }
}

}  // namespace cmetrack::test
