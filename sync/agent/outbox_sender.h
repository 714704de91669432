#pragma once
// One exchange of the outbox: the oldest queued scans (up to the batch
// size, by seq) POSTed to /api/v1/scans; on 200, exactly the acknowledged
// ids of that batch marked sent, with sync_status, in one transaction
// (kiosk_store::record_delivery, which says why it need not fsync). On
// any other answer or a network fault nothing is marked: the scans stay
// queued for the next attempt, and the central node, which keys scans by
// id, stores a re-sent one once.
#include <utility>  // before Boost 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/agent/clock_offset.h"
#include "sync/agent/https_client.h"

namespace cmetrack::agent {

struct send_outcome {
  enum class kind {
    empty,          // nothing queued
    delivered,      // 200, at least one scan acknowledged and marked
    token_refused,  // 401 or 403: waiting will not fix it; re-enroll
    too_large,      // 413: send fewer at a time
    refused,        // another answer, or 200 acknowledging none of the batch
    unavailable,    // 502, 503 or 504: this node cannot serve now; another may
    unreachable,    // network or TLS fault, deadline
    local,          // kiosk.db could not be read or written
  };
  kind what = kind::empty;
  std::int64_t batch = 0;   // scans sent
  std::int64_t marked = 0;  // scans newly marked sent
  std::int64_t queued = -1; // scans left queued after this exchange, as far as known (-1: unknown)
  std::int64_t elapsed_ms = 0;
  std::optional<clock_sample> clock;
  unsigned status = 0;  // the HTTP status, where there was an answer
  std::string message;  // why it failed, for the log and sync_status.last_error
};

class outbox_sender {
 public:
  outbox_sender(kiosk::kiosk_store& store, https_client& client, const kiosk::kiosk_config& config)
      : store_(store), client_(client), config_(config) {}

  // `status` is what the agent keeps of sync_status; on delivery its
  // last_contact, clock offset and last_error are updated and written with
  // the marks. `offset` is the last measured clock offset, sent along.
  // A batch size of 0 sends an empty batch: a clock probe, so the first
  // scans of a run already carry a precise offset (the central node
  // corrects a skewed kiosk's scan times by the offset a batch carries).
  boost::asio::awaitable<send_outcome> send_batch(int batch_size, std::optional<std::int64_t> offset,
                                                  kiosk::sync_status& status);

 private:
  // The scans queued, counted whole once and then kept up to date: each
  // batch counts only the scans added since (seq above the last count) and
  // takes off those it marked, so a catch-up of 100,000 scans does not count
  // the whole outbox 200 times. After a short batch (the outbox nearly
  // empty, the count cheap) it counts it whole again.
  result<std::int64_t> count_queued();

  kiosk::kiosk_store& store_;
  https_client& client_;
  const kiosk::kiosk_config& config_;
  std::int64_t queued_ = -1;          // unsent scans with seq <= counted_through_; -1: count them all
  std::int64_t counted_through_ = 0;  // the highest seq in kiosk.db at the last count
};

// The first part of an answer's body, on one line, for a log line.
std::string body_excerpt(const std::string& body);

}  // namespace cmetrack::agent
