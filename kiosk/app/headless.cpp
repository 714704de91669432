// Headless mode.
//
//   stdin --read(2), line by line--> [simulated clock: split ISO-TIME PAYLOAD]
//     --> scan_intake::record (committed) --> JSON line --write(2)--> stdout
//
// A line on stdout means its scan is committed: it is written, unbuffered,
// only after record() returns (or it is an `error` line: nothing recorded).
//
// Started before the sync agent's first pull (no meeting in kiosk.db), it
// waits: a line on stderr says so, each scan line is answered with an
// `error` line carrying "waiting": true (nothing recorded), and kiosk.db is
// looked at each second while stdin is quiet, so the line saying the meeting
// came (stderr) is written when it comes; from then on scans are taken. SIGTERM/SIGINT only set a flag: the scan in
// hand is committed and its line written, then the loop ends. read(2) is
// interrupted (no SA_RESTART), so a kiosk waiting for input stops at once.
#include "kiosk/app/headless.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "kiosk/core/meeting_watch.h"
#include "shared/credit.h"
#include "shared/time.h"

namespace cmetrack::kiosk {
namespace {

volatile sig_atomic_t stop_requested = 0;

void on_stop(int) { stop_requested = 1; }

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout is a write error, handled below
}

// Lines of standard input, read with read(2) so that a stop request
// interrupts the wait. A line is held up to max_line bytes; a longer one is
// read to its end and reported as too long (a scanner never sends one).
class line_reader {
 public:
  static constexpr std::size_t max_line = 4096;

  // False at the end of input or on a stop request. Where `idle` is given
  // it is called each second that no input comes.
  bool next(std::string& line, bool& too_long, const std::function<void()>& idle = {}) {
    for (;;) {
      if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
        line.assign(buffer_, 0, nl);
        buffer_.erase(0, nl + 1);
        too_long = std::exchange(too_long_, false);
        return true;
      }
      if (buffer_.size() > max_line) {  // drop what is held; remember the line was too long
        buffer_.clear();
        too_long_ = true;
      }
      if (stop_requested) return false;
      if (idle) {
        pollfd input{STDIN_FILENO, POLLIN, 0};
        const int ready = poll(&input, 1, 1000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
          idle();
          continue;
        }
      }
      char chunk[4096];
      const ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  // end of input: a last line without its newline still counts
        if (buffer_.empty() && !too_long_) return false;
        line = std::exchange(buffer_, {});
        too_long = std::exchange(too_long_, false);
        return true;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  std::string buffer_;
  bool too_long_ = false;
};

// Writes all of `text` to standard output, through interruptions.
bool write_out(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(STDOUT_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

scan_outcome error_outcome(time_ms at, std::string reason) {
  scan_outcome o;
  o.at = at;
  o.reason = std::move(reason);
  return o;
}

}  // namespace

std::string outcome_json(const scan_outcome& o, bool waiting) {
  nlohmann::ordered_json j;
  const bool recorded = o.result != scan_result::error;
  j["id"] = recorded ? nlohmann::ordered_json(o.id) : nullptr;
  j["seq"] = recorded ? nlohmann::ordered_json(o.seq) : nullptr;
  j["badge"] = o.badge ? nlohmann::ordered_json(*o.badge) : nullptr;
  j["result"] = to_string(o.result);
  j["at"] = o.at ? nlohmann::ordered_json(format_iso8601_utc(o.at)) : nullptr;
  if (!o.first_name.empty()) j["first_name"] = o.first_name;
  if (o.result == scan_result::checked_out) {
    j["minutes"] = o.minutes;
    j["credits"] = credits(o.quarters);
  }
  if (!recorded) j["reason"] = o.reason;
  if (waiting) j["waiting"] = true;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int run_headless(kiosk_store& store, const kiosk_config& config, std::optional<scan_intake> intake,
                 const headless_options& options) {
  install_stop_handlers();
  meeting_watch watch(store);
  std::string problem;
  // A meeting the sync agent cached meanwhile applies from the next scan on.
  const auto refresh = [&] {
    const bool waiting = !intake;
    const kiosk_config current = intake ? intake->config() : config;
    const bool changed = watch.refresh(intake, current, problem);
    if (!problem.empty()) fmt::print(stderr, "cmetrack-kiosk: {}\n", std::exchange(problem, {}));
    if (changed && waiting) {
      const meeting& m = intake->cached_meeting();
      fmt::print(stderr, "cmetrack-kiosk: meeting {} cached for room {}: taking scans\n", m.id, m.rooms.at(0).id);
    }
  };
  if (!intake)
    fmt::print(stderr, "cmetrack-kiosk: {}\n", waiting_notice(config, store.path()));
  const std::function<void()> idle_while_waiting = [&] {
    if (!intake) refresh();
  };

  line_reader reader;
  std::string line;
  bool too_long = false;
  std::int64_t number = 0;
  while (!stop_requested && reader.next(line, too_long, intake ? std::function<void()>() : idle_while_waiting)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() && !too_long) continue;  // not a scan

    refresh();

    scan_outcome outcome;
    bool waiting = false;
    const auto take = [&](std::string_view payload, time_ms at) {
      if (intake) return intake->record(payload, at, "headless");
      waiting = true;
      return error_outcome(at, waiting_reason(config));
    };
    if (too_long) {
      outcome = error_outcome(0, fmt::format("line {}: longer than {} bytes; not a badge", number,
                                             line_reader::max_line));
    } else if (options.simulated_clock) {
      const auto space = line.find(' ');
      const auto at = parse_iso8601(std::string_view(line).substr(0, space));
      if (space == std::string::npos || !at)
        outcome = error_outcome(0, fmt::format("line {}: expected \"ISO-TIME PAYLOAD\" (--simulated-clock), got \"{}\"",
                                               number, line));
      else
        outcome = take(std::string_view(line).substr(space + 1), *at);
    } else {
      outcome = take(line, now_ms());
    }

    const std::string text = outcome_json(outcome, waiting) + "\n";
    if (!write_out(text)) {
      fmt::print(stderr, "cmetrack-kiosk: cannot write to standard output; stopping\n");
      return 1;
    }
  }
  if (stop_requested) fmt::print(stderr, "cmetrack-kiosk: stopped on request after {} lines\n", number);
  return 0;
}

}  // namespace cmetrack::kiosk
