#include "sync/central/api/dashboard.h"

#include <fmt/format.h>

#include <numeric>

#include "sync/central/api/route_support.h"
#include "sync/central/store/kiosk_registry.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

// Badges refreshed in one turn of serve's thread before other work gets
// its turn: about 0.5 ms each at congress size, so 15-20 ms a turn.
constexpr std::size_t badges_a_turn = 32;

void log_fault(const error& e) { fmt::print(stderr, "- - - dashboard: {}\n", e.message); }

// Queues an event for each room whose JSON differs from the one last sent:
// of every room (the clock moves what a room shows: the session running,
// the sessions begun), or only of those whose counts changed (a batch's
// badges refreshed: one room's JSON written, not thirty).
enum class which_rooms { all, changed };
void publish_rooms(server_state& state, time_ms now, which_rooms which = which_rooms::all) {
  auto& d = state.dashboard;
  const auto& m = *d.rooms.meeting_rows();
  if (d.rooms_sent.size() != m.rooms.size()) d.rooms_sent.assign(m.rooms.size(), std::string());
  auto rooms = d.rooms.take_changed_rooms();
  if (which == which_rooms::all) {
    rooms.resize(m.rooms.size());
    std::iota(rooms.begin(), rooms.end(), 0);
  }
  for (const int room : rooms) {
    const auto r = static_cast<std::size_t>(room);
    auto text = d.rooms.room_json(room, now).dump();
    if (text == d.rooms_sent[r]) continue;
    if (d.streams > 0) d.events.push_back(sse_event("room", text));
    d.rooms_sent[r] = std::move(text);
  }
}

// The meeting's rooms or sessions changed under serve: a new picture is
// built on a worker from a read-only connection of its own, while this one
// goes on serving the old; swapped in when done, then caught up with the
// scans stored since its snapshot.
void start_rebuild(server_state& state) {
  state.dashboard.rebuilding = true;
  struct rebuilt {
    result<live_rooms> rooms = failure("not built");
    time_ms started = 0, finished = 0;
  };
  auto fresh = std::make_shared<rebuilt>();
  auto build = [path = state.db.path(), m = state.cache.meeting_rows, fresh] {
    fresh->started = now_ms();
    auto db = open_store_reader(path);
    if (!db) {
      fresh->rooms = std::unexpected(db.error());
      return;
    }
    live_rooms rooms;
    if (auto r = rooms.rebuild(*db, m, fresh->started); !r) fresh->rooms = std::unexpected(r.error());
    else fresh->rooms = std::move(rooms);
    fresh->finished = now_ms();
  };
  auto swap_in = [&state, fresh] {
    auto& d = state.dashboard;
    d.rebuilding = false;
    if (!fresh->rooms) {
      log_fault(fresh->rooms.error());
      d.other_commit = true;  // tried again at the next tick
      return;
    }
    // Said in the log with its wall-clock span, so an operator (and the stall
    // test) can see what else serve answered meanwhile.
    fmt::print(stderr, "- - - dashboard: the live picture rebuilt for the changed meeting in {} ms ({} to {})\n",
               fresh->finished - fresh->started, fresh->started, fresh->finished);
    d.rooms = std::move(*fresh->rooms);
    if (auto r = d.rooms.take_new_scans(state.db, false); !r) log_fault(r.error());
    publish_rooms(state, now_ms());
  };
  if (!state.off_thread) {
    build();
    swap_in();
  } else {
    state.off_thread(std::move(build), std::move(swap_in));
  }
}

// Another process committed: a new meeting means a new picture; otherwise
// the badges of the scans it stored are queued.
result<void> take_other_commit(server_state& state) {
  auto& d = state.dashboard;
  if (!d.other_commit || d.rebuilding) return {};
  d.other_commit = false;
  if (auto r = cached_meeting(state); !r) return r;
  if (d.rooms.needs_rebuild_for(*state.cache.meeting_rows)) {
    start_rebuild(state);
    return {};
  }
  return d.rooms.take_new_scans(state.db, false);
}

}  // namespace

std::string sse_event(std::string_view name, std::string_view json) {
  return fmt::format("event: {}\ndata: {}\n\n", name, json);
}

result<void> ensure_dashboard(server_state& state) {
  if (auto r = check_cache(state); !r) return std::unexpected(r.error());
  if (auto r = cached_meeting(state); !r) return r;
  auto& rooms = state.dashboard.rooms;
  if (!rooms.built()) {
    if (auto r = rooms.rebuild(state.db, state.cache.meeting_rows, now_ms()); !r) return r;
    state.dashboard.other_commit = false;
  }
  return {};
}

result<void> refresh_dashboard(server_state& state, const std::set<std::string>& badges) {
  if (auto r = ensure_dashboard(state); !r) return r;
  const auto now = now_ms();
  if (auto r = state.dashboard.rooms.refresh(state.db, badges, now); !r) return r;
  publish_rooms(state, now, which_rooms::changed);
  return {};
}

result<void> note_own_scans(server_state& state) {
  auto others = check_cache(state);
  if (!others) return std::unexpected(others.error());
  if (*others || state.dashboard.other_commit) return {};
  return state.dashboard.rooms.take_new_scans(state.db, true);
}

void publish_kiosk(server_state& state, std::string_view kiosk) {
  if (state.dashboard.streams == 0) return;
  auto list = list_kiosks(state.db);
  if (!list) {
    log_fault(list.error());
    return;
  }
  for (const auto& k : *list)
    if (k.binding.kiosk == kiosk) state.dashboard.events.push_back(sse_event("kiosk", kiosk_status_json(k).dump()));
}

result<std::string> stream_snapshot(server_state& state) {
  if (auto r = ensure_dashboard(state); !r) return std::unexpected(r.error());
  const auto now = now_ms();
  publish_rooms(state, now);  // what changed before this stream opened goes to the others
  std::string out;
  for (const auto& text : state.dashboard.rooms_sent) out += sse_event("room", text);
  auto list = list_kiosks(state.db);
  if (!list) return std::unexpected(list.error());
  for (const auto& k : *list) out += sse_event("kiosk", kiosk_status_json(k).dump());
  return out;
}

bool tick(server_state& state) {
  if (auto r = ensure_dashboard(state); !r) {
    log_fault(r.error());
    return false;
  }
  if (auto r = take_other_commit(state); !r) log_fault(r.error());
  const auto now = now_ms();
  auto more = state.dashboard.rooms.catch_up(state.db, now, badges_a_turn);
  if (!more) log_fault(more.error());
  publish_rooms(state, now);
  return more && *more;
}

}  // namespace cmetrack::central
