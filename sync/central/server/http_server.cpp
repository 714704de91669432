#include "sync/central/server/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "shared/time.h"
#include "sync/central/api/dashboard.h"
#include "sync/central/api/routes.h"
#include "sync/central/server/event_stream_session.h"
#include "sync/central/server/log_checkpointer.h"
#include "sync/central/server/tls.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

// A sync of central.db-wal this slow is logged: every answer of its group
// waited for it.
constexpr time_ms slow_sync_ms = 200;

// An IMF-fixdate (RFC 9110): "Fri, 27 Nov 2026 18:16:04 GMT".
std::string http_date(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[40];
  const auto n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text, n);
}

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

using clock_type = std::chrono::steady_clock;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// What a session needs of the server.
struct server_context {
  server_state state;
  std::chrono::milliseconds request_timeout;
  std::chrono::milliseconds idle_timeout;
  bool stopping = false;
  event_streams streams{state.dashboard.streams};
  std::size_t open_sessions = 0;     // connections open (a descriptor each), an event stream's too
  std::size_t max_connections = 2000;
  // Where slow work runs off the I/O thread: passwords' hashing, PDFs, the
  // sharing report, a rebuild of the live picture, central.db's log synced.
  asio::thread_pool workers{2};

  // Group commit. serve's connection commits without syncing
  // (synchronous=NORMAL), and the answer to a request that may have written
  // waits for central.db-wal's fdatasync on a worker; one sync covers every
  // commit before it began, so a second of batches costs a few syncs, not
  // one each, and the I/O thread never waits for the disk.
  int wal_fd = -1;
  bool wal_syncing = false;
  std::vector<std::function<void(bool)>> wal_waiting{};  // called with whether the log reached the disk
  std::function<void()> start_wal_sync{};              // set by the server
  void after_wal_sync(std::function<void(bool)> then) {
    wal_waiting.push_back(std::move(then));
    if (!wal_syncing) start_wal_sync();
  }

  // Sends the events the routes queued to every open stream.
  void broadcast() {
    auto& events = state.dashboard.events;
    if (events.empty()) return;
    std::string all;
    for (const auto& e : events) all += e;
    events.clear();
    send_all(std::make_shared<const std::string>(std::move(all)));
  }
  void send_all(const std::shared_ptr<const std::string>& text) { streams.send_all(text); }
};

// How readily a connection gives its place to a new one at --max-connections.
// An event stream is not among them (its session is not the server's): never.
enum class spare : int {
  busy = 0,       // a request in hand, or closing: never
  idle = 1,       // answered before; now idle or sending its next head
  no_request = 2, // TLS handshake, or the first request's head, not done yet
};

struct session_base {
  virtual ~session_base() = default;
  virtual void stop() = 0;  // close when idle; finish the request in hand otherwise
  virtual spare how_spare() const = 0;
  virtual void evict() = 0;  // close now, to make room for a new connection
  virtual const std::string& peer() const = 0;
};

// One connection's requests and answers, kept alive by the operation in
// flight; an event stream's connection is handed over to an
// event_stream_session (event_stream_session.h), and this one ends.
template <class Stream>
class session final : public session_base, public std::enable_shared_from_this<session<Stream>> {
  static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

  // Where the connection is; `closed` stays.
  enum class phase {
    handshake,     // TLS, before the first request
    waiting,       // for the first byte of a request
    reading_head,  // of a request
    in_hand,       // a request's body read, routed, answered
    draining,      // after a 413 or 501: what the client still sends, discarded
    closed,        // or closing, or handed over to an event stream
  };

 public:
  session(Stream stream, server_context& ctx, std::string peer)
      : stream_(std::move(stream)), ctx_(ctx), peer_(std::move(peer)), slot_(ctx.open_sessions) {}

  spare how_spare() const override {
    if (phase_ != phase::handshake && phase_ != phase::waiting && phase_ != phase::reading_head) return spare::busy;
    return first_ ? spare::no_request : spare::idle;
  }
  void evict() override { close_now(); }
  const std::string& peer() const override { return peer_; }

