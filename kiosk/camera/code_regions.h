#pragma once
// Where in a frame a code may be: the frame is cut into 16x16 blocks, the
// blocks of strong contrast (standard deviation of their pixels above a
// threshold: printed modules, not sensor noise or a plain wall) are grouped
// into connected regions, and the largest regions are returned as windows
// centred on them. The decoder looks at these windows again when the whole
// frame gave nothing (see barcode_decoder.h for why).
#include <vector>

#include "kiosk/camera/frame.h"

namespace cmetrack::kiosk {

struct region {
  int left = 0, top = 0, width = 0, height = 0;  // within the frame
  friend bool operator==(const region&, const region&) = default;
};

// At most `max_regions`, largest first. Each window is centred on its region
// and extends `margin` pixels beyond it where the frame allows (the window
// stays centred: a code's detector starts from the middle of the image).
std::vector<region> code_regions(const frame& f, int max_regions = 4, int margin = 24);

}  // namespace cmetrack::kiosk
