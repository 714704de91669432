#include "tests/support/fault_proxy/connection.h"

#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <utility>

namespace cmetrack::fault_proxy::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr std::size_t chunk_size = 64 * 1024;

bool counts_bytes(fault_kind kind) {
  return kind == fault_kind::cut_request || kind == fault_kind::cut_response || kind == fault_kind::reset;
}

std::size_t kind_slot(fault_kind kind) { return static_cast<std::size_t>(kind); }

}  // namespace

connection::pipe::pipe(tcp::socket& source, tcp::socket& sink, bool request, asio::io_context& io)
    : from(source), to(sink), is_request(request), buffer(chunk_size), delay(io) {}

connection::connection(std::shared_ptr<proxy_state> state, tcp::socket client, std::uint64_t index, fault planned)
    : state_(std::move(state)),
      client_(std::move(client)),
      upstream_(state_->io),
      index_(index),
      planned_(planned),
      timer_(state_->io),
      request_(client_, upstream_, true, state_->io),
      response_(upstream_, client_, false, state_->io) {}

void connection::start() {
  const auto& options = state_->options;
  if (options.verbose)
    state_->log(fmt::format("open conn={} fault={} amount={}", index_, name(planned_.kind), planned_.amount));
  error_code ignored;
  client_.set_option(tcp::no_delay(true), ignored);
  if (state_->down) {
    ++state_->counts.down;
    if (options.when_down == down_mode::reset) {
      note_fault("down_reset");
      reset_both();
    } else {
      note_fault("down_blackhole", fmt::format("hold_ms={}", options.plan.amounts.blackhole_ms));
      begin_blackhole(options.plan.amounts.blackhole_ms);
    }
    return;
  }
  switch (planned_.kind) {
    case fault_kind::drop:
      planned_applied_ = true;
      ++state_->counts.by_kind[kind_slot(fault_kind::drop)];
      note_fault("drop");
      begin_drain();
      return;
    case fault_kind::blackhole:
      planned_applied_ = true;
      ++state_->counts.by_kind[kind_slot(fault_kind::blackhole)];
      note_fault("blackhole", fmt::format("hold_ms={}", planned_.amount));
      begin_blackhole(planned_.amount);
      return;
    case fault_kind::reset:
      if (planned_.amount == 0) {
        apply_planned_fault();
        return;
      }
      break;
    case fault_kind::delay:
      planned_applied_ = true;
      ++state_->counts.by_kind[kind_slot(fault_kind::delay)];
      note_fault("delay", fmt::format("ms={} direction={}", planned_.amount, name(options.delay_way)));
      break;
    case fault_kind::pass:
    case fault_kind::cut_request:
    case fault_kind::cut_response: break;
  }
  connect_upstream();
}

void connection::connect_upstream() {
  phase_ = phase::connecting;
  timer_.expires_after(state_->options.connect_timeout);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->phase_ != phase::connecting) return;
    self->connect_timed_out_ = true;
    error_code ignored;
    self->upstream_.close(ignored);  // aborts the connect
  });
  upstream_.async_connect(state_->options.upstream,
                          [self = shared_from_this()](const error_code& ec) { self->on_connect(ec); });
}

void connection::on_connect(const error_code& ec) {
  if (phase_ != phase::connecting) return;
  timer_.cancel();
  if (ec) {
    ++state_->counts.upstream_failed;
    state_->log(fmt::format("upstream conn={} error=\"{}\"", index_,
                            connect_timed_out_ ? fmt::format("no answer in {} ms", state_->options.connect_timeout.count())
                                               : ec.message()));
    reset_both();
    return;
  }
  connected_ = true;
  error_code ignored;
  upstream_.set_option(tcp::no_delay(true), ignored);
  phase_ = phase::pumping;
  if (state_->options.lifetime.count() > 0) {
    timer_.expires_after(state_->options.lifetime);
    timer_.async_wait([self = shared_from_this()](const error_code& wait_ec) {
      if (wait_ec || self->phase_ != phase::pumping) return;
      ++self->state_->counts.lifetime;
      self->note_fault("lifetime", fmt::format("ms={}", self->state_->options.lifetime.count()));
      self->begin_drain();
    });
  }
  read(request_);
  read(response_);
}

