#pragma once
// The kiosk's screens, drawn with Dear ImGui (no GLFW here: the app owns
// the window). They read a frame_model and return what a touch asked for;
// they never record a scan or touch kiosk.db themselves.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/ui/screen_state.h"
#include "kiosk/ui/view_model.h"

struct ImFont;

namespace cmetrack::kiosk::ui {

// DejaVu Sans at the kiosk's sizes (the app loads them, scaled by DPI).
struct font_set {
  ImFont* small = nullptr;  // staff lists, notes
  ImFont* body = nullptr;   // buttons, sub-lines
  ImFont* large = nullptr;  // room name, result details
  ImFont* huge = nullptr;   // the clock, result headlines
};

// What the staff screen shows (read from kiosk.db by the app).
struct staff_model {
  int inside = 0;
  std::vector<std::string> recent;  // the last 20 scans, newest first
  sync_view sync;
  std::string mode;  // mode_text()
  kiosk_mode effective_mode = kiosk_mode::automatic;
  bool mode_overridden = false;
  std::string note;  // a problem reading kiosk.db, or a meeting reload that failed
};

struct frame_model {
  const screen_state* state = nullptr;
  idle_view idle;
  std::optional<waiting_view> waiting;  // no meeting yet: the waiting screen instead of idle
  std::optional<std::string> banner;  // offline
  staff_model staff;
  float scale = 1;  // content scale (DPI)
};

// Draws one frame of the current screen into the whole display. Returns the
// touch it saw, if any.
screen_action draw_screens(const frame_model& model, const font_set& fonts);

}  // namespace cmetrack::kiosk::ui
