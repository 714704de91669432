#include "kiosk/core/room_count.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "shared/attendance.h"

namespace cmetrack::kiosk {

int count_inside(const meeting& m, const kiosk_config& config, std::span<const scan_row> scans, time_ms now) {
  std::unordered_map<std::string_view, std::vector<scan>> by_badge;
  for (const auto& r : scans) {
    if (!r.badge || r.room != config.room) continue;
    by_badge[*r.badge].push_back({r.at, config.kiosk, r.seq, scan_id_hash(r.id), 0, r.direction});
  }
  int inside = 0;
  for (auto& [badge, badge_scans] : by_badge) {
    const attendance a = attend(m, badge_scans, now);
    if (!a.stays.empty() && a.stays.back().open) ++inside;
  }
  return inside;
}

result<int> count_inside(kiosk_store& store, const meeting& m, const kiosk_config& config, time_ms now) {
  auto rows = store.all_scans();
  if (!rows) return std::unexpected(rows.error());
  return count_inside(m, config, *rows, now);
}

}  // namespace cmetrack::kiosk
