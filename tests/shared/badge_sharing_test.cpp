// Badge sharing (shared/badge_sharing.h), rule by rule: which pairs of one
// badge's scans are flagged for staff, that the credit stays exactly as it
// was, and how the meeting file's "badge_sharing" object is read.
// The meeting: Ballroom A and Ballroom B side by side, Room F a walk away
// (300 s from A); at least 60 s between any two rooms.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "shared/badge_sharing.h"
#include "shared/credit.h"
#include "tests/shared/fixtures.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {

std::string meeting_json(const std::string& sharing) {
  return R"({"meeting": {"id": "M", "name": "M", "timezone": "America/New_York", "max_credits": 10},
    "badge": {"pattern": "^([0-9]+)$"},
    "rooms": [{"id": "A", "name": "Ballroom A", "capacity": 100}, {"id": "B", "name": "Ballroom B", "capacity": 100},
              {"id": "F", "name": "Room F", "capacity": 50}],
    "sessions": [
      {"id": "SA", "room": "A", "title": "A", "start": "2026-04-24T08:00:00-04:00", "end": "2026-04-24T12:00:00-04:00", "credits": 4},
      {"id": "SB", "room": "B", "title": "B", "start": "2026-04-24T08:00:00-04:00", "end": "2026-04-24T12:00:00-04:00", "credits": 4},
      {"id": "SF", "room": "F", "title": "F", "start": "2026-04-24T08:00:00-04:00", "end": "2026-04-24T12:00:00-04:00", "credits": 4}]
    )" + (sharing.empty() ? std::string() : ", \"badge_sharing\": " + sharing) + "}";
}

const std::string sharing_file = R"({"min_seconds_between_rooms": 60, "walk_seconds": [{"from": "A", "to": "F", "seconds": 300}]})";

meeting read(const std::string& sharing) {
  auto r = parse_meeting(meeting_json(sharing), "m.json");
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.has_value());
  CHECK(r->warnings.empty());
  return r->meeting;
}

std::string read_error(const std::string& sharing) {
  auto r = parse_meeting(meeting_json(sharing), "m.json");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == error_kind::bad_input);
  return r.error().message;
}

// "10:02:10 in A" lines; each scan from its own kiosk where `kiosk` says so.
std::vector<sharing_event> events_of(const meeting& m, const std::vector<scan_line>& lines,
                                     const std::string& now = "23:00") {
  auto scans = scans_of(m, lines);
  return find_badge_sharing(m, scans, at(now));
}

}  // namespace

TEST_CASE("sharing: one room through two doors moments apart is no event", "[sharing]") {
  const auto m = read(sharing_file);
  auto scans = scans_of(m, {{"10:00:00", "in", "A"}, {"10:00:05", "out", "A"}, {"10:00:07", "in", "A"}});
  scans[1].kiosk = "A-north";  // the other door's kiosk
  CHECK(find_badge_sharing(m, scans, at("23:00")).empty());
}

