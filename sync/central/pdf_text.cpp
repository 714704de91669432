#include "sync/central/pdf_text.h"

namespace cmetrack::central {

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
  cairo_show_text(cr, text.c_str());
}

std::vector<std::string> wrap_text(cairo_t* cr, std::string_view text, double width) {
  std::vector<std::string> lines;
  std::string current;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string word(text.substr(i, end - i));
    i = end;
    if (word.empty()) continue;
    const std::string joined = current.empty() ? word : current + " " + word;
    if (text_width(cr, joined) <= width) {
      current = joined;
      continue;
    }
    if (!current.empty()) lines.push_back(std::move(current));
    current.clear();
    while (text_width(cr, word) > width) {
      std::size_t cut = word.size();
      do {
        --cut;
        while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
      } while (cut > 1 && text_width(cr, word.substr(0, cut)) > width);
      if (cut == 0) break;
      lines.push_back(word.substr(0, cut));
      word.erase(0, cut);
    }
    current = std::move(word);
  }
  if (!current.empty() || lines.empty()) lines.push_back(std::move(current));
  return lines;
}

}  // namespace cmetrack::central
