#include "shared/time.h"
#include "tests/sync/agent/fake_central.h"

#include <fcntl.h>

#include <utility>  // before Boost 1.74's awaitable.hpp

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <ctime>

namespace cmetrack::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string http_date(time_ms t) {
  const std::time_t s = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

// The agent runs as a child process: without this it would inherit the
// fake's sockets, and a listening socket closed here would still take
// connections while the child holds it open.
void close_on_exec(int fd) { ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC); }

}  // namespace

fake_reply ack_reply(const std::vector<std::string>& ids, time_ms server_time) {
  return {200, encode_ack({ids, server_time}), {{"Content-Type", "application/json"}}, false};
}

struct fake_central::impl {
  asio::ssl::context tls{asio::ssl::context::tls_server};  // outlives the io_context's streams
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;

  static asio::awaitable<void> session(fake_central* self, tcp::socket socket) {
    error_code ec;
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), self->impl_->tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      {
        std::lock_guard lock(self->mutex_);
        ++self->handshake_failures_;
      }
      self->changed_.notify_all();
      co_return;
    }
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(16u << 20);
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      auto& req = parser.get();
      fake_request r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.authorization = std::string(req[http::field::authorization]);
      r.if_none_match = std::string(req[http::field::if_none_match]);
      r.body = req.body();
      fake_reply reply;
      {
        std::lock_guard lock(self->mutex_);
        r.index = static_cast<int>(self->requests_.size());
        r.at = std::chrono::steady_clock::now();
        self->requests_.push_back(r);
        reply = self->answer(r);
      }
      self->changed_.notify_all();
      if (reply.hang) {  // the request read, never answered: wait until the agent closes the connection
        http::request<http::string_body> ignored;
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
        co_await http::async_read(stream, buffer, ignored, asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      if (reply.die) self->impl_->acceptor.close(ec);  // from now on, connecting is refused
      if (reply.drop || reply.die) {
        beast::get_lowest_layer(stream).close();
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      res.set(http::field::server, "fake-central");
      for (const auto& [name, value] : reply.headers) res.set(name, value);
      res.body() = std::move(reply.body);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !res.keep_alive()) co_return;
    }
  }

  static asio::awaitable<void> accept_loop(fake_central* self) {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await self->impl_->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      close_on_exec(socket.native_handle());
      asio::co_spawn(self->impl_->io, session(self, std::move(socket)), asio::detached);
    }
  }
};

fake_central::fake_central(const tls_pki& pki) : impl_(std::make_unique<impl>()) {
  impl_->tls.use_certificate_chain(asio::buffer(pki.server_cert));
  impl_->tls.use_private_key(asio::buffer(pki.server_key), asio::ssl::context::pem);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  close_on_exec(impl_->acceptor.native_handle());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl::accept_loop(this), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

fake_central::~fake_central() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string fake_central::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

void fake_central::on_request(script s) {
  std::lock_guard lock(mutex_);
  script_ = std::move(s);
}

void fake_central::set_config(std::string body, std::string etag) {
  std::lock_guard lock(mutex_);
  config_body_ = std::move(body);
  config_etag_ = std::move(etag);
}

void fake_central::set_clock_skew(std::int64_t ms) {
  std::lock_guard lock(mutex_);
  skew_ms_ = ms;
}

fake_reply fake_central::answer(const fake_request& r) {
  const bool scans = r.method == "POST" && r.target == "/api/v1/scans";
  if (scans) {
    if (auto d = decode_batch(r.body); d && d->batch.scans.empty() && d->rejected.empty()) {
      ++clock_probes_;
    } else if (d) {
      batches_.push_back(d->batch);
      for (const auto& s : d->batch.scans) first_seen_.emplace(s.id, r.at);
    }
  }
  std::optional<fake_reply> scripted = script_ ? script_(r) : std::nullopt;
  fake_reply reply;
  if (scripted) {
    reply = std::move(*scripted);
  } else if (r.authorization != std::string("Bearer ") + token) {
    reply = {401, "missing or wrong token", {}, false};
  } else if (scans) {
    auto d = decode_batch(r.body);
    if (!d) {
      reply = {400, d.error().message, {}, false};
    } else if (d->batch.kiosk != kiosk) {
      reply = {403, "the batch names another kiosk", {}, false};
    } else {
      std::vector<std::string> ids;
      for (const auto& s : d->batch.scans) ids.push_back(s.id);
      for (const auto& s : d->rejected) ids.push_back(s.id);
      reply = ack_reply(ids, now_ms() + skew_ms_);
    }
  } else if (r.method == "GET" && r.target == "/api/v1/kiosk/config") {
    if (config_body_.empty())
      reply = {404, "no config", {}, false};
    else if (!config_etag_.empty() && r.if_none_match == config_etag_)
      reply = {304, "", {{"ETag", config_etag_}}, false};
    else
      reply = {200, config_body_, {{"ETag", config_etag_}, {"Content-Type", "application/json"}}, false};
    reply.headers.emplace_back("Date", http_date(now_ms() + skew_ms_));
  } else {
    reply = {404, "not found", {}, false};
  }
  if (scans && reply.status == 200 && !reply.drop && !reply.die && !reply.hang)
    if (auto ack = decode_ack(reply.body))
      for (const auto& id : ack->acked) ++acked_[id];
  return reply;
}

std::vector<fake_request> fake_central::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<fake_request> fake_central::requests_to(const std::string& target) const {
  std::lock_guard lock(mutex_);
  std::vector<fake_request> out;
  for (const auto& r : requests_)
    if (r.target == target) out.push_back(r);
  return out;
}

std::map<std::string, int> fake_central::acked() const {
  std::lock_guard lock(mutex_);
  return acked_;
}

std::vector<scan_batch> fake_central::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

int fake_central::clock_probes() const {
  std::lock_guard lock(mutex_);
  return clock_probes_;
}

std::chrono::steady_clock::time_point fake_central::first_seen(const std::string& scan_id) const {
  std::lock_guard lock(mutex_);
  const auto it = first_seen_.find(scan_id);
  return it == first_seen_.end() ? std::chrono::steady_clock::time_point::max() : it->second;
}

int fake_central::handshake_failures() const {
  std::lock_guard lock(mutex_);
  return handshake_failures_;
}

// `done` runs without the lock, so it may call the accessors above.
bool fake_central::wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    lock.unlock();
    if (done()) return true;
    lock.lock();
    if (std::chrono::steady_clock::now() >= deadline) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

}  // namespace cmetrack::test
