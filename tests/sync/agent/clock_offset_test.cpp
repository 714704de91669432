// The clock offset, NTP-style: central's time minus the midpoint of the
// round trip on the kiosk's clock.
#include <catch2/catch.hpp>

#include "sync/agent/clock_offset.h"
#include "sync/agent/config_puller.h"

using namespace cmetrack;
using namespace cmetrack::agent;

TEST_CASE("clock offset: a symmetric round trip gives the exact offset") {
  const time_ms t0 = 1'777'000'000'000;
  // Kiosk sends at t0 (its clock); 40 ms each way; central's clock is 600 s ahead.
  const auto s = measure_clock_offset(t0, t0 + 40 + 600'000, t0 + 80);
  CHECK(s.offset_ms == 600'000);
  CHECK(s.round_trip_ms == 80);
}

TEST_CASE("clock offset: a kiosk running fast has a negative offset") {
  const time_ms kiosk_t0 = 1'777'000'000'000;
  const time_ms central = kiosk_t0 - 10 * 60'000 + 5;  // kiosk 10 min fast, 5 ms one way
  const auto s = measure_clock_offset(kiosk_t0, central, kiosk_t0 + 10);
  CHECK(s.offset_ms == -600'000);
}

TEST_CASE("clock offset: an asymmetric round trip errs by at most half of it") {
  const time_ms t0 = 1'777'000'000'000;
  // True offset 0; the request took 90 ms, the answer 10 ms.
  const auto s = measure_clock_offset(t0, t0 + 90, t0 + 100);
  CHECK(s.offset_ms == 40);
  CHECK(std::abs(s.offset_ms) <= s.round_trip_ms / 2);
}

TEST_CASE("clock offset: from a Date header, to the second") {
  const time_ms t0 = 1'777'000'000'000;  // a whole second
  const auto date = parse_http_date("Fri, 24 Apr 2026 12:03:17 GMT");
  REQUIRE(date);
  CHECK(*date == *parse_iso8601("2026-04-24T12:03:17Z"));
  const auto s = measure_clock_offset_from_date(t0, t0 + 5'000, t0 + 20);
  CHECK(s.offset_ms == 5'000 + 500 - 10);
  CHECK_FALSE(parse_http_date("Fri, 24 Foo 2026 12:03:17 GMT"));
  CHECK_FALSE(parse_http_date("yesterday"));
  CHECK_FALSE(parse_http_date(""));
}
