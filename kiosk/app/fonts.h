#pragma once
// DejaVu Sans (Debian's fonts-dejavu-core), loaded into ImGui's atlas at
// the kiosk's sizes scaled by the content scale, legible from a metre away.
#include "kiosk/ui/screens.h"
#include "shared/error.h"

namespace cmetrack::kiosk {

// The files the kiosk reads (regular and bold).
inline constexpr const char* dejavu_sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* dejavu_sans_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// Clears ImGui's atlas and loads the four sizes (28, 40, 60 and 104 px at
// scale 1). Fails, naming the file and the package, where a font is missing.
result<ui::font_set> load_fonts(float scale);

}  // namespace cmetrack::kiosk
