// cmetrack-bench-camera: the kiosk camera's decode time and read rate on
// 1280x720 frames, against ZBar on the same frames in the same run
// (BENCHMARKS.md, "The kiosk").
//
// A fixed, seeded set of frames made with ZXing's writer
// (tests/kiosk/camera_frames.h): QR Code, Code 128 and PDF417 badges at
// badge sizes, upright, turned, noisy, light on dark, at seeded places; and
// frames without a code (a plain wall, sensor noise, a cluttered scene of
// high-contrast shapes). Each frame is decoded --rounds times by
// barcode_decoder as the kiosk configures it, and by ZBar's image scanner
// with QR Code, Code 128 and PDF417 enabled and ZBAR_CFG_TEST_INVERTED (a
// Y800 image), in one thread
// pinned to one CPU. Data Matrix frames (ZBar cannot read it) are timed for
// ours alone and reported apart.
//
// Prints one result a line: `name value unit`.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sched.h>
#include <time.h>
#include <zbar.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/camera/barcode_decoder.h"
#include "tests/kiosk/camera_frames.h"

namespace {

using namespace cmetrack::kiosk;
using namespace cmetrack::kiosk::test;
using ZXing::BarcodeFormat;
using clock_type = std::chrono::steady_clock;
using namespace zbar;  // zbar.h declares its C API in namespace zbar under C++

constexpr int frame_w = 1280, frame_h = 720;

struct sample {
  std::string kind;     // "qr", "code128", "pdf417", "datamatrix", "none"
  std::string variant;  // for the per-variant read rates
  std::string payload;  // empty for frames without a code
  frame image;
};

const char* kind_of(BarcodeFormat f) {
  switch (f) {
    case BarcodeFormat::QRCode: return "qr";
    case BarcodeFormat::Code128: return "code128";
    case BarcodeFormat::PDF417: return "pdf417";
    default: return "datamatrix";
  }
}

// A cluttered scene without a code: the wall, with high-contrast
// rectangles and stripes (clothes, a lanyard, a door frame) and noise.
frame clutter(std::mt19937& rng) {
  frame f = blank_scene(frame_w, frame_h);
  std::uniform_int_distribution<int> x(0, frame_w - 1), y(0, frame_h - 1), size(20, 300), grey(0, 255);
  for (int i = 0; i < 12; ++i) {
    const int x0 = x(rng), y0 = y(rng), w = size(rng), h = size(rng), g = grey(rng);
    const bool stripes = i % 3 == 0;
    for (int r = y0; r < std::min(frame_h, y0 + h); ++r)
      for (int c = x0; c < std::min(frame_w, x0 + w); ++c)
        if (!stripes || (c / 6) % 2 == 0) f.pixels[static_cast<std::size_t>(r * frame_w + c)] = static_cast<std::uint8_t>(g);
  }
  return noisy(f, static_cast<unsigned>(rng()), 12);
}

// The frame set: deterministic for a seed.
std::vector<sample> make_frames(unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<sample> out;
  int serial = 0;
  const auto place = [&](const frame& code, const std::string& kind, const std::string& variant,
                         const std::string& payload, int noise, bool invert) {
    std::uniform_int_distribution<int> dx(0, frame_w - code.width), dy(0, frame_h - code.height);
    frame f = in_scene(code, dx(rng), dy(rng), frame_w, frame_h);
    if (invert) f = inverted(f);
    if (noise > 0) f = noisy(f, static_cast<unsigned>(rng()), noise);
    out.push_back({kind, variant, payload, std::move(f)});
  };
  for (BarcodeFormat format :
       {BarcodeFormat::QRCode, BarcodeFormat::Code128, BarcodeFormat::PDF417, BarcodeFormat::DataMatrix}) {
    const std::string kind = kind_of(format);
    // Badge sizes at 30-60 cm from a 720p camera: a few pixels a module
    // (Code 128's narrowest bar 2-3 px).
    const std::vector<int> modules = format == BarcodeFormat::QRCode       ? std::vector<int>{3, 4, 6}
                                     : format == BarcodeFormat::Code128    ? std::vector<int>{2, 3}
                                     : format == BarcodeFormat::PDF417     ? std::vector<int>{2, 3}
                                                                           : std::vector<int>{3, 5};
    for (int m : modules) {
      const int bars = 40 * m;
      const auto code = [&] { return code_image(format, fmt::format("TAM26-{:06}", ++serial), m, bars); };
      const auto payload = [&] { return fmt::format("TAM26-{:06}", serial); };
      for (int i = 0; i < 3; ++i) {
        frame c = code();
        place(c, kind, fmt::format("upright {}px", m), payload(), 0, false);
      }
      for (int turns : {1, 2, 3}) {
        frame c = rotated(code(), turns);
        place(c, kind, fmt::format("turned {}px", m), payload(), 0, false);
      }
      for (int i = 0; i < 2; ++i) {
        frame c = code();
        place(c, kind, fmt::format("noisy(30) {}px", m), payload(), 30, false);
      }
      for (int i = 0; i < 2; ++i) {
        frame c = code();
        place(c, kind, fmt::format("light-on-dark {}px", m), payload(), 0, true);
      }
    }
  }
  for (int i = 0; i < 6; ++i) out.push_back({"none", "plain wall", "", blank_scene(frame_w, frame_h)});
  for (int i = 0; i < 6; ++i)
    out.push_back({"none", "noisy wall", "", noisy(blank_scene(frame_w, frame_h), static_cast<unsigned>(rng()), 30)});
  for (int i = 0; i < 12; ++i) out.push_back({"none", "cluttered scene", "", clutter(rng)});
  return out;
}

class zbar_reader {
 public:
  zbar_reader() : scanner_(zbar_image_scanner_create()) {
    zbar_image_scanner_set_config(scanner_, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    for (zbar_symbol_type_t s : {ZBAR_QRCODE, ZBAR_CODE128, ZBAR_PDF417})
      zbar_image_scanner_set_config(scanner_, s, ZBAR_CFG_ENABLE, 1);
    // Where a frame gives nothing, the inverted frame (light-on-dark codes):
    // the second pass ours makes too.
    zbar_image_scanner_set_config(scanner_, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1);
  }
  ~zbar_reader() { zbar_image_scanner_destroy(scanner_); }
  zbar_reader(const zbar_reader&) = delete;
  zbar_reader& operator=(const zbar_reader&) = delete;

  std::vector<std::string> decode(const frame& f) {
    std::vector<std::string> out;
    zbar_image_t* image = zbar_image_create();
    zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image, static_cast<unsigned>(f.width), static_cast<unsigned>(f.height));
    zbar_image_set_data(image, f.pixels.data(), f.pixels.size(), nullptr);
    if (zbar_scan_image(scanner_, image) > 0)
      for (const zbar_symbol_t* s = zbar_image_first_symbol(image); s; s = zbar_symbol_next(s))
        out.emplace_back(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
    zbar_image_destroy(image);
    return out;
  }

 private:
  zbar_image_scanner_t* scanner_;
};

// CPU time of this thread: the decode's own time on its core, whatever
// else the (shared) machine runs.
double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  std::ranges::sort(v);
  return v.empty() ? 0 : v[(v.size() - 1) / 2];
}

// Nearest rank.
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::ranges::sort(v);
  auto rank = static_cast<std::size_t>(p * static_cast<double>(v.size()) + 0.999999);
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

struct tally {
  int read = 0, total = 0;
  std::vector<double> ms;  // one per decode (rounds x frames)
};

// A frame is read correctly when the result is exactly its payload
// (nothing at all for a frame without a code).
bool correct(const sample& s, const std::vector<std::string>& got) {
  return s.payload.empty() ? got.empty() : got == std::vector<std::string>{s.payload};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-bench-camera: kiosk camera decode time and read rate, against ZBar"};
  unsigned seed = 1;
  int rounds = 3, cpu = -1;
  std::string write_blank;
  int blank_count = 40;
  bool per_variant = false, trace = false;
  app.add_option("--seed", seed, "frame set seed (default 1)");
  app.add_option("--rounds", rounds, "decodes of each frame by each decoder (default 3)")->check(CLI::PositiveNumber);
  app.add_option("--cpu", cpu, "pin to this CPU (default: the last one)");
  app.add_flag("--per-variant", per_variant, "also print read rates per variant");
  app.add_flag("--trace", trace, "name each frame on standard error before decoding it");
  app.add_option("--write-blank", write_blank,
                 "write --blank-count 1280x720 PNG frames without a code (cluttered scenes) into this directory and "
                 "exit (for kiosk_idle.sh's --frames run)");
  app.add_option("--blank-count", blank_count, "frames for --write-blank (default 40)")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  if (!write_blank.empty()) {
    std::filesystem::create_directories(write_blank);
    std::mt19937 rng(seed);
    for (int i = 0; i < blank_count; ++i) write_png(clutter(rng), fmt::format("{}/frame-{:04}.png", write_blank, i));
    return 0;
  }

  if (cpu < 0) cpu = std::max(0, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<std::size_t>(cpu), &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    std::fprintf(stderr, "cmetrack-bench-camera: cannot pin to CPU %d (see --cpu)\n", cpu);
    return 1;
  }

  const auto t_make = clock_type::now();
  const std::vector<sample> frames = make_frames(seed);
  std::fprintf(stderr, "%zu frames of %dx%d made in %.0f ms\n", frames.size(), frame_w, frame_h,
               std::chrono::duration<double, std::milli>(clock_type::now() - t_make).count());

  // The kiosk's camera worker decodes with video_decoder_options (the whole
  // frame on one frame in 4); a still image would get the whole frame every
  // time, reported as "ours_still".
  barcode_decoder ours(video_decoder_options), ours_still;
  zbar_reader zbar;
  constexpr int decoders = 3;
  const char* names[decoders] = {"ours", "ours_still", "zbar"};
  // Per decoder: "code" (QR, Code 128, PDF417: the formats ZBar is asked
  // for), "none" (no code), and per kind and variant.
  struct result_set {
    tally code, none;
    std::map<std::string, tally> kind, variant;
  } results[decoders];

  for (int round = 0; round < rounds; ++round)
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const sample& s = frames[i];
      // Rotate which decoder goes first, frame by frame.
      for (int k = 0; k < decoders; ++k) {
        const int d = static_cast<int>((i + static_cast<std::size_t>(round) + static_cast<std::size_t>(k)) % decoders);
        if (d == 2 && s.kind == "datamatrix") continue;
        if (trace) std::fprintf(stderr, "frame %zu (%s %s) by %s\n", i, s.kind.c_str(), s.variant.c_str(), names[d]);
        const double c0 = thread_cpu_ms();
        const std::vector<std::string> got =
            d == 0 ? ours.decode(s.image) : d == 1 ? ours_still.decode(s.image) : zbar.decode(s.image);
        const double ms = thread_cpu_ms() - c0;
        const bool ok = correct(s, got);
        result_set& r = results[d];
        std::vector<tally*> into{&r.kind[s.kind], &r.variant[s.kind + " " + s.variant]};
        if (s.kind == "none") into.push_back(&r.none);
        else if (s.kind != "datamatrix") into.push_back(&r.code);
        for (tally* t : into) {
          t->ms.push_back(ms);
          ++t->total;
          t->read += ok ? 1 : 0;
        }
      }
    }

