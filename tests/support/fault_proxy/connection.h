#pragma once
// One proxied connection: the client's socket, the upstream socket, two
// pipes pumping bytes between them, and the fault decided at accept.
//
//   phases: connecting ─▶ pumping ─▶ draining ─▶ closed
//                │           │  └──▶ blackholed ─┘  ▲
//                └───────────┴───────── reset ──────┘
//
// pumping:    each pipe reads a chunk, waits the delay if any, writes it on
//             and reads again; a cut or reset is checked before each write,
//             so exactly N bytes go through before it.
// draining:   after a cut or drop: FIN sent both ways, anything more read and
//             thrown away until each peer closes or the drain bound passes.
// blackholed: read and thrown away both ways, nothing forwarded; closed when
//             both peers have closed or the hold bound passes.
// One timer serves each phase in turn: the connect timeout, the lifetime
// bound (--lifetime-ms), then the blackhole hold or the drain bound.
// Every handler holds shared_from_this() and first checks the phase.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tests/support/fault_proxy/fault.h"
#include "tests/support/fault_proxy/proxy.h"

namespace cmetrack::fault_proxy::detail {

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(std::shared_ptr<proxy_state> state, boost::asio::ip::tcp::socket client, std::uint64_t index,
             fault planned);
  void start();
  void network_down();  // as the proxy's down mode says
  void shut();          // the proxy is stopping: close both at once, quietly

 private:
  enum class phase { connecting, pumping, blackholed, draining, closed };
  struct pipe {
    pipe(boost::asio::ip::tcp::socket& source, boost::asio::ip::tcp::socket& sink, bool request,
         boost::asio::io_context& io);
    boost::asio::ip::tcp::socket& from;
    boost::asio::ip::tcp::socket& to;
    bool is_request;  // client -> upstream
    std::vector<char> buffer;
    boost::asio::steady_timer delay;
    std::uint64_t forwarded = 0;
    std::uint64_t swallowed = 0;  // read while blackholed or draining
    std::size_t pending = 0;      // bytes of the chunk to forward
    bool fault_after = false;     // apply the fault once the pending bytes are written
    bool reading = false;
    bool busy = false;  // a delay or write in flight
    bool eof = false;   // `from` has closed (or reset)
  };

  void connect_upstream();
  void on_connect(const boost::system::error_code& ec);
  void read(pipe& p);
  void on_read(pipe& p, const boost::system::error_code& ec, std::size_t n);
  void forward(pipe& p, std::size_t n);
  void write(pipe& p);
  void on_write(pipe& p, const boost::system::error_code& ec, std::size_t n);
  void resume(pipe& p);  // after a delay or write: go on as the phase now says
  void on_peer_closed(pipe& p, const boost::system::error_code& ec);
  void apply_planned_fault();
  void begin_drain();
  void begin_blackhole(std::uint64_t hold_ms);
  void reset_both();
  void close_both();
  void finish();
  void note_fault(std::string_view kind, std::string_view extra = {});
  bool delays(const pipe& p) const;
  pipe& other(const pipe& p) { return &p == &request_ ? response_ : request_; }

  std::shared_ptr<proxy_state> state_;
  boost::asio::ip::tcp::socket client_;
  boost::asio::ip::tcp::socket upstream_;
  std::uint64_t index_;
  fault planned_;
  phase phase_ = phase::connecting;
  bool planned_applied_ = false;
  bool faulted_ = false;
  bool connect_timed_out_ = false;
  bool connected_ = false;  // the upstream connection was made
  boost::asio::steady_timer timer_;  // by phase: connect timeout, lifetime, blackhole hold or drain bound
  pipe request_;
  pipe response_;
};

}  // namespace cmetrack::fault_proxy::detail
