#include "shared/attendance.h"

#include <algorithm>

namespace cmetrack {
namespace {

struct open_stay {
  int room = -1;
  time_ms start = 0;
  int session = -1;
  time_ms session_bound = 0;
  time_ms block_bound = 0;
};

class walker {
 public:
  walker(const meeting& m, time_ms now) : m_(m), now_(now) {}

  void step(const scan& s) {
    // 1. Debounce against the previous scan that was not ignored.
    if (has_last_ && last_.room == s.room && last_.direction == s.direction && s.at - last_.at < m_.rules.debounce) {
      out_.flags.raise(flag::duplicate);
      return;
    }
    last_ = s;
    has_last_ = true;

    // 2. A stay past its block bound was left without an exit scan, unless
    // this is the exit, queued at its own room's kiosk within the grace: then
    // the stay ends at the block bound and the scan is used up.
    if (inside_ && s.at > stay_.block_bound) {
      if (s.room == stay_.room && s.direction != direction::in && s.at - stay_.block_bound <= m_.rules.exit_grace) {
        close(stay_.block_bound, false, true);
        return;
      }
      close(stay_.session_bound, true);
    }

    // 3. auto toggles.
    direction d = s.direction;
    if (d == direction::automatic) d = inside_ && stay_.room == s.room ? direction::out : direction::in;

    if (d == direction::in) {  // 4.
      if (inside_ && stay_.room == s.room) {
        out_.flags.raise(flag::repeated_entry);
        return;
      }
      if (inside_) {
        close(s.at, false);
        out_.flags.raise(flag::implicit_exit);
      }
      open(s.room, s.at);
    } else {  // 5.
      if (inside_ && stay_.room == s.room) {
        close(s.at, false, true);
      } else {
        if (inside_) close(std::min(s.at, stay_.session_bound), true);
        out_.flags.raise(flag::exit_without_entry);
      }
    }
  }

  attendance finish() {
    // 6. After the last scan: in progress until the exit grace has passed.
    if (inside_) {
      if (now_ - stay_.block_bound > m_.rules.exit_grace) {
        close(stay_.session_bound, true);
      } else {
        out_.stays.push_back({stay_.room, stay_.start, std::min(now_, stay_.block_bound), stay_.session, false, true});
        out_.flags.raise(flag::in_progress);
        inside_ = false;
      }
    }
    return std::move(out_);
  }

 private:
  void open(int room, time_ms t) {
    const int s = m_.session_for_stay(room, t);
    if (s < 0) {
      stay_ = open_stay{room, t, -1, t, t};
    } else {
      const auto& ses = m_.sessions[static_cast<std::size_t>(s)];
      stay_ = open_stay{room, t, s, ses.end, ses.block_end};
    }
    inside_ = true;
  }

  void close(time_ms at, bool missing_exit, bool exited = false) {
    out_.stays.push_back({stay_.room, stay_.start, at, stay_.session, missing_exit, false, exited});
    if (missing_exit) out_.flags.raise(flag::missing_exit);
    inside_ = false;
  }

  const meeting& m_;
  time_ms now_;
  // Plain members, not std::optional: GCC 12 at -O3 warns falsely that an
  // optional's payload may be used uninitialised.
  bool inside_ = false;  // inside(stay_.room, stay_.start), else outside
  open_stay stay_{};
  bool has_last_ = false;  // last_: the last scan that was not ignored
  scan last_{};
  attendance out_;
};

}  // namespace

attendance attend(const meeting& m, std::span<scan> scans, time_ms now) {
  std::ranges::sort(scans, processing_order);
  walker w(m, now);
  for (const auto& s : scans) {
    if (s.at > now) break;
    w.step(s);
  }
  return w.finish();
}

}  // namespace cmetrack
