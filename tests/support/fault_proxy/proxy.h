#pragma once
// The fault proxy: a TCP proxy on loopback between sync agents and the
// central node that puts faults on chosen connections. It does not terminate
// TLS: faults hit TLS records mid-stream, as a bad network would.
//
//   agent ──TCP──▶ [acceptor] ──▶ connection #i ──TCP──▶ central node
//                                 fault = choose_fault(plan, i)
//                                 request pipe:  client → upstream
//                                 response pipe: upstream → client
//
// One io_context, one thread. Each connection keeps itself alive through the
// operation in flight; the proxy keeps only weak references to the live ones
// so it can take the network down (reset or blackhole them all).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "shared/error.h"
#include "tests/support/fault_proxy/fault.h"
#include "tests/support/fault_proxy/fault_plan.h"

namespace cmetrack::fault_proxy {

// What "network down" does: reset every connection (and each new one at
// accept), or blackhole them (read and swallow, never forward, close after
// the blackhole bound).
enum class down_mode { reset, blackhole };

struct proxy_options {
  boost::asio::ip::tcp::endpoint listen;
  boost::asio::ip::tcp::endpoint upstream;
  fault_plan plan;
  delay_direction delay_way = delay_direction::both;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds drain_timeout{2000};  // after a cut or drop: FIN sent, then read until the peer closes
  std::size_t max_connections = 512;              // live at once; more are reset at accept
  // A connection still forwarding after this long is closed (FIN both ways),
  // so a long-lived keep-alive connection does not escape the faults; 0: never.
  std::chrono::milliseconds lifetime{0};
  down_mode when_down = down_mode::reset;
  bool verbose = false;  // a line as each connection opens and closes
};

// Connections accepted, and per fault kind the connections it was applied to.
struct proxy_counts {
  std::uint64_t connections = 0;
  std::uint64_t faulted = 0;  // connections that got at least one fault (pass = connections - faulted)
  std::array<std::uint64_t, 7> by_kind{};  // indexed by fault_kind
  std::uint64_t down = 0;                  // reset or blackholed because the network was down
  std::uint64_t over_limit = 0;            // reset at accept: max_connections were live
  std::uint64_t lifetime = 0;              // closed at the end of their lifetime
  std::uint64_t missed = 0;                // cut/reset planned, but the connection ended before its byte count
  std::uint64_t upstream_failed = 0;       // the central node refused or did not answer in time
};

// Each log line, without its new line.
using log_function = std::function<void(const std::string&)>;

namespace detail {
class connection;
struct proxy_state {
  boost::asio::io_context& io;
  proxy_options options;
  log_function log;
  proxy_counts counts;
  bool down = false;
  std::map<std::uint64_t, std::weak_ptr<connection>> live;
};
}  // namespace detail

class proxy {
 public:
  proxy(boost::asio::io_context& io, proxy_options options, log_function log);
  ~proxy();  // closes the listener and every connection
  proxy(const proxy&) = delete;
  proxy& operator=(const proxy&) = delete;

  result<void> start();  // binds, listens and starts accepting
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void set_network_down(bool down);
  bool network_down() const { return state_->down; }
  void stop();  // stops accepting and closes every connection at once
  const proxy_counts& counts() const { return state_->counts; }
  std::size_t live_connections() const { return state_->live.size(); }
  // "summary connections=N pass=N delay=N ... upstream_failed=N"
  std::string summary() const;

 private:
  void accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  std::shared_ptr<detail::proxy_state> state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  std::uint64_t next_index_ = 0;
};

}  // namespace cmetrack::fault_proxy
