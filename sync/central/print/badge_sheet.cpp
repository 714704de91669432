#include "sync/central/print/badge_sheet.h"
#include "sync/central/print/pdf_document.h"
#include "sync/central/print/pdf_text.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "shared/atomic_file.h"
#include "shared/badge.h"

namespace cmetrack::central {
namespace {

// A 4 x 3 in badge; the six of a page centred on it (0.25 in at the sides,
// 1 in at the top and bottom, as the common badge stock has them).
constexpr double cell_width = 288;
constexpr double cell_height = 216;
constexpr double sheet_left = (badge_page_width - badge_columns * cell_width) / 2;
constexpr double sheet_top = (badge_page_height - badge_rows * cell_height) / 2;
constexpr double padding = 14;
constexpr double code_side = 92;     // a square code's box, quiet zone included
constexpr double strip_height = 50;  // a wide code's box across the bottom

// ZXing's writer for the kind; what the kiosk's decoder reads.
ZXing::BarcodeFormat zxing_format(barcode_kind k) {
  switch (k) {
    case barcode_kind::qr_code: return ZXing::BarcodeFormat::QRCode;
    case barcode_kind::data_matrix: return ZXing::BarcodeFormat::DataMatrix;
    case barcode_kind::pdf417: return ZXing::BarcodeFormat::PDF417;
    case barcode_kind::code128: return ZXing::BarcodeFormat::Code128;
  }
  return ZXing::BarcodeFormat::QRCode;
}

const char* kind_name(barcode_kind k) {
  switch (k) {
    case barcode_kind::qr_code: return "QR Code";
    case barcode_kind::data_matrix: return "Data Matrix";
    case barcode_kind::pdf417: return "PDF417";
    case barcode_kind::code128: return "Code 128";
  }
  return "barcode";
}

bool is_linear(barcode_kind k) { return k == barcode_kind::code128; }

// The code's modules, without a quiet zone (the drawing leaves one).
result<ZXing::BitMatrix> encode(barcode_kind k, const badge_print& b) {
  try {
    return ZXing::MultiFormatWriter(zxing_format(k)).setMargin(0).encode(b.payload, 0, 0);
  } catch (const std::exception& e) {
    return bad_input(fmt::format("--payload: badge {}'s payload \"{}\" cannot be written as a {} ({}); use another "
                                 "--barcode or a FORMAT of plain letters and digits",
                                 b.who.badge, b.payload, kind_name(k), e.what()));
  }
}

class sheet_writer {
 public:
  sheet_writer(cairo_t* cr, const meeting& m) : cr_(cr), m_(m) {}

  void badge(const badge_cell& c, const badge_print& b, const ZXing::BitMatrix& code, barcode_kind kind) {
    cairo_save(cr_);
    cairo_translate(cr_, c.x, c.y);
    border();
    const double width = c.width - 2 * padding;
    // The meeting, at most two lines, and a rule under it.
    double y = padding;
    font(10, true);
    cairo_set_source_rgb(cr_, 0.25, 0.25, 0.25);
    const auto meeting_lines = wrap(m_.name, width);
    for (std::size_t i = 0; i < std::min<std::size_t>(meeting_lines.size(), 2); ++i) {
      y += 12;
      text_at(padding, y, meeting_lines[i]);
    }
    y += 6;
    rule(y, width);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    // The name, as large as fits one line (28 down to 13 pt), else wrapped.
    double size = 28;
    font(size, true);
    const std::string name = b.who.name();
    while (size > 13 && width_of(name) > width) font(size -= 1, true);
    for (const auto& l : wrap(name, width)) {
      y += size * 1.15;
      text_at(padding, y, l);
    }
    const bool wide = is_linear(kind) || code.width() > 2 * code.height();
    const double text_width = wide ? width : width - code_side - 8;
    if (b.who.degree && !b.who.degree->empty()) {
      font(13, false);
      y += 4;
      for (const auto& l : wrap(*b.who.degree, text_width)) {
        y += 16;
        text_at(padding, y, l);
      }
    }
    font(10, false);
    const std::string id = fmt::format("Badge {}", b.who.badge);
    // The claim code, small: beside the id above a wide code's strip, over
    // the id left of a square code's box (never in either's quiet zone).
    const std::string claim = b.claim_code.empty() ? "" : fmt::format("Claim code: {}", b.claim_code);
    if (wide) {
      const double baseline = c.height - padding - strip_height - 6;
      text_at(padding, baseline, id);
      if (!claim.empty()) {
        font(8, false);
        text_at(padding + width - width_of(claim), baseline, claim);
      }
      barcode(code, kind, padding, c.height - padding - strip_height, width, strip_height);
    } else {
      const double baseline = c.height - padding - 2;
      text_at(padding, baseline, id);
      if (!claim.empty()) {
        font(8, false);
        text_at(padding, baseline - 13, claim);
      }
      barcode(code, kind, c.width - padding - code_side, c.height - padding - code_side, code_side, code_side);
    }
    cairo_restore(cr_);
  }

