#pragma once
// Text on the PDFs cmetrack-central draws with cairo (transcripts, badge
// sheets): one font (DejaVu Sans, which fonts-dejavu-core installs and
// cairo embeds), its width, and words wrapped into lines.
#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

namespace cmetrack::central {

// Bounds on what one PDF draws of a text, whatever was stored: a paragraph
// (a correction's reason, say) and a single line (a name, a title).
inline constexpr std::size_t max_paragraph_bytes = 4000;
inline constexpr std::size_t max_line_bytes = 400;

// `text` cut to at most `max_bytes` (between UTF-8 characters), with a mark
// that says it was cut and how long it was; as it is where it fits.
std::string bounded_text(std::string_view text, std::size_t max_bytes);

void select_font(cairo_t* cr, double size, bool bold);
// The width of `text` at the current font, in points.
double text_width(cairo_t* cr, const std::string& text);
// Draws `text` (cut past max_line_bytes, with a mark) from x on the baseline.
void show_text_at(cairo_t* cr, double x, double baseline, const std::string& text);
// The words of `text` in lines no wider than `width` at the current font; a
// word wider than a line is cut between UTF-8 characters. At least one line.
// Linear in the text's length; text past max_paragraph_bytes is cut with a
// mark (bounded_text).
std::vector<std::string> wrap_text(cairo_t* cr, std::string_view text, double width);

}  // namespace cmetrack::central
