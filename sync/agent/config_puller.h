#pragma once
// Pulls the kiosk config (GET /api/v1/kiosk/config, If-None-Match the ETag
// of what is cached) and, when it changed, caches the meeting it holds for
// the kiosk's room in kiosk.db and keeps its ETag in sync_status. A 304
// changes nothing but last_contact.
#include <utility>  // before Boost 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/agent/clock_offset.h"
#include "sync/agent/https_client.h"

namespace cmetrack::agent {

struct pull_outcome {
  // unreachable: no answer (network or TLS fault, deadline) or 502, 503,
  // 504, which another central node may not give; failed: any other fault.
  enum class kind { changed, unchanged, token_refused, unreachable, failed } what = kind::failed;
  std::optional<clock_sample> clock;  // from the Date header (whole seconds)
  std::string message;                // changed: what was cached; failed: why
};

class config_puller {
 public:
  config_puller(kiosk::kiosk_store& store, https_client& client, const kiosk::kiosk_config& config)
      : store_(store), client_(client), config_(config) {}

  // Updates and writes `status` (last_contact, config_etag on success;
  // last_error on failure).
  boost::asio::awaitable<pull_outcome> pull(kiosk::sync_status& status);

 private:
  kiosk::kiosk_store& store_;
  https_client& client_;
  const kiosk::kiosk_config& config_;
};

// "Fri, 24 Apr 2026 12:03:17 GMT" -> ms since the epoch; nothing otherwise.
std::optional<time_ms> parse_http_date(std::string_view text);

}  // namespace cmetrack::agent
