#include "kiosk/core/scan_intake.h"

#include <fmt/format.h>

#include <array>
#include <random>
#include <vector>

#include "shared/attendance.h"
#include "shared/credit.h"

namespace cmetrack::kiosk {
namespace {

// This kiosk's scans of one badge as the engine sees them (the cached
// meeting has one room, index 0). Rows of another room (a kiosk moved
// without a new kiosk.db) are left out.
std::vector<scan> engine_scans(const std::vector<scan_row>& rows, const kiosk_config& config) {
  std::vector<scan> scans;
  for (const auto& r : rows)
    if (r.room == config.room)
      scans.push_back({r.at, config.kiosk, r.seq, scan_id_hash(r.id), 0, r.direction});
  return scans;
}

// Rule 1: against the badge's latest scan up to `row` (in processing order)
// that was not itself a duplicate.
bool is_duplicate(const std::vector<scan_row>& history, const scan_row& row, time_ms debounce) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->at > row.at || it->result == "duplicate") continue;
    return it->room == row.room && it->direction == row.direction && row.at - it->at < debounce;
  }
  return false;
}

// A kiosk.db fault with what staff can do about it, by its kind: the disk
// is full, or it failed.
error with_advice(error e) {
  if (e.kind == error_kind::disk_full)
    e.message += "; free space on the kiosk's disk (scans recorded so far are safe)";
  else if (e.kind == error_kind::io)
    e.message += "; kiosk.db could not be read or written (scans recorded so far are safe): scan again, and if "
                 "it keeps failing, check the kiosk's disk";
  return e;
}

}  // namespace

std::string new_scan_id() {
  static thread_local std::random_device device;
  std::array<unsigned char, 16> b{};
  for (std::size_t i = 0; i < b.size(); i += 4) {
    const std::uint32_t v = device();
    for (std::size_t j = 0; j < 4; ++j) b[i + j] = static_cast<unsigned char>(v >> (8 * j));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string id;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += fmt::format("{:02x}", b[i]);
  }
  return id;
}

scan_intake::scan_intake(kiosk_store& store, kiosk_config config, meeting m, badge_pattern pattern)
    : store_(&store), config_(std::move(config)), meeting_(std::move(m)), pattern_(std::move(pattern)) {
  for (const auto& a : meeting_.attendees) first_names_.emplace(a.badge, a.first_name);
}

std::string waiting_reason(const kiosk_config& config) {
  return fmt::format("waiting for this room's meeting from the central node: not recorded (kiosk {}, room {} has "
                     "no meeting in kiosk.db yet; cmetrack-sync caches it, or load it with --load-meeting FILE.json)",
                     config.kiosk, config.room);
}

std::string waiting_notice(const kiosk_config& config, std::string_view db_path) {
  return fmt::format("waiting for this room's meeting from the central node: kiosk {}, room {}; {} holds none yet. "
                     "Scans are refused (not recorded) until cmetrack-sync caches it, or load it with "
                     "--load-meeting FILE.json",
                     config.kiosk, config.room, db_path);
}

result<scan_intake> scan_intake::create(kiosk_store& store, kiosk_config config) {
  auto intake = create_if_cached(store, std::move(config));
  if (!intake) return std::unexpected(intake.error());
  if (!*intake)
    return bad_input(fmt::format("{}: holds no meeting yet; provision it with --load-meeting FILE.json "
                                 "(or let cmetrack-sync pull it)", store.path()));
  return std::move(**intake);
}

result<std::optional<scan_intake>> scan_intake::create_if_cached(kiosk_store& store, kiosk_config config) {
  auto cached = store.load_cached_meeting();
  if (!cached) return std::unexpected(cached.error());
  if (!*cached) return std::optional<scan_intake>();
  meeting m = std::move(**cached);
  if (m.rooms.at(0).id != config.room)
    return bad_input(fmt::format("{}: caches the meeting for room \"{}\", but the kiosk's room is \"{}\"; "
                                 "load the meeting again with --load-meeting", store.path(), m.rooms[0].id,
                                 config.room));
  auto pattern = badge_pattern::compile(m.badge_pattern, m.badge_key);
  if (!pattern) return std::unexpected(pattern.error());
  return std::optional<scan_intake>(scan_intake(store, std::move(config), std::move(m), std::move(*pattern)));
}

scan_outcome scan_intake::record(std::string_view payload, time_ms at, std::string_view source) {
  auto r = record_in_transaction(payload, at, source);
  if (r) return std::move(*r);
  scan_outcome error;
  error.at = at;
  error.reason = r.error().message;
  return error;
}

result<scan_outcome> scan_intake::record_in_transaction(std::string_view payload, time_ms at, std::string_view source) {
  const auto fault = [](const error& e) { return std::unexpected(with_advice(e)); };
  auto tx = store_->begin_transaction();
  if (!tx) return fault(tx.error());

  scan_row row;
  row.id = new_scan_id();
  row.payload = payload;
  row.room = config_.room;
  row.door = config_.door;
  row.direction = requested_direction(config_.mode);
  row.at = at;
  row.source = source;
  auto seq = store_->next_seq();
  if (!seq) return fault(seq.error());
  row.seq = *seq;

  scan_outcome out;
  const auto badge = pattern_.extract(payload);
  std::vector<scan_row> history;
  if (!badge) {
    out.result = scan_result::invalid_badge;
  } else {
    row.badge = std::string(*badge);
    auto rows = store_->scans_of_badge(*badge);
    if (!rows) return fault(rows.error());
    history = std::move(*rows);
    const auto name = first_names_.find(*badge);
    if (name == first_names_.end()) {
      out.result = scan_result::unknown_badge;
    } else if (out.first_name = name->second; is_duplicate(history, row, meeting_.rules.debounce)) {
      out.result = scan_result::duplicate;
    } else {
      auto scans = engine_scans(history, config_);
      const attendance before = attend(meeting_, scans, at);
      const bool inside = !before.stays.empty() && before.stays.back().open;
      direction d = row.direction;
      if (d == direction::automatic) d = inside ? direction::out : direction::in;
      out.result = d == direction::in ? scan_result::checked_in : scan_result::checked_out;
      if (d == direction::out && inside) {
        // The goodbye: what the stay this scan closes earned (to the exit, or
        // to the block's end for an exit within the grace).
        scans.push_back({at, config_.kiosk, row.seq, scan_id_hash(row.id), 0, row.direction});
        const attendance after = attend(meeting_, scans, at);
        if (!after.stays.empty() && after.stays.back().exited) {
          attendance ended;
          ended.stays.push_back(after.stays.back());
          const credit_summary c = credit(meeting_, ended);
          std::int64_t seconds = 0;
          for (const auto& s : c.sessions) seconds += s.attended_seconds;
          out.minutes = seconds / 60;
          out.quarters = c.total_quarters;
        }
      }
    }
  }

  row.result = std::string(to_string(out.result));
  if (auto r = store_->insert_scan(row); !r) return fault(r.error());
  if (auto r = tx->commit(); !r) return fault(r.error());
  out.id = std::move(row.id);
  out.seq = row.seq;
  out.badge = std::move(row.badge);
  out.at = at;
  return out;
}

}  // namespace cmetrack::kiosk
