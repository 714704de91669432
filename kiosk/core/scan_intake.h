#pragma once
// Scan intake: one scanned payload -> one scan committed to kiosk.db -> what
// the attendee is told. Nothing here waits on the network.
//
//   payload --badge pattern--> no match: invalid_badge
//      | badge id
//      +--not on the roster--> unknown_badge
//      +--same direction < debounce after this badge's previous counted scan--> duplicate
//      +--entry: in / exit: out / auto: out when inside this room by this
//      |  kiosk's own scans (attend()), else in
//      v
//   checked_in | checked_out (+ minutes and credit of the stay just ended)
//
// Every result but `error` is a row in `scans`, inserted and committed in one
// transaction before record() returns; on any SQLite failure nothing is
// recorded and the result is `error` with the reason.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/badge.h"
#include "shared/meeting.h"

namespace cmetrack::kiosk {

enum class scan_result { checked_in, checked_out, duplicate, unknown_badge, invalid_badge, error };

constexpr std::string_view to_string(scan_result r) {
  switch (r) {
    case scan_result::checked_in: return "checked_in";
    case scan_result::checked_out: return "checked_out";
    case scan_result::duplicate: return "duplicate";
    case scan_result::unknown_badge: return "unknown_badge";
    case scan_result::invalid_badge: return "invalid_badge";
    case scan_result::error: return "error";
  }
  return "error";
}

// What a scan came to: what the screen (or the headless line) shows.
struct scan_outcome {
  scan_result result = scan_result::error;
  std::string id;  // empty for error
  std::int64_t seq = 0;
  std::optional<std::string> badge;
  time_ms at = 0;
  std::string first_name;  // from the roster, for the greeting
  // checked_out: the stay this scan ended, as credit counts it (time in
  // this room's sessions, less breaks). Zero when no stay was open.
  std::int64_t minutes = 0;
  int quarters = 0;
  std::string reason;  // error: why nothing was recorded
};

// Why a scan was refused while the kiosk waits for its room's meeting (no
// meeting in kiosk.db yet): nothing was recorded.
std::string waiting_reason(const kiosk_config& config);
// What a kiosk started without a meeting says once, on stderr.
std::string waiting_notice(const kiosk_config& config, std::string_view db_path);

// A new scan id: a random UUID v4 (std::random_device).
std::string new_scan_id();

class scan_intake {
 public:
  // Loads the meeting cached in `store` for the kiosk's room. Fails (bad
  // input) where none is cached, or it is of another room.
  static result<scan_intake> create(kiosk_store& store, kiosk_config config);
  // The same, but nothing (no failure) where kiosk.db holds no meeting yet:
  // a kiosk started before its sync agent's first pull waits for it
  // (core/meeting_watch builds the intake once it is cached).
  static result<std::optional<scan_intake>> create_if_cached(kiosk_store& store, kiosk_config config);

  scan_outcome record(std::string_view payload, time_ms at, std::string_view source);

  // The mode scans are recorded in from now on: kiosk.json's, or the one
  // staff chose (kiosk_store::write_mode_override keeps that choice).
  void set_mode(kiosk_mode mode) { config_.mode = mode; }

  const meeting& cached_meeting() const { return meeting_; }
  const kiosk_config& config() const { return config_; }

 private:
  scan_intake(kiosk_store& store, kiosk_config config, meeting m, badge_pattern pattern);
  result<scan_outcome> record_in_transaction(std::string_view payload, time_ms at, std::string_view source);

  kiosk_store* store_;
  kiosk_config config_;
  meeting meeting_;
  badge_pattern pattern_;
  std::unordered_map<std::string, std::string, string_hash, std::equal_to<>> first_names_;
};

}  // namespace cmetrack::kiosk
