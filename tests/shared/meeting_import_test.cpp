// The meeting file through the library: what is read, and how a fault is
// named. (The command line's rejections are tested in tests/sync/central.)
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "shared/meeting_import.h"
#include "tests/shared/fixtures.h"

using namespace cmetrack;

TEST_CASE("the worked example's meeting reads with its rules, sessions, breaks and blocks", "[meeting]") {
  const auto m = test::worked_example_meeting();
  CHECK(m.id == "TAM26");
  CHECK(m.max_quarters == 203);
  CHECK(m.rules.debounce == 10'000);
  CHECK(m.rules.block_gap == 30 * 60'000);
  CHECK(m.rules.arrival_window == 60 * 60'000);
  CHECK(m.rules.exit_grace == 30 * 60'000);
  REQUIRE(m.sessions.size() == 3);
  const auto& s1 = m.sessions[static_cast<std::size_t>(m.session_at(m.room_index("A"), test::at("08:30")))];
  CHECK(s1.id == "S1");
  CHECK(s1.credit_quarters == 5);
  CHECK(s1.patient_safety_quarters == 2);
  CHECK(s1.breaks == std::vector<interval>{{test::at("08:45"), test::at("08:55")}});
  CHECK(s1.block_end == test::at("11:00"));  // S2 starts 30 min after S1 ends: one block
  const auto& s3 = m.sessions[static_cast<std::size_t>(m.session_at(m.room_index("B"), test::at("09:30")))];
  CHECK(s3.block_end == test::at("10:00"));
  CHECK(m.session_at(m.room_index("A"), test::at("09:45")) == -1);
}

TEST_CASE("defaults where rules, breaks, patient safety and attendees are left out", "[meeting]") {
  auto r = parse_meeting(R"({"meeting": {"id": "M", "name": "M", "timezone": "UTC", "max_credits": 3},
    "badge": {"pattern": "^([0-9]+)$"}, "rooms": [{"id": "A", "name": "A", "capacity": 10}],
    "sessions": [{"id": "S", "room": "A", "title": "T", "start": "2026-04-24T08:00:00Z",
                  "end": "2026-04-24T09:00:00Z", "credits": 1}]})",
                         "m.json");
  REQUIRE(r.has_value());
  CHECK(r->meeting.rules.rounding == rounding_policy::nearest_quarter);
  CHECK(r->meeting.rules.missing_exit == missing_exit_policy::session_end);
  CHECK(r->meeting.rules.debounce == 10'000);
  CHECK(r->meeting.rules.block_gap == 30 * 60'000);
  CHECK(r->meeting.rules.arrival_window == 60 * 60'000);
  CHECK(r->meeting.rules.exit_grace == 30 * 60'000);
  CHECK(r->meeting.attendees.empty());
  CHECK(r->warnings.empty());
}

TEST_CASE("an unknown field is ignored with a warning that names it", "[meeting]") {
  auto r = parse_meeting(R"({"meeting": {"id": "M", "name": "M", "timezone": "UTC", "max_credits": 3},
    "badge": {"pattern": "^([0-9]+)$"}, "rooms": [], "sessions": [], "colour": "blue"})",
                         "m.json");
  REQUIRE(r.has_value());
  CHECK(r->warnings == std::vector<std::string>{"m.json: colour: unknown field, ignored"});
}

TEST_CASE("malformed JSON is named by file, line and column", "[meeting]") {
  auto r = parse_meeting("{\n  \"meeting\": {\n    \"id\": \"M\",,\n", "bad.json");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == error_kind::bad_input);
  CHECK_THAT(r.error().message, Catch::StartsWith("bad.json:3:15: malformed JSON"));
}

// Found by tests/fuzz/fuzz_meeting_import: the JSON parser throws out_of_range,
// not parse_error, for a number no double holds, and it escaped the importer.
TEST_CASE("a number too large for a double is malformed JSON, named by file", "[meeting]") {
  auto r = parse_meeting(R"({"meeting": {"id": "M", "name": "M", "timezone": "UTC", "max_credits": 5555550000000e000000006874056000}})",
                         "big.json");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == error_kind::bad_input);
  CHECK(r.error().message == "big.json: malformed JSON: number overflow parsing '5555550000000e000000006874056000'");
}

TEST_CASE("arrival_window_minutes and exit_grace_minutes: 0 and 240 are read, as minutes", "[meeting]") {
  for (const int minutes : {0, 17, 240}) {
    auto r = parse_meeting(fmt::format(R"({{"meeting": {{"id": "M", "name": "M", "timezone": "UTC", "max_credits": 3,
        "rules": {{"arrival_window_minutes": {0}, "exit_grace_minutes": {1}}}}},
        "badge": {{"pattern": "^([0-9]+)$"}}, "rooms": [], "sessions": []}})",
                                       minutes, 240 - minutes),
                           "m.json");
    REQUIRE(r.has_value());
    CHECK(r->meeting.rules.arrival_window == minutes * 60'000);
    CHECK(r->meeting.rules.exit_grace == (240 - minutes) * 60'000);
    CHECK(r->warnings.empty());
  }
}
