#include "sync/agent/wakeup.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sync/agent/agent_log.h"

namespace cmetrack::agent {

namespace asio = boost::asio;
using boost::system::error_code;

struct wakeup::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& io, kiosk::kiosk_store& s) : store(s), events(io), timer(io), burst(io) {}

  kiosk::kiosk_store& store;
  asio::posix::stream_descriptor events;
  asio::steady_timer timer;
  asio::steady_timer burst;  // re-checks just after a file event
  int burst_step = 0;
  std::chrono::milliseconds tick{1000};
  std::function<void()> on_change;
  std::string db_name, wal_name;
  std::int64_t last_version = -1;
  std::array<char, 16 * 1024> buffer{};
  bool stopped = false;

  // True where another connection committed since the last look.
  bool check() {
    const auto v = store.data_version();
    if (!v) {
      on_change();  // cannot tell: look at the outbox anyway
      return true;
    }
    if (*v == last_version) return false;
    last_version = *v;
    on_change();
    return true;
  }

  // A write to the -wal file comes just before its commit is visible: the
  // commit is published in the -shm mapping, which raises no file event.
  // So after an event, look again a few times over the next ~0.2 s.
  void start_burst() {
    if (check()) return;
    burst_step = 0;
    next_burst();
  }
  void next_burst() {
    static constexpr std::array<int, 6> delays_ms = {1, 2, 5, 10, 30, 150};
    if (burst_step >= static_cast<int>(delays_ms.size())) return;
    burst.expires_after(std::chrono::milliseconds(delays_ms[static_cast<std::size_t>(burst_step++)]));
    burst.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec || self->stopped) return;
      if (!self->check()) self->next_burst();
    });
  }

  void read_events() {
    events.async_read_some(asio::buffer(buffer), [self = shared_from_this()](const error_code& ec, std::size_t n) {
      if (ec || self->stopped) return;
      bool ours = false;
      for (std::size_t at = 0; at + sizeof(inotify_event) <= n;) {
        inotify_event e;
        std::memcpy(&e, self->buffer.data() + at, sizeof e);
        const char* name = self->buffer.data() + at + sizeof e;
        if (e.len > 0 && (self->db_name == name || self->wal_name == name)) ours = true;
        at += sizeof e + e.len;
      }
      if (ours) self->start_burst();
      self->read_events();
    });
  }

  void wait_tick() {
    timer.expires_after(tick);
    timer.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec || self->stopped) return;
      self->check();
      self->wait_tick();
    });
  }
};

wakeup::wakeup(asio::io_context& io, kiosk::kiosk_store& store, const std::string& db_path,
               std::chrono::milliseconds tick, std::function<void()> on_change)
    : impl_(std::make_shared<impl>(io, store)) {
  impl_->tick = tick;
  impl_->on_change = std::move(on_change);
  if (auto v = store.data_version()) {
    impl_->check();  // the starting value; the caller looks at the outbox first anyway
  } else {
    log("cannot read PRAGMA data_version of {} ({}); looking at the outbox every {} instead", db_path,
        v.error().message, say_delay(tick.count()));
  }

  const std::filesystem::path path = std::filesystem::absolute(db_path);
  impl_->db_name = path.filename().string();
  impl_->wal_name = impl_->db_name + "-wal";
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    log("inotify is not available ({}); scans are noticed within {}", std::strerror(errno), say_delay(tick.count()));
  } else if (inotify_add_watch(fd, path.parent_path().c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO) <
             0) {
    log("cannot watch {} with inotify ({}); scans are noticed within {}", path.parent_path().string(),
        std::strerror(errno), say_delay(tick.count()));
    close(fd);
  } else {
    impl_->events.assign(fd);
    impl_->read_events();
  }
  impl_->wait_tick();
}

wakeup::~wakeup() { stop(); }

void wakeup::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  error_code ec;
  impl_->timer.cancel();
  impl_->burst.cancel();
  impl_->events.close(ec);
}

}  // namespace cmetrack::agent
