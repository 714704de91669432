#pragma once
// Image bytes and files -> grayscale frames, through stb_image (PNG, JPEG,
// and whatever else stb reads). Also the MJPEG quirk: many USB cameras send
// JPEG frames without Huffman tables (DHT), relying on the standard tables
// of the JPEG spec (Annex K.3); those are put back before decoding.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kiosk/camera/frame.h"
#include "shared/error.h"

namespace cmetrack::kiosk {

// Decodes an encoded image to grayscale. Bad input naming `what` (a file
// name, "camera frame") where stb cannot decode it.
result<frame> decode_image(std::span<const std::uint8_t> bytes, const std::string& what);

// A JPEG with the standard Huffman tables inserted where it has none (a
// JPEG that has its own is returned unchanged).
std::vector<std::uint8_t> with_standard_huffman_tables(std::span<const std::uint8_t> jpeg);

// One MJPEG camera frame -> grayscale.
result<frame> decode_mjpeg(std::span<const std::uint8_t> jpeg);

// Reads and decodes one image file.
result<frame> read_image_file(const std::string& path);

}  // namespace cmetrack::kiosk
