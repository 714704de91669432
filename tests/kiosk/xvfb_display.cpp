#include "tests/kiosk/xvfb_display.h"

#include <catch2/catch.hpp>
#include <signal.h>
#include <stdlib.h>

#include <cstdlib>
#include <set>

#include "tests/support/process.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

namespace cmetrack::test {

xvfb_display::xvfb_display() {
  // -displayfd 1: Xvfb picks a free display and writes its number on stdout.
  server_ = std::make_unique<live_process>(
      std::vector<std::string>{"/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"});
  const auto& lines = server_->read_lines(1, 10000);
  REQUIRE(lines.size() == 1);
  name_ = ":" + lines[0];
  setenv("DISPLAY", name_.c_str(), 1);
}

xvfb_display::~xvfb_display() {
  server_->signal(SIGTERM);
  server_->wait();
}

std::string xdotool(const std::vector<std::string>& args, int timeout_seconds) {
  std::vector<std::string> argv = {"/usr/bin/xdotool"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run(argv, "", timeout_seconds);
  INFO("xdotool " << args.at(0) << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string wait_for_window(const std::string& name) {
  const std::string out = xdotool({"search", "--sync", "--onlyvisible", "--name", name});
  const auto nl = out.find('\n');
  REQUIRE(nl != std::string::npos);
  return out.substr(0, nl);
}

double rgb_image::share_of(unsigned char r, unsigned char g, unsigned char b, int tolerance) const {
  if (pixels.empty()) return 0;
  std::size_t matching = 0;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3)
    if (std::abs(pixels[i] - r) <= tolerance && std::abs(pixels[i + 1] - g) <= tolerance &&
        std::abs(pixels[i + 2] - b) <= tolerance)
      ++matching;
  return static_cast<double>(matching) / static_cast<double>(pixels.size() / 3);
}

bool rgb_image::pixel_is(int x, int y, unsigned char r, unsigned char g, unsigned char b, int tolerance) const {
  if (x < 0 || y < 0 || x >= width || y >= height) return false;
  const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
  return std::abs(pixels[i] - r) <= tolerance && std::abs(pixels[i + 1] - g) <= tolerance &&
         std::abs(pixels[i + 2] - b) <= tolerance;
}

int rgb_image::colour_count() const {
  std::set<int> colours;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3)
    colours.insert((pixels[i] >> 4) << 8 | (pixels[i + 1] >> 4) << 4 | (pixels[i + 2] >> 4));
  return static_cast<int>(colours.size());
}

rgb_image read_png(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 3);
  INFO(path << ": " << (data ? "" : stbi_failure_reason()));
  REQUIRE(data != nullptr);
  rgb_image image;
  image.width = w;
  image.height = h;
  image.pixels.assign(data, data + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
  stbi_image_free(data);
  return image;
}

}  // namespace cmetrack::test
