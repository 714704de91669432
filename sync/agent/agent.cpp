#include "sync/agent/agent.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "sync/agent/agent_log.h"

namespace cmetrack::agent {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using kind = send_outcome::kind;

namespace {

// "; moving from ...", ", retrying in 1.3 s": what follows a failure.
std::string next_step(const std::string& moved, std::optional<milliseconds> retry_in) {
  std::string text = moved.empty() ? "" : "; " + moved;
  if (retry_in) text += ", retrying in " + say_delay(retry_in->count());
  return text;
}

}  // namespace

agent::agent(asio::io_context& io, kiosk::kiosk_store& store, const kiosk::kiosk_config& config,
             https_client& client, central_list centrals, agent_options options)
    : store_(store),
      config_(config),
      client_(client),
      centrals_(std::move(centrals)),
      options_(options),
      sender_(store, client, config),
      puller_(store, client, config),
      backoff_(options.seed, milliseconds(500), options.max_backoff),
      config_backoff_(options.seed + 1, milliseconds(500), std::min(options.max_backoff, options.config_interval)),
      batch_size_(std::clamp(options.batch_size, 1, 500)),
      timer_(io),
      grace_(io) {}

std::int64_t agent::queued() {
  auto n = store_.backlog();
  return n ? *n : -1;
}

void agent::wake() {
  woken_ = true;
  if (waiting_wakeable_) timer_.cancel();
}

void agent::stop(const char* why) {
  if (stopping_) return;
  stopping_ = true;
  log("stopping ({}): finishing the exchange in hand", why);
  timer_.cancel();
  grace_.expires_after(options_.stop_grace);
  grace_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) client_.abort();  // scans of a cut exchange stay queued
  });
}

asio::awaitable<void> agent::wait(milliseconds d, bool wakeable) {
  if (stopping_ || (wakeable && woken_)) co_return;
  boost::system::error_code ec;
  timer_.expires_after(d);
  waiting_wakeable_ = wakeable;
  co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  waiting_wakeable_ = false;
}

bool agent::move_on(std::string& moved) {
  const std::string from = centrals_.current().text;
  const bool round = centrals_.failed();
  if (centrals_.size() == 1) return true;
  client_.use(centrals_.current());
  moved = fmt::format("{}moving from central {} to {} ({} of {})",
                      round ? fmt::format("all {} central URLs failed: ", centrals_.size()) : "", from,
                      centrals_.current().text, centrals_.position(), centrals_.size());
  return round;
}

void agent::failed(const std::string& why, const std::string& moved, std::optional<milliseconds> retry_in) {
  status_.last_error = why;
  if (auto w = store_.write_sync_status(status_); !w) log("cannot write sync_status to kiosk.db: {}", w.error().message);
  log("{}; {} scans queued{}", why, queued(), next_step(moved, retry_in));
}

void agent::config_failed(const std::string& why, const std::string& moved, std::optional<milliseconds> retry_in) {
  log("{}{}", why, next_step(moved, retry_in));
}

asio::awaitable<void> agent::pull_config() {
  // Where the current node is down, the next URL is asked at once, until a
  // whole round of the list has failed.
  for (bool again = true; again && !stopping_;) {
    again = false;
    const auto out = co_await puller_.pull(status_);
    const auto now = clock::now();
    const auto retry_in = [this](milliseconds d) { return options_.once ? std::nullopt : std::optional(d); };
    switch (out.what) {
      case pull_outcome::kind::changed:
        log("{}", out.message);
        [[fallthrough]];
      case pull_outcome::kind::unchanged:
        centrals_.succeeded();
        config_backoff_.reset();
        config_due_ = now + options_.config_interval;
        break;
      case pull_outcome::kind::token_refused:
        config_due_ = now + config_backoff_.longest();
        if (!stopping_) config_failed(out.message, "", retry_in(config_backoff_.longest()));
        break;
      case pull_outcome::kind::unreachable:
      case pull_outcome::kind::failed: {
        if (stopping_) break;  // the exchange was cut on purpose
        std::string moved;
        if (out.what == pull_outcome::kind::unreachable && !move_on(moved)) {
          config_failed(out.message, moved, std::nullopt);
          again = true;
          break;
        }
        const auto delay = config_backoff_.next();
        config_due_ = now + delay;
        config_failed(out.message, options_.once ? "" : moved, retry_in(delay));
        break;
      }
    }
    if (out.clock && !offset_precise_) {
      offset_ = out.clock->offset_ms;
      log("clock offset {:+} ms (from the Date header of the config answer; to the second)", *offset_);
    }
  }
}

