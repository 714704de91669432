// The camera's decoder over frames made with ZXing's writer: each badge
// format, upright and turned, small, noisy and light-on-dark, is read to
// the exact payload; a frame without a code gives nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "kiosk/camera/barcode_decoder.h"
#include "kiosk/camera/code_regions.h"
#include "tests/kiosk/camera_frames.h"

using namespace cmetrack::kiosk;
using namespace cmetrack::kiosk::test;
using ZXing::BarcodeFormat;

namespace {

struct format_case {
  BarcodeFormat format;
  const char* name;
  const char* payload;
};

const format_case formats[] = {
    {BarcodeFormat::QRCode, "QR Code", "TAM26-000123"},
    {BarcodeFormat::Code128, "Code 128", "TAM26-000124"},
    {BarcodeFormat::PDF417, "PDF417", "TAM26-000125"},
    {BarcodeFormat::DataMatrix, "Data Matrix", "TAM26-000126"},
};

std::vector<std::string> decode(const frame& f) {
  barcode_decoder d;
  return d.decode(f);
}

// The code in a 640x480 scene, off centre: left of the middle and above
// it (centred across where it is too wide for that).
frame scene_of(const frame& code) {
  const int x = code.width + 120 <= 640 ? 120 : (640 - code.width) / 2;
  const int y = code.height + 100 <= 480 ? 100 : (480 - code.height) / 2;
  return in_scene(code, x, y);
}

}  // namespace

TEST_CASE("camera decode: each format upright, 4 px a module") {
  for (const auto& c : formats) {
    INFO(c.name);
    CHECK(decode(scene_of(code_image(c.format, c.payload, 4))) == std::vector<std::string>{c.payload});
  }
}

TEST_CASE("camera decode: each format turned 90, 180 and 270 degrees") {
  for (const auto& c : formats)
    for (int turns : {1, 2, 3}) {
      INFO(c.name << " turned " << 90 * turns << " degrees");
      CHECK(decode(scene_of(rotated(code_image(c.format, c.payload, 3), turns))) ==
            std::vector<std::string>{c.payload});
    }
}

TEST_CASE("camera decode: small codes, 2 px a module") {
  for (const auto& c : formats) {
    INFO(c.name);
    CHECK(decode(in_scene(code_image(c.format, c.payload, 2, 30), 300, 200)) == std::vector<std::string>{c.payload});
  }
}

TEST_CASE("camera decode: noisy frames (seeded noise of +-50 grey levels)") {
  for (const auto& c : formats) {
    INFO(c.name);
    CHECK(decode(noisy(scene_of(code_image(c.format, c.payload, 4)), 20260424, 50)) ==
          std::vector<std::string>{c.payload});
  }
}

TEST_CASE("camera decode: light-on-dark codes (inverted frames)") {
  for (const auto& c : formats) {
    INFO(c.name);
    const frame f = inverted(scene_of(code_image(c.format, c.payload, 4)));
    CHECK(f.pixels[0] < 100);  // the scene really is dark
    CHECK(decode(f) == std::vector<std::string>{c.payload});
  }
}

TEST_CASE("camera decode: light-on-dark, turned, 3 px a module and noisy, all at once") {
  for (const auto& c : formats) {
    INFO(c.name);
    const frame f = noisy(inverted(scene_of(rotated(code_image(c.format, c.payload, 3), 1))), 7, 30);
    CHECK(decode(f) == std::vector<std::string>{c.payload});
  }
}

TEST_CASE("camera decode: a payload beyond ASCII comes back as UTF-8") {
  const std::string payload = "Zo\xc3\xab-000127";  // Zoë
  CHECK(decode(scene_of(code_image(BarcodeFormat::QRCode, payload, 4))) == std::vector<std::string>{payload});
}

