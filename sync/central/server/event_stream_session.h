#pragma once
// An event stream of cmetrack-central serve (GET /api/v1/rooms/stream,
// Server-Sent Events) once it is open. The HTTP session reads the request
// and the route answers `event_stream`; the session then hands its
// connection over to an event_stream_session, which writes the response's
// head and first events and then whatever the server broadcasts, until
// either side closes it. The response has no length and no chunks: its
// body ends with the connection.
//
//   session ──event_stream──> event_stream_session ──registered in──> event_streams
//   (reads, routes, answers)   (writes only; a read watches     (broadcast, count
//                               for the client leaving)          for /metrics)
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <utility>

namespace cmetrack::central {

// A connection's place among --max-connections: taken at the accept and
// given back when the connection ends, whichever session holds it then.
class connection_slot {
 public:
  explicit connection_slot(std::size_t& open) : open_(&open) { ++open; }
  connection_slot(connection_slot&& other) noexcept : open_(std::exchange(other.open_, nullptr)) {}
  connection_slot& operator=(connection_slot&&) = delete;
  ~connection_slot() {
    if (open_) --*open_;
  }

 private:
  std::size_t* open_;
};

// A connection that streams events.
struct event_sink {
  virtual ~event_sink() = default;
  virtual void send(const std::shared_ptr<const std::string>& text) = 0;
  virtual void close() = 0;  // now, on shutdown
};

// The open event streams: where the server's events go, and how many there
// are (`open`: dashboard_state::streams, for /metrics and so that events are
// queued only while someone listens). A stream counts itself in from its
// constructor to its destructor.
class event_streams {
 public:
  explicit event_streams(int& open) : open_(open) {}
  void send_all(const std::shared_ptr<const std::string>& text);
  void close_all();

  void opened() { ++open_; }
  void closed() { --open_; }
  void add(std::weak_ptr<event_sink> stream) { streams_.push_back(std::move(stream)); }

 private:
  int& open_;
  std::list<std::weak_ptr<event_sink>> streams_;
};

// The log line of a connection that ends on a fault: none where the client
// just left, one where a deadline passed or something else went wrong.
void log_dropped(const std::string& peer, const std::string& what, boost::beast::error_code ec);

// A stream may fall this far behind before it is dropped (a client that
// stopped reading must not hold the server's memory): 4 MiB of events is
// several minutes of a busy meeting's rooms.
constexpr std::size_t max_stream_backlog_bytes = 4 << 20;

// One open event stream, kept alive by the operations in flight: the read
// that watches for the client leaving (always) and a write with its
// deadline (while one is in flight).
template <class Stream>
class event_stream_session final : public event_sink,
                                   public std::enable_shared_from_this<event_stream_session<Stream>> {
 public:
  event_stream_session(Stream stream, connection_slot slot, event_streams& streams,
                       std::chrono::milliseconds write_timeout, std::string peer)
      : stream_(std::move(stream)), slot_(std::move(slot)), streams_(streams), write_timeout_(write_timeout),
        peer_(std::move(peer)), write_deadline_(stream_.get_executor()) {
    streams_.opened();
  }
  ~event_stream_session() override { streams_.closed(); }

  // `first`: the response's head and first events, the stream's first write.
  void start(std::string first) {
    streams_.add(this->shared_from_this());
    tcp().expires_never();  // nothing pending: the read below has no deadline
    send(std::make_shared<const std::string>(std::move(first)));
    read_until_closed();
  }

  void send(const std::shared_ptr<const std::string>& text) override {
    if (closed_) return;
    if (!writing_) {
      writing_ = text;
      return write_events();
    }
    // One write in flight; what comes meanwhile goes out as one write after
    // it, so a burst of events (a busy second) costs one write, not many.
    if (pending_.size() + text->size() > max_stream_backlog_bytes) {
      fmt::print(stderr, "- - - event stream to {} dropped: {} bytes behind\n", peer_, pending_.size());
      return close();
    }
    pending_ += *text;
  }

  void close() override {
    closed_ = true;
    pending_.clear();
    write_deadline_.cancel();
    boost::beast::error_code ignored;
    tcp().socket().close(ignored);
  }

 private:
  boost::beast::tcp_stream& tcp() { return boost::beast::get_lowest_layer(stream_); }

  // The client sends nothing more: a read that completes means it closed
  // the connection.
  void read_until_closed() {
    stream_.async_read_some(boost::asio::buffer(discard_), boost::beast::bind_front_handler(
                                                               &event_stream_session::on_client_read,
                                                               this->shared_from_this()));
  }

  void on_client_read(boost::beast::error_code ec, std::size_t) {
    if (!ec && !closed_) return read_until_closed();
    close();
  }

  // The writes have a deadline of their own (a client that stops reading is
  // dropped), not the connection's: Beast's deadline also bounds the read
  // that waits for the client to leave, and a write started while that read
  // is pending would leave the read's first deadline in force.
  void write_events() {
    write_deadline_.expires_after(write_timeout_);
    write_deadline_.async_wait([self = this->shared_from_this()](boost::beast::error_code ec) {
      if (!ec && self->writing_) self->close();
    });
    boost::asio::async_write(stream_, boost::asio::buffer(*writing_),
                             boost::beast::bind_front_handler(&event_stream_session::on_events_written,
                                                              this->shared_from_this()));
  }

  void on_events_written(boost::beast::error_code ec, std::size_t) {
    writing_.reset();
    if (ec) {
      if (!closed_) log_dropped(peer_, "writing events", ec);
      return close();
    }
    if (!pending_.empty()) {
      writing_ = std::make_shared<const std::string>(std::exchange(pending_, std::string()));
      return write_events();
    }
    write_deadline_.cancel();
  }

  Stream stream_;
  connection_slot slot_;
  event_streams& streams_;
  std::chrono::milliseconds write_timeout_;
  std::string peer_;
  boost::asio::steady_timer write_deadline_;
  bool closed_ = false;
  std::shared_ptr<const std::string> writing_;  // the write in flight
  std::string pending_;                         // and what waits for it to end
  std::array<char, 512> discard_{};
};

}  // namespace cmetrack::central
