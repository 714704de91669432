#pragma once
// Many attendees' scans, grouped by badge, as the engine reads them: one
// contiguous array, an offset per badge, kiosk ids interned once.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "shared/meeting.h"
#include "shared/scan.h"

namespace cmetrack {

// Interned kiosk ids: a scan's `kiosk` points into here.
class kiosk_names {
 public:
  std::string_view intern(std::string_view kiosk) {
    if (kiosk == last_) return last_;  // runs of one kiosk's scans are common
    auto it = names_.find(kiosk);
    if (it == names_.end()) it = names_.emplace(kiosk).first;
    return last_ = *it;
  }

 private:
  std::unordered_set<std::string, string_hash, std::equal_to<>> names_;
  std::string_view last_;
};

class scan_set {
 public:
  // Collects scans in any order, fastest when each badge's scans come
  // together (as the store reads them); group() must run before reading.
  void add(std::string_view badge, std::string_view kiosk, std::int64_t seq, std::uint64_t id_hash, int room,
           direction d, time_ms at);
  void group();

  std::size_t badge_count() const { return badges_.size(); }
  const std::string& badge(std::size_t i) const { return badges_[i]; }
  std::span<scan> scans_of(std::size_t i) { return {scans_.data() + offsets_[i], scans_.data() + offsets_[i + 1]}; }
  std::size_t scan_count() const { return scans_.size(); }

 private:
  kiosk_names kiosks_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> badge_index_;
  std::vector<std::string> badges_;
  std::vector<std::uint32_t> owner_;  // badge index of scans_[i], kept only while out of order
  bool in_order_ = true;              // every badge's scans so far lie together, in badge order of first sight
  std::vector<scan> scans_;
  std::vector<std::size_t> offsets_;
};

}  // namespace cmetrack
