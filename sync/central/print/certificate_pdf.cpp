#include "sync/central/print/certificate_pdf.h"
#include "sync/central/print/designation.h"
#include "sync/central/print/meeting_clock.h"
#include "sync/central/print/pdf_document.h"
#include "sync/central/print/pdf_text.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace cmetrack::central {
namespace {

// US Letter, landscape, in points; a double border 0.4 in in, the text
// between 1 in margins, the date and the foot below it.
constexpr double page_width = 792;
constexpr double page_height = 612;
constexpr double border = 28;
constexpr double margin = 72;
constexpr double content_width = page_width - 2 * margin;
constexpr double content_top = 64;
constexpr double content_bottom = page_height - 100;
constexpr double date_baseline = page_height - 76;
constexpr double foot_baseline = page_height - 42;

// One piece of the certificate's text, centred: wrapped to `width`, or
// (fit_line) set smaller down to 60% of `size` to keep it on one line first.
struct piece {
  std::string text;
  double size = 12;
  bool bold = false;
  double grey = 0;
  double gap_before = 0;
  double width = content_width;
  bool fit_line = false;
};

// A line as drawn.
struct placed {
  std::string text;
  double size;
  bool bold;
  double grey;
  double baseline;
};

std::string display_name(const attendee& a) {
  return a.degree && !a.degree->empty() ? fmt::format("{}, {}", a.name(), *a.degree) : a.name();
}

// What the certificate says, top to bottom.
std::vector<piece> certificate_text(const meeting& m, const certificate& c, const meeting_clock& clock) {
  constexpr double statement_width = content_width - 72;
  std::vector<piece> out;
  if (!m.activity.provider.empty()) out.push_back({.text = m.activity.provider, .size = 14, .grey = 0.3});
  out.push_back({.text = c.physician ? "Certificate of Credit" : "Certificate of Participation",
                 .size = 32,
                 .bold = true,
                 .gap_before = 12});
  out.push_back({.text = "This is to certify that", .size = 13, .grey = 0.2, .gap_before = 18});
  out.push_back({.text = display_name(c.who), .size = 26, .bold = true, .gap_before = 8, .fit_line = true});
  out.push_back({.text = "has participated in the live activity titled", .size = 13, .grey = 0.2, .gap_before = 8});
  out.push_back({.text = m.name, .size = 18, .bold = true, .gap_before = 6});
  std::string when_where;
  if (const auto span = meeting_span(m)) when_where = clock.us_date_range(span->start, span->end - 1);
  if (!m.activity.location.empty())
    when_where = when_where.empty() ? m.activity.location : fmt::format("{}, {}", when_where, m.activity.location);
  if (!when_where.empty()) out.push_back({.text = when_where, .size = 13, .grey = 0.2, .gap_before = 4});

  const auto claimed = credit_text(c.claimed_quarters);
  const bool one = c.claimed_quarters == 4;
  out.push_back({.text = c.physician ? fmt::format("and is awarded {} AMA PRA Category 1 {}™", claimed,
                                                   one ? "Credit" : "Credits")
                                     : fmt::format("for {} {}", claimed, one ? "hour" : "hours"),
                 .size = 17,
                 .bold = true,
                 .gap_before = 16});
  if (c.patient_safety_quarters > 0)
    out.push_back({.text = fmt::format("of which {} in patient safety.", credit_text(c.patient_safety_quarters)),
                   .size = 13,
                   .grey = 0.2,
                   .gap_before = 4});
  // Only a physician is awarded the credit; anyone else is told what the activity was designated for.
  if (!c.physician)
    out.push_back({.text = "This activity was designated for AMA PRA Category 1 Credit™.",
                   .size = 10,
                   .grey = 0.25,
                   .gap_before = 18,
                   .width = statement_width});
  out.push_back({.text = designation_statement(m),
                 .size = 10,
                 .grey = 0.25,
                 .gap_before = c.physician ? 18.0 : 2.0,
                 .width = statement_width});
  return out;
}

// The pieces' lines at `scale` of their sizes, from the top of the text.
std::vector<placed> lay_out(cairo_t* cr, const std::vector<piece>& pieces, double scale) {
  std::vector<placed> lines;
  double y = 0;
  for (const auto& p : pieces) {
    double size = p.size * scale;
    select_font(cr, size, p.bold);
    if (p.fit_line)
      while (size > p.size * scale * 0.6 && text_width(cr, p.text) > p.width) select_font(cr, size -= 0.5, p.bold);
    y += p.gap_before * scale;
    for (auto& l : wrap_text(cr, p.text, p.width)) {
      y += size * 1.25;
      lines.push_back({std::move(l), size, p.bold, p.grey, y});
    }
  }
  return lines;
}

double height_of(const std::vector<placed>& lines) { return lines.empty() ? 0 : lines.back().baseline + 6; }

void frame(cairo_t* cr) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.15, 0.25, 0.4);
  cairo_set_line_width(cr, 2.5);
  cairo_rectangle(cr, border, border, page_width - 2 * border, page_height - 2 * border);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 0.75);
  cairo_rectangle(cr, border + 6, border + 6, page_width - 2 * border - 12, page_height - 2 * border - 12);
  cairo_stroke(cr);
  cairo_restore(cr);
}

void centred(cairo_t* cr, double baseline, const std::string& text) {
  show_text_at(cr, (page_width - text_width(cr, text)) / 2, baseline, text);
}

void draw(cairo_t* cr, const meeting& m, const certificate& c, time_ms made_at) {
  const meeting_clock clock(m.timezone);
  frame(cr);

  // The text as large as fits between the margins (smaller only for long text).
  const auto pieces = certificate_text(m, c, clock);
  const double room = content_bottom - content_top;
  double scale = 1;
  auto lines = lay_out(cr, pieces, scale);
  while (height_of(lines) > room && scale > 0.3) lines = lay_out(cr, pieces, scale *= 0.9);
  const double top = content_top + std::max(0.0, (room - height_of(lines)) / 2);
  for (const auto& l : lines) {
    select_font(cr, l.size, l.bold);
    cairo_set_source_rgb(cr, l.grey, l.grey, l.grey);
    centred(cr, top + l.baseline, l.text);
  }

  cairo_set_source_rgb(cr, 0, 0, 0);
  select_font(cr, 11, false);
  show_text_at(cr, margin, date_baseline,
               fmt::format("Date: {}", clock.us_date(c.claimed_at != 0 ? c.claimed_at : made_at)));
  const auto badge = fmt::format("Badge {}", c.who.badge);
  show_text_at(cr, margin + content_width - text_width(cr, badge), date_baseline, badge);

  select_font(cr, 7, false);
  cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
  centred(cr, foot_baseline, fmt::format("Made {} · {}", clock.stamp(made_at), m.id));
}

}  // namespace

result<std::string> certificate_pdf_bytes(const meeting& m, const certificate& c, time_ms made_at) {
  std::string out;
  pdf_document pdf(page_width, page_height, fmt::format("{}: certificate for {}", m.name, c.who.name()),
                   write_pdf_to_string, &out);
  draw(pdf.cr(), m, c, made_at);
  const auto status = pdf.finish();
  if (status != CAIRO_STATUS_SUCCESS)
    return failure(fmt::format("the certificate PDF could not be drawn ({})", cairo_status_to_string(status)));
  return out;
}

}  // namespace cmetrack::central
