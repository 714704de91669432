// The worked example of docs/rules.md through the CLI: init, ingest, then
// every figure of the four attendees' transcripts, and the live room counts.
#include <catch2/catch.hpp>

#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
using nlohmann::json;
namespace t = cmetrack::test;

TEST_CASE("worked example: attendee 1's transcript after 11:00 is the worked example's", "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  // S1: 08:00-08:40 and 08:50-09:20 less the break's 08:50-08:55 = 65 min;
  // S3: 09:20-10:00 (missing exit); S2: 10:05-11:00 (missing exit).
  const auto expected = json::parse(R"({
    "meeting": "TAM26", "badge": "000001", "name": "Jane Doe",
    "sessions": [
      {"session": "S1", "title": "Safety in body contouring", "attended_seconds": 3900, "minutes": 65,
       "credits": 1.0, "patient_safety_credits": 0.25},
      {"session": "S3", "title": "Breast implant illness", "attended_seconds": 2400, "minutes": 40,
       "credits": 0.75, "patient_safety_credits": 0.0},
      {"session": "S2", "title": "Fat grafting outcomes", "attended_seconds": 3300, "minutes": 55,
       "credits": 1.0, "patient_safety_credits": 0.0}
    ],
    "total_credits": 2.75, "total_patient_safety_credits": 0.25,
    "flags": ["duplicate", "implicit_exit", "missing_exit"],
    "claims": null, "corrections": [], "sharing": []})");
  CHECK(t::transcript(data, "000001") == expected);
}

TEST_CASE("worked example: attendee 2's transcript after 11:00 is the worked example's", "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  // One stay, 07:58-10:50, closed by the exit scan inside the block.
  const auto expected = json::parse(R"({
    "meeting": "TAM26", "badge": "000002", "name": "Ravi Shah",
    "sessions": [
      {"session": "S1", "title": "Safety in body contouring", "attended_seconds": 4800, "minutes": 80,
       "credits": 1.25, "patient_safety_credits": 0.5},
      {"session": "S2", "title": "Fat grafting outcomes", "attended_seconds": 3000, "minutes": 50,
       "credits": 0.75, "patient_safety_credits": 0.0}
    ],
    "total_credits": 2.0, "total_patient_safety_credits": 0.5,
    "flags": [], "claims": null, "corrections": [], "sharing": []})");
  CHECK(t::transcript(data, "000002") == expected);
}

TEST_CASE("worked example: attendee 3's exit six minutes after the block is within the exit grace",
          "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  // One stay, 07:58-11:00: the exit at 11:06 closes it at the block bound.
  const auto expected = json::parse(R"({
    "meeting": "TAM26", "badge": "000030", "name": "Mei Chen",
    "sessions": [
      {"session": "S1", "title": "Safety in body contouring", "attended_seconds": 4800, "minutes": 80,
       "credits": 1.25, "patient_safety_credits": 0.5},
      {"session": "S2", "title": "Fat grafting outcomes", "attended_seconds": 3600, "minutes": 60,
       "credits": 1.0, "patient_safety_credits": 0.0}
    ],
    "total_credits": 2.25, "total_patient_safety_credits": 0.5,
    "flags": [], "claims": null, "corrections": [], "sharing": []})");
  CHECK(t::transcript(data, "000030") == expected);
}

TEST_CASE("worked example: attendee 4 arrived 50 minutes early, within the arrival window",
          "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  // In at B 08:10, out 09:40: the stay belongs to S3, 09:00-09:40.
  const auto expected = json::parse(R"({
    "meeting": "TAM26", "badge": "000040", "name": "Omar Haddad",
    "sessions": [
      {"session": "S3", "title": "Breast implant illness", "attended_seconds": 2400, "minutes": 40,
       "credits": 0.75, "patient_safety_credits": 0.0}
    ],
    "total_credits": 0.75, "total_patient_safety_credits": 0.0,
    "flags": [], "claims": null, "corrections": [], "sharing": []})");
  CHECK(t::transcript(data, "000040") == expected);
}

