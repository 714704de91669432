#include "shared/scan_set.h"

namespace cmetrack {

void scan_set::add(std::string_view badge, std::string_view kiosk, std::int64_t seq, std::uint64_t id_hash, int room,
                   direction d, time_ms at) {
  std::uint32_t owner;
  if (!badges_.empty() && badges_.back() == badge) {
    owner = static_cast<std::uint32_t>(badges_.size() - 1);  // the same badge as the scan before
  } else {
    auto it = badge_index_.find(badge);
    if (it == badge_index_.end()) {
      it = badge_index_.emplace(std::string(badge), static_cast<std::uint32_t>(badges_.size())).first;
      badges_.emplace_back(badge);
      offsets_.push_back(scans_.size());
    } else if (in_order_) {
      // A badge seen before comes back: from here on, remember every scan's owner.
      in_order_ = false;
      for (std::size_t b = 0; b < badges_.size(); ++b) {
        const std::size_t end = b + 1 < offsets_.size() ? offsets_[b + 1] : scans_.size();
        owner_.insert(owner_.end(), end - offsets_[b], static_cast<std::uint32_t>(b));
      }
    }
    owner = it->second;
  }
  if (!in_order_) owner_.push_back(owner);
  scans_.push_back({at, kiosks_.intern(kiosk), seq, id_hash, room, d});
}

void scan_set::group() {
  if (in_order_) {  // already grouped: offsets_ holds each badge's first scan
    offsets_.push_back(scans_.size());
    return;
  }
  // A counting sort by badge: stable, linear, and no second copy of a badge string.
  offsets_.assign(badges_.size() + 1, 0);
  for (const auto b : owner_) ++offsets_[b + 1];
  for (std::size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
  std::vector<std::size_t> next(offsets_.begin(), offsets_.end() - 1);
  std::vector<scan> grouped(scans_.size());
  for (std::size_t i = 0; i < scans_.size(); ++i) grouped[next[owner_[i]]++] = scans_[i];
  scans_ = std::move(grouped);
  owner_.clear();
  owner_.shrink_to_fit();
}

}  // namespace cmetrack
