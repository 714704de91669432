#pragma once
// kiosk.json, as `enroll` writes it: which kiosk this is, the room and door
// it stands at, how it reads a scan's direction, and (for cmetrack-sync) how
// to reach the central node. Every fault names the file and the field.
#include <optional>
#include <string>
#include <string_view>

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
};

// `file` names the source in messages.
result<kiosk_config> parse_kiosk_config(std::string_view json_text, std::string_view file);
result<kiosk_config> read_kiosk_config(const std::string& path);

}  // namespace cmetrack::kiosk
