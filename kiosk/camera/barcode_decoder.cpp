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

}  // namespace

std::vector<std::string> barcode_decoder::decode(const frame& f) {
  std::vector<std::string> out;
  if (f.empty() || f.pixels.size() < static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height))
    return out;
  // 1. The whole frame, dark on light, then light on dark.
  read_into(f, out);
  if (!out.empty()) return out;
  invert_into(f, inverted_);
  read_into(inverted_, out);
  if (!out.empty()) return out;
  // 2. Windows centred on the busy regions, as they are and blurred, in
  // both polarities: ZXing 1.4's Data Matrix detector starts from the middle
  // of the image and misses a symbol away from it, and a noisy code may
  // read once smoothed. A frame with no such region costs nothing more.
  for (const region& r : code_regions(f)) {
    crop_into(f, r, window_);
    blur_into(window_, blurred_);
    for (frame* w : {&window_, &blurred_}) {
      read_into(*w, out);
      if (!out.empty()) return out;
      invert_into(*w, inverted_);
      read_into(inverted_, out);
      if (!out.empty()) return out;
    }
  }
  return out;
}

}  // namespace cmetrack::kiosk
