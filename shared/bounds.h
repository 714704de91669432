#pragma once
// The bounds on every field that comes from outside (HTTP bodies, the
// meeting file, the scans file, the command line), in one place: a value
// past its bound is refused where it enters, with the field and the bound
// named (400 or exit 2), or a scan is quarantined with the reason.
// docs/formats.md, "Bounds", lists them for operators.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/meeting.h"
#include "shared/time.h"

namespace cmetrack::bounds {

// Text, in UTF-8 characters.
inline constexpr std::size_t id = 64;             // room, door, session, kiosk, meeting, badge ids; user names
inline constexpr std::size_t scan_id = 128;       // a scan's id (kiosks make 36-character UUIDs)
inline constexpr std::size_t payload = 256;       // a badge as scanned
inline constexpr std::size_t source = 32;         // how a scan was read: wedge, camera...
inline constexpr std::size_t name = 200;          // people's, rooms' and meetings' names; attendee fields
inline constexpr std::size_t title = 500;         // session titles, the badge pattern, a search
inline constexpr std::size_t free_text = 1000;    // a correction's reason
inline constexpr std::size_t password = 1024;

// Numbers.
inline constexpr time_ms clock_offset = ms_per_day;        // a kiosk's clock: a day off either way at most
inline constexpr std::int64_t backlog = 100'000'000;       // scans a kiosk says it still holds
inline constexpr std::int64_t seq = 1'000'000'000'000;     // a kiosk's sequence numbers, from 1
inline constexpr std::size_t central_urls = 8;             // central nodes a kiosk.json lists (central_urls)
// Scans more than this before a meeting's first session or after its last
// one are quarantined (a kiosk's clock set to another year).
inline constexpr time_ms scan_margin = 7 * ms_per_day;
// Times anywhere: years 1970-2200, so that sums and differences never wrap.
inline constexpr time_ms earliest = 0;
inline constexpr time_ms latest = 7'258'118'400'000;  // 2200-01-01T00:00:00Z

// The times a scan of meeting `m` may have: its first session's start less
// scan_margin to its last session's end plus scan_margin; earliest to latest
// for a meeting without sessions.
interval scan_times(const meeting& m);

// Why a scan at `at` is refused or quarantined, given scan_times() of the
// meeting ("2031-01-01T00:00:00.000Z is not within 7 days of the meeting's
// sessions ..."), or nothing. Callers compute `times` once, not per scan.
std::optional<std::string> outside_meeting(const interval& times, time_ms at);

// The number of UTF-8 characters in `text` (bytes that do not continue one).
std::size_t characters(std::string_view text);

// Why `text` in `field` cannot be taken: not UTF-8 ("badge: not valid UTF-8
// at byte 3; ..."), or too long ("reason: 5000 characters, more than the 1000
// allowed; shorten it"); nothing where it can.
std::optional<std::string> check_text(std::string_view field, std::string_view text, std::size_t max);

// The offset of the first byte of `text` that is not valid UTF-8 (overlong
// forms, surrogates and code points past U+10FFFF included), or nothing.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

}  // namespace cmetrack::bounds
