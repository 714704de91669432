#pragma once
// The worked example of docs/rules.md (tests/data/worked_example.json) as a
// kiosk sees it: room A, door A1.
#include <catch2/catch.hpp>

#include <string>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/core/scan_intake.h"
#include "shared/meeting_import.h"
#include "shared/time.h"

namespace cmetrack::kiosk::test {

inline std::string worked_example_file() { return std::string(CMETRACK_TEST_DATA) + "/worked_example.json"; }

// Attendees 1 and 2; `four`: all four (worked_example_four.json).
inline meeting worked_example(bool four = false) {
  auto imported = read_meeting_file(four ? std::string(CMETRACK_TEST_DATA) + "/worked_example_four.json"
                                         : worked_example_file());
  REQUIRE(imported);
  return std::move(imported->meeting);
}

inline kiosk_config room_a_kiosk(kiosk_mode mode = kiosk_mode::automatic) {
  kiosk_config c;
  c.kiosk = "K-A1";
  c.room = "A";
  c.door = "A1";
  c.mode = mode;
  return c;
}

// "08:40:05" on the worked example's day, New York time.
inline time_ms at(const std::string& hh_mm_ss) {
  auto t = parse_iso8601("2026-04-24T" + hh_mm_ss + "-04:00");
  REQUIRE(t);
  return *t;
}

}  // namespace cmetrack::kiosk::test

// Failures print "duplicate == checked_out", not "2 == 1".
namespace Catch {
template <>
struct StringMaker<cmetrack::kiosk::scan_result> {
  static std::string convert(cmetrack::kiosk::scan_result r) { return std::string(cmetrack::kiosk::to_string(r)); }
};
}  // namespace Catch
