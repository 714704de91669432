#pragma once
// The kiosk's colours, one per meaning, so an attendee reads the answer
// from across the door before the words: green welcome, blue goodbye,
// amber "look at this", red "not recorded". The screenshot tests look for
// these exact colours.
#include <cstdint>

namespace cmetrack::kiosk::ui {

struct rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  friend constexpr bool operator==(const rgb&, const rgb&) = default;
};

namespace palette {
constexpr rgb idle_background{0x12, 0x1e, 0x30};     // dark navy
constexpr rgb waiting_background{0x3b, 0x3f, 0x47};  // no meeting yet, no scans taken: slate grey
constexpr rgb welcome_green{0x1b, 0x7a, 0x3a};       // checked in
constexpr rgb goodbye_blue{0x1f, 0x5f, 0xb0};        // checked out
constexpr rgb notice_amber{0xf0, 0xa8, 0x00};        // already recorded, not on the list, not a badge
constexpr rgb failure_red{0xb3, 0x1b, 0x1b};         // not recorded
constexpr rgb staff_background{0x3a, 0x24, 0x5c};    // staff mode: purple, never seen by attendees
constexpr rgb offline_banner{0xc4, 0x4f, 0x00};      // the sync agent has not reached central
constexpr rgb light_text{0xff, 0xff, 0xff};
constexpr rgb dark_text{0x1a, 0x1a, 0x1a};           // on amber
constexpr rgb muted_text{0xb8, 0xc4, 0xd6};
constexpr rgb button{0x2c, 0x44, 0x66};
constexpr rgb button_hovered{0x3a, 0x58, 0x84};
constexpr rgb button_active{0x4a, 0x6c, 0xa0};
constexpr rgb button_selected{0x1b, 0x7a, 0x3a};
}  // namespace palette

}  // namespace cmetrack::kiosk::ui