TEST_CASE("camera decode: two badges in one frame are both read") {
  frame f = in_scene(code_image(BarcodeFormat::QRCode, "TAM26-000201", 4), 40, 40);
  const frame second = code_image(BarcodeFormat::QRCode, "TAM26-000202", 4);
  for (int r = 0; r < second.height; ++r)
    for (int col = 0; col < second.width; ++col)
      f.pixels[static_cast<std::size_t>((300 + r) * f.width + 400 + col)] =
          second.pixels[static_cast<std::size_t>(r * second.width + col)] ? 215 : 40;
  auto got = decode(f);
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{"TAM26-000201", "TAM26-000202"});
}

TEST_CASE("camera decode: a frame without a code gives nothing") {
  CHECK(decode(blank_scene()).empty());
  CHECK(decode(noisy(blank_scene(), 1, 60)).empty());
  CHECK(decode(inverted(noisy(blank_scene(), 2, 60))).empty());
  CHECK(decode(frame{}).empty());  // an empty frame is not a crash either
}

TEST_CASE("code regions: a window centred on the code, none in a plain or merely noisy scene") {
  CHECK(code_regions(blank_scene()).empty());
  CHECK(code_regions(noisy(blank_scene(), 3, 50)).empty());
  const frame code = code_image(BarcodeFormat::DataMatrix, "TAM26-000126", 4);  // 56 x 56 px
  const auto regions = code_regions(in_scene(code, 64, 320));
  REQUIRE(regions.size() == 1);
  const region& r = regions[0];
  // The window holds the whole code, and its middle is inside the code.
  CHECK(r.left <= 64);
  CHECK(r.top <= 320);
  CHECK(r.left + r.width >= 64 + 56);
  CHECK(r.top + r.height >= 320 + 56);
  CHECK(std::abs(r.left + r.width / 2 - (64 + 28)) < 16);
  CHECK(std::abs(r.top + r.height / 2 - (320 + 28)) < 16);
}

TEST_CASE("camera decode: a large Code 128 in a 1280x720 frame is read, not a crash") {
  // ZXing 1.4 read this code in two layers of its image pyramid and then
  // aborted on assert(lineCount() == 1) (Debian builds it with assertions);
  // the decoder turns the pyramid off.
  for (int module_px : {3, 4}) {
    INFO(module_px << " px a module");
    const frame f = in_scene(code_image(BarcodeFormat::Code128, "TAM26-000128", module_px, 40 * module_px), 100, 300,
                             1280, 720);
    CHECK(decode(f) == std::vector<std::string>{"TAM26-000128"});
    CHECK(decode(inverted(f)) == std::vector<std::string>{"TAM26-000128"});
  }
}

TEST_CASE("camera decode: a code the region search misses is read by the whole-frame pass") {
  // A code of low contrast (grey 100 on 160): no 16x16 block is busy enough
  // for a window, so only the whole-frame pass reads it: on every frame of a
  // still image; for a stream, on one frame in 4, dark on light on every
  // other of those (frames 0, 8, ...) and light on dark between (4, 12, ...).
  frame f = in_scene(code_image(BarcodeFormat::QRCode, "TAM26-000129", 4), 200, 150);
  for (auto& p : f.pixels) p = static_cast<std::uint8_t>(100 + (p - 40) * 60 / 175);
  REQUIRE(code_regions(f).empty());
  CHECK(decode(f) == std::vector<std::string>{"TAM26-000129"});
  barcode_decoder stream(video_decoder_options);
  std::vector<int> read_on;
  for (int i = 0; i < 12; ++i)
    if (stream.decode(f) == std::vector<std::string>{"TAM26-000129"}) read_on.push_back(i);
  CHECK(read_on == std::vector<int>{0, 8});
  const frame light_on_dark = inverted(f);
  barcode_decoder stream2(video_decoder_options);
  read_on.clear();
  for (int i = 0; i < 12; ++i)
    if (stream2.decode(light_on_dark) == std::vector<std::string>{"TAM26-000129"}) read_on.push_back(i);
  CHECK(read_on == std::vector<int>{4});
}
