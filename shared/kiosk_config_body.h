#pragma once
// The body of GET /api/v1/kiosk/config: the kiosk's meeting as a meeting
// file (docs/formats.md, "Meeting file"), so a kiosk reads it with
// parse_meeting(), cut down to what one door needs:
//
//   meeting    id, name, timezone, max_credits, rules (all of them, explicit)
//   badge      the pattern, and the key where badges are signed (the kiosk
//              checks a badge's MAC offline; so a kiosk holds the key)
//   rooms      the kiosk's room only
//   sessions   that room's sessions, with their breaks; times in UTC
//   attendees  badge and first_name only; last_name is always "-" (kiosks
//              need no last names, and the importer requires a non-empty one)
//   kiosk      {"id", "room", "door", "mode"}: who the config is for (the
//              importer warns that it does not know this field and ignores it)
//
// The same meeting gives the same bytes, so a hash of the body is its ETag.
#include <string>
#include <string_view>

#include "shared/meeting.h"

namespace cmetrack {

// Who a kiosk config is for; `mode` is "auto", "entry" or "exit".
struct kiosk_identity {
  std::string id;
  std::string room;
  std::string door;
  std::string mode;
};

// `m` holds its attendees (the whole roster). The room must be one of `m`'s.
std::string kiosk_config_body(const meeting& m, std::string_view room, const kiosk_identity& kiosk);

}  // namespace cmetrack
