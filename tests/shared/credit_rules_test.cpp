// docs/rules.md, "From stays to credit", and the meeting's policies: a table
// for each, over the worked example's meeting unless a row changes a rule.
#include "tests/shared/fixtures.h"

using namespace cmetrack;
using namespace cmetrack::test;

TEST_CASE("quarters: nearest_quarter rounds a tie down, floor_quarter floors", "[credit]") {
  struct row {
    std::int64_t seconds;
    int nearest, floor;
  };
  const std::vector<row> table = {
      {0, 0, 0},        {449, 0, 0},      {450, 0, 0},  // exactly half a quarter: down
      {451, 1, 0},      {899, 1, 0},      {900, 1, 1},       {1349, 1, 1},
      {1350, 1, 1},     // 1.5 quarters: down
      {1351, 2, 1},     {3900, 4, 4},     {2400, 3, 2},      {3300, 4, 3},
  };
  for (const auto& r : table) {
    INFO(r.seconds << " s");
    CHECK(quarters_for(r.seconds, rounding_policy::nearest_quarter) == r.nearest);
    CHECK(quarters_for(r.seconds, rounding_policy::floor_quarter) == r.floor);
  }
}

TEST_CASE("credit per session", "[credit]") {
  auto m = worked_example_meeting();
  struct row {
    std::string name;
    std::vector<scan_line> scans;
    std::string session;
    std::int64_t seconds;
    int quarters;
    int patient_safety_quarters;
  };
  const std::vector<row> table = {
      {"time outside the session earns nothing: 07:00-08:15 gives 15 min of S1",
       {{"07:40", "in", "A"}, {"08:15", "out", "A"}}, "S1", 900, 1, 0},
      {"a break earns nothing: 08:40-09:00 is 20 min less the 10-min break",
       {{"08:40", "in", "A"}, {"09:00", "out", "A"}}, "S1", 600, 1, 0},
      {"inside the break only: no attended time, no session listed",
       {{"08:46", "in", "A"}, {"08:54", "out", "A"}}, "S1", 0, 0, 0},
      {"credit never exceeds the designation: the whole of S1 is 1.25",
       {{"07:45", "in", "A"}, {"09:45", "out", "A"}}, "S1", 80 * 60, 5, 2},
      {"patient safety: 0.25 x floor(4 x 0.75 x 0.5 / 1.25) = 0.25",
       {{"08:00", "in", "A"}, {"08:45", "out", "A"}}, "S1", 45 * 60, 3, 1},
      {"patient safety: 0.25 x floor(4 x 0.50 x 0.5 / 1.25) = 0.25 x floor(0.8) = 0",
       {{"08:00", "in", "A"}, {"08:30", "out", "A"}}, "S1", 30 * 60, 2, 0},
      {"minutes are whole minutes, floored: 44 min 59 s",
       {{"10:00:00", "in", "A"}, {"10:44:59", "out", "A"}}, "S2", 44 * 60 + 59, 3, 0},
  };
  for (const auto& r : table) {
    DYNAMIC_SECTION(r.name) {
      const auto c = credit(m, attend_lines(m, r.scans));
      CHECK(seconds_in(m, c, r.session) == r.seconds);
      CHECK(quarters_in(m, c, r.session) == r.quarters);
      int ps = 0;
      for (const auto& s : c.sessions) {
        if (m.sessions[static_cast<std::size_t>(s.session)].id == r.session) {
          ps = s.patient_safety_quarters;
          CHECK(s.minutes == s.attended_seconds / 60);
        }
      }
      CHECK(ps == r.patient_safety_quarters);
      if (r.seconds == 0) CHECK(c.sessions.empty());
    }
  }
}

TEST_CASE("policy rounding: floor_quarter gives less than nearest_quarter for 40 min", "[credit][policy]") {
  auto m = worked_example_meeting();
  const std::vector<scan_line> scans = {{"09:20", "in", "B"}, {"10:00", "out", "B"}};  // 40 min of S3
  CHECK(quarters_in(m, credit(m, attend_lines(m, scans)), "S3") == 3);
  m.rules.rounding = rounding_policy::floor_quarter;
  CHECK(quarters_in(m, credit(m, attend_lines(m, scans)), "S3") == 2);
}

