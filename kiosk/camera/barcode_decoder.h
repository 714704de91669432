#pragma once
// Badge codes in a grayscale frame, read by ZXing-cpp 1.4: QR Code,
// Code 128, PDF417 and Data Matrix, in any of the four right-angle
// orientations (tryRotate), searched hard (tryHarder).
//
// Where to look first: the busy regions of the frame (code_regions.h),
// each read in a window centred on it, as it is, inverted (ZXing 1.4 has no
// tryInvert: light-on-dark codes), and blurred (noisy codes) in both
// polarities. A window is a few percent of a 1280x720 frame, so a frame with
// a badge costs a few milliseconds, and a frame without anything busy (a
// wall) costs the region search alone. Windows also get around ZXing 1.4's
// Data Matrix detector, which starts from the middle of the image and misses
// a symbol away from it.
//
// Then the whole frame, both polarities, where the windows gave nothing: it
// reads what the region search misses (a code of low contrast). For a
// camera's stream, `whole_frame_every` = N does this on one frame in N (and
// on the first), one polarity a time (dark on light, then light on dark N
// frames later): a code the windows miss is read within 2N frames, and most
// frames cost a fraction of the whole-frame pass (BENCHMARKS.md, "The
// kiosk"). N = 1, the default, does both on every frame: still images.
//
// ZXing 1.4's image pyramid (tryDownscale) is off: when a Code 128 read in
// two layers, ZXing compared a merged line with assert(lineCount() == 1)
// and Debian's build aborted the process (a 3 px-a-module Code 128 in a
// 1280x720 frame did it).
#include <string>
#include <vector>

#include "kiosk/camera/frame.h"

namespace cmetrack::kiosk {

struct decoder_options {
  int whole_frame_every = 1;  // the whole frame on every Nth decode (and the first); 1 = always
};

// What the camera worker uses for a camera or --frames: the whole frame on
// one frame in 4 (5 times a second at 20 frames a second).
inline constexpr decoder_options video_decoder_options{.whole_frame_every = 4};

class barcode_decoder {
 public:
  barcode_decoder() = default;
  explicit barcode_decoder(const decoder_options& options) : options_(options) {}

  // The payloads of the codes in `f`, as UTF-8, each once, in the order
  // they were found. Empty where there is none (or `f` is empty).
  std::vector<std::string> decode(const frame& f);

 private:
  decoder_options options_;
  long decodes_ = 0;
  // Scratch images, reused from frame to frame.
  frame inverted_, window_, blurred_;
};

}  // namespace cmetrack::kiosk
