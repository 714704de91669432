// Fuzzes the meeting file importer (shared/meeting_import.h): any bytes give
// a meeting or a bad_input error, never a crash. Where a meeting comes out,
// its badge pattern compiles, its attendees' badges go through it, and the
// kiosk config made from it (shared/kiosk_config_body.h) reads back as a
// meeting, as a kiosk reads it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/badge.h"
#include "shared/kiosk_config_body.h"
#include "shared/meeting_import.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view harness = "fuzz_meeting_import";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto imported = cmetrack::parse_meeting(text, "fuzz.json");
  if (!imported) {
    CMETRACK_FUZZ_CHECK(harness, !imported.error().message.empty(), "a rejection without a message");
    return 0;
  }
  const auto& m = imported->meeting;
  auto pattern = cmetrack::badge_pattern::compile(m.badge_pattern);
  CMETRACK_FUZZ_CHECK(harness, pattern.has_value(), "an imported meeting's badge pattern does not compile");
  for (const auto& a : m.attendees) (void)pattern->extract(a.badge);

  if (m.rooms.empty()) return 0;
  const auto& room = m.rooms.front().id;
  const auto body = cmetrack::kiosk_config_body(m, room, {"K1", room, "north", "auto"});
  auto again = cmetrack::parse_meeting(body, "kiosk-config.json");
  if (!again)
    cmetrack::fuzz::property_failed(harness, "the kiosk config made from an imported meeting does not import: " +
                                                 again.error().message);
  return 0;
}
