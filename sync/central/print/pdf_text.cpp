#include "sync/central/print/pdf_text.h"

#include <fmt/format.h>

#include <unordered_map>

namespace cmetrack::central {
namespace {

// The length of the UTF-8 character that starts with byte `lead` (1 for a
// byte that cannot start one, so that bad text still moves on).
std::size_t char_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Each distinct character measured once at the current font: a paragraph's
// widths are sums, so wrapping takes time linear in its length.
class char_widths {
 public:
  explicit char_widths(cairo_t* cr) : cr_(cr) {}
  double of(std::string_view ch) {
    const auto it = widths_.find(ch);
    if (it != widths_.end()) return it->second;
    const double w = text_width(cr_, std::string(ch));
    widths_.emplace(ch, w);
    return w;
  }

 private:
  cairo_t* cr_;
  std::unordered_map<std::string_view, double> widths_;  // keys point into the text being wrapped
};

}  // namespace

std::string bounded_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return fmt::format("{} [... cut here: {} bytes in all]", text.substr(0, cut), text.size());
}

void select_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

void show_text_at(cairo_t* cr, double x, double baseline, const std::string& text) {
  cairo_move_to(cr, x, baseline);
  cairo_show_text(cr, bounded_text(text, max_line_bytes).c_str());
}

std::vector<std::string> wrap_text(cairo_t* cr, std::string_view whole, double width) {
  const std::string text = bounded_text(whole, max_paragraph_bytes);
  char_widths widths(cr);
  const double space = widths.of(" ");
  std::vector<std::string> lines;
  std::string current;
  double current_width = 0;
  const auto end_line = [&] {
    lines.push_back(std::move(current));
    current.clear();
    current_width = 0;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) break;
    std::size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    const std::string_view word = std::string_view(text).substr(i, end - i);
    i = end;

    double word_width = 0;
    for (std::size_t c = 0; c < word.size();) {
      const auto n = std::min(char_length(static_cast<unsigned char>(word[c])), word.size() - c);
      word_width += widths.of(word.substr(c, n));
      c += n;
    }
    const double joined = current.empty() ? word_width : current_width + space + word_width;
    if (joined <= width) {
      if (!current.empty()) current += ' ';
      current += word;
      current_width = joined;
      continue;
    }
    if (!current.empty()) end_line();
    if (word_width <= width) {
      current = word;
      current_width = word_width;
      continue;
    }
    // A word wider than a line: cut between characters, at least one a line.
    for (std::size_t c = 0; c < word.size();) {
      const auto n = std::min(char_length(static_cast<unsigned char>(word[c])), word.size() - c);
      const double w = widths.of(word.substr(c, n));
      if (!current.empty() && current_width + w > width) end_line();
      current += word.substr(c, n);
      current_width += w;
      c += n;
    }
  }
  if (!current.empty() || lines.empty()) lines.push_back(std::move(current));
  return lines;
}

}  // namespace cmetrack::central