  void start() {
    if constexpr (is_tls) {
      enter(phase::handshake);
      tcp().expires_after(ctx_.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              beast::bind_front_handler(&session::on_handshake, this->shared_from_this()));
    } else {
      do_wait();
    }
  }

  void stop() override {
    if (phase_ == phase::waiting) tcp().cancel();  // idle between requests: close now
  }

 private:
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void enter(phase next) {
    if (phase_ != phase::closed) phase_ = next;
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return drop("TLS handshake", ec);
    do_wait();
  }

  // Waits for the first byte of the next request: the idle deadline between
  // keep-alive requests, the request deadline before the first.
  void do_wait() {
    if (buffer_.size() > 0) return do_read_header();
    if (ctx_.stopping) return close();
    enter(phase::waiting);
    tcp().expires_after(first_ ? ctx_.request_timeout : ctx_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&session::on_wait, this->shared_from_this()));
  }

  void on_wait(beast::error_code ec, std::size_t n) {
    if (ec) {
      if (!first_ && (ec == beast::error::timeout || ec == asio::error::operation_aborted)) return close_now();
      return drop(first_ ? "waiting for a request" : "waiting on keep-alive", ec);
    }
    buffer_.commit(n);
    do_read_header();
  }

  void do_read_header() {
    started_ = clock_type::now();
    parser_.emplace();
    parser_->body_limit(max_body_bytes);
    parser_->header_limit(16 * 1024);
    enter(phase::reading_head);
    tcp().expires_after(ctx_.request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&session::on_header, this->shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    enter(phase::in_hand);
    if (ec) return read_failed(ec, "-", "-");
    if (!plain_chunked_or_none(parser_->get())) {
      // RFC 9112, 6.1: a transfer coding the server does not understand is
      // answered 501; Beast would read "gzip, chunked" as plain chunked.
      const auto& req = parser_->get();
      const auto target = std::string_view(req.target().data(), req.target().size());
      drain_after_answer_ = true;
      auto res = error_response(http::status::not_implemented,
                                "Transfer-Encoding: only \"chunked\" is understood; send the body as it is, with "
                                "Content-Length, or chunked",
                                req.version());
      res.keep_alive(false);
      return respond(std::move(res), std::string(req.method_string()), std::string(target.substr(0, target.find('?'))),
                     {});
    }
    tcp().expires_after(ctx_.request_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&session::on_body, this->shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    const auto& req = parser_->get();
    const auto method = std::string(req.method_string());
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto path = std::string(target.substr(0, target.find('?')));
    if (ec) return read_failed(ec, method, path);
    auto r = handle_request(ctx_.state, req, peer_.substr(0, peer_.rfind(':')));
    if (r.later) return answer_later(std::move(r.later), req.keep_alive(), method, path);
    if (r.event_stream) return hand_over_stream(std::move(r.response), method, path, r.who);
    const bool may_have_written = req.method() != http::verb::get && req.method() != http::verb::head;
    answer(std::move(r), req.keep_alive(), may_have_written, method, path);
  }

  // The answer, once what the request committed is on disk where it may have
  // written (an acknowledged scan survives a power cut).
  void answer(routed r, bool keep_alive, bool wrote, const std::string& method, const std::string& path) {
    ctx_.broadcast();  // the dashboard's events need not wait for the disk
    if (!wrote) {
      r.response.keep_alive(keep_alive && !ctx_.stopping);
      return respond(std::move(r.response), method, path, r.who);
    }
    ctx_.after_wal_sync([self = this->shared_from_this(), r = std::move(r), keep_alive, method, path](bool synced) {
      auto res = synced ? r.response
                        : error_response(http::status::internal_server_error,
                                         "central.db's log could not be synced to disk: nothing of this request is "
                                         "acknowledged; send it again (scans already stored are skipped)",
                                         r.response.version());
      res.keep_alive(keep_alive && !self->ctx_.stopping);
      self->respond(std::move(res), method, path, r.who);
    });
  }

  // The route's slow part on a worker, then its answer back on this thread.
  // `home` counts as work, so serve's loop runs on until the answer is sent.
  void answer_later(std::shared_ptr<deferred> work, bool keep_alive, std::string method, std::string path) {
    auto self = this->shared_from_this();
    auto home = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
    asio::post(ctx_.workers, [self, work, home, keep_alive, method = std::move(method), path = std::move(path)]() {
      work->off_thread();
      asio::post(home, [self, work, keep_alive, method, path]() {
        self->answer(work->then(), keep_alive, method != "GET" && method != "HEAD", method, path);
      });
    });
  }

  // An event stream: its head and first events are the first write of an
  // event_stream_session, which takes this connection (and its place among
  // --max-connections) and gets what ctx_.broadcast sends until either side
  // closes it. This session ends here.
  void hand_over_stream(http_response res, const std::string& method, const std::string& path,
                        const std::string& who) {
    ++ctx_.state.requests.by_status[res.result_int()];
    fmt::print(stderr, "{} {} {} by={} stream opened\n", method, path, res.result_int(), who.empty() ? "-" : who);
    std::string head = fmt::format("HTTP/1.1 {} {}\r\n", res.result_int(), sv(res.reason()));
    res.set(http::field::date, http_date(std::chrono::system_clock::now()));
    res.set(http::field::connection, "close");
    for (const auto& field : res) head += fmt::format("{}: {}\r\n", sv(field.name_string()), sv(field.value()));
    head += "\r\n";
    head += res.body();
    ctx_.broadcast();  // what the snapshot moved goes to the other streams first
    enter(phase::closed);
    std::make_shared<event_stream_session<Stream>>(std::move(stream_), std::move(slot_), ctx_.streams,
                                                   ctx_.request_timeout, peer_)
        ->start(std::move(head));
  }

  // The head or body could not be read: 413 or 400 where the client is
  // owed an answer, else a log line and the connection closed.
  void read_failed(beast::error_code ec, const std::string& method, const std::string& path) {
    const unsigned version = 11;
    if (ec == http::error::body_limit) {
      drain_after_answer_ = true;
      auto res = error_response(http::status::payload_too_large,
                                fmt::format("the body is over the limit of {} bytes (4 MiB); send smaller batches",
                                            max_body_bytes),
                                version);
      res.keep_alive(false);
      return respond(std::move(res), method, path, {});
    }
    const bool cut_short = ec == http::error::end_of_stream || ec == http::error::partial_message;
    if (!cut_short && ec.category() == http::make_error_code(http::error::bad_method).category()) {
      auto res = error_response(http::status::bad_request, fmt::format("malformed HTTP request: {}", ec.message()),
                                version);
      res.keep_alive(false);
      return respond(std::move(res), method, path, {});
    }
    drop(fmt::format("reading {} {}", method, path), ec);
  }

  void respond(http_response res, const std::string& method, const std::string& path, const std::string& who) {
    res_ = std::move(res);
    res_.set(http::field::date, http_date(std::chrono::system_clock::now()));  // agents measure clock offset by it
    ++ctx_.state.requests.by_status[res_.result_int()];
    const auto ms = std::chrono::duration<double, std::milli>(clock_type::now() - started_).count();
    fmt::print(stderr, "{} {} {} by={} {:.1f}ms\n", method, path, res_.result_int(), who.empty() ? "-" : who, ms);
    tcp().expires_after(ctx_.request_timeout);
    http::async_write(stream_, res_, beast::bind_front_handler(&session::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return drop("writing the response", ec);
    first_ = false;
    if (drain_after_answer_) return do_drain();
    if (!res_.keep_alive()) return close();
    do_wait();
  }

  // After a 413, reads and discards what the client still sends (up to a
  // deadline), so that it reads the answer rather than a reset connection.
  void do_drain() {
    enter(phase::draining);
    buffer_.clear();
    tcp().expires_after(ctx_.request_timeout);
    stream_.async_read_some(buffer_.prepare(64 * 1024),
                            beast::bind_front_handler(&session::on_drain, this->shared_from_this()));
  }

  void on_drain(beast::error_code ec, std::size_t n) {
    drained_ += n;
    if (ec || drained_ > 64 * max_body_bytes) return close_now();
    do_drain();
  }

  void drop(const std::string& what, beast::error_code ec) {
    log_dropped(peer_, what, ec);
    close_now();
  }

  void close() {
    enter(phase::closed);
    if constexpr (is_tls) {
      tcp().expires_after(ctx_.request_timeout);
      stream_.async_shutdown(beast::bind_front_handler(&session::on_shutdown, this->shared_from_this()));
    } else {
      beast::error_code ignored;
      tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
      close_now();
    }
  }

  void on_shutdown(beast::error_code) { close_now(); }

  void close_now() {
    enter(phase::closed);
    beast::error_code ignored;
    tcp().socket().close(ignored);
  }

  Stream stream_;
  server_context& ctx_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http_response res_;
  connection_slot slot_;
  clock_type::time_point started_ = clock_type::now();
  phase phase_ = phase::waiting;
  bool first_ = true;                // no request answered yet on this connection
  bool drain_after_answer_ = false;  // a 413 or 501: the client may still be sending
  std::size_t drained_ = 0;
};

class server {
 public:
  server(server_context& ctx, std::optional<asio::ssl::context> tls)
      : ctx_(ctx), tls_(std::move(tls)), acceptor_(ioc_), signals_(ioc_, SIGINT, SIGTERM), grace_(ioc_),
        retry_(ioc_), ticker_(ioc_) {
    ctx_.start_wal_sync = [this] {
      ctx_.wal_syncing = true;
      auto waiting = std::make_shared<std::vector<std::function<void(bool)>>>(std::exchange(ctx_.wal_waiting, {}));
      auto home = asio::prefer(ioc_.get_executor(), asio::execution::outstanding_work.tracked);
      asio::post(ctx_.workers, [this, waiting, home, fd = ctx_.wal_fd] {
        const auto started = now_ms();
        const bool synced = ::fdatasync(fd) == 0;
        // Answers wait for this: a slow disk shows here, not as a mystery.
        if (const auto took = now_ms() - started; took >= slow_sync_ms)
          fmt::print(stderr, "- - - central.db-wal synced in {} ms; {} answers waited for it\n", took,
                     waiting->size());
        asio::post(home, [this, waiting, synced] {
          ctx_.wal_syncing = false;
          for (auto& then : *waiting) then(synced);
          if (!ctx_.wal_waiting.empty()) ctx_.start_wal_sync();
        });
      });
    };
    // `home` counts as work, so the loop runs on until `then` has run.
    ctx_.state.off_thread = [this](std::function<void()> work, std::function<void()> then) {
      auto home = asio::prefer(ioc_.get_executor(), asio::execution::outstanding_work.tracked);
      asio::post(ctx_.workers, [this, work = std::move(work), then = std::move(then), home]() mutable {
        work();
        asio::post(home, [this, then = std::move(then)] {
          then();
          ctx_.broadcast();
        });
      });
    };
  }

  result<tcp::endpoint> listen(const tcp::endpoint& at) {
    beast::error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(at, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) acceptor_.non_blocking(true, ec);  // on_accept takes a burst without waiting
    if (ec)
      return failure(fmt::format("--listen: cannot listen on {}:{}: {}", at.address().to_string(), at.port(),
                                 ec.message()));
    return acceptor_.local_endpoint();
  }

  void run() {
    signals_.async_wait([this](beast::error_code ec, int sig) { on_signal(ec, sig); });
    do_accept();
    do_tick();
    ioc_.run();
  }

 private:
  // Once a second: the dashboard's time-driven changes and other processes'
  // commits; every 15 s a comment line keeps the streams (and any proxy
  // between) from timing out.
  void do_tick() {
    ticker_.expires_after(std::chrono::seconds(1));
    ticker_.async_wait([this](beast::error_code ec) {
      if (ec || ctx_.stopping) return;
      const bool more = tick(ctx_.state);
      ctx_.broadcast();
      if (more) catch_up_soon();
      if (++ticks_ % 15 == 0) ctx_.send_all(std::make_shared<const std::string>(": keep-alive\n\n"));
      do_tick();
    });
  }

  // The live picture has more waiting than one turn does: the next slice
  // after whatever else is ready (requests, batches, streams) has run.
  void catch_up_soon() {
    if (catching_up_) return;
    catching_up_ = true;
    asio::post(ioc_, [this] {
      catching_up_ = false;
      if (ctx_.stopping) return;
      const bool more = tick(ctx_.state);
      ctx_.broadcast();
      if (more) catch_up_soon();
    });
  }

  void do_accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      on_accept(ec, std::move(socket));
    });
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ctx_.stopping) return;
    if (ec) {
      // E.g. out of file descriptors: say so, and try again shortly.
      fmt::print(stderr, "- - - cannot accept a connection: {}\n", ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([this](beast::error_code e) {
        if (!e && !ctx_.stopping) do_accept();
      });
      return;
    }
    std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
    adopt(std::move(socket));
    // Takes the rest of a burst now (the acceptor does not block): one
    // accept a turn of the io_context would leave a new client behind every
    // connection queued before it (500 attackers reconnecting), a turn each.
    for (int i = 0; i < max_accepts_a_turn && !ctx_.stopping; ++i) {
      tcp::socket next(ioc_);
      acceptor_.accept(next, ec);
      if (ec) break;  // would_block: none waiting; else the async accept sees it again
      adopt(std::move(next));
    }
    do_accept();
  }

  // A new connection's session, where the cap allows.
  void adopt(tcp::socket socket) {
    // Answers go out at once: without it, Nagle's algorithm holds a response's
    // last segment until the kiosk's delayed ACK (up to 40 ms a request).
    beast::error_code nodelay_ec;
    socket.set_option(tcp::no_delay(true), nodelay_ec);
    beast::error_code peer_ec;
    const auto peer_ep = socket.remote_endpoint(peer_ec);
    const auto peer = peer_ec ? std::string("?") : fmt::format("{}:{}", peer_ep.address().to_string(), peer_ep.port());
    if (ctx_.open_sessions >= ctx_.max_connections && !make_room()) {
      fmt::print(stderr,
                 "- - - connection from {} refused: {} connections open (--max-connections), each with a request "
                 "in hand\n",
                 peer, ctx_.open_sessions);
      beast::error_code ignored;
      socket.close(ignored);
      return;
    }
    if (tls_) {
      auto s = std::make_shared<session<tls_stream>>(tls_stream(beast::tcp_stream(std::move(socket)), *tls_), ctx_, peer);
      sessions_.push_back(s);
      s->start();
    } else {
      auto s = std::make_shared<session<plain_stream>>(plain_stream(std::move(socket)), ctx_, peer);
      sessions_.push_back(s);
      s->start();
    }
  }

  // At the cap: closes the oldest connection that has not sent a request
  // yet (a slow or idle client, perhaps an attack), else the oldest idle
  // keep-alive one (its agent reconnects). False where every one is busy.
  bool make_room() {
    std::shared_ptr<session_base> victim;
    spare best = spare::busy;
    for (auto& w : sessions_) {
      auto s = w.lock();
      if (!s) continue;
      const auto how = s->how_spare();
      if (how > best) {
        best = how;
        victim = std::move(s);
        if (best == spare::no_request) break;  // the list is oldest first
      }
    }
    if (!victim) return false;
    fmt::print(stderr, "- - - connection from {} closed for a new one: {} connections open (--max-connections); it {}\n",
               victim->peer(), ctx_.open_sessions,
               best == spare::no_request ? "had sent no complete request" : "was idle between requests");
    victim->evict();
    return true;
  }

  void on_signal(beast::error_code ec, int sig) {
    if (ec) return;
    if (ctx_.stopping) {  // a second signal: stop now
      ioc_.stop();
      return;
    }
    fmt::print(stderr, "- - - signal {}: no new connections; finishing the requests in hand\n", sig);
    ctx_.stopping = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
    ticker_.cancel();
    for (auto& w : sessions_)
      if (auto s = w.lock()) s->stop();
    ctx_.streams.close_all();
    deadline_ = clock_type::now() + ctx_.request_timeout + std::chrono::seconds(1);
    signals_.async_wait([this](beast::error_code e, int s) { on_signal(e, s); });
    wait_for_sessions();
  }

  // Polls until every session has ended, or the grace period is over.
  void wait_for_sessions() {
    std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
    if (sessions_.empty() || clock_type::now() >= deadline_) {
      beast::error_code ignored;
      signals_.cancel(ignored);
      if (!sessions_.empty()) ioc_.stop();
      return;
    }
    grace_.expires_after(std::chrono::milliseconds(20));
    grace_.async_wait([this](beast::error_code e) {
      if (!e) wait_for_sessions();
    });
  }

  server_context& ctx_;
  std::optional<asio::ssl::context> tls_;  // outlives the sessions the io_context may still hold
  asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer grace_;
  asio::steady_timer retry_;
  asio::steady_timer ticker_;
  static constexpr int max_accepts_a_turn = 64;
  unsigned ticks_ = 0;
  bool catching_up_ = false;
  std::list<std::weak_ptr<session_base>> sessions_;
  clock_type::time_point deadline_;
};

