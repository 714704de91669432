// The worked example of docs/rules.md, its four attendees, through the library.
#include "tests/shared/fixtures.h"

using namespace cmetrack;
using namespace cmetrack::test;

TEST_CASE("worked example, attendee 1: the table of scans, step by step", "[worked-example]") {
  const auto m = worked_example_meeting();
  const auto a = attend_lines(m, {{"07:55", "in", "A"},
                                  {"08:40:00", "auto", "A"},
                                  {"08:40:05", "auto", "A"},
                                  {"08:50", "in", "A"},
                                  {"09:20", "in", "B"},
                                  {"10:05", "in", "A"}});
  const int A = m.room_index("A"), B = m.room_index("B");
  REQUIRE(a.stays.size() == 4);
  CHECK(a.stays[0] == stay{A, at("07:55"), at("08:40"), a.stays[0].session, false, false, true});
  CHECK(a.stays[1] == stay{A, at("08:50"), at("09:20"), a.stays[1].session, false, false});
  CHECK(a.stays[2] == stay{B, at("09:20"), at("10:00"), a.stays[2].session, true, false});
  CHECK(a.stays[3] == stay{A, at("10:05"), at("11:00"), a.stays[3].session, true, false});
  CHECK(m.sessions[static_cast<std::size_t>(a.stays[0].session)].id == "S1");
  CHECK(m.sessions[static_cast<std::size_t>(a.stays[2].session)].id == "S3");
  CHECK(m.sessions[static_cast<std::size_t>(a.stays[3].session)].id == "S2");
  CHECK(a.flags.names() == std::vector<std::string_view>{"duplicate", "implicit_exit", "missing_exit"});

  const auto c = credit(m, a);
  REQUIRE(c.sessions.size() == 3);
  // By start time: S1, S3, S2.
  CHECK(m.sessions[static_cast<std::size_t>(c.sessions[0].session)].id == "S1");
  CHECK(c.sessions[0] == session_credit{c.sessions[0].session, 3900, 65, 4, 1});
  CHECK(m.sessions[static_cast<std::size_t>(c.sessions[1].session)].id == "S3");
  CHECK(c.sessions[1] == session_credit{c.sessions[1].session, 2400, 40, 3, 0});
  CHECK(m.sessions[static_cast<std::size_t>(c.sessions[2].session)].id == "S2");
  CHECK(c.sessions[2] == session_credit{c.sessions[2].session, 3300, 55, 4, 0});
  CHECK(c.total_quarters == 11);               // 2.75
  CHECK(c.total_patient_safety_quarters == 1);  // 0.25
}

TEST_CASE("worked example, attendee 2: one stay closed by the exit scan inside the block", "[worked-example]") {
  const auto m = worked_example_meeting();
  const auto c = credit(m, attend_lines(m, {{"07:58", "in", "A"}, {"10:50", "out", "A"}}));
  CHECK(seconds_in(m, c, "S1") == 80 * 60);
  CHECK(quarters_in(m, c, "S1") == 5);
  CHECK(seconds_in(m, c, "S2") == 50 * 60);
  CHECK(quarters_in(m, c, "S2") == 3);
  CHECK(c.total_quarters == 8);                 // 2.00
  CHECK(c.total_patient_safety_quarters == 2);  // 0.50
  CHECK(c.flags.empty());
}

TEST_CASE("worked example, attendee 2 without the exit scan: S1 only, missing_exit", "[worked-example]") {
  const auto m = worked_example_meeting();
  const auto c = credit(m, attend_lines(m, {{"07:58", "in", "A"}}));
  CHECK(quarters_in(m, c, "S1") == 5);
  CHECK(quarters_in(m, c, "S2") == 0);
  CHECK(c.total_quarters == 5);
  CHECK(c.flags.names() == std::vector<std::string_view>{"missing_exit"});
}

TEST_CASE("worked example, attendee 3: an exit six minutes after the block, within the exit grace", "[worked-example]") {
  const auto m = worked_example_meeting();
  const auto a = attend_lines(m, {{"07:58", "in", "A"}, {"11:06", "out", "A"}});
  REQUIRE(a.stays.size() == 1);
  CHECK(a.stays[0].start == at("07:58"));
  CHECK(a.stays[0].end == at("11:00"));  // the block bound, not the exit
  CHECK_FALSE(a.stays[0].missing_exit);
  CHECK(a.stays[0].exited);
  const auto c = credit(m, a);
  CHECK(seconds_in(m, c, "S1") == 80 * 60);
  CHECK(quarters_in(m, c, "S1") == 5);
  CHECK(seconds_in(m, c, "S2") == 60 * 60);
  CHECK(quarters_in(m, c, "S2") == 4);
  CHECK(c.total_quarters == 9);                 // 2.25
  CHECK(c.total_patient_safety_quarters == 2);  // 0.50
  CHECK(c.flags.empty());
}

TEST_CASE("worked example, attendee 3 without the exit grace: S1 only, missing_exit", "[worked-example]") {
  auto m = worked_example_meeting();
  m.rules.exit_grace = 0;
  const auto c = credit(m, attend_lines(m, {{"07:58", "in", "A"}, {"11:06", "out", "A"}}));
  CHECK(quarters_in(m, c, "S1") == 5);
  CHECK(quarters_in(m, c, "S2") == 0);
  CHECK(c.flags.names() == std::vector<std::string_view>{"exit_without_entry", "missing_exit"});
}

TEST_CASE("worked example, attendee 4: in at B 50 minutes early, within the arrival window", "[worked-example]") {
  const auto m = worked_example_meeting();
  const auto a = attend_lines(m, {{"08:10", "in", "B"}, {"09:40", "out", "B"}});
  REQUIRE(a.stays.size() == 1);
  REQUIRE(a.stays[0].session >= 0);
  CHECK(m.sessions[static_cast<std::size_t>(a.stays[0].session)].id == "S3");
  const auto c = credit(m, a);
  CHECK(seconds_in(m, c, "S3") == 40 * 60);
  CHECK(quarters_in(m, c, "S3") == 3);
  CHECK(c.total_quarters == 3);  // 0.75
  CHECK(c.total_patient_safety_quarters == 0);
  CHECK(c.flags.empty());
}