  std::printf("camera.cpu %d\n", cpu);
  std::printf("camera.frames %zu\n", frames.size());
  std::printf("camera.rounds %d\n", rounds);
  // Read counts are over every round (frames x rounds): the video decoder's
  // whole-frame pass falls on different frames from round to round.
  const auto print = [&](const char* decoder, const std::string& group, const tally& t) {
    std::printf("camera.%s.%s.read %d/%d\n", decoder, group.c_str(), t.read, t.total);
    double sum = 0;
    for (double v : t.ms) sum += v;
    std::printf("camera.%s.%s.mean %.2f ms\n", decoder, group.c_str(), t.ms.empty() ? 0 : sum / static_cast<double>(t.ms.size()));
    std::printf("camera.%s.%s.p50 %.2f ms\n", decoder, group.c_str(), median(t.ms));
    std::printf("camera.%s.%s.p95 %.2f ms\n", decoder, group.c_str(), percentile(t.ms, 0.95));
    std::printf("camera.%s.%s.max %.2f ms\n", decoder, group.c_str(), percentile(t.ms, 1.0));
  };
  for (int d = 0; d < decoders; ++d) {
    print(names[d], "code", results[d].code);
    print(names[d], "none", results[d].none);
    for (const auto& [kind, t] : results[d].kind)
      if (kind != "none") print(names[d], kind, t);
    if (per_variant)
      for (const auto& [variant, t] : results[d].variant)
        std::printf("camera.%s.variant %d/%d, p50 %.2f ms: %s\n", names[d], t.read, t.total, median(t.ms),
                    variant.c_str());
  }
  const auto ratio = [&](const tally& a, const tally& b) { return median(b.ms) > 0 ? median(a.ms) / median(b.ms) : 0; };
  std::printf("camera.ratio.code.p50 %.2f x\n", ratio(results[0].code, results[2].code));
  std::printf("camera.ratio.none.p50 %.2f x\n", ratio(results[0].none, results[2].none));
  return 0;
}
