#include "kiosk/core/wedge.h"

#include <utility>

namespace cmetrack::kiosk {

std::optional<std::string> wedge_classifier::feed(char key, time_ms at) {
  const bool fast = has_last_ && at - last_at_ >= 0 && at - last_at_ < max_gap_ms;
  last_at_ = at;
  has_last_ = true;
  if (!fast) run_.clear();  // a pause: whatever came before was typed, or a new scan starts here
  if (key == '\n' || key == '\r') {
    std::string payload = std::exchange(run_, {});
    has_last_ = false;  // the next key starts afresh
    if (fast && !payload.empty()) return payload;
    return std::nullopt;
  }
  run_ += key;
  return std::nullopt;
}

}  // namespace cmetrack::kiosk