asio::awaitable<int> agent::run() {
  if (auto st = store_.read_sync_status())
    status_ = *st;
  else
    log("cannot read sync_status of kiosk.db: {}", st.error().message);
  config_due_ = clock::now();
  if (centrals_.size() == 1) {
    log("started: central {}, {} scans queued", client_.url().text, queued());
  } else {
    std::string all;
    for (const auto& u : centrals_.urls()) all += (all.empty() ? "" : ", ") + u.text;
    log("started: central {} (1 of {}: {}), {} scans queued", client_.url().text, centrals_.size(), all, queued());
  }

  bool done = false;
  while (!stopping_ && !done) {
    if (clock::now() >= config_due_) {
      co_await pull_config();
      if (stopping_) break;
    }
    woken_ = false;  // whatever woke us is in the outbox read next
    // The first scans of a run go out with a precise clock offset: an
    // empty batch measures it first. A failed probe counts as the attempt.
    send_outcome out;
    if (!offset_precise_ && queued() > 0) {
      out = co_await sender_.send_batch(0, offset_, status_);
      if (out.what == kind::delivered) {
        centrals_.succeeded();
        offset_ = out.clock->offset_ms;
        offset_precise_ = true;
        log("clock offset {:+} ms (round trip {} ms), measured before sending", *offset_, out.clock->round_trip_ms);
        out = co_await sender_.send_batch(batch_size_, offset_, status_);
      }
    } else {
      out = co_await sender_.send_batch(batch_size_, offset_, status_);
    }
    switch (out.what) {
      case kind::empty: {
        if (options_.once) {
          done = true;
          break;
        }
        const auto until_config = std::chrono::duration_cast<milliseconds>(config_due_ - clock::now());
        co_await wait(std::max(until_config, milliseconds(0)), /*wakeable=*/true);
        break;
      }
      case kind::delivered:
        centrals_.succeeded();
        backoff_.reset();
        offset_ = out.clock->offset_ms;
        offset_precise_ = true;
        log("sent {} scans in {} ms: {} acknowledged; clock offset {:+} ms (round trip {} ms); {} queued", out.batch,
            out.elapsed_ms, out.marked, out.clock->offset_ms, out.clock->round_trip_ms,
            out.queued >= 0 ? out.queued : queued());
        break;
      case kind::too_large:
        if (batch_size_ > 1) {
          batch_size_ = std::max(1, batch_size_ / 2);
          log("{}; sending {} at a time from now on", out.message, batch_size_);
          break;
        }
        [[fallthrough]];
      default: {
        if (stopping_) break;  // the exchange was cut on purpose
        std::string moved;
        const bool node_down = out.what == kind::unreachable || out.what == kind::unavailable;
        if (node_down && !move_on(moved)) {  // the next URL, at once
          failed(out.message, moved, std::nullopt);
          break;
        }
        if (options_.once) {
          failed(out.message, "", std::nullopt);
          done = true;
          break;
        }
        const auto delay = out.what == kind::token_refused ? backoff_.longest() : backoff_.next();
        failed(out.message, moved, delay);
        co_await wait(delay, /*wakeable=*/false);
        break;
      }
    }
  }
  grace_.cancel();
  const auto left = queued();
  log("stopped; {} scans queued", left);
  co_return options_.once ? (left == 0 ? 0 : 1) : 0;
}

}  // namespace cmetrack::agent
