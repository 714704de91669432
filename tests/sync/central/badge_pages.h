#pragma once
// A badge sheet read back as the desk and the kiosks would: its text through
// pdftotext, its pages rasterised at 150 dpi by pdftoppm (poppler-utils),
// each badge's cell cut out (badge_sheet.h gives the layout) and decoded by
// the kiosk camera's own decoder (kiosk/camera/barcode_decoder.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/camera/barcode_decoder.h"
#include "kiosk/camera/image_decode.h"
#include "sync/central/print/badge_sheet.h"
#include "tests/support/pdf_text.h"
#include "tests/support/process.h"

namespace cmetrack::test {

inline constexpr int sheet_dpi = 150;

// Each page of `pdf` as a grayscale frame, rendered into `dir`.
inline std::vector<kiosk::frame> pdf_page_frames(const std::string& pdf, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const auto r = run({"/usr/bin/pdftoppm", "-r", std::to_string(sheet_dpi), "-png", pdf, dir + "/page"});
  INFO("pdftoppm stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> files;  // page-1.png, or page-01.png when there are ten or more
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".png") files.push_back(e.path().string());
  std::ranges::sort(files, [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  std::vector<kiosk::frame> pages;
  for (const auto& f : files) {
    auto frame = kiosk::read_image_file(f);
    INFO(f);
    REQUIRE(frame.has_value());
    pages.push_back(std::move(*frame));
  }
  return pages;
}

// The n-th badge's cell of a page at sheet_dpi, a few pixels inside its border.
inline kiosk::frame badge_crop(const kiosk::frame& page, int n) {
  const auto cell = central::badge_cell_at(n);
  const auto px = [](double points) { return static_cast<int>(std::lround(points * sheet_dpi / 72.0)); };
  const int inset = 4;
  const int x0 = px(cell.x) + inset, y0 = px(cell.y) + inset;
  const int x1 = std::min(px(cell.x + cell.width) - inset, page.width);
  const int y1 = std::min(px(cell.y + cell.height) - inset, page.height);
  REQUIRE(x1 > x0);
  REQUIRE(y1 > y0);
  kiosk::frame out;
  out.width = x1 - x0;
  out.height = y1 - y0;
  out.pixels.reserve(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  for (int y = y0; y < y1; ++y) {
    const auto row = page.pixels.begin() + static_cast<std::ptrdiff_t>(y) * page.width;
    out.pixels.insert(out.pixels.end(), row + x0, row + x1);
  }
  return out;
}

// What the kiosk's decoder reads in every cell of every page, page by page,
// cell by cell (six a page; an empty cell reads nothing).
inline std::vector<std::vector<std::string>> read_badges(const std::vector<kiosk::frame>& pages) {
  std::vector<std::vector<std::string>> out;
  for (const auto& page : pages)
    for (int n = 0; n < central::badges_per_page; ++n) {
      kiosk::barcode_decoder decoder;
      out.push_back(decoder.decode(badge_crop(page, n)));
    }
  return out;
}

}  // namespace cmetrack::test
