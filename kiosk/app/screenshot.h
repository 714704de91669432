#pragma once
// --screenshot: the framebuffer just rendered, as a PNG file.
#include <string>

#include "shared/error.h"

namespace cmetrack::kiosk {

// Reads the back buffer (width x height pixels, RGB) with glReadPixels,
// flips it to top-down rows and writes `path` with stb_image_write.
result<void> write_screenshot(const std::string& path, int width, int height);

}  // namespace cmetrack::kiosk