 private:
  void font(double size, bool bold) { select_font(cr_, size, bold); }
  double width_of(const std::string& text) { return text_width(cr_, text); }
  void text_at(double x, double baseline, const std::string& text) { show_text_at(cr_, x, baseline, text); }
  void rule(double y, double width) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr_, 0.75);
    cairo_move_to(cr_, padding, y);
    cairo_line_to(cr_, padding + width, y);
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }
  // A thin grey border to cut along.
  void border() {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr_, 0.5);
    cairo_rectangle(cr_, 0, 0, cell_width, cell_height);
    cairo_stroke(cr_);
    cairo_restore(cr_);
  }
  std::vector<std::string> wrap(std::string_view text, double width) { return wrap_text(cr_, text, width); }

  // The code's dark modules as filled rectangles (one a run of a row), as
  // large as the box allows with its quiet zone (4 modules around a 2D
  // code, 10 at either end of a linear one), centred in the box. One fill,
  // so neighbouring modules leave no seam.
  void barcode(const ZXing::BitMatrix& code, barcode_kind kind, double x, double y, double w, double h) {
    const bool linear = is_linear(kind);
    const int quiet_x = linear ? 10 : 4, quiet_y = linear ? 0 : 4;
    const double module = linear ? w / (code.width() + 2 * quiet_x)
                                 : std::min(w / (code.width() + 2 * quiet_x), h / (code.height() + 2 * quiet_y));
    const double bar_height = linear ? h : module;
    const int rows = linear ? 1 : code.height();
    const double left = x + (w - module * code.width()) / 2;
    const double top = y + (h - bar_height * rows) / 2;
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    for (int row = 0; row < rows; ++row)
      for (int col = 0; col < code.width();) {
        if (!code.get(col, row)) {
          ++col;
          continue;
        }
        const int run = col;
        while (col < code.width() && code.get(col, row)) ++col;
        cairo_rectangle(cr_, left + run * module, top + row * bar_height, (col - run) * module, bar_height);
      }
    cairo_fill(cr_);
    cairo_restore(cr_);
  }

  cairo_t* cr_;
  const meeting& m_;
};

}  // namespace

badge_cell badge_cell_at(int n) {
  const int column = n % badge_columns, row = (n / badge_columns) % badge_rows;
  return {sheet_left + column * cell_width, sheet_top + row * cell_height, cell_width, cell_height};
}

result<barcode_kind> barcode_kind_from(std::string_view name) {
  if (name == "qr") return barcode_kind::qr_code;
  if (name == "datamatrix") return barcode_kind::data_matrix;
  if (name == "pdf417") return barcode_kind::pdf417;
  if (name == "code128") return barcode_kind::code128;
  return bad_input(fmt::format("--barcode: \"{}\" is not a barcode this tool writes; use qr, datamatrix, pdf417 or code128",
                               name));
}

result<std::vector<badge_print>> badge_payloads(const meeting& m, std::span<const attendee> who,
                                                std::string_view format) {
  auto pattern = badge_pattern::compile(m.badge_pattern, m.badge_key);
  if (!pattern) return std::unexpected(pattern.error());
  constexpr std::string_view slot = "{badge}";
  std::vector<badge_print> out;
  out.reserve(who.size());
  for (const auto& a : who) {
    std::string payload;
    for (std::size_t i = 0; i < format.size();) {
      if (format.substr(i, slot.size()) == slot) {
        payload += a.badge;
        i += slot.size();
      } else {
        payload += format[i++];
      }
    }
    if (pattern->key()) payload = sign(*pattern->key(), payload);  // a signed meeting's badge carries its MAC
    const auto id = pattern->extract(payload);
    if (!id || *id != a.badge)
      return bad_input(fmt::format(
          "--payload: {} gives \"{}\", which the meeting's badge pattern {} does not take badge {} out of; use a "
          "FORMAT the pattern accepts",
          format, payload, m.badge_pattern, a.badge));
    out.push_back({a, std::move(payload)});
  }
  return out;
}

result<int> write_badge_sheet(const meeting& m, std::span<const badge_print> badges, barcode_kind kind,
                              const std::string& path) {
  // Every code first: a payload the writer refuses stops us before any file.
  std::vector<ZXing::BitMatrix> codes;
  codes.reserve(badges.size());
  for (const auto& b : badges) {
    auto code = encode(kind, b);
    if (!code) return std::unexpected(code.error());
    codes.push_back(std::move(*code));
  }

  auto file = atomic_file::create(path);
  if (!file) return std::unexpected(file.error());
  int pages = 0;
  pdf_document pdf(badge_page_width, badge_page_height, fmt::format("{}: badges", m.name), write_pdf_to_file,
                   file->stream());
  sheet_writer w(pdf.cr(), m);
  for (std::size_t i = 0; i < badges.size(); ++i) {
    const int n = static_cast<int>(i % badges_per_page);
    if (n == 0 && i > 0) cairo_show_page(pdf.cr());
    if (n == 0) ++pages;
    w.badge(badge_cell_at(n), badges[i], codes[i], kind);
  }
  if (const auto status = pdf.finish(); status != CAIRO_STATUS_SUCCESS)
    return failure(fmt::format("{}: the PDF could not be written ({}); check the disk has space", path,
                               cairo_status_to_string(status)));
  CMETRACK_TRY(file->commit());
  return pages;
}

}  // namespace cmetrack::central
