#pragma once
// Badge codes in a grayscale frame, read by ZXing-cpp 1.4: QR Code,
// Code 128, PDF417 and Data Matrix, in any of the four right-angle
// orientations (tryRotate), searched hard (tryHarder). ZXing 1.4 has no
// tryInvert, so when a frame yields nothing it is inverted and read again:
// light-on-dark codes are found too, at the cost of a second pass over
// frames without a code. ZXing 1.4 misses a Data Matrix away from the middle
// of the image, and noisy codes: when the whole frame gave nothing, windows
// centred on its busy regions (code_regions.h) are read again, as they are
// and blurred.
#include <string>
#include <vector>

#include "kiosk/camera/frame.h"

namespace cmetrack::kiosk {

class barcode_decoder {
 public:
  // The payloads of the codes in `f`, as UTF-8, each once, in the order
  // ZXing found them. Empty where there is none (or `f` is empty).
  std::vector<std::string> decode(const frame& f);

 private:
  // Scratch images, reused from frame to frame.
  frame inverted_, window_, blurred_;
};

}  // namespace cmetrack::kiosk
