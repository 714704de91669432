#include "kiosk/app/fonts.h"

#include <fmt/format.h>
#include <imgui.h>
#include <unistd.h>

namespace cmetrack::kiosk {
namespace {

// Latin, Latin-1, Latin Extended-A (most attendees' first names) and
// general punctuation (dashes, quotes).
constexpr ImWchar glyph_ranges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E, 0};

result<ImFont*> add(const char* file, float pixels) {
  // No oversampling, glyphs snapped to whole pixels: at 28 px and up,
  // horizontal oversampling adds nothing visible but doubles the atlas
  // (2048x4096 -> 2048x2048 for these four sizes; see BENCHMARKS.md, "The
  // kiosk", for what that costs in memory).
  ImFontConfig config;
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  ImFont* f = ImGui::GetIO().Fonts->AddFontFromFileTTF(file, pixels, &config, glyph_ranges);
  if (!f) return failure(fmt::format("{}: cannot load the font (install Debian's fonts-dejavu-core)", file));
  return f;
}

}  // namespace

result<ui::font_set> load_fonts(float scale) {
  for (const char* file : {dejavu_sans, dejavu_sans_bold})
    if (access(file, R_OK) != 0)
      return failure(fmt::format("{}: font missing; the kiosk's screens need DejaVu Sans (install Debian's "
                                 "fonts-dejavu-core)", file));
  ImGui::GetIO().Fonts->Clear();
  ui::font_set fonts;
  auto small = add(dejavu_sans, 28 * scale);
  if (!small) return std::unexpected(small.error());
  auto body = add(dejavu_sans, 40 * scale);
  if (!body) return std::unexpected(body.error());
  auto large = add(dejavu_sans_bold, 60 * scale);
  if (!large) return std::unexpected(large.error());
  auto huge = add(dejavu_sans_bold, 104 * scale);
  if (!huge) return std::unexpected(huge.error());
  fonts = {*small, *body, *large, *huge};
  if (!ImGui::GetIO().Fonts->Build()) return failure("cannot build the font atlas (DejaVu Sans)");
  return fonts;
}

}  // namespace cmetrack::kiosk
