// The attendee's screens (idle, result), the offline banner, and the
// dispatch to the current screen. Staff's screens: staff_screens.cpp.
#include "kiosk/ui/screens.h"

#include <imgui.h>

#include "kiosk/ui/layout.h"
#include "kiosk/ui/widgets.h"

namespace cmetrack::kiosk::ui {

screen_action draw_pin_screen(const frame_model& model, const font_set& fonts);
screen_action draw_staff_screen(const frame_model& model, const font_set& fonts);

namespace {

screen_action draw_idle(const frame_model& model, const font_set& fonts) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float s = model.scale;
  const idle_view& v = model.idle;
  begin_screen(palette::idle_background);
  centred_text(v.room, fonts.large, size.y * 0.10f, palette::light_text);
  centred_text(v.clock, fonts.huge, size.y * 0.20f, palette::light_text);
  centred_text(v.day, fonts.body, size.y * 0.20f + fonts.huge->FontSize + 8 * s, palette::muted_text);
  centred_text("Scan your badge", fonts.huge, size.y * 0.48f, palette::light_text);
  centred_text(v.now, fonts.body, size.y * 0.68f, palette::light_text);
  centred_text(v.next, fonts.body, size.y * 0.68f + fonts.body->FontSize * 1.6f, palette::muted_text);
  screen_action a;
  if (button_at("staff", "Staff", staff_button(size.x, size.y, s), fonts.body)) a.what = screen_action::open_staff;
  end_screen();
  return a;
}

// No meeting in kiosk.db yet: what the kiosk waits for and what staff can
// check. No Staff button: staff mode needs the meeting (the room count).
screen_action draw_waiting(const frame_model& model, const font_set& fonts) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const waiting_view& v = *model.waiting;
  begin_screen(palette::waiting_background);
  centred_text(v.headline, fonts.large, size.y * 0.18f, palette::light_text);
  centred_text(v.detail, fonts.large, size.y * 0.18f + fonts.large->FontSize * 1.3f, palette::light_text);
  centred_text(v.kiosk, fonts.body, size.y * 0.42f, palette::light_text);
  wrapped_text_at(v.staff, fonts.body, size.x * 0.10f, size.y * 0.55f, size.x * 0.80f, palette::muted_text);
  centred_text(v.sync, fonts.small, size.y * 0.85f, palette::muted_text);
  end_screen();
  return {};
}

screen_action draw_result(const frame_model& model, const font_set& fonts) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const result_view& v = model.state->result();
  const rgb text = text_colour_of(v.tone);
  begin_screen(background_of(v.tone));
  centred_text(v.headline, fonts.huge, size.y * 0.30f, text);
  centred_text(v.detail, fonts.large, size.y * 0.30f + fonts.huge->FontSize * 1.4f, text);
  if (!v.staff_note.empty())
    wrapped_text_at("For staff: " + v.staff_note, fonts.small, size.x * 0.08f, size.y * 0.70f, size.x * 0.84f, text);
  // A tap anywhere dismisses the result.
  screen_action a;
  ImGui::SetCursorScreenPos(ImVec2(0, 0));
  if (ImGui::InvisibleButton("##dismiss", size)) a.what = screen_action::cancel;
  end_screen();
  return a;
}

void draw_banner(const std::string& text, const font_set& fonts, float s) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  const float h = banner_height(s);
  draw->AddRectFilled(ImVec2(0, 0), ImVec2(size.x, h), colour(palette::offline_banner));
  const ImVec2 t = fonts.small->CalcTextSizeA(fonts.small->FontSize, size.x, 0.0f, text.c_str());
  draw->AddText(fonts.small, fonts.small->FontSize, ImVec2((size.x - t.x) / 2, (h - t.y) / 2),
                colour(palette::light_text), text.c_str());
}

}  // namespace

screen_action draw_screens(const frame_model& model, const font_set& fonts) {
  screen_action a;
  switch (model.state->current()) {
    case screen::idle: a = model.waiting ? draw_waiting(model, fonts) : draw_idle(model, fonts); break;
    case screen::result: a = draw_result(model, fonts); break;
    case screen::pin: a = draw_pin_screen(model, fonts); break;
    case screen::staff: a = draw_staff_screen(model, fonts); break;
  }
  if (model.banner) draw_banner(*model.banner, fonts, model.scale);
  return a;
}

}  // namespace cmetrack::kiosk::ui
