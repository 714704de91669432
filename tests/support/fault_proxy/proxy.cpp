#include "tests/support/fault_proxy/proxy.h"

#include <fmt/format.h>

#include <utility>

#include "tests/support/fault_proxy/connection.h"
#include "tests/support/fault_proxy/endpoint.h"

namespace cmetrack::fault_proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

proxy::proxy(asio::io_context& io, proxy_options options, log_function log)
    : state_(std::make_shared<detail::proxy_state>(detail::proxy_state{io, std::move(options), std::move(log), {}, false, {}})),
      acceptor_(io),
      retry_(io) {}

proxy::~proxy() { stop(); }

result<void> proxy::start() {
  const auto& where = state_->options.listen;
  error_code ec;
  acceptor_.open(where.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(where, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failure(fmt::format("cannot listen on {}: {}; choose another port or use port 0", to_string(where), ec.message()));
  accept();
  return {};
}

tcp::endpoint proxy::local_endpoint() const {
  error_code ec;
  return acceptor_.local_endpoint(ec);
}

void proxy::accept() {
  acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void proxy::on_accept(const error_code& ec, tcp::socket socket) {
  if (!acceptor_.is_open() || ec == asio::error::operation_aborted) return;
  if (ec) {  // e.g. out of file descriptors: say so and try again shortly
    state_->log(fmt::format("accept error=\"{}\"", ec.message()));
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([this](const error_code& wait_ec) {
      if (!wait_ec) accept();
    });
    return;
  }
  const std::uint64_t index = next_index_++;
  ++state_->counts.connections;
  if (state_->live.size() >= state_->options.max_connections) {
    ++state_->counts.over_limit;
    ++state_->counts.faulted;
    state_->log(fmt::format("fault conn={} kind=over_limit up=0 down=0 live={}", index, state_->live.size()));
    error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  } else {
    auto c = std::make_shared<detail::connection>(state_, std::move(socket), index,
                                                  choose_fault(state_->options.plan, index));
    state_->live[index] = c;
    c->start();
  }
  accept();
}

void proxy::set_network_down(bool down) {
  if (down == state_->down) return;
  state_->down = down;
  if (!down) {
    state_->log("network up");
    return;
  }
  state_->log(fmt::format("network down mode={} connections={}",
                          state_->options.when_down == down_mode::reset ? "reset" : "blackhole", state_->live.size()));
  const auto live = state_->live;  // each connection removes itself as it closes
  for (const auto& [index, weak] : live)
    if (const auto c = weak.lock()) c->network_down();
}

void proxy::stop() {
  error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  const auto live = std::exchange(state_->live, {});
  for (const auto& [index, weak] : live)
    if (const auto c = weak.lock()) c->shut();
}

std::string proxy::summary() const {
  const proxy_counts& c = state_->counts;
  const auto kind = [&](fault_kind k) { return c.by_kind[static_cast<std::size_t>(k)]; };
  return fmt::format(
      "summary connections={} pass={} delay={} drop={} cut_request={} cut_response={} blackhole={} reset={} "
      "down={} over_limit={} lifetime={} missed={} upstream_failed={}",
      c.connections, c.connections - c.faulted, kind(fault_kind::delay), kind(fault_kind::drop),
      kind(fault_kind::cut_request), kind(fault_kind::cut_response), kind(fault_kind::blackhole),
      kind(fault_kind::reset), c.down, c.over_limit, c.lifetime, c.missed, c.upstream_failed);
}

}  // namespace cmetrack::fault_proxy
