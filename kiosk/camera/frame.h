#pragma once
// One camera frame as the decoder sees it: 8-bit grayscale (luma), row by
// row, no padding. Every source (V4L2 YUYV or MJPEG, image files) is turned
// into this before decoding.
#include <cstdint>
#include <vector>

namespace cmetrack::kiosk {

struct frame {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height bytes, 0 = black

  bool empty() const { return width <= 0 || height <= 0; }
};

// The same frame with every pixel inverted (255 - v): a light-on-dark code
// becomes the dark-on-light one the decoder expects.
inline void invert_into(const frame& in, frame& out) {
  out.width = in.width;
  out.height = in.height;
  out.pixels.resize(in.pixels.size());
  for (std::size_t i = 0; i < in.pixels.size(); ++i) out.pixels[i] = static_cast<std::uint8_t>(255 - in.pixels[i]);
}

}  // namespace cmetrack::kiosk