TEST_CASE("worked example: a transcript made at 10:30 credits open stays up to then, flagged in_progress",
          "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  const std::string at_10_30 = "2026-04-24T14:30:00Z";

  const auto one = t::transcript(data, "000001", at_10_30);
  CHECK(one.at("sessions").size() == 3);
  CHECK(one.at("sessions").at(2) == json::parse(R"({"session": "S2", "title": "Fat grafting outcomes",
      "attended_seconds": 1500, "minutes": 25, "credits": 0.5, "patient_safety_credits": 0.0})"));
  CHECK(one.at("total_credits") == 2.25);
  CHECK(one.at("total_patient_safety_credits") == 0.25);
  CHECK(one.at("flags") == json::parse(R"(["duplicate", "implicit_exit", "in_progress", "missing_exit"])"));

  const auto two = t::transcript(data, "000002", at_10_30);
  CHECK(two.at("sessions") == json::parse(R"([
      {"session": "S1", "title": "Safety in body contouring", "attended_seconds": 4800, "minutes": 80,
       "credits": 1.25, "patient_safety_credits": 0.5},
      {"session": "S2", "title": "Fat grafting outcomes", "attended_seconds": 1800, "minutes": 30,
       "credits": 0.5, "patient_safety_credits": 0.0}])"));
  CHECK(two.at("total_credits") == 1.75);
  CHECK(two.at("total_patient_safety_credits") == 0.5);
  CHECK(two.at("flags") == json::parse(R"(["in_progress"])"));
}

namespace {

// rooms --json as the contract prints it, for the worked example's two rooms.
json room_counts(int present_a, const char* session_a, int present_b, const char* session_b) {
  auto session = [](const char* id) { return id ? json(id) : json(nullptr); };
  return json::array({
      {{"room", "A"}, {"name", "Ballroom A"}, {"capacity", 1200}, {"present", present_a}, {"session", session(session_a)}},
      {{"room", "B"}, {"name", "Ballroom B"}, {"capacity", 400}, {"present", present_b}, {"session", session(session_b)}},
  });
}

// rooms --json cut to the contract's fields (the dashboard's additions are
// checked on their own below).
json contract_rooms(const json& rooms) {
  auto out = json::array();
  for (const auto& r : rooms)
    out.push_back({{"room", r.at("room")}, {"name", r.at("name")}, {"capacity", r.at("capacity")},
                   {"present", r.at("present")}, {"session", r.at("session")}});
  return out;
}

}  // namespace

TEST_CASE("worked example: rooms --json adds the session now and next and attendance so far",
          "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  // 09:30 EDT: S1 has just ended (both attended it); S2 is next in A; S3 runs in B.
  const auto rooms = t::rooms(data, "2026-04-24T13:30:00Z");
  CHECK(rooms[0]["session_title"].is_null());
  CHECK(rooms[0]["next_session"] ==
        json::parse(R"({"session": "S2", "title": "Fat grafting outcomes", "starts": "2026-04-24T14:00:00.000Z"})"));
  CHECK(rooms[0]["attendance"] == json::parse(R"([{"session": "S1", "title": "Safety in body contouring",
      "starts": "2026-04-24T12:00:00.000Z", "ends": "2026-04-24T13:30:00.000Z", "attendees": 3}])"));
  CHECK(rooms[1]["session_title"] == "Breast implant illness");
  CHECK(rooms[1]["session_ends"] == "2026-04-24T14:00:00.000Z");
  CHECK(rooms[1]["next_session"].is_null());
  CHECK(rooms[1]["attendance"][0]["attendees"] == 2);  // attendees 1 and 4
}

TEST_CASE("worked example: rooms --json --now gives each room's present count and running session",
          "[central][cli][worked_example]") {
  temp_dir dir;
  const auto data = t::worked_store_four(dir);
  // Times are UTC; the meeting's are EDT (UTC-4).
  SECTION("07:50, before anyone scanned in") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T11:50:00Z")) == room_counts(0, nullptr, 0, nullptr));
  }
  SECTION("08:10, attendees 1-3 inside A during S1; attendee 4 in B, early for S3") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T12:10:00Z")) == room_counts(3, "S1", 1, nullptr));
  }
  SECTION("08:42, attendee 1 has scanned out of A") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T12:42:00Z")) == room_counts(2, "S1", 1, nullptr));
  }
  SECTION("09:30, S1 has just ended; attendees 1 and 4 are in B during S3") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T13:30:00Z")) == room_counts(2, nullptr, 2, "S3"));
  }
  SECTION("10:02, attendee 1's stay in B is past its block bound, within the exit grace: still counted") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T14:02:00Z")) == room_counts(2, "S2", 1, nullptr));
  }
  SECTION("10:20, attendees 1-3 inside A during S2") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T14:20:00Z")) == room_counts(3, "S2", 0, nullptr));
  }
  SECTION("11:03, after the block, within the grace: attendees 1 and 3 have not scanned out yet") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T15:03:00Z")) == room_counts(2, nullptr, 0, nullptr));
  }
  SECTION("11:10, attendee 3 has scanned out; attendee 1 is still within the grace") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T15:10:00Z")) == room_counts(1, nullptr, 0, nullptr));
  }
  SECTION("11:31, past the grace: nobody is present") {
    CHECK(contract_rooms(t::rooms(data, "2026-04-24T15:31:00Z")) == room_counts(0, nullptr, 0, nullptr));
  }
}
