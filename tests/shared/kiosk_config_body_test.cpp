// The kiosk config body (shared/kiosk_config_body.h): a meeting file cut to
// one room, which a kiosk reads back with parse_meeting.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "shared/kiosk_config_body.h"
#include "shared/meeting_import.h"

using namespace cmetrack;

namespace {

meeting worked() {
  auto m = read_meeting_file(std::string(CMETRACK_TEST_DATA) + "/worked_example.json");
  REQUIRE(m);
  return std::move(m->meeting);
}

const session* find_session(const meeting& m, std::string_view id) {
  for (const auto& s : m.sessions)
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("kiosk config body: encode, parse_meeting, and the room, sessions, breaks, rules, pattern and first names "
          "come back",
          "[kiosk-config]") {
  auto m = worked();
  m.rules.rounding = rounding_policy::floor_quarter;  // not the default, so it must travel
  m.rules.debounce = 20 * ms_per_second;
  m.rules.arrival_window = 45 * ms_per_minute;
  m.rules.exit_grace = 12 * ms_per_minute;
  const auto body = kiosk_config_body(m, "A", {"K1", "A", "north", "entry"});
  auto parsed = parse_meeting(body, "kiosk config");
  REQUIRE(parsed);
  CHECK(parsed->warnings == std::vector<std::string>{"kiosk config: kiosk: unknown field, ignored"});
  const auto& k = parsed->meeting;
  CHECK(k.id == m.id);
  CHECK(k.name == m.name);
  CHECK(k.timezone == m.timezone);
  CHECK(k.max_quarters == m.max_quarters);
  CHECK(k.badge_pattern == m.badge_pattern);
  CHECK(k.rules.rounding == rounding_policy::floor_quarter);
  CHECK(k.rules.missing_exit == m.rules.missing_exit);
  CHECK(k.rules.debounce == 20 * ms_per_second);
  CHECK(k.rules.block_gap == m.rules.block_gap);
  CHECK(k.rules.arrival_window == 45 * ms_per_minute);
  CHECK(k.rules.exit_grace == 12 * ms_per_minute);
  REQUIRE(k.rooms.size() == 1);
  CHECK(k.rooms[0].id == "A");
  CHECK(k.rooms[0].name == "Ballroom A");
  CHECK(k.rooms[0].capacity == 1200);

  REQUIRE(k.sessions.size() == 2);  // S1 and S2; S3 is room B's
  for (const char* id : {"S1", "S2"}) {
    const auto* a = find_session(m, id);
    const auto* b = find_session(k, id);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->title == a->title);
    CHECK(b->start == a->start);
    CHECK(b->end == a->end);
    CHECK(b->credit_quarters == a->credit_quarters);
    CHECK(b->patient_safety_quarters == a->patient_safety_quarters);
    CHECK(b->breaks == a->breaks);
    CHECK(b->block_end == a->block_end);
  }
  CHECK(find_session(k, "S1")->breaks.size() == 1);
  CHECK_FALSE(find_session(k, "S3"));

  REQUIRE(k.attendees.size() == m.attendees.size());
  for (std::size_t i = 0; i < k.attendees.size(); ++i) {
    CHECK(k.attendees[i].badge == m.attendees[i].badge);
    CHECK(k.attendees[i].first_name == m.attendees[i].first_name);
    CHECK(k.attendees[i].last_name == "-");
    CHECK_FALSE(k.attendees[i].degree.has_value());
  }
  CHECK(body.find("Doe") == std::string::npos);  // no last names travel

  const auto doc = nlohmann::json::parse(body);
  CHECK(doc.at("kiosk") == nlohmann::json({{"id", "K1"}, {"room", "A"}, {"door", "north"}, {"mode", "entry"}}));
}

TEST_CASE("kiosk config body: the same meeting gives the same bytes -- a change gives others", "[kiosk-config]") {
  auto m = worked();
  const kiosk_identity who{"K2", "B", "main", "auto"};
  const auto one = kiosk_config_body(m, "B", who);
  CHECK(kiosk_config_body(m, "B", who) == one);
  m.attendees[0].first_name = "Janet";
  CHECK(kiosk_config_body(m, "B", who) != one);
  auto parsed = parse_meeting(one, "kiosk config");
  REQUIRE(parsed);
  REQUIRE(parsed->meeting.sessions.size() == 1);
  CHECK(parsed->meeting.sessions[0].id == "S3");
}
