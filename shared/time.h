#pragma once
// Time inside cmetrack is integer milliseconds since the Unix epoch, UTC.
// Text (ISO-8601) is converted only at the edges, here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cmetrack {

using time_ms = std::int64_t;

constexpr time_ms ms_per_second = 1000;
constexpr time_ms ms_per_minute = 60 * ms_per_second;
constexpr time_ms ms_per_day = 24 * 60 * ms_per_minute;

// The system clock now: wall-clock time as scans and logs carry it.
time_ms now_ms();

// Parses "2026-04-24T08:00:00-04:00", "2026-04-24T12:03:17.250Z" and the
// like: a date, 'T', hh:mm:ss with an optional fraction (truncated to
// milliseconds) and a required offset ('Z' or +hh:mm / -hh:mm).
// Returns nothing for any other text, or a date or time out of range.
std::optional<time_ms> parse_iso8601(std::string_view text);

// "2026-04-24T12:03:17.250Z".
std::string format_iso8601_utc(time_ms t);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), and its inverse.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);

}  // namespace cmetrack
