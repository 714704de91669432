#include "deploy/crowd/replay.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "shared/time.h"

namespace cmetrack::crowd {
namespace {

volatile sig_atomic_t stop_requested = 0;
void on_stop(int) { stop_requested = 1; }

// The meeting clock: `from`, running `speed` times as fast, but never ahead
// of the real clock.
struct meeting_clock {
  time_ms from, started;
  double speed;
  time_ms now() const {
    const time_ms real = now_ms();
    const auto fast = from + static_cast<time_ms>(static_cast<double>(real - started) * speed);
    return std::min(fast, real);
  }
};

// SIGTERM/SIGINT interrupt a blocked open() or write() (no SA_RESTART).
void install_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

class inputs {
 public:
  ~inputs() {
    for (const int fd : fds_)
      if (fd >= 0) close(fd);
  }
  result<bool> open_all(const std::vector<replay_kiosk>& kiosks) {
    for (const auto& k : kiosks) {
      const int fd = open(k.input.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) {
        if (stop_requested) return false;
        return failure(fmt::format("kiosk {}: cannot open its input {}: {}; is the kiosk running and reading it?",
                                   k.id, k.input, std::strerror(errno)));
      }
      fds_.push_back(fd);
    }
    return true;
  }
  // false: stopped by a signal.
  result<bool> write_line(const replay_kiosk& k, std::size_t i, const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
      const auto n = ::write(fds_[i], line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) {
        if (stop_requested) return false;
        continue;
      }
      if (n < 0)
        return failure(fmt::format("kiosk {}: cannot write to its input {}: {}{}", k.id, k.input, std::strerror(errno),
                                   errno == EPIPE ? " (the kiosk has stopped; see its log)" : ""));
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

 private:
  std::vector<int> fds_;
};

// Stops and continues one kiosk's agent; always continues it in the end.
class outage {
 public:
  outage(const replay_kiosk* kiosk, const replay_options& o) : kiosk_(kiosk), o_(o) {}
  ~outage() {
    if (stopped_) kill(o_.offline_agent, SIGCONT);
  }
  void at(time_ms meeting_now) {
    if (!kiosk_ || o_.offline_agent <= 0) return;
    if (!stopped_ && !done_ && meeting_now >= o_.offline_from && meeting_now < o_.offline_until) {
      if (kill(o_.offline_agent, SIGSTOP) == 0) {
        stopped_ = true;
        fmt::print("crowd: {} {} goes offline: its sync agent (pid {}) is stopped until {}\n",
                   format_iso8601_utc(meeting_now), kiosk_->id, o_.offline_agent, format_iso8601_utc(o_.offline_until));
      } else {
        done_ = true;
        fmt::print("crowd: cannot stop {}'s sync agent (pid {}): {}\n", kiosk_->id, o_.offline_agent,
                   std::strerror(errno));
      }
    } else if (stopped_ && meeting_now >= o_.offline_until) {
      kill(o_.offline_agent, SIGCONT);
      stopped_ = false;
      done_ = true;
      fmt::print("crowd: {} {} is back online: its sync agent sends what it recorded meanwhile\n",
                 format_iso8601_utc(meeting_now), kiosk_->id);
    }
    std::fflush(stdout);
  }

 private:
  const replay_kiosk* kiosk_;
  const replay_options& o_;
  bool stopped_ = false, done_ = false;
};

}  // namespace

result<long> replay(const std::vector<replay_kiosk>& kiosks, const std::vector<planned_scan>& scans,
                    const replay_options& o) {
  install_handlers();
  inputs in;
  auto opened = in.open_all(kiosks);
  if (!opened) return std::unexpected(opened.error());
  if (!*opened) return 0L;

  const meeting_clock clock{o.from, now_ms(), std::max(1.0, o.speed)};
  outage off(o.offline_kiosk >= 0 && static_cast<std::size_t>(o.offline_kiosk) < kiosks.size()
                 ? &kiosks[static_cast<std::size_t>(o.offline_kiosk)]
                 : nullptr,
             o);
  fmt::print("crowd: {} scans for {} kiosks from {} at {}x, then at the real time\n", scans.size(), kiosks.size(),
             format_iso8601_utc(o.from), o.speed);
  std::fflush(stdout);

  long sent = 0;
  bool caught_up = false;
  time_ms next_status = now_ms() + o.status_every_ms;
  std::size_t i = 0;
  while (!stop_requested && i < scans.size()) {
    const time_ms now = clock.now();
    off.at(now);
    if (!caught_up && now >= now_ms() - 1000) {
      caught_up = true;
      fmt::print("crowd: {} caught up with the real clock; {} scans sent so far\n", format_iso8601_utc(now), sent);
      std::fflush(stdout);
    }
    while (i < scans.size() && scans[i].at <= now) {
      const auto& s = scans[i];
      const auto k = static_cast<std::size_t>(s.kiosk);
      if (s.kiosk >= 0 && k < kiosks.size()) {
        auto written = in.write_line(kiosks[k], k, format_iso8601_utc(s.at) + " " + s.payload + "\n");
        if (!written) return std::unexpected(written.error());
        if (!*written) break;
        ++sent;
      }
      ++i;
    }
    if (now_ms() >= next_status) {
      fmt::print("crowd: meeting time {}, {} scans sent\n", format_iso8601_utc(now), sent);
      std::fflush(stdout);
      next_status += o.status_every_ms;
    }
    if (i < scans.size() && !stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  fmt::print("crowd: {}; {} scans sent\n", stop_requested ? "stopped" : "every scan sent", sent);
  std::fflush(stdout);
  return sent;
}

}  // namespace cmetrack::crowd
