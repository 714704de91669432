#include "kiosk/core/meeting_watch.h"

#include <fmt/format.h>

namespace cmetrack::kiosk {

meeting_watch::meeting_watch(kiosk_store& store) : store_(&store) {
  if (auto v = store.data_version()) data_version_ = *v;
  if (auto g = store.meeting_generation()) generation_ = *g;
}

bool meeting_watch::refresh(std::optional<scan_intake>& intake, const kiosk_config& config, std::string& problem) {
  const auto version = store_->data_version();
  if (intake && (!version || *version == data_version_)) return false;
  if (version) data_version_ = *version;
  if (!intake) {
    // Waiting: not keyed on data_version, so a meeting cached before this
    // watch was made (or between its checks) is found all the same.
    const auto generation = store_->meeting_generation();
    if (!generation || *generation == tried_while_waiting_) return false;
    tried_while_waiting_ = generation_ = *generation;
    auto first = scan_intake::create_if_cached(*store_, config);
    if (!first) {
      problem = fmt::format("the meeting cached in kiosk.db cannot be used; still waiting for one: {}",
                            first.error().message);
      return false;
    }
    if (!*first) return false;
    intake.emplace(std::move(**first));
    problem.clear();
    return true;
  }
  const auto generation = store_->meeting_generation();
  if (!generation || *generation == generation_) return false;
  generation_ = *generation;
  auto fresh = scan_intake::create(*store_, config);
  if (!fresh) {
    problem = fmt::format("the meeting cached in kiosk.db cannot be used; scans go on with the previous one: {}",
                          fresh.error().message);
    return false;
  }
  *intake = std::move(*fresh);
  problem.clear();
  return true;
}

}  // namespace cmetrack::kiosk