struct listen_address {
  asio::ip::address address;
  unsigned short port = 0;
  std::string host;  // as written, for the URL
};

result<listen_address> parse_listen(const std::string& text) {
  const auto bad = [&] {
    return bad_input(fmt::format("--listen: \"{}\" is not HOST:PORT with an IP address, such as 127.0.0.1:8443 or "
                                 "[::1]:8443",
                                 text));
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad();
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos)
    return bad();
  const auto port = std::stoul(port_text);
  if (port > 65535) return bad();
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
  if (bare == "localhost") bare = "127.0.0.1";
  beast::error_code ec;
  const auto address = asio::ip::make_address(bare, ec);
  if (ec) return bad();
  return listen_address{address, static_cast<unsigned short>(port), host};
}

// A connection is a file descriptor: takes the hard open-file limit as the
// soft one (often 1,024 against 524,288 under systemd). Returns the limit now
// in force.
rlim_t raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit want = lim;
    if (want.rlim_max == RLIM_INFINITY) want.rlim_cur = rlim_t{1} << 20;  // Linux's default nr_open
    else want.rlim_cur = want.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) lim = want;
  }
  return lim.rlim_cur;
}

// Descriptors kept for everything but connections: central.db, its WAL and
// shared memory, the listening socket, epoll, the signal pipe, standard
// streams, a PDF's temporary file.
constexpr rlim_t reserved_descriptors = 64;

}  // namespace

