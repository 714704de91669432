#pragma once
// Keeps a running kiosk on the meeting the sync agent last cached: the agent
// writes it into kiosk.db over its own connection, so the kiosk notices
// (PRAGMA data_version, then the meeting generation, both cheap) and builds
// its scan intake again from the meeting cached then. The agent's other
// commits (scans marked sent, sync status) cost one query each.
//
// A kiosk started before the agent's first pull has no intake yet: it waits
// (no scans taken). While it waits, each refresh() reads the meeting
// generation (one cheap query) and builds the intake as soon as a meeting
// is cached, whenever that commit came.
#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/core/scan_intake.h"

namespace cmetrack::kiosk {

class meeting_watch {
 public:
  explicit meeting_watch(kiosk_store& store);

  // Where another connection cached a new meeting since the last call,
  // replaces `intake` with one built for it and `config`; true then. Where
  // the new one cannot be used, `intake` is kept and `problem` says why
  // (empty otherwise). An empty `intake` (the kiosk waits for its first
  // meeting) is filled as soon as kiosk.db holds one it can use.
  bool refresh(std::optional<scan_intake>& intake, const kiosk_config& config, std::string& problem);

 private:
  kiosk_store* store_;
  std::int64_t data_version_ = -1;
  std::int64_t generation_ = -1;
  std::int64_t tried_while_waiting_ = -1;  // the generation last tried while waiting
};

}  // namespace cmetrack::kiosk
