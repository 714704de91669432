// Text on the PDFs: wrapped in lines no wider than asked, a long word
// broken between characters, in time linear in the text's length, and a
// text past the bound cut with a mark.
#include <catch2/catch.hpp>

#include <cairo.h>

#include <chrono>
#include <string>

#include "sync/central/print/pdf_text.h"

namespace c = cmetrack::central;

namespace {

// A cairo context on a recording surface, with the transcript's font.
struct surface {
  surface() {
    s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
    cr = cairo_create(s);
    c::select_font(cr, 10, false);
  }
  ~surface() {
    cairo_destroy(cr);
    cairo_surface_destroy(s);
  }
  cairo_surface_t* s;
  cairo_t* cr;
};

std::string joined(const std::vector<std::string>& lines, const char* between) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : between) + l;
  return out;
}

}  // namespace

TEST_CASE("PDF text: words wrapped in lines no wider than the width, none lost", "[pdf_text]") {
  surface p;
  const std::string text = "The last talk ran late and three hundred people queued at the kiosks of the ballroom";
  const auto lines = c::wrap_text(p.cr, text, 120);
  REQUIRE(lines.size() > 2);
  for (const auto& l : lines) CHECK(c::text_width(p.cr, l) <= 120.5);
  CHECK(joined(lines, " ") == text);
  CHECK(c::wrap_text(p.cr, "", 120) == std::vector<std::string>{""});
}

TEST_CASE("PDF text: a word wider than a line is broken between UTF-8 characters", "[pdf_text]") {
  surface p;
  std::string word;
  for (int i = 0; i < 60; ++i) word += "é";  // two bytes each
  const auto lines = c::wrap_text(p.cr, "Reason: " + word, 80);
  REQUIRE(lines.size() > 2);
  for (const auto& l : lines) {
    CHECK(c::text_width(p.cr, l) <= 80.5);
    CHECK((static_cast<unsigned char>(l.front()) & 0xC0) != 0x80);  // never starts inside a character
  }
  CHECK(joined(lines, "") == "Reason:" + word);
}

TEST_CASE("PDF text: 200,000 characters without a space are cut with a mark, and wrapped at once", "[pdf_text]") {
  surface p;
  const std::string pasted(200'000, 'x');
  const auto start = std::chrono::steady_clock::now();
  const auto lines = c::wrap_text(p.cr, pasted, 400);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto all = joined(lines, " ");
  CHECK(all.find("[... cut here: 200000 bytes in all]") != std::string::npos);
  CHECK(all.size() < c::max_paragraph_bytes + 200);
  for (const auto& l : lines) CHECK(c::text_width(p.cr, l) <= 400.5);
  // A guard against the quadratic wrapping that took minutes, not a benchmark.
  CHECK(seconds < 2.0);
}

TEST_CASE("PDF text: bounded_text keeps short text and cuts long text between characters", "[pdf_text]") {
  CHECK(c::bounded_text("Dr. Ana Lee", 400) == "Dr. Ana Lee");
  const std::string accents = "ééé";  // 6 bytes
  CHECK(c::bounded_text(accents, 3) == "é [... cut here: 6 bytes in all]");
}
