// Fuzzes badge payloads (shared/badge.h). The whole input is a payload for
// the demo meeting's pattern: the id taken out must be six digits inside the
// payload. Then the input is split: its first byte gives the length of a
// pattern made of the bytes after it, and the rest is the payload: compile()
// gives a pattern or an error with a message, never a crash, and an id
// extracted is a part of the payload.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/badge.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr std::string_view harness = "fuzz_badge_payload";

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto demo = cmetrack::badge_pattern::compile("^(?:TAM26-)?([0-9]{6})$");
  if (!demo) cmetrack::fuzz::property_failed(harness, "the demo pattern does not compile");
  const std::string payload(reinterpret_cast<const char*>(data), size);
  if (const auto id = demo->extract(payload)) {
    CMETRACK_FUZZ_CHECK(harness, inside(*id, payload), "the badge id is not a part of the payload");
    CMETRACK_FUZZ_CHECK(harness, id->size() == 6 && id->find_first_not_of("0123456789") == std::string_view::npos,
                        "the demo pattern gave an id that is not six digits");
    CMETRACK_FUZZ_CHECK(harness, payload == *id || payload == "TAM26-" + std::string(*id),
                        "the demo pattern matched a payload other than ID or TAM26-ID");
  }

  if (size == 0) return 0;
  const std::size_t pattern_size = std::min<std::size_t>(data[0] % 64, size - 1);
  const std::string pattern(reinterpret_cast<const char*>(data) + 1, pattern_size);
  const std::string rest(reinterpret_cast<const char*>(data) + 1 + pattern_size, size - 1 - pattern_size);
  auto compiled = cmetrack::badge_pattern::compile(pattern);
  if (!compiled) {
    CMETRACK_FUZZ_CHECK(harness, !compiled.error().message.empty(), "a pattern rejected without a message");
    return 0;
  }
  CMETRACK_FUZZ_CHECK(harness, compiled->text() == pattern, "the compiled pattern's text differs from the pattern");
  if (const auto id = compiled->extract(rest)) {
    CMETRACK_FUZZ_CHECK(harness, inside(*id, rest), "the badge id is not a part of the payload");
    CMETRACK_FUZZ_CHECK(harness, !id->empty(), "an empty badge id");
  }
  return 0;
}
