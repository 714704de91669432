#include <catch2/catch.hpp>

#include "shared/time.h"

using namespace cmetrack;

TEST_CASE("ISO-8601 times with an offset become UTC milliseconds", "[time]") {
  CHECK(parse_iso8601("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_iso8601("2026-04-24T12:03:17.250Z") == 1777032197250);
  CHECK(parse_iso8601("2026-04-24T08:03:17.250-04:00") == 1777032197250);
  CHECK(parse_iso8601("2026-04-24T17:33:17.25+05:30") == 1777032197250);
  CHECK(parse_iso8601("2026-04-24T12:03:17.250999Z") == 1777032197250);  // truncated to ms
  CHECK(parse_iso8601("2028-02-29T00:00:00Z").has_value());              // leap day
  CHECK(parse_iso8601("1969-12-31T23:59:59.999Z") == -1);
}

TEST_CASE("anything else is refused", "[time]") {
  for (const char* bad : {"", "2026-04-24", "2026-04-24T12:03:17", "2026-04-24 12:03:17Z", "2026-13-01T00:00:00Z",
                          "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-04-24T24:00:00Z",
                          "2026-04-24T12:60:00Z", "2026-04-24T12:00:60Z", "2026-04-24T12:00:00.Z",
                          "2026-04-24T12:00:00+5:00", "2026-04-24T12:00:00Zjunk", "26-04-24T12:00:00Z",
                          "2026-04-24T12:00:00.1234567890Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad).has_value());
  }
}

TEST_CASE("times print as UTC with milliseconds and read back the same", "[time]") {
  CHECK(format_iso8601_utc(1777032197250) == "2026-04-24T12:03:17.250Z");
  CHECK(format_iso8601_utc(-1) == "1969-12-31T23:59:59.999Z");
  for (time_ms t : {time_ms{0}, time_ms{951782400000}, time_ms{1777032197250}, time_ms{4102444799999}})
    CHECK(parse_iso8601(format_iso8601_utc(t)) == t);
}
