#pragma once
// The kiosk with its window: the touchscreen app (docs/formats.md,
// "cmetrack-kiosk"; kiosk/README.md for --screenshot).
#include <optional>
#include <string>

#include "kiosk/app/window.h"
#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"

namespace cmetrack::kiosk {

struct window_mode_options {
  window_options window;
  std::optional<std::string> camera_device;  // --camera /dev/videoN
  std::optional<std::string> frames_dir;     // --frames DIR
  std::optional<std::string> screenshot;     // --screenshot FILE.png
  int after_frames = 0;                      // --after-frames N
};

// Runs until the window closes or SIGTERM/SIGINT (or, with --screenshot,
// until the capture is written). Returns the exit status.
int run_window(kiosk_store& store, const kiosk_config& config, const window_mode_options& options);

}  // namespace cmetrack::kiosk
