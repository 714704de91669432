#pragma once
// The kiosk's window: GLFW, its OpenGL context, and ImGui's GLFW and
// OpenGL3 backends, set up and torn down in one place. It hands keyboard
// input (for the keyboard-wedge classifier) to an event sink and passes
// pointer input to ImGui; it never draws a screen itself.
#include <memory>
#include <string>

#include "kiosk/ui/palette.h"
#include "shared/error.h"

struct GLFWwindow;

namespace cmetrack::kiosk {

// What the window tells the app, on the UI thread, from inside wait().
class window_events {
 public:
  virtual ~window_events() = default;
  virtual void on_text(unsigned codepoint) = 0;  // a character typed (or sent by a wedge scanner)
  virtual void on_enter() = 0;                   // Enter or keypad Enter pressed
  virtual void on_pointer() = 0;                 // a touch, click or pointer move: draw again
  virtual void on_scale_changed() = 0;           // the content scale (DPI) changed
};

struct window_options {
  bool fullscreen = false;  // the primary monitor, at its mode
  int width = 1920, height = 1080;
  std::string title = "cmetrack-kiosk";
};

class kiosk_window {
 public:
  // Creates the window and context (OpenGL 3.0, else 3.2 core), and ImGui.
  static result<std::unique_ptr<kiosk_window>> open(const window_options& options, window_events& events);
  ~kiosk_window();
  kiosk_window(const kiosk_window&) = delete;
  kiosk_window& operator=(const kiosk_window&) = delete;

  bool should_close() const;
  // Handles pending events, waiting up to `seconds` for one.
  void wait(double seconds);
  // Any thread: makes wait() return now.
  static void wake();

  float content_scale() const;
  // Re-uploads ImGui's font atlas after the fonts changed.
  void refresh_fonts();

  void begin_frame();
  // Renders ImGui's frame on `background`; swap() shows it.
  void render(ui::rgb background);
  void swap();
  // The framebuffer's size in pixels.
  void framebuffer_size(int& width, int& height) const;

 private:
  explicit kiosk_window(GLFWwindow* w) : window_(w) {}
  GLFWwindow* window_ = nullptr;
};

}  // namespace cmetrack::kiosk
