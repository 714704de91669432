#pragma once
// Small drawing helpers shared by the screens (ImGui).
#include <imgui.h>

#include <string_view>

#include "kiosk/ui/layout.h"
#include "kiosk/ui/palette.h"

namespace cmetrack::kiosk::ui {

ImU32 colour(rgb c, float alpha = 1.0f);
ImVec4 colour4(rgb c);

// Starts the one full-display window of this frame on `background`.
void begin_screen(rgb background);
void end_screen();

// Text centred horizontally at height y, in `font`.
void centred_text(std::string_view text, ImFont* font, float y, rgb c);
// Text at (x, y).
void text_at(std::string_view text, ImFont* font, float x, float y, rgb c);
// Wrapped text in a box from x to x + width.
void wrapped_text_at(std::string_view text, ImFont* font, float x, float y, float width, rgb c);

// A big touch target at r; true when it was tapped.
bool button_at(const char* id, std::string_view label, const rect& r, ImFont* font, bool selected = false);

}  // namespace cmetrack::kiosk::ui