TEST_CASE("sharing: two rooms 30 s apart where 60 s are required is an event, with both scans", "[sharing]") {
  const auto m = read(sharing_file);
  const auto e = events_of(m, {{"10:00:00", "in", "A"}, {"10:02:10", "in", "B"}, {"10:02:40", "in", "A"}});
  REQUIRE(e.size() == 1);
  CHECK(m.rooms[static_cast<std::size_t>(e[0].first.room)].id == "B");
  CHECK(m.rooms[static_cast<std::size_t>(e[0].second.room)].id == "A");
  CHECK(e[0].first.at == at("10:02:10"));
  CHECK(e[0].second.at == at("10:02:40"));
  CHECK(e[0].gap == 30'000);
  CHECK(e[0].required == 60'000);
}

TEST_CASE("sharing: a gap exactly at the bound is no event, a millisecond less is one", "[sharing]") {
  const auto m = read(sharing_file);
  CHECK(events_of(m, {{"10:00:00", "in", "A"}, {"10:01:00", "in", "B"}}).empty());
  auto scans = scans_of(m, {{"10:00:00", "in", "A"}, {"10:01:00", "in", "B"}});
  scans[1].at -= 1;
  const auto e = find_badge_sharing(m, scans, at("23:00"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].gap == 59'999);
}

TEST_CASE("sharing: a walk longer than the minimum applies to its pair only, both ways", "[sharing]") {
  const auto m = read(sharing_file);
  CHECK(required_between(m.sharing, m.room_index("A"), m.room_index("F")) == 300'000);
  CHECK(required_between(m.sharing, m.room_index("F"), m.room_index("A")) == 300'000);
  CHECK(required_between(m.sharing, m.room_index("A"), m.room_index("B")) == 60'000);
  CHECK(required_between(m.sharing, m.room_index("B"), m.room_index("F")) == 60'000);
  CHECK(required_between(m.sharing, m.room_index("A"), m.room_index("A")) == 0);

  SECTION("A then F two minutes apart") {
    const auto e = events_of(m, {{"10:00:00", "in", "A"}, {"10:02:00", "in", "F"}});
    REQUIRE(e.size() == 1);
    CHECK(e[0].required == 300'000);
    CHECK(e[0].gap == 120'000);
  }
  SECTION("F then A two minutes apart") {
    const auto e = events_of(m, {{"10:00:00", "in", "F"}, {"10:02:00", "in", "A"}});
    REQUIRE(e.size() == 1);
    CHECK(e[0].required == 300'000);
  }
  SECTION("A then B, B then F two minutes apart: 60 s is enough there") {
    CHECK(events_of(m, {{"10:00:00", "in", "A"}, {"10:02:00", "in", "B"}, {"10:04:00", "in", "F"}}).empty());
  }
  SECTION("A then F five minutes apart: walked") {
    CHECK(events_of(m, {{"10:00:00", "in", "A"}, {"10:05:00", "in", "F"}}).empty());
  }
}

TEST_CASE("sharing: off where the meeting file has no badge_sharing", "[sharing]") {
  const auto m = read("");
  CHECK_FALSE(m.sharing.enabled());
  CHECK(events_of(m, {{"10:00:00", "in", "A"}, {"10:00:01", "in", "F"}, {"10:00:02", "in", "B"}}).empty());
  CHECK(badge_sharing_json(m).empty());
  CHECK_FALSE(read("{}").sharing.enabled());
}

TEST_CASE("sharing: scans are taken in processing order, and those after now are not seen yet", "[sharing]") {
  const auto m = read(sharing_file);
  // Given out of order (as they may arrive): A 10:00:00, B 10:00:30.
  auto scans = scans_of(m, {{"10:00:30", "in", "B"}, {"10:00:00", "in", "A"}});
  CHECK(find_badge_sharing(m, scans, at("10:00:10")).empty());
  const auto e = find_badge_sharing(m, scans, at("10:00:30"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].first.at == at("10:00:00"));
}

TEST_CASE("sharing: the engine's credit and flags are the same with the rules as without", "[sharing]") {
  const auto with = read(sharing_file);
  const auto without = read("");
  const std::vector<scan_line> day = {{"08:00", "in", "A"},    {"08:00:30", "in", "F"}, {"09:00", "out", "F"},
                                      {"09:00:20", "in", "B"}, {"10:30", "out", "B"},   {"10:30:10", "in", "A"}};
  auto a_with = attend_lines(with, day);
  auto a_without = attend_lines(without, day);
  const auto c_with = credit(with, a_with);
  const auto c_without = credit(without, a_without);
  CHECK(a_with.stays == a_without.stays);
  CHECK(a_with.flags == a_without.flags);
  REQUIRE(c_with.sessions.size() == c_without.sessions.size());
  for (std::size_t i = 0; i < c_with.sessions.size(); ++i) {
    CHECK(c_with.sessions[i].session == c_without.sessions[i].session);
    CHECK(c_with.sessions[i].attended_seconds == c_without.sessions[i].attended_seconds);
    CHECK(c_with.sessions[i].quarters == c_without.sessions[i].quarters);
  }
  CHECK(c_with.total_quarters == c_without.total_quarters);
  CHECK(c_with.total_quarters > 0);
  // ... while the rules see three events in that day.
  CHECK(events_of(with, day).size() == 3);
}

TEST_CASE("sharing: the meeting file's badge_sharing is read, and written back the same", "[sharing][meeting]") {
  const auto m = read(sharing_file);
  CHECK(m.sharing.min_between_rooms == 60'000);
  REQUIRE(m.sharing.walks.size() == 1);
  CHECK(m.sharing.walks[0] == walk_time{m.room_index("A"), m.room_index("F"), 300'000});
  std::vector<std::string> warnings;
  const auto again = parse_badge_sharing(badge_sharing_json(m), m, warnings);
  REQUIRE(again.has_value());
  CHECK(*again == m.sharing);
  CHECK(warnings.empty());
  // Walks only, no minimum: on.
  const auto walks_only = read(R"({"walk_seconds": [{"from": "B", "to": "F", "seconds": 120}]})");
  CHECK(walks_only.sharing.enabled());
  CHECK(walks_only.sharing.min_between_rooms == 0);
}

TEST_CASE("sharing: a bad badge_sharing is refused naming the field", "[sharing][meeting]") {
  const auto walks = [](const std::string& second) {
    return R"({"walk_seconds": [{"from": "A", "to": "F", "seconds": 300}, )" + second + "]}";
  };
  CHECK_THAT(read_error(walks(R"({"from": "A", "to": "Z", "seconds": 300})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].to: no room \"Z\"") &&
                 Catch::Contains("A, B, F"));
  CHECK_THAT(read_error(walks(R"({"to": "B", "seconds": 300})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].from: missing"));
  CHECK_THAT(read_error(walks(R"({"from": "A", "to": "B", "seconds": 0})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].seconds: 0 is not between 1 and 86400"));
  CHECK_THAT(read_error(walks(R"({"from": "A", "to": "B", "seconds": "300"})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].seconds: must be a whole number"));
  CHECK_THAT(read_error(walks(R"({"from": "A", "to": "B", "seconds": 2.5})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].seconds: must be a whole number"));
  CHECK_THAT(read_error(walks(R"({"from": "A", "to": "B"})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].seconds: missing"));
  CHECK_THAT(read_error(walks(R"({"from": "B", "to": "B", "seconds": 30})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1].to: a walk joins two different rooms"));
  CHECK_THAT(read_error(walks(R"({"from": "F", "to": "A", "seconds": 200})")),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds[1]: the walk between \"F\" and \"A\" is given "
                               "already in walk_seconds[0]"));
  CHECK_THAT(read_error(walks("\"A-F\"")), Catch::StartsWith("m.json: badge_sharing.walk_seconds[1]: must be an object"));
  CHECK_THAT(read_error(R"({"min_seconds_between_rooms": -5})"),
             Catch::StartsWith("m.json: badge_sharing.min_seconds_between_rooms: -5 is not between 1"));
  CHECK_THAT(read_error(R"({"walk_seconds": {"from": "A"}})"),
             Catch::StartsWith("m.json: badge_sharing.walk_seconds: must be an array"));
  CHECK_THAT(read_error("60"), Catch::StartsWith("m.json: badge_sharing: must be an object"));
}

TEST_CASE("sharing: an unknown field in badge_sharing is ignored with a warning naming it", "[sharing][meeting]") {
  auto r = parse_meeting(
      meeting_json(R"({"min_seconds_between_rooms": 60, "max_speed": 2,
                       "walk_seconds": [{"from": "A", "to": "F", "seconds": 300, "stairs": true}]})"),
      "m.json");
  REQUIRE(r.has_value());
  CHECK(r->warnings == std::vector<std::string>{"m.json: badge_sharing.max_speed: unknown field, ignored",
                                                "m.json: badge_sharing.walk_seconds[0].stairs: unknown field, ignored"});
  CHECK(r->meeting.sharing.min_between_rooms == 60'000);
}
