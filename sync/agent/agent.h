#pragma once
// The agent's loop: one coroutine on one io_context.
//
//        +--> pull the config (at start, then when due) ------------+
//        |                                                          |
//   +--> send the oldest batch of the outbox --200--> mark acked, reset backoff
//   |        | nothing queued: wait for a wake-up (the kiosk       |
//   |        |   committed a scan), the config falling due, or stop |
//   |        | failure: log why, write last_error, wait the backoff |
//   +--------+------------------------------------------------------+
//
// Both exchanges go to the current central URL. A failure another node
// could fix moves to the next URL (central_list) and, until a whole round
// of the list has failed, tries it at once instead of backing off.
//
// stop() (SIGTERM, SIGINT) lets the exchange in hand finish, so what the
// central node acknowledged is marked, and ends the loop; an exchange still
// running after a grace period is cut (its scans stay queued).
#include <utility>  // before Boost 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/agent/backoff.h"
#include "sync/agent/central_list.h"
#include "sync/agent/config_puller.h"
#include "sync/agent/https_client.h"
#include "sync/agent/outbox_sender.h"

namespace cmetrack::agent {

struct agent_options {
  int batch_size = 500;
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::milliseconds config_interval{30'000};
  std::chrono::milliseconds stop_grace{3'000};
  bool once = false;  // send what is queued, pull the config, and return
  std::uint64_t seed = 0;
};

class agent {
 public:
  // `client` talks to centrals.current() at first.
  agent(boost::asio::io_context& io, kiosk::kiosk_store& store, const kiosk::kiosk_config& config,
        https_client& client, central_list centrals, agent_options options);

  // The exit status: 0; with `once`, 1 where scans are still queued.
  boost::asio::awaitable<int> run();

  // The kiosk committed something: look at the outbox now.
  void wake();
  // Finish the exchange in hand, then return from run().
  void stop(const char* why);

 private:
  using clock = std::chrono::steady_clock;
  boost::asio::awaitable<void> pull_config();
  boost::asio::awaitable<void> wait(std::chrono::milliseconds d, bool wakeable);
  // The current node failed in a way another could fix: the client moves to
  // the next URL, `moved` says so for the log. True where the caller backs
  // off first (a whole round failed; with one URL, always).
  bool move_on(std::string& moved);
  // Logs a failed exchange: why, then where it goes next and when.
  void failed(const std::string& why, const std::string& moved, std::optional<std::chrono::milliseconds> retry_in);
  void config_failed(const std::string& why, const std::string& moved,
                     std::optional<std::chrono::milliseconds> retry_in);
  std::int64_t queued();

  kiosk::kiosk_store& store_;
  const kiosk::kiosk_config& config_;
  https_client& client_;
  central_list centrals_;
  agent_options options_;
  outbox_sender sender_;
  config_puller puller_;
  backoff backoff_;         // of the outbox
  backoff config_backoff_;  // of config pulls, which may fail while sends succeed
  kiosk::sync_status status_;
  std::optional<std::int64_t> offset_;  // the last measured clock offset
  bool offset_precise_ = false;         // from a scans answer, not a Date header
  int batch_size_;
  clock::time_point config_due_;
  boost::asio::steady_timer timer_, grace_;
  bool woken_ = false, waiting_wakeable_ = false, stopping_ = false;
};

}  // namespace cmetrack::agent
