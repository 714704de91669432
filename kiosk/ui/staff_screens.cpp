// Staff's screens: the PIN keypad, and staff mode (live count, last scans,
// sync state, mode, manual badge entry).
#include <imgui.h>

#include <fmt/format.h>

#include "kiosk/ui/layout.h"
#include "kiosk/ui/screens.h"
#include "kiosk/ui/widgets.h"

namespace cmetrack::kiosk::ui {
namespace {

// One keypad of 12 keys at `key_rect(i)`; the action of the key tapped.
template <typename KeyRect>
screen_action draw_keypad(const char* id, KeyRect key_rect, ImFont* font) {
  screen_action a;
  for (int i = 0; i < 12; ++i) {
    const std::string key_id = fmt::format("{}{}", id, i);
    if (!button_at(key_id.c_str(), keypad_labels[i], key_rect(i), font)) continue;
    if (i == 9) a.what = screen_action::back;
    else if (i == 11) a.what = screen_action::ok;
    else {
      a.what = screen_action::digit;
      a.key = keypad_labels[i][0];
    }
  }
  return a;
}

}  // namespace

screen_action draw_pin_screen(const frame_model& model, const font_set& fonts) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float s = model.scale;
  const screen_state& state = *model.state;
  begin_screen(palette::staff_background);
  centred_text("Staff mode", fonts.large, size.y * 0.10f, palette::light_text);
  screen_action a;
  const bool disabled = state.message().starts_with("Staff mode is disabled");
  if (!disabled) {
    const std::string dots = state.keypad().empty() ? "Enter the staff PIN" : std::string(state.keypad().size() * 2 - 1, ' ');
    if (state.keypad().empty()) {
      centred_text(dots, fonts.body, size.y * 0.20f, palette::muted_text);
    } else {
      std::string shown;
      for (std::size_t i = 0; i < state.keypad().size(); ++i) shown += i ? " *" : "*";
      centred_text(shown, fonts.large, size.y * 0.19f, palette::light_text);
    }
    a = draw_keypad("pin", [&](int i) { return pin_key(size.x, size.y, s, i); }, fonts.large);
  }
  if (!state.message().empty()) centred_text(state.message(), fonts.body, size.y * 0.27f, palette::notice_amber);
  if (button_at("cancel", "Cancel", pin_cancel(size.x, size.y, s), fonts.body)) a.what = screen_action::cancel;
  end_screen();
  return a;
}

screen_action draw_staff_screen(const frame_model& model, const font_set& fonts) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float s = model.scale;
  const staff_model& m = model.staff;
  const float left = 40 * s;
  const float top = (model.banner ? banner_height(s) : 0) + 24 * s;
  begin_screen(palette::staff_background);

  text_at(fmt::format("Staff mode - {}", model.idle.room), fonts.large, left, top, palette::light_text);
  text_at(fmt::format("Inside now, by this kiosk's scans: {}", m.inside), fonts.body, left,
          top + fonts.large->FontSize * 1.3f, palette::light_text);
  float y = top + fonts.large->FontSize * 1.3f + fonts.body->FontSize * 1.5f;
  for (const std::string* line : {&m.sync.backlog, &m.sync.last_contact, &m.sync.clock_offset, &m.sync.last_error}) {
    wrapped_text_at(*line, fonts.small, left, y, size.x * 0.55f, palette::muted_text);
    y += fonts.small->FontSize * 1.35f;
  }
  text_at(m.mode, fonts.small, left, y, palette::light_text);
  y += fonts.small->FontSize * 1.35f;
  if (!m.note.empty()) {
    wrapped_text_at(m.note, fonts.small, left, y, size.x * 0.55f, palette::notice_amber);
    y += fonts.small->FontSize * 1.35f;
  }
  y += fonts.small->FontSize * 0.5f;
  text_at("Last scans", fonts.body, left, y, palette::light_text);
  y += fonts.body->FontSize * 1.3f;
  const float list_bottom = staff_mode_button(size.x, size.y, s, 0).y - 10 * s;
  for (const auto& line : m.recent) {
    if (y + fonts.small->FontSize > list_bottom) break;
    text_at(line, fonts.small, left, y, palette::light_text);
    y += fonts.small->FontSize * 1.15f;
  }

  // Manual badge entry.
  const rect first_key = staff_key(size.x, size.y, s, 0);
  text_at("Badge by hand", fonts.body, first_key.x, first_key.y - fonts.body->FontSize * 2.6f, palette::light_text);
  text_at(model.state->keypad().empty() ? std::string("type the badge number, then OK") : model.state->keypad(),
          model.state->keypad().empty() ? fonts.small : fonts.body, first_key.x,
          first_key.y - fonts.body->FontSize * 1.3f, palette::muted_text);
  screen_action a = draw_keypad("badge", [&](int i) { return staff_key(size.x, size.y, s, i); }, fonts.large);

  constexpr kiosk_mode modes[] = {kiosk_mode::entry, kiosk_mode::exit, kiosk_mode::automatic};
  constexpr const char* mode_labels[] = {"Entry", "Exit", "Auto"};
  for (int i = 0; i < 3; ++i) {
    const bool selected = m.effective_mode == modes[i];
    if (button_at(mode_labels[i], mode_labels[i], staff_mode_button(size.x, size.y, s, i), fonts.body, selected)) {
      a.what = screen_action::set_mode;
      a.mode = modes[i];
    }
  }
  if (m.mode_overridden &&
      button_at("follow", "As kiosk.json", staff_mode_button(size.x, size.y, s, 3), fonts.body))
    a.what = screen_action::follow_config_mode;
  if (button_at("leave", "Leave staff mode", staff_leave(size.x, size.y, s), fonts.body))
    a.what = screen_action::leave_staff;
  end_screen();
  return a;
}

}  // namespace cmetrack::kiosk::ui