void connection::read(pipe& p) {
  p.reading = true;
  p.from.async_read_some(asio::buffer(p.buffer), [self = shared_from_this(), &p](const error_code& ec, std::size_t n) {
    self->on_read(p, ec, n);
  });
}

void connection::on_read(pipe& p, const error_code& ec, std::size_t n) {
  p.reading = false;
  switch (phase_) {
    case phase::closed:
    case phase::connecting: return;
    case phase::blackholed:
    case phase::draining:
      if (ec) {
        p.eof = true;
        error_code ignored;
        p.from.close(ignored);
        if (!client_.is_open() && !upstream_.is_open()) finish();
        return;
      }
      p.swallowed += n;
      read(p);
      return;
    case phase::pumping:
      if (ec) {
        on_peer_closed(p, ec);
        return;
      }
      forward(p, n);
      return;
  }
}

void connection::on_peer_closed(pipe& p, const error_code& ec) {
  if (ec == asio::error::eof) {
    p.eof = true;
    error_code ignored;
    p.to.shutdown(tcp::socket::shutdown_send, ignored);  // pass the FIN on
    if (other(p).eof) close_both();
    return;
  }
  if (ec == asio::error::connection_reset) {
    reset_both();  // pass the reset on
    return;
  }
  close_both();
}

void connection::forward(pipe& p, std::size_t n) {
  std::size_t send = n;
  bool fault_after = false;
  if (!planned_applied_) {
    const std::uint64_t limit = planned_.amount;
    std::uint64_t sent = 0;
    bool counted = false;
    if (planned_.kind == fault_kind::cut_request && p.is_request) {
      sent = p.forwarded;
      counted = true;
    } else if (planned_.kind == fault_kind::cut_response && !p.is_request) {
      sent = p.forwarded;
      counted = true;
    } else if (planned_.kind == fault_kind::reset) {
      sent = request_.forwarded + response_.forwarded;
      counted = true;
    }
    if (counted && sent + n > limit) {
      send = static_cast<std::size_t>(limit > sent ? limit - sent : 0);
      fault_after = true;
    }
  }
  p.pending = send;
  p.fault_after = fault_after;
  p.busy = true;
  if (!delays(p)) {
    write(p);
    return;
  }
  p.delay.expires_after(std::chrono::milliseconds(planned_.amount));
  p.delay.async_wait([self = shared_from_this(), &p](const error_code&) {
    if (self->phase_ != phase::pumping) {
      self->resume(p);
      return;
    }
    self->write(p);
  });
}

void connection::write(pipe& p) {
  if (p.pending == 0) {
    on_write(p, {}, 0);
    return;
  }
  asio::async_write(p.to, asio::buffer(p.buffer.data(), p.pending),
                    [self = shared_from_this(), &p](const error_code& ec, std::size_t n) { self->on_write(p, ec, n); });
}

void connection::on_write(pipe& p, const error_code& ec, std::size_t n) {
  p.forwarded += n;
  if (phase_ != phase::pumping) {
    resume(p);
    return;
  }
  p.busy = false;
  if (ec) {  // the peer we write to has gone
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe)
      reset_both();
    else
      close_both();
    return;
  }
  if (p.fault_after) {
    apply_planned_fault();
    return;
  }
  read(p);
}

void connection::resume(pipe& p) {
  p.busy = false;
  if ((phase_ == phase::blackholed || phase_ == phase::draining) && p.from.is_open() && !p.eof && !p.reading) read(p);
}

void connection::apply_planned_fault() {
  planned_applied_ = true;
  ++state_->counts.by_kind[kind_slot(planned_.kind)];
  note_fault(name(planned_.kind));
  if (planned_.kind == fault_kind::reset)
    reset_both();
  else
    begin_drain();
}

