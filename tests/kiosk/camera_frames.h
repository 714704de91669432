#pragma once
// Camera frames made for the tests: a badge code drawn by ZXing-cpp's own
// writer (MultiFormatWriter), scaled to a few pixels a module, turned by a
// right angle if asked, and pasted into a gray 640x480 frame at an offset,
// dark on light as printed (or inverted: light on dark), with seeded noise.
// Frames are also written as PNG files for the --frames path.
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "kiosk/camera/frame.h"

namespace cmetrack::kiosk::test {

inline bool is_linear(ZXing::BarcodeFormat f) { return f == ZXing::BarcodeFormat::Code128; }

// The code alone, `module_px` pixels a module, 0 = dark, 255 = light, no
// quiet zone (the frame around it gives one). Linear codes get bars of
// `bar_height` pixels.
inline frame code_image(ZXing::BarcodeFormat format, const std::string& payload, int module_px, int bar_height = 60) {
  const ZXing::BitMatrix m = ZXing::MultiFormatWriter(format).setMargin(0).encode(payload, 0, 0);
  const int rows = is_linear(format) ? bar_height : m.height() * module_px;
  frame f;
  f.width = m.width() * module_px;
  f.height = rows;
  f.pixels.assign(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height), 255);
  for (int y = 0; y < f.height; ++y)
    for (int x = 0; x < f.width; ++x) {
      const int my = is_linear(format) ? 0 : y / module_px;
      if (m.get(x / module_px, my)) f.pixels[static_cast<std::size_t>(y * f.width + x)] = 0;
    }
  return f;
}

// `f` turned clockwise by quarter_turns * 90 degrees.
inline frame rotated(const frame& f, int quarter_turns) {
  frame out = f;
  for (int t = 0; t < ((quarter_turns % 4) + 4) % 4; ++t) {
    frame r;
    r.width = out.height;
    r.height = out.width;
    r.pixels.resize(out.pixels.size());
    for (int y = 0; y < out.height; ++y)
      for (int x = 0; x < out.width; ++x)
        r.pixels[static_cast<std::size_t>(x * r.width + (out.height - 1 - y))] =
            out.pixels[static_cast<std::size_t>(y * out.width + x)];
    out = std::move(r);
  }
  return out;
}

// A gray frame (the wall behind the badge, a little lighter toward the
// right) with `code` at (x, y): dark modules 40, light ones 215.
inline frame in_scene(const frame& code, int x, int y, int width = 640, int height = 480) {
  if (x < 0 || y < 0 || x + code.width > width || y + code.height > height)
    throw std::invalid_argument("code does not fit the frame");
  frame f;
  f.width = width;
  f.height = height;
  f.pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c)
      f.pixels[static_cast<std::size_t>(r * width + c)] = static_cast<std::uint8_t>(170 + (c * 40) / width);
  for (int r = 0; r < code.height; ++r)
    for (int c = 0; c < code.width; ++c)
      f.pixels[static_cast<std::size_t>((y + r) * width + (x + c))] =
          code.pixels[static_cast<std::size_t>(r * code.width + c)] ? 215 : 40;
  return f;
}

// A blank frame: the scene without a code.
inline frame blank_scene(int width = 640, int height = 480) {
  frame code;  // 0x0: nothing pasted
  return in_scene(code, 0, 0, width, height);
}

inline frame inverted(const frame& f) {
  frame out;
  invert_into(f, out);
  return out;
}

// Uniform noise of +-amplitude on every pixel, from `seed`.
inline frame noisy(const frame& f, unsigned seed, int amplitude) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-amplitude, amplitude);
  frame out = f;
  for (auto& p : out.pixels) p = static_cast<std::uint8_t>(std::clamp(p + d(rng), 0, 255));
  return out;
}

inline void write_png(const frame& f, const std::string& path) {
  if (!stbi_write_png(path.c_str(), f.width, f.height, 1, f.pixels.data(), f.width))
    throw std::runtime_error("cannot write " + path);
}

}  // namespace cmetrack::kiosk::test
