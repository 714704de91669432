#include "kiosk/core/scan_inbox.h"

namespace cmetrack::kiosk {

bool scan_inbox::post(posted_scan scan) {
  {
    const std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity) return false;
    queue_.push_back(std::move(scan));
  }
  if (wake_) wake_();
  return true;
}

std::vector<posted_scan> scan_inbox::take_all() {
  std::vector<posted_scan> taken;
  const std::lock_guard lock(mutex_);
  taken.swap(queue_);
  return taken;
}

bool scan_inbox::empty() const {
  const std::lock_guard lock(mutex_);
  return queue_.empty();
}

}  // namespace cmetrack::kiosk
