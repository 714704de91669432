#pragma once
// The sync wire format (docs/formats.md, "Sync batches"): the JSON a sync agent
// POSTs to /api/v1/scans and what the central node answers. One place for
// both ends, so they cannot drift apart.
//
//   request  {"kiosk": ID, "sent_at": ISO, "scans": [{"id", "seq", "badge",
//             "room", "door", "direction", "at", "source"}],
//             "clock_offset_ms": N, "backlog": N}      (the last two optional)
//   response {"acked": [ids], "server_time": ISO}
//
// `clock_offset_ms` (central's clock minus the kiosk's, as the agent last
// measured it) and `backlog` (scans still queued at the kiosk) extend the
// contract compatibly: the central node shows them to staff and corrects a
// skewed kiosk's scan times.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/scan.h"
#include "shared/time.h"

namespace cmetrack {

// One scan as it travels. `badge` is the payload as scanned.
struct wire_scan {
  std::string id;
  std::int64_t seq = 0;
  std::string badge;
  std::string room;
  std::string door;
  direction dir = direction::automatic;
  time_ms at = 0;
  std::string source;
  friend bool operator==(const wire_scan&, const wire_scan&) = default;
};

// A scan of a batch that has an id but fails a field: the central node
// quarantines it with the reason and acknowledges it (the agent would
// otherwise resend it forever).
struct rejected_scan {
  std::string id;
  std::string reason;  // names the field, e.g. `scans[3].at: not ISO-8601 ...`
  std::string raw;     // the scan's JSON, as received
};

struct scan_batch {
  std::string kiosk;
  time_ms sent_at = 0;
  std::vector<wire_scan> scans;
  std::optional<std::int64_t> clock_offset_ms;
  std::optional<std::int64_t> backlog;
};

struct decoded_batch {
  scan_batch batch;                  // the valid scans
  std::vector<rejected_scan> rejected;
};

struct batch_ack {
  std::vector<std::string> acked;
  time_ms server_time = 0;
};

std::string encode_batch(const scan_batch& batch);

// Bad input (the server answers 400 with the message) where the body is not
// JSON, the head (kiosk, sent_at, scans, the optional numbers) is missing or
// mistyped, or a scan has no string id; a scan with an id but another field
// wrong is returned in `rejected`. Messages name the field: `scans[2].seq`.
result<decoded_batch> decode_batch(std::string_view body);

std::string encode_ack(const batch_ack& ack);
result<batch_ack> decode_ack(std::string_view body);

}  // namespace cmetrack