void connection::begin_drain() {
  phase_ = phase::draining;
  request_.delay.cancel();
  response_.delay.cancel();
  error_code ignored;
  for (tcp::socket* s : {&client_, &upstream_})
    if (s->is_open()) s->shutdown(tcp::socket::shutdown_send, ignored);
  timer_.expires_after(state_->options.drain_timeout);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec && self->phase_ == phase::draining) self->close_both();
  });
  for (pipe* p : {&request_, &response_}) {
    if (p->eof)
      p->from.close(ignored);
    else if (p->from.is_open() && !p->reading && !p->busy)
      read(*p);
  }
  if (!client_.is_open() && !upstream_.is_open()) finish();
}

void connection::begin_blackhole(std::uint64_t hold_ms) {
  const bool was_connecting = phase_ == phase::connecting;
  phase_ = phase::blackholed;
  request_.delay.cancel();
  response_.delay.cancel();
  error_code ignored;
  if (was_connecting) upstream_.close(ignored);  // aborts a connect in flight
  timer_.expires_after(std::chrono::milliseconds(hold_ms));
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec && self->phase_ == phase::blackholed) self->close_both();
  });
  for (pipe* p : {&request_, &response_})
    if (p->from.is_open() && !p->eof && !p->reading && !p->busy) read(*p);
  if (!client_.is_open() && !upstream_.is_open()) finish();
}

void connection::network_down() {
  if (phase_ == phase::closed) return;
  const auto& options = state_->options;
  if (options.when_down == down_mode::reset) {
    ++state_->counts.down;
    note_fault("down_reset");
    reset_both();
  } else if (phase_ != phase::blackholed && phase_ != phase::draining) {
    ++state_->counts.down;
    note_fault("down_blackhole", fmt::format("hold_ms={}", options.plan.amounts.blackhole_ms));
    begin_blackhole(options.plan.amounts.blackhole_ms);
  }
}

void connection::reset_both() {
  if (phase_ == phase::closed) return;
  error_code ignored;
  for (tcp::socket* s : {&client_, &upstream_}) {
    if (!s->is_open()) continue;
    s->set_option(asio::socket_base::linger(true, 0), ignored);  // close sends RST
    s->close(ignored);
  }
  finish();
}

void connection::close_both() {
  if (phase_ == phase::closed) return;
  error_code ignored;
  client_.close(ignored);
  upstream_.close(ignored);
  finish();
}

void connection::shut() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  error_code ignored;
  client_.close(ignored);
  upstream_.close(ignored);
  timer_.cancel();
  request_.delay.cancel();
  response_.delay.cancel();
}

void connection::finish() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  timer_.cancel();
  request_.delay.cancel();
  response_.delay.cancel();
  if (!planned_applied_ && connected_ && counts_bytes(planned_.kind)) {
    ++state_->counts.missed;
    state_->log(fmt::format("missed conn={} kind={} up={} down={} at={}", index_, name(planned_.kind),
                            request_.forwarded, response_.forwarded, planned_.amount));
  }
  if (state_->options.verbose)
    state_->log(fmt::format("close conn={} up={} down={}", index_, request_.forwarded, response_.forwarded));
  state_->live.erase(index_);
}

void connection::note_fault(std::string_view kind, std::string_view extra) {
  if (!faulted_) {
    faulted_ = true;
    ++state_->counts.faulted;
  }
  state_->log(fmt::format("fault conn={} kind={} up={} down={}{}{}", index_, kind, request_.forwarded,
                          response_.forwarded, extra.empty() ? "" : " ", extra));
}

bool connection::delays(const pipe& p) const {
  if (planned_.kind != fault_kind::delay) return false;
  switch (state_->options.delay_way) {
    case delay_direction::both: return true;
    case delay_direction::request: return p.is_request;
    case delay_direction::response: return !p.is_request;
  }
  return false;
}

}  // namespace cmetrack::fault_proxy::detail
