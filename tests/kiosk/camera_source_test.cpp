// camera_source end to end: PNG (and JPEG) frame files in a directory, read
// through open_frames at the --frames pace, decoded on the worker, each badge
// presented reported once to the callback. Also the camera's own frame
// conversions (YUYV luma, MJPEG without Huffman tables) and the errors a
// user sees for a bad --camera or --frames.
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "kiosk/camera/barcode_decoder.h"
#include "kiosk/camera/camera_source.h"
#include "kiosk/camera/image_decode.h"
#include "kiosk/camera/v4l2_camera.h"
#include "tests/kiosk/camera_frames.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;
using namespace cmetrack::kiosk::test;
using ZXing::BarcodeFormat;
using strings = std::vector<std::string>;
using steady = std::chrono::steady_clock;

namespace {

// What the callback received, in order.
struct received {
  std::mutex mutex;
  strings payloads;
  camera_source::on_payload callback() {
    return [this](std::string p) {
      std::lock_guard lock(mutex);
      payloads.push_back(std::move(p));
    };
  }
  strings get() {
    std::lock_guard lock(mutex);
    return payloads;
  }
};

// A directory of numbered frame files, as a camera would have seen them.
struct frame_dir {
  cmetrack::test::temp_dir dir;
  int next = 0;
  unsigned seed = 1;
  // `count` frames of `code` (or of the empty scene), each with fresh noise,
  // like successive video frames. 320x240 keeps decoding quick.
  void add(const frame* code, int count) {
    for (int i = 0; i < count; ++i) {
      const frame scene = code ? in_scene(*code, (320 - code->width) / 2, 40, 320, 240) : blank_scene(320, 240);
      write_png(noisy(scene, seed++, 12), dir / fmt::format("frame-{:05}.png", next++));
    }
  }
};

// Waits for a --frames source to read its last file; false after 50 s.
bool wait_finished(const camera_source& source) {
  const auto deadline = steady::now() + std::chrono::seconds(50);
  while (!source.finished()) {
    if (steady::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

TEST_CASE("frames: a badge held for 40 frames is one scan, and removed past the gap and shown again it is two") {
  const frame a = code_image(BarcodeFormat::QRCode, "TAM26-000301", 3);
  const frame b = code_image(BarcodeFormat::DataMatrix, "TAM26-000302", 4);
  frame_dir d;
  d.add(&a, 40);     // held 2 s
  d.add(nullptr, 50);  // taken away 2.5 s: longer than the 2 s gap
  d.add(&a, 10);     // shown again
  d.add(&b, 40);     // the next attendee
  received got;
  const auto start = steady::now();
  auto source = camera_source::open_frames(d.dir.path().string(), got.callback());
  REQUIRE(source);
  REQUIRE(wait_finished(**source));
  const auto elapsed = steady::now() - start;
  CHECK(got.get() == strings{"TAM26-000301", "TAM26-000301", "TAM26-000302"});
  CHECK((*source)->last_error().empty());
  // The default pace: one file each 50 ms, so 140 files take at least 6.95 s.
  CHECK(elapsed >= std::chrono::milliseconds(139 * 50));
}

TEST_CASE("frames: a short absence (under the hold gap) does not make a second scan") {
  const frame a = code_image(BarcodeFormat::Code128, "TAM26-000303", 2, 40);
  frame_dir d;
  d.add(&a, 10);
  d.add(nullptr, 20);  // 20 frames away: under the gap of 30 frames below
  d.add(&a, 10);
  received got;
  camera_options o;
  o.frame_interval = 10;  // ten times the default pace, with the gap scaled to match
  o.hold.hold_gap = 300;
  auto source = camera_source::open_frames(d.dir.path().string(), got.callback(), o);
  REQUIRE(source);
  REQUIRE(wait_finished(**source));
  CHECK(got.get() == strings{"TAM26-000303"});
}

TEST_CASE("frames: PNG and JPEG files are read in name order, other files ignored") {
  cmetrack::test::temp_dir dir;
  const auto scene = [](const char* payload) {
    return in_scene(code_image(BarcodeFormat::QRCode, payload, 4), 80, 40, 320, 240);
  };
  write_png(scene("TAM26-000311"), dir / "b.png");
  const frame j = scene("TAM26-000310");
  REQUIRE(stbi_write_jpg((dir / "a.JPG").c_str(), j.width, j.height, 1, j.pixels.data(), 90));
  write_png(scene("TAM26-000312"), dir / "c.png");
  cmetrack::test::write_file(dir / "notes.txt", "not a frame");
  received got;
  camera_options o;
  o.frame_interval = 10;
  auto source = camera_source::open_frames(dir.path().string(), got.callback(), o);
  REQUIRE(source);
  REQUIRE(wait_finished(**source));
  CHECK(got.get() == strings{"TAM26-000310", "TAM26-000311", "TAM26-000312"});
  CHECK((*source)->last_error().empty());
}

TEST_CASE("frames: a damaged frame file is skipped and named, the rest are read") {
  cmetrack::test::temp_dir dir;
  cmetrack::test::write_file(dir / "1.png", "this is not a PNG");
  write_png(in_scene(code_image(BarcodeFormat::PDF417, "TAM26-000320", 2), 20, 60, 320, 240), dir / "2.png");
  received got;
  camera_options o;
  o.frame_interval = 10;
  auto source = camera_source::open_frames(dir.path().string(), got.callback(), o);
  REQUIRE(source);
  REQUIRE(wait_finished(**source));
  CHECK(got.get() == strings{"TAM26-000320"});
  CHECK_THAT((*source)->last_error(), Catch::Contains(dir / "1.png") && Catch::Contains("skipped"));
}

TEST_CASE("frames: an empty directory finishes with nothing") {
  cmetrack::test::temp_dir dir;
  received got;
  auto source = camera_source::open_frames(dir.path().string(), got.callback());
  REQUIRE(source);
  REQUIRE(wait_finished(**source));
  CHECK(got.get().empty());
}

TEST_CASE("frames: destroying the source stops the worker promptly, mid-run") {
  const frame a = code_image(BarcodeFormat::QRCode, "TAM26-000330", 3);
  frame_dir d;
  d.add(&a, 2);
  d.add(nullptr, 3);
  received got;
  camera_options o;
  o.frame_interval = 20000;  // 20 s between frames: only a prompt stop ends this quickly
  auto source = camera_source::open_frames(d.dir.path().string(), got.callback(), o);
  REQUIRE(source);
  const auto deadline = steady::now() + std::chrono::seconds(30);
  while (got.get().empty() && steady::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(got.get() == strings{"TAM26-000330"});
  const auto before = steady::now();
  source->reset();
  CHECK(steady::now() - before < std::chrono::seconds(2));
}

TEST_CASE("frames: a missing directory is bad input naming it") {
  cmetrack::test::temp_dir dir;
  received got;
  auto source = camera_source::open_frames(dir / "no-such-frames", got.callback());
  REQUIRE_FALSE(source);
  CHECK(source.error().kind == error_kind::bad_input);
  CHECK_THAT(source.error().message, Catch::Contains(dir / "no-such-frames"));
  // A file is not a directory either.
  cmetrack::test::write_file(dir / "frame.png", "x");
  auto file = camera_source::open_frames(dir / "frame.png", got.callback());
  REQUIRE_FALSE(file);
  CHECK(file.error().kind == error_kind::bad_input);
  CHECK_THAT(file.error().message, Catch::Contains(dir / "frame.png") && Catch::Contains("not a directory"));
}

TEST_CASE("camera: a device that does not exist is bad input naming it") {
  received got;
  auto source = camera_source::open_camera("/dev/video-cmetrack-missing", got.callback());
  REQUIRE_FALSE(source);
  CHECK(source.error().kind == error_kind::bad_input);
  CHECK_THAT(source.error().message,
             Catch::Contains("/dev/video-cmetrack-missing") && Catch::Contains("No such file or directory"));
}

TEST_CASE("camera: a device that is not a camera is bad input naming it") {
  received got;
  auto source = camera_source::open_camera("/dev/null", got.callback());
  REQUIRE_FALSE(source);
  CHECK(source.error().kind == error_kind::bad_input);
  CHECK_THAT(source.error().message, Catch::Contains("/dev/null") && Catch::Contains("not a V4L2"));
}

TEST_CASE("camera: a YUYV frame's luma carries the code (row padding skipped)") {
  const frame scene = in_scene(code_image(BarcodeFormat::QRCode, "TAM26-000340", 4), 100, 80);
  const int stride = scene.width * 2 + 64;  // drivers may pad rows
  std::vector<std::uint8_t> yuyv(static_cast<std::size_t>(stride * scene.height), 0xEE);
  for (int y = 0; y < scene.height; ++y)
    for (int x = 0; x < scene.width; ++x) {
      const auto at = static_cast<std::size_t>(y * stride + 2 * x);
      yuyv[at] = scene.pixels[static_cast<std::size_t>(y * scene.width + x)];
      yuyv[at + 1] = x % 2 ? 90 : 160;  // V and U: colour that luma ignores
    }
  const frame luma = yuyv_to_luma(yuyv, scene.width, scene.height, stride);
  CHECK(luma.width == scene.width);
  CHECK(luma.height == scene.height);
  CHECK(luma.pixels == scene.pixels);
  barcode_decoder d;
  CHECK(d.decode(luma) == strings{"TAM26-000340"});
  // A short buffer (a torn frame) gives no frame, not a read past its end.
  CHECK(yuyv_to_luma(std::span(yuyv).first(100), scene.width, scene.height, stride).empty());
}

namespace {

// `jpeg` without its DHT segments, as many MJPEG cameras send frames.
std::vector<std::uint8_t> without_huffman_tables(const std::vector<std::uint8_t>& jpeg) {
  std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
  std::size_t i = 2;
  while (i + 4 <= jpeg.size() && jpeg[i + 1] != 0xDA) {
    const std::size_t length = static_cast<std::size_t>(jpeg[i + 2]) << 8 | jpeg[i + 3];
    if (jpeg[i + 1] != 0xC4) out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(i),
                                        jpeg.begin() + static_cast<std::ptrdiff_t>(i + 2 + length));
    i += 2 + length;
  }
  out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(i), jpeg.end());
  return out;
}

}  // namespace

TEST_CASE("camera: an MJPEG frame without Huffman tables is decoded with the standard ones") {
  const frame scene = in_scene(code_image(BarcodeFormat::Code128, "TAM26-000350", 3), 60, 200);
  std::vector<std::uint8_t> jpeg;
  REQUIRE(stbi_write_jpg_to_func(
      [](void* ctx, void* data, int size) {
        auto* out = static_cast<std::vector<std::uint8_t>*>(ctx);
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        out->insert(out->end(), bytes, bytes + size);
      },
      &jpeg, scene.width, scene.height, 1, scene.pixels.data(), 90));
  const auto stripped = without_huffman_tables(jpeg);
  REQUIRE(stripped.size() < jpeg.size());
  // (stb_image alone crashes on it: the tables are really missing.)
  auto f = decode_mjpeg(stripped);
  REQUIRE(f);
  CHECK(f->width == scene.width);
  CHECK(f->height == scene.height);
  barcode_decoder d;
  CHECK(d.decode(*f) == strings{"TAM26-000350"});
  // A frame that has its own tables is left as it is.
  CHECK(with_standard_huffman_tables(jpeg) == jpeg);
}
