#pragma once
// A virtual X display for the kiosk window's tests: Xvfb at 1920x1080x24,
// its display number chosen by Xvfb itself (-displayfd), DISPLAY set for
// every process the test starts, stopped (SIGTERM) at the end of the test.
// Also: xdotool as a wedge scanner and a finger, and reading a PNG.
#include <memory>
#include <string>
#include <vector>

#include "tests/support/live_process.h"

namespace cmetrack::test {

class xvfb_display {
 public:
  xvfb_display();  // fails the test (REQUIRE) where Xvfb does not start in 10 s
  ~xvfb_display();
  const std::string& name() const { return name_; }  // ":3"

 private:
  std::unique_ptr<live_process> server_;
  std::string name_;
};

// Runs xdotool with `args`; REQUIREs exit 0. Returns its standard output.
std::string xdotool(const std::vector<std::string>& args, int timeout_seconds = 15);

// The first window whose name matches `name`, waiting for it (xdotool search --sync).
std::string wait_for_window(const std::string& name);

// An RGB image read with stb_image.
struct rgb_image {
  int width = 0, height = 0;
  std::vector<unsigned char> pixels;  // 3 bytes a pixel, rows top-down
  // The share of pixels within `tolerance` of (r, g, b) in every channel.
  double share_of(unsigned char r, unsigned char g, unsigned char b, int tolerance = 8) const;
  // Whether the pixel at (x, y) is within `tolerance` of (r, g, b).
  bool pixel_is(int x, int y, unsigned char r, unsigned char g, unsigned char b, int tolerance = 8) const;
  // How many distinct colours (quantised to 4 bits a channel).
  int colour_count() const;
};

rgb_image read_png(const std::string& path);

}  // namespace cmetrack::test
