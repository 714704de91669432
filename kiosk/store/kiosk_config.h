#pragma once
// kiosk.json, as `enroll` writes it: which kiosk this is, the room and door
// it stands at, how it reads a scan's direction, and (for cmetrack-sync) how
// to reach the central node. Every fault names the file and the field.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/scan.h"

namespace cmetrack::kiosk {

// entry: every scan is `in`; exit: every scan is `out`; automatic: the
// kiosk toggles (`auto`), the one beside a door used both ways.
enum class kiosk_mode { entry, exit, automatic };

constexpr std::string_view to_string(kiosk_mode m) {
  return m == kiosk_mode::entry ? "entry" : m == kiosk_mode::exit ? "exit" : "auto";
}

// The direction a scan at a kiosk of this mode requests.
constexpr direction requested_direction(kiosk_mode m) {
  return m == kiosk_mode::entry ? direction::in : m == kiosk_mode::exit ? direction::out : direction::automatic;
}

struct kiosk_config {
  std::string kiosk;  // the kiosk's id
  std::string room;   // a room id of the meeting
  std::string door;
  kiosk_mode mode = kiosk_mode::automatic;
  // For the sync agent; the kiosk itself never uses the network.
  std::optional<std::string> central_url, token, ca_cert;
  // Further central nodes of the meeting (1 to bounds::central_urls), as
  // written; empty where kiosk.json has none. The agent checks each URL.
  std::vector<std::string> central_urls;
  // 4 to 8 digits that open staff mode on the touchscreen; without it staff
  // mode is disabled (and the screen says so).
  std::optional<std::string> staff_pin;
};

// `file` names the source in messages.
result<kiosk_config> parse_kiosk_config(std::string_view json_text, std::string_view file);
result<kiosk_config> read_kiosk_config(const std::string& path);

// Whether `entered` is the kiosk's staff PIN. False where staff mode is
// disabled. Compares every digit whatever the first mismatch (no timing hint).
bool staff_pin_matches(const kiosk_config& config, std::string_view entered);

}  // namespace cmetrack::kiosk
