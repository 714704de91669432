#pragma once
// A scan: badge, room, door, kiosk, time, requested direction, and an id made
// when it was recorded (docs/rules.md, "Scans").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/time.h"

namespace cmetrack {

enum class direction : std::uint8_t { in, out, automatic };

constexpr std::string_view to_string(direction d) {
  return d == direction::in ? "in" : d == direction::out ? "out" : "auto";
}

constexpr std::optional<direction> parse_direction(std::string_view text) {
  if (text == "in") return direction::in;
  if (text == "out") return direction::out;
  if (text == "auto") return direction::automatic;
  return std::nullopt;
}

// A scan as recorded and exchanged: the contract's columns.
struct scan_record {
  std::string id;
  std::string kiosk;
  std::int64_t seq = 0;
  std::string payload;  // the badge as scanned; the meeting's pattern takes the id out
  std::string room;
  std::string door;
  cmetrack::direction direction = direction::automatic;
  time_ms at = 0;
  std::optional<std::string> source;
  friend bool operator==(const scan_record&, const scan_record&) = default;
};

// One attendee's scan as the engine sees it: already matched to a room of
// the meeting. `kiosk` must outlive the computation.
struct scan {
  time_ms at = 0;
  std::string_view kiosk;
  std::int64_t seq = 0;
  std::uint64_t id_hash = 0;  // orders scans that agree on everything else
  int room = -1;              // index into meeting::rooms
  cmetrack::direction direction = direction::automatic;
};

// Processing order: time, then kiosk id, then the kiosk's sequence number.
inline bool processing_order(const scan& a, const scan& b) {
  if (a.at != b.at) return a.at < b.at;
  if (a.kiosk != b.kiosk) return a.kiosk < b.kiosk;
  if (a.seq != b.seq) return a.seq < b.seq;
  return a.id_hash < b.id_hash;
}

// FNV-1a: a stable hash of a scan id, the same in every process.
constexpr std::uint64_t scan_id_hash(std::string_view id) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : id) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace cmetrack