TEST_CASE("policy missing_exit: session_end credits up to the session's end, none discards the stay",
          "[credit][policy]") {
  auto m = worked_example_meeting();
  const std::vector<scan_line> scans = {{"08:00", "in", "A"}, {"09:10", "in", "B"}};  // B: no exit
  const auto session_end = credit(m, attend_lines(m, scans));
  CHECK(quarters_in(m, session_end, "S1") == 4);  // 70 min less the break = 60 min
  CHECK(quarters_in(m, session_end, "S3") == 3);  // 09:10-10:00, 50 min -> 3.33 -> 3
  CHECK(session_end.total_quarters == 7);

  m.rules.missing_exit = missing_exit_policy::none;
  const auto none = credit(m, attend_lines(m, scans));
  CHECK(quarters_in(m, none, "S1") == 4);  // closed by an implicit exit: kept
  CHECK(quarters_in(m, none, "S3") == 0);  // closed for want of an exit: discarded
  CHECK(none.total_quarters == 4);
  CHECK(none.flags.has(flag::missing_exit));  // still raised for review
}

TEST_CASE("policy debounce_seconds and block_gap_minutes come from the meeting", "[credit][policy]") {
  auto m = worked_example_meeting();
  m.rules.debounce = 0;
  auto a = attend_lines(m, {{"08:00:00", "auto", "A"}, {"08:00:05", "auto", "A"}});
  CHECK_FALSE(a.flags.has(flag::duplicate));
  CHECK(a.stays.size() == 1);
  CHECK(a.stays[0].end == at("08:00:05"));

  m.rules.block_gap = 20 * ms_per_minute;  // S1 and S2 (30 min apart) are two blocks now
  index_sessions(m);
  a = attend_lines(m, {{"08:00", "in", "A"}, {"10:30", "out", "A"}});
  CHECK(a.stays.at(0).end == at("09:30"));  // stale at 10:30: S1's block ended at 09:30
  CHECK(a.flags.has(flag::missing_exit));
}

TEST_CASE("meeting_cap: the total stops at the meeting maximum, patient safety never above it", "[credit][flags]") {
  auto m = worked_example_meeting();
  m.max_quarters = 6;  // 1.50
  const auto c = credit(m, attend_lines(m, {{"07:58", "in", "A"}, {"10:50", "out", "A"}}));  // 2.00 earned
  CHECK(c.total_quarters == 6);
  CHECK(c.flags.has(flag::meeting_cap));
  CHECK(c.total_patient_safety_quarters == 2);

  m.max_quarters = 1;
  const auto tiny = credit(m, attend_lines(m, {{"07:58", "in", "A"}, {"10:50", "out", "A"}}));
  CHECK(tiny.total_quarters == 1);
  CHECK(tiny.total_patient_safety_quarters == 1);  // 2 earned, capped by the total

  m.max_quarters = 203;
  CHECK_FALSE(credit(m, attend_lines(m, {{"07:58", "in", "A"}, {"10:50", "out", "A"}})).flags.has(flag::meeting_cap));
}

TEST_CASE("in_progress: an open stay is credited up to now", "[credit][flags]") {
  const auto m = worked_example_meeting();
  const auto c = credit(m, attend_lines(m, {{"08:00", "in", "A"}}, "08:40"));
  CHECK(seconds_in(m, c, "S1") == 40 * 60);
  CHECK(quarters_in(m, c, "S1") == 3);
  CHECK(c.flags.names() == std::vector<std::string_view>{"in_progress"});
}

TEST_CASE("a session designated for no credit earns none, and no patient safety", "[credit]") {
  auto m = worked_example_meeting();
  for (auto& s : m.sessions)
    if (s.id == "S3") s.credit_quarters = 0;
  const auto c = credit(m, attend_lines(m, {{"09:00", "in", "B"}, {"10:00", "out", "B"}}));
  CHECK(seconds_in(m, c, "S3") == 3600);
  CHECK(quarters_in(m, c, "S3") == 0);
  CHECK(c.total_quarters == 0);
}
