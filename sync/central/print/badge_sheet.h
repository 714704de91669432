#pragma once
// Badge sheets for the registration desk (on-site registrants, lost badges):
// a PDF (cairo, US Letter) of 4 x 3 in badges, six a page (2 columns x 3
// rows, the common badge stock), each with a thin border to cut along, the
// meeting's name, the attendee's name large, the degree, the badge id in
// text (and the attendee's claim code, small, where given) and a barcode of
// the badge's payload (ZXing-cpp's writer, drawn as vector rectangles with
// a quiet zone). Every payload is checked against the meeting's badge
// pattern before anything is written: a badge the kiosks could not read
// back to its id is never printed.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"

namespace cmetrack::central {

// The sheet's geometry in points (1/72 in), for the printer and for tests
// that find each badge on a rasterised page.
struct badge_cell {
  double x = 0, y = 0, width = 0, height = 0;  // from the page's top-left corner
};
inline constexpr double badge_page_width = 612;   // 8.5 in
inline constexpr double badge_page_height = 792;  // 11 in
inline constexpr int badge_columns = 2;
inline constexpr int badge_rows = 3;
inline constexpr int badges_per_page = badge_columns * badge_rows;
// The n-th badge of a page (0..5), row by row from the top left.
badge_cell badge_cell_at(int n);

enum class barcode_kind { qr_code, data_matrix, pdf417, code128 };
// "qr" (the default), "datamatrix", "pdf417", "code128"; bad input otherwise.
result<barcode_kind> barcode_kind_from(std::string_view name);

// One badge to print: the attendee and the payload its barcode carries.
struct badge_print {
  attendee who;
  std::string payload;
  std::string claim_code{};  // printed beside the badge id; empty: not printed
};

// `format` with each "{badge}" replaced by the attendee's badge id, and
// where the meeting signs badges (badge.key) its MAC after a '.'
// (shared/badge_signature.h), checked to give the id back through the
// meeting's badge pattern. Bad input naming
// the format, the payload, the pattern and the badge where it does not.
result<std::vector<badge_print>> badge_payloads(const meeting& m, std::span<const attendee> who,
                                                std::string_view format);

// Writes the badges (in the order given, six a page) to `path`, whole or
// not at all (PATH.partial, renamed once complete). Returns the page count.
result<int> write_badge_sheet(const meeting& m, std::span<const badge_print> badges, barcode_kind kind,
                              const std::string& path);

}  // namespace cmetrack::central