result<void> run_server(const serve_options& o) {
  auto where = parse_listen(o.listen);
  if (!where) return std::unexpected(where.error());
  if (o.tls_cert.has_value() != o.tls_key.has_value())
    return bad_input("--tls-cert and --tls-key go together: give both (HTTPS) or neither (plain HTTP on loopback)");
  const bool tls = o.tls_cert.has_value();
  if (!tls && !where->address.is_loopback())
    return bad_input(fmt::format("--listen: plain HTTP is allowed only on a loopback address (127.0.0.1, ::1), not "
                                 "{}; give --tls-cert and --tls-key to serve HTTPS there",
                                 where->host));
  if (o.request_timeout_ms <= 0 || o.idle_timeout_ms <= 0)
    return bad_input("--request-timeout-ms and --idle-timeout-ms must be positive");
  if (o.max_connections <= 0) return bad_input("--max-connections must be positive");
  const rlim_t open_files = raise_open_file_limit();
  if (open_files < reserved_descriptors + 16)
    return failure(fmt::format("the open-file limit is {}, too low to serve: raise it (ulimit -n, or LimitNOFILE= in "
                               "the systemd unit) to 1024 or more",
                               open_files));
  auto max_connections = static_cast<std::size_t>(o.max_connections);
  if (max_connections > open_files - reserved_descriptors) {
    max_connections = static_cast<std::size_t>(open_files - reserved_descriptors);
    fmt::print(stderr,
               "- - - --max-connections {} lowered to {}: the open-file limit is {}; raise it (LimitNOFILE= in the "
               "systemd unit) to allow more\n",
               o.max_connections, max_connections, open_files);
  }
  std::optional<asio::ssl::context> tls_ctx;
  if (tls) {
    auto ctx = make_server_tls(*o.tls_cert, *o.tls_key);
    if (!ctx) return std::unexpected(ctx.error());
    tls_ctx.emplace(std::move(*ctx));
  }
  auto db = open_store(o.data, open_mode::existing, write_cache_kib);
  if (!db) return std::unexpected(db.error());
  if (auto m = load_meeting(*db); !m) return std::unexpected(m.error());
  if (auto r = tune_for_serve(*db); !r) return r;
  // The log's file long enough that its syncs never wait for it to grow
  // (log_checkpoint.h); serve runs without it where the disk cannot hold it.
  std::error_code size_error;
  const auto store_bytes = static_cast<std::int64_t>(std::filesystem::file_size(db->path(), size_error));
  if (!size_error)
    if (auto r = lengthen_log(*db, std::min(long_log_bytes, store_bytes / 8)); !r)
      fmt::print(stderr, "- - - central.db's log stays as long as it is: {}\n", r.error().message);
  const auto wal = db->path() + "-wal";
  const int wal_fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (wal_fd < 0)
    return failure(fmt::format("{}: cannot open central.db's log to sync it: {}", wal, std::strerror(errno)));
  const struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } close_wal{wal_fd};

  server_context ctx{server_state(std::move(*db)), std::chrono::milliseconds(o.request_timeout_ms),
                     std::chrono::milliseconds(o.idle_timeout_ms)};
  ctx.max_connections = max_connections;
  ctx.wal_fd = wal_fd;
  auto checkpoint_db = open_store(o.data, open_mode::existing);
  if (!checkpoint_db) return std::unexpected(checkpoint_db.error());
  log_checkpointer checkpoints(ctx.state.db, *checkpoint_db);
  server srv(ctx, std::move(tls_ctx));
  auto bound = srv.listen({where->address, where->port});
  if (!bound) return std::unexpected(bound.error());
  const auto url = fmt::format("{}://{}:{}", tls ? "https" : "http",
                               where->address.is_v6() ? "[" + where->address.to_string() + "]"
                                                      : where->address.to_string(),
                               bound->port());
  if (!where->address.is_unspecified())
    if (auto r = write_setting(ctx.state.db, "server_url", url); !r) return r;
  // The dashboard's picture, built before the first browser asks.
  if (auto r = ensure_dashboard(ctx.state); !r) return r;
  fmt::print("listening on {}\n", url);
  std::fflush(stdout);
  fmt::print(stderr, "- - - cmetrack-central serving {} on {}; up to {} connections (open-file limit {})\n", o.data,
             url, max_connections, open_files);
  srv.run();
  ctx.workers.join();  // work in hand finishes while the loop it answers to still exists
  fmt::print(stderr, "- - - stopped; central.db closed\n");
  return {};
}

}  // namespace cmetrack::central
