#include "shared/bounds.h"

#include <fmt/format.h>

#include <algorithm>

namespace cmetrack::bounds {

interval scan_times(const meeting& m) {
  if (m.sessions.empty()) return {earliest, latest};
  interval out{latest, earliest};
  for (const auto& s : m.sessions) {
    out.start = std::min(out.start, s.start);
    out.end = std::max(out.end, s.end);
  }
  return {std::max(earliest, out.start - scan_margin), std::min(latest, out.end + scan_margin)};
}

std::optional<std::string> outside_meeting(const interval& times, time_ms at) {
  if (at >= times.start && at < times.end) return std::nullopt;
  return fmt::format("{} is not within {} days of the meeting's sessions ({} to {}); the kiosk's clock was "
                     "probably wrong",
                     format_iso8601_utc(at), scan_margin / ms_per_day, format_iso8601_utc(times.start),
                     format_iso8601_utc(times.end));
}

std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) n = 2, lo = 0xA0;
    else if (c == 0xED) n = 2, hi = 0x9F;  // no surrogates
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) n = 3, lo = 0x90;
    else if (c == 0xF4) n = 3, hi = 0x8F;  // nothing past U+10FFFF
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else return i;
    if (i + n >= text.size()) return i;  // cut short
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k <= n; ++k)
      if ((byte(i + k) & 0xC0) != 0x80) return i;
    i += n + 1;
  }
  return std::nullopt;
}

std::optional<std::string> check_text(std::string_view field, std::string_view text, std::size_t max) {
  if (const auto at = invalid_utf8_at(text))
    return fmt::format("{}: not valid UTF-8 at byte {}; save the text as UTF-8", field, *at + 1);
  if (text.size() <= max) return std::nullopt;  // bytes bound characters from above
  const auto n = characters(text);
  if (n <= max) return std::nullopt;
  return fmt::format("{}: {} characters, more than the {} allowed; shorten it", field, n, max);
}

}  // namespace cmetrack::bounds
