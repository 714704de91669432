#include "kiosk/ui/layout.h"

namespace cmetrack::kiosk::ui {
namespace {

constexpr float key_w = 170, key_h = 110, key_gap = 18;

rect keypad_key(float left, float top, float s, int key) {
  const int col = key % 3, row = key / 3;
  return {left + static_cast<float>(col) * (key_w + key_gap) * s, top + static_cast<float>(row) * (key_h + key_gap) * s,
          key_w * s, key_h * s};
}

float keypad_width(float s) { return (3 * key_w + 2 * key_gap) * s; }

}  // namespace

float banner_height(float s) { return 64 * s; }

rect staff_button(float w, float h, float s) { return {w - 260 * s, h - 120 * s, 230 * s, 90 * s}; }

rect pin_key(float w, float h, float s, int key) { return keypad_key((w - keypad_width(s)) / 2, h * 0.34f, s, key); }

rect pin_cancel(float w, float h, float s) {
  const rect last = pin_key(w, h, s, 11);
  return {(w - keypad_width(s)) / 2, last.y + last.h + 40 * s, keypad_width(s), 90 * s};
}

rect staff_key(float w, float h, float s, int key) {
  return keypad_key(w - keypad_width(s) - 40 * s, h * 0.30f, s, key);
}

rect staff_mode_button(float w, float h, float s, int which) {
  (void)w;
  const float bw = which == 3 ? 330 * s : 200 * s;
  return {40 * s + static_cast<float>(which) * 220 * s, h - 130 * s, bw, 100 * s};
}

rect staff_leave(float w, float h, float s) { return {w - 400 * s, h - 130 * s, 360 * s, 100 * s}; }

}  // namespace cmetrack::kiosk::ui
