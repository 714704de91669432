#pragma once
// Text on the PDFs cmetrack-central draws with cairo (transcripts, badge
// sheets): one font (DejaVu Sans, which fonts-dejavu-core installs and
// cairo embeds), its width, and words wrapped into lines.
#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

namespace cmetrack::central {

void select_font(cairo_t* cr, double size, bool bold);
// The width of `text` at the current font, in points.
double text_width(cairo_t* cr, const std::string& text);
void show_text_at(cairo_t* cr, double x, double baseline, const std::string& text);
// The words of `text` in lines no wider than `width` at the current font; a
// word wider than a line is cut between UTF-8 characters. At least one line.
std::vector<std::string> wrap_text(cairo_t* cr, std::string_view text, double width);

}  // namespace cmetrack::central
