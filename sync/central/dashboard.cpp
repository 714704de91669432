#include "sync/central/dashboard.h"

#include <fmt/format.h>

#include "sync/central/kiosk_registry.h"
#include "sync/central/route_support.h"

namespace cmetrack::central {
namespace {

// How often the rooms' present counts are recomputed with no scan coming
// in: a stay ends with time alone (its session block ended).
constexpr time_ms present_refresh_ms = 5'000;

// Queues an event for each room whose JSON differs from the one last sent.
void publish_rooms(server_state& state, time_ms now) {
  const auto& m = *state.cache.meeting_rows;
  auto& d = state.dashboard;
  if (d.rooms_sent.size() != m.rooms.size()) d.rooms_sent.assign(m.rooms.size(), std::string());
  for (std::size_t r = 0; r < m.rooms.size(); ++r) {
    auto text = d.rooms.room_json(m, static_cast<int>(r), now).dump();
    if (text == d.rooms_sent[r]) continue;
    if (d.streams > 0) d.events.push_back(sse_event("room", text));
    d.rooms_sent[r] = std::move(text);
  }
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
    const auto now = system_now();
    if (auto r = rooms.rebuild(state.db, *state.cache.meeting_rows, now); !r) return r;
    state.dashboard.last_present_refresh = now;
  }
  return {};
}

result<void> refresh_dashboard(server_state& state, const std::set<std::string>& badges) {
  if (auto r = ensure_dashboard(state); !r) return r;
  const auto now = system_now();
  if (auto r = state.dashboard.rooms.refresh(state.db, *state.cache.meeting_rows, badges, now); !r) return r;
  publish_rooms(state, now);
  return {};
}

void publish_kiosk(server_state& state, std::string_view kiosk) {
  if (state.dashboard.streams == 0) return;
  auto list = list_kiosks(state.db);
  if (!list) {
    fmt::print(stderr, "- - - dashboard: {}\n", list.error().message);
    return;
  }
  for (const auto& k : *list)
    if (k.binding.kiosk == kiosk) state.dashboard.events.push_back(sse_event("kiosk", kiosk_status_json(k).dump()));
}

result<std::string> stream_snapshot(server_state& state) {
  if (auto r = ensure_dashboard(state); !r) return std::unexpected(r.error());
  const auto now = system_now();
  publish_rooms(state, now);  // what changed before this stream opened goes to the others
  std::string out;
  for (const auto& text : state.dashboard.rooms_sent) out += sse_event("room", text);
  auto list = list_kiosks(state.db);
  if (!list) return std::unexpected(list.error());
  for (const auto& k : *list) out += sse_event("kiosk", kiosk_status_json(k).dump());
  return out;
}

void tick(server_state& state) {
  if (auto r = ensure_dashboard(state); !r) {
    fmt::print(stderr, "- - - dashboard: {}\n", r.error().message);
    return;
  }
  const auto now = system_now();
  auto& d = state.dashboard;
  if (now - d.last_present_refresh >= present_refresh_ms) {
    d.last_present_refresh = now;
    if (auto r = d.rooms.refresh_present(state.db, *state.cache.meeting_rows, now); !r) {
      fmt::print(stderr, "- - - dashboard: {}\n", r.error().message);
      return;
    }
  }
  publish_rooms(state, now);
}

}  // namespace cmetrack::central
