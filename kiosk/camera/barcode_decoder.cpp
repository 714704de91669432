// ZXing 1.4's Result::text() is a std::wstring unless ZX_USE_UTF8 is
// defined, when it is the UTF-8 text (Result::utf8()): the form we want.
#define ZX_USE_UTF8 1
#include "kiosk/camera/barcode_decoder.h"

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>

#include "kiosk/camera/code_regions.h"

namespace cmetrack::kiosk {
namespace {

const ZXing::DecodeHints& badge_hints() {
  static const ZXing::DecodeHints hints = [] {
    ZXing::DecodeHints h;
    h.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::PDF417 |
                 ZXing::BarcodeFormat::DataMatrix);
    h.setTryRotate(true);
    h.setTryHarder(true);
    h.setTryDownscale(false);
    return h;
  }();
  return hints;
}

void read_into(const frame& f, std::vector<std::string>& out) {
  const ZXing::ImageView view(f.pixels.data(), f.width, f.height, ZXing::ImageFormat::Lum);
  for (const auto& r : ZXing::ReadBarcodes(view, badge_hints())) {
    if (!r.isValid()) continue;
    std::string text = r.text();
    if (text.empty() || std::find(out.begin(), out.end(), text) != out.end()) continue;
    out.push_back(std::move(text));
  }
}

void crop_into(const frame& f, const region& r, frame& out) {
  out.width = r.width;
  out.height = r.height;
  out.pixels.resize(static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.height));
  for (int y = 0; y < r.height; ++y) {
    const auto* from = f.pixels.data() + static_cast<std::size_t>(r.top + y) * static_cast<std::size_t>(f.width) +
                       static_cast<std::size_t>(r.left);
    std::copy(from, from + r.width, out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(r.width));
  }
}

// 3x3 box blur (edges kept): takes the edge off sensor noise.
void blur_into(const frame& f, frame& out) {
  out = f;
  const auto px = [&](int x, int y) {
    return static_cast<int>(f.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(f.width) +
                                     static_cast<std::size_t>(x)]);
  };
  for (int y = 1; y + 1 < f.height; ++y)
    for (int x = 1; x + 1 < f.width; ++x) {
      int sum = 0;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) sum += px(x + dx, y + dy);
      out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(f.width) + static_cast<std::size_t>(x)] =
          static_cast<std::uint8_t>(sum / 9);
    }
}

// One window: as it is, inverted, then blurred in both polarities, until
// one of them gives a code not read before.
void read_window(const frame& window, frame& inverted, frame& blurred, std::vector<std::string>& out) {
  const std::size_t before = out.size();
  read_into(window, out);
  if (out.size() > before) return;
  invert_into(window, inverted);
  read_into(inverted, out);
  if (out.size() > before) return;
  blur_into(window, blurred);
  read_into(blurred, out);
  if (out.size() > before) return;
  invert_into(blurred, inverted);
  read_into(inverted, out);
}

}  // namespace

std::vector<std::string> barcode_decoder::decode(const frame& f) {
  std::vector<std::string> out;
  if (f.empty() || f.pixels.size() < static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height))
    return out;
  const long every = std::max(1, options_.whole_frame_every);
  const bool whole_frame = decodes_ % every == 0;
  // For a stream, one polarity a time: dark on light, then light on dark
  // the next time.
  const bool dark_on_light = every == 1 || (decodes_ / every) % 2 == 0;
  const bool light_on_dark = every == 1 || !dark_on_light;
  ++decodes_;
  // 1. A window on each busy region (two badges are two regions).
  for (const region& r : code_regions(f)) {
    crop_into(f, r, window_);
    read_window(window_, inverted_, blurred_, out);
  }
  if (!out.empty() || !whole_frame) return out;
  // 2. The whole frame, dark on light, then light on dark.
  if (dark_on_light) read_into(f, out);
  if (!out.empty() || !light_on_dark) return out;
  invert_into(f, inverted_);
  read_into(inverted_, out);
  return out;
}

}  // namespace cmetrack::kiosk
