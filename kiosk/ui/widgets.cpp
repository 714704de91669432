#include "kiosk/ui/widgets.h"

#include <string>

namespace cmetrack::kiosk::ui {

ImU32 colour(rgb c, float alpha) { return IM_COL32(c.r, c.g, c.b, static_cast<int>(alpha * 255.0f)); }

ImVec4 colour4(rgb c) { return ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1.0f); }

void begin_screen(rgb background) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colour4(background));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::Begin("##screen", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
}

void end_screen() {
  ImGui::End();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
}

void text_at(std::string_view text, ImFont* font, float x, float y, rgb c) {
  ImGui::GetWindowDrawList()->AddText(font, font->FontSize, ImVec2(x, y), colour(c), text.data(),
                                      text.data() + text.size());
}

void centred_text(std::string_view text, ImFont* font, float y, rgb c) {
  const float width = ImGui::GetIO().DisplaySize.x;
  ImVec2 size = font->CalcTextSizeA(font->FontSize, width, 0.0f, text.data(), text.data() + text.size());
  if (size.x > width * 0.95f) {  // too wide: wrap, each line centred by the box
    wrapped_text_at(text, font, width * 0.05f, y, width * 0.9f, c);
    return;
  }
  text_at(text, font, (width - size.x) / 2, y, c);
}

void wrapped_text_at(std::string_view text, ImFont* font, float x, float y, float width, rgb c) {
  ImGui::GetWindowDrawList()->AddText(font, font->FontSize, ImVec2(x, y), colour(c), text.data(),
                                      text.data() + text.size(), width);
}

bool button_at(const char* id, std::string_view label, const rect& r, ImFont* font, bool selected) {
  ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
  ImGui::PushStyleColor(ImGuiCol_Button, colour4(selected ? palette::button_selected : palette::button));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, colour4(selected ? palette::button_selected : palette::button_hovered));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, colour4(palette::button_active));
  ImGui::PushStyleColor(ImGuiCol_Text, colour4(palette::light_text));
  ImGui::PushFont(font);
  const std::string text = std::string(label) + "##" + id;
  const bool tapped = ImGui::Button(text.c_str(), ImVec2(r.w, r.h));
  ImGui::PopFont();
  ImGui::PopStyleColor(4);
  return tapped;
}

}  // namespace cmetrack::kiosk::ui
