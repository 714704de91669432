#include "kiosk/camera/hold_filter.h"

#include <algorithm>

namespace cmetrack::kiosk {

std::vector<std::string> hold_filter::on_frame(time_ms now, const std::vector<std::string>& payloads) {
  // Forget badges away for longer than the gap (this also bounds the map).
  std::erase_if(held_, [&](const auto& entry) { return now - entry.second.last_seen > options_.hold_gap; });

  std::vector<std::string> report;
  for (const auto& p : payloads) {
    if (std::find(report.begin(), report.end(), p) != report.end()) continue;
    auto [it, inserted] = held_.try_emplace(p, held{now, now});
    if (inserted) {
      report.push_back(p);
      continue;
    }
    it->second.last_seen = now;
    if (options_.represent_after > 0 && now - it->second.reported >= options_.represent_after) {
      it->second.reported = now;
      report.push_back(p);
    }
  }
  return report;
}

}  // namespace cmetrack::kiosk
