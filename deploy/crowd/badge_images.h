#pragma once
// The demo attendees' badges as images: DIR/BADGE.png, a QR Code of the
// payload a badge carries (badge prefix + badge id, which the meeting's
// pattern accepts), for a phone screen or a printer held to a kiosk camera.
// Written with ZXing-cpp's writer and stb_image_write.
#include <string>
#include <vector>

#include "shared/error.h"

namespace cmetrack::crowd {

// One PNG a badge; the directory is made. Fails naming the file.
result<int> write_badge_images(const std::string& dir, const std::vector<std::string>& payloads,
                               const std::vector<std::string>& badges);

}  // namespace cmetrack::crowd
