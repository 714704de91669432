#pragma once
// Where the touch targets are, in the window's coordinates (ImGui's
// display units), for a window `w` x `h` at content scale `s`. One place,
// so the screens draw there and the Xvfb tests click there.
//
//   idle:  [Staff] bottom-right
//   pin:   keypad 1-9, <, 0, OK centred; [Cancel] under it
//   staff: keypad on the right for manual badge entry; mode buttons and
//          [Leave staff mode] along the bottom
#include <string_view>

namespace cmetrack::kiosk::ui {

struct rect {
  float x = 0, y = 0, w = 0, h = 0;
  float centre_x() const { return x + w / 2; }
  float centre_y() const { return y + h / 2; }
};

// The keypad's 12 keys in reading order: "1".."9", "<" (back), "0", "OK".
constexpr std::string_view keypad_labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "<", "0", "OK"};
// The key index of a digit '0'..'9'.
constexpr int keypad_index_of(char digit) { return digit == '0' ? 10 : digit - '1'; }

// The height of the offline banner (0 when there is none is the caller's choice).
float banner_height(float s);

rect staff_button(float w, float h, float s);
rect pin_key(float w, float h, float s, int key);
rect pin_cancel(float w, float h, float s);
rect staff_key(float w, float h, float s, int key);
// Mode buttons: 0 entry, 1 exit, 2 auto, 3 "follow kiosk.json".
rect staff_mode_button(float w, float h, float s, int which);
rect staff_leave(float w, float h, float s);

}  // namespace cmetrack::kiosk::ui
