// Rules 1-6 of docs/rules.md ("From scans to stays"), a table for each: the
// scans one attendee made, and the stays and flags that must come of them.
// The meeting is the worked example's: room A holds S1 08:00-09:30 and S2
// 10:00-11:00 (one block, ending 11:00); room B holds S3 09:00-10:00; the
// exit grace is 30 minutes and the arrival window 60 unless a table says.
#include <fmt/format.h>

#include "tests/shared/fixtures.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {

struct expected_stay {
  std::string room, start, end;
  bool missing_exit = false;
  bool open = false;
};

struct row {
  std::string name;
  std::vector<scan_line> scans;
  std::vector<expected_stay> stays;
  std::vector<std::string_view> flags;
  std::string now = "23:00";
};

// The worked example's meeting with its rules changed by `adjust`.
template <class Adjust>
meeting worked_example_with(Adjust adjust) {
  auto m = worked_example_meeting();
  adjust(m.rules);
  index_sessions(m);  // block bounds follow the block gap
  return m;
}

void check_rows(const std::vector<row>& table, const meeting& m = worked_example_meeting()) {
  for (const auto& r : table) {
    DYNAMIC_SECTION(r.name) {
      const auto a = attend_lines(m, r.scans, r.now);
      REQUIRE(a.stays.size() == r.stays.size());
      for (std::size_t i = 0; i < r.stays.size(); ++i) {
        INFO("stay " << i);
        CHECK(m.rooms[static_cast<std::size_t>(a.stays[i].room)].id == r.stays[i].room);
        CHECK(format_iso8601_utc(a.stays[i].start) == format_iso8601_utc(at(r.stays[i].start)));
        CHECK(format_iso8601_utc(a.stays[i].end) == format_iso8601_utc(at(r.stays[i].end)));
        CHECK(a.stays[i].missing_exit == r.stays[i].missing_exit);
        CHECK(a.stays[i].open == r.stays[i].open);
      }
      CHECK(a.flags.names() == r.flags);
    }
  }
}

}  // namespace

TEST_CASE("rule 1, debounce: a repeat within debounce_seconds is ignored", "[rules]") {
  check_rows({
      {"same room, same direction, 5 s later: duplicate",
       {{"08:00:00", "in", "A"}, {"08:00:05", "in", "A"}, {"08:30", "out", "A"}},
       {{"A", "08:00", "08:30"}},
       {"duplicate"}},
      {"9 s later is still within",
       {{"08:00:00", "auto", "A"}, {"08:00:09", "auto", "A"}},
       {{"A", "08:00", "09:30", true}},
       {"duplicate", "missing_exit"}},
      {"exactly 10 s later is a new scan: auto toggles out",
       {{"08:00:00", "auto", "A"}, {"08:00:10", "auto", "A"}},
       {{"A", "08:00:00", "08:00:10"}},
       {}},
      {"another direction is not a repeat",
       {{"08:00:00", "in", "A"}, {"08:00:03", "out", "A"}},
       {{"A", "08:00:00", "08:00:03"}},
       {}},
      {"another room is not a repeat",
       {{"09:00:00", "in", "A"}, {"09:00:03", "in", "B"}},
       {{"A", "09:00:00", "09:00:03"}, {"B", "09:00:03", "10:00", true}},
       {"implicit_exit", "missing_exit"}},
      {"measured from the last scan that was not ignored",
       {{"08:00:00", "auto", "A"}, {"08:00:06", "auto", "A"}, {"08:00:12", "auto", "A"}},
       {{"A", "08:00:00", "08:00:12"}},
       {"duplicate"}},
  });
}

TEST_CASE("rule 2, stale stay: with exit_grace_minutes 0, a stay past its block bound closes at its session bound",
          "[rules]") {
  check_rows(
      {
      {"in at B, next scan after B's block: closed at 10:00",
       {{"09:05", "in", "B"}, {"10:30", "in", "A"}},
       {{"B", "09:05", "10:00", true}, {"A", "10:30", "11:00", true}},
       {"missing_exit"}},
      {"in at A, next scan after A's block (11:00): closed at S1's end, not the block's",
       {{"08:10", "in", "A"}, {"11:30", "out", "A"}},
       {{"A", "08:10", "09:30", true}},
       {"exit_without_entry", "missing_exit"}},
      {"at exactly the block bound the stay is not stale yet: out at 11:00 closes at 11:00",
       {{"08:10", "in", "A"}, {"11:00", "out", "A"}},
       {{"A", "08:10", "11:00"}},
       {}},
      {"one second past the block bound it is: out at 11:00:01 finds the stay closed at 09:30",
       {{"08:10", "in", "A"}, {"11:00:01", "out", "A"}},
       {{"A", "08:10", "09:30", true}},
       {"exit_without_entry", "missing_exit"}},
      {"within the block bound the stay is not stale: out at 10:59 closes at 10:59",
       {{"08:10", "in", "A"}, {"10:59", "out", "A"}},
       {{"A", "08:10", "10:59"}},
       {}},
      {"a stay that found no session has bounds at its own start: the next scan closes it there",
       {{"12:00", "in", "A"}, {"12:20", "out", "A"}},
       {{"A", "12:00", "12:00", true}},
       {"exit_without_entry", "missing_exit"}},
      },
      worked_example_with([](rules& r) { r.exit_grace = 0; }));
}

TEST_CASE("rule 2, exit grace: an exit at the stay's own room within 30 min of its block bound", "[rules]") {
  check_rows({
      {"out at A 6 min after the block: the stay ends at the block bound, no flag",
       {{"08:10", "in", "A"}, {"11:06", "out", "A"}},
       {{"A", "08:10", "11:00"}},
       {}},
      {"auto at A within the grace is an exit too",
       {{"08:10", "in", "A"}, {"11:20", "auto", "A"}},
       {{"A", "08:10", "11:00"}},
       {}},
      {"at the grace's edge, 11:30:00, still covered",
       {{"08:10", "in", "A"}, {"11:30:00", "out", "A"}},
       {{"A", "08:10", "11:00"}},
       {}},
      {"one second past the edge, 11:30:01: stale, closed at S1's end",
       {{"08:10", "in", "A"}, {"11:30:01", "out", "A"}},
       {{"A", "08:10", "09:30", true}},
       {"exit_without_entry", "missing_exit"}},
      {"the scan is used up: a second exit after it is an exit without entry",
       {{"08:10", "in", "A"}, {"11:06", "out", "A"}, {"11:20", "out", "A"}},
       {{"A", "08:10", "11:00"}},
       {"exit_without_entry"}},
      {"in at the stay's own room within the grace is not covered: stale, and a stay without a session opens",
       {{"08:10", "in", "A"}, {"11:10", "in", "A"}},
       {{"A", "08:10", "09:30", true}, {"A", "11:10", "11:10", true}},
       {"missing_exit"}},
      {"out at another room within the grace is not covered",
       {{"09:05", "in", "B"}, {"10:10", "out", "A"}},
       {{"B", "09:05", "10:00", true}},
       {"exit_without_entry", "missing_exit"}},
      {"in at another room within the grace is not covered",
       {{"09:05", "in", "B"}, {"10:10", "in", "A"}},
       {{"B", "09:05", "10:00", true}, {"A", "10:10", "11:00", true}},
       {"missing_exit"}},
      {"a one-session block: out at B 20 min after S3 closes the stay at 10:00",
       {{"09:05", "in", "B"}, {"10:20", "out", "B"}},
       {{"B", "09:05", "10:00"}},
       {}},
      {"a stay that opened with no session: an exit within the grace closes it at its start, no flag",
       {{"12:00", "in", "A"}, {"12:20", "out", "A"}},
       {{"A", "12:00", "12:00"}},
       {}},
      {"a stay that opened with no session: an exit past the grace finds it stale",
       {{"12:00", "in", "A"}, {"12:31", "out", "A"}},
       {{"A", "12:00", "12:00", true}},
       {"exit_without_entry", "missing_exit"}},
  });
}

TEST_CASE("exit_grace_minutes: exits on both sides of the grace's edge, for several graces", "[rules]") {
  struct edge {
    int grace_minutes;
    std::string exit;
    std::vector<expected_stay> stays;
    std::vector<std::string_view> flags;
  };
  const std::vector<edge> table = {
      {0, "11:00:00", {{"A", "08:10", "11:00"}}, {}},
      {0, "11:00:01", {{"A", "08:10", "09:30", true}}, {"exit_without_entry", "missing_exit"}},
      {10, "11:10:00", {{"A", "08:10", "11:00"}}, {}},
      {10, "11:10:01", {{"A", "08:10", "09:30", true}}, {"exit_without_entry", "missing_exit"}},
      {60, "12:00:00", {{"A", "08:10", "11:00"}}, {}},
      {60, "12:00:01", {{"A", "08:10", "09:30", true}}, {"exit_without_entry", "missing_exit"}},
      {240, "15:00:00", {{"A", "08:10", "11:00"}}, {}},
      {240, "15:00:01", {{"A", "08:10", "09:30", true}}, {"exit_without_entry", "missing_exit"}},
  };
  for (const auto& e : table) {
    const auto m = worked_example_with([&](rules& r) { r.exit_grace = e.grace_minutes * ms_per_minute; });
    check_rows({{fmt::format("grace {} min, out at A at {}", e.grace_minutes, e.exit),
                 {{"08:10", "in", "A"}, {e.exit, "out", "A"}},
                 e.stays,
                 e.flags}},
               m);
  }
}

TEST_CASE("rule 3, auto: out when inside that room, else in", "[rules]") {
  check_rows({
      {"outside: auto is in", {{"08:00", "auto", "A"}, {"08:30", "out", "A"}}, {{"A", "08:00", "08:30"}}, {}},
      {"inside that room: auto is out", {{"08:00", "in", "A"}, {"08:30", "auto", "A"}}, {{"A", "08:00", "08:30"}}, {}},
      {"inside another room: auto is in, with an implicit exit",
       {{"09:00", "in", "A"}, {"09:10", "auto", "B"}, {"09:50", "auto", "B"}},
       {{"A", "09:00", "09:10"}, {"B", "09:10", "09:50"}},
       {"implicit_exit"}},
  });
}

TEST_CASE("rule 4, in at R", "[rules]") {
  check_rows({
      {"outside: a stay opens", {{"08:00", "in", "A"}, {"09:00", "out", "A"}}, {{"A", "08:00", "09:00"}}, {}},
      {"inside R: nothing changes, repeated_entry",
       {{"08:00", "in", "A"}, {"08:20", "in", "A"}, {"09:00", "out", "A"}},
       {{"A", "08:00", "09:00"}},
       {"repeated_entry"}},
      {"inside another room: that stay closes at t, implicit_exit",
       {{"08:00", "in", "A"}, {"09:15", "in", "B"}, {"09:45", "out", "B"}},
       {{"A", "08:00", "09:15"}, {"B", "09:15", "09:45"}},
       {"implicit_exit"}},
  });
}

TEST_CASE("rule 5, out at R", "[rules]") {
  check_rows({
      {"inside R: the stay closes at t, even past its session bound",
       {{"08:00", "in", "A"}, {"10:30", "out", "A"}},
       {{"A", "08:00", "10:30"}},
       {}},
      {"inside another room, before its session bound: closes at t; exit_without_entry and missing_exit",
       {{"09:05", "in", "B"}, {"09:40", "out", "A"}},
       {{"B", "09:05", "09:40", true}},
       {"exit_without_entry", "missing_exit"}},
      {"inside another room, past its session bound: closes at the bound",
       {{"08:05", "in", "A"}, {"09:45", "out", "B"}},
       {{"A", "08:05", "09:30", true}},
       {"exit_without_entry", "missing_exit"}},
      {"outside: exit_without_entry, no stay", {{"09:45", "out", "B"}}, {}, {"exit_without_entry"}},
  });
}

TEST_CASE("rule 6, after the last scan", "[rules]") {
  check_rows({
      {"block bound passed: closes at the session bound, missing_exit",
       {{"09:10", "in", "B"}},
       {{"B", "09:10", "10:00", true}},
       {"missing_exit"},
       "12:00"},
      {"block bound not passed: still open, credited up to now, in_progress",
       {{"08:10", "in", "A"}},
       {{"A", "08:10", "10:15", false, true}},
       {"in_progress"},
       "10:15"},
      {"a scan later than now is not seen yet",
       {{"08:10", "in", "A"}, {"10:30", "out", "A"}},
       {{"A", "08:10", "10:15", false, true}},
       {"in_progress"},
       "10:15"},
      {"block bound passed, within the exit grace: still open, credited up to the block bound, in_progress",
       {{"08:10", "in", "A"}},
       {{"A", "08:10", "11:00", false, true}},
       {"in_progress"},
       "11:20"},
      {"at the grace's edge the stay is still open",
       {{"08:10", "in", "A"}},
       {{"A", "08:10", "11:00", false, true}},
       {"in_progress"},
       "11:30:00"},
      {"one second past the grace: closed at the session bound, missing_exit",
       {{"08:10", "in", "A"}},
       {{"A", "08:10", "09:30", true}},
       {"missing_exit"},
       "11:30:01"},
      {"a stay with no session is in progress within the grace, and earns nothing",
       {{"12:00", "in", "A"}},
       {{"A", "12:00", "12:00", false, true}},
       {"in_progress"},
       "12:10"},
  });
}

TEST_CASE("rule 6 with exit_grace_minutes 0: closed as soon as the block bound has passed", "[rules]") {
  check_rows({{"at the block bound, still open",
               {{"08:10", "in", "A"}},
               {{"A", "08:10", "11:00", false, true}},
               {"in_progress"},
               "11:00:00"},
              {"one second later, closed at the session bound",
               {{"08:10", "in", "A"}},
               {{"A", "08:10", "09:30", true}},
               {"missing_exit"},
               "11:00:01"}},
             worked_example_with([](rules& r) { r.exit_grace = 0; }));
}

TEST_CASE("arrival_window_minutes: a stay opening before any session runs belongs to one starting within it",
          "[rules]") {
  struct arrival {
    int window_minutes;
    std::string room, time;
    std::string session;  // "" for none
  };
  const std::vector<arrival> table = {
      {60, "A", "07:00:00", "S1"},  // exactly 60 min before S1
      {60, "A", "06:59:59", ""},
      {60, "B", "08:10:00", "S3"},  // the worked example's attendee 4
      {60, "B", "07:59:59", ""},
      {60, "A", "09:45:00", "S2"},  // between S1 and S2: the next session
      {60, "A", "08:30:00", "S1"},  // running: the window does not matter
      {0, "A", "07:59:59", ""},
      {0, "A", "08:00:00", "S1"},
      {30, "A", "07:30:00", "S1"},
      {30, "A", "07:29:59", ""},
      {240, "A", "04:00:00", "S1"},
      {240, "A", "03:59:59", ""},
      {240, "A", "11:00:00", ""},  // after the room's last session
  };
  for (const auto& row : table) {
    DYNAMIC_SECTION("window " << row.window_minutes << " min, in at " << row.room << " at " << row.time) {
      const auto m = worked_example_with([&](rules& r) { r.arrival_window = row.window_minutes * ms_per_minute; });
      const auto a = attend_lines(m, {{row.time, "in", row.room}}, "23:00");
      REQUIRE(a.stays.size() == 1);
      if (row.session.empty()) {
        CHECK(a.stays[0].session == -1);
        CHECK(credit(m, a).total_quarters == 0);
      } else {
        REQUIRE(a.stays[0].session >= 0);
        CHECK(m.sessions[static_cast<std::size_t>(a.stays[0].session)].id == row.session);
      }
    }
  }
}

TEST_CASE("the block gap no longer chooses an early arrival's session: the arrival window does", "[rules]") {
  // A block gap of 5 min splits S1 and S2 into two blocks; the 60-minute
  // window still gives a 07:30 arrival to S1.
  const auto m = worked_example_with([](rules& r) { r.block_gap = 5 * ms_per_minute; });
  const auto a = attend_lines(m, {{"07:30", "in", "A"}}, "23:00");
  REQUIRE(a.stays.size() == 1);
  REQUIRE(a.stays[0].session >= 0);
  CHECK(m.sessions[static_cast<std::size_t>(a.stays[0].session)].id == "S1");
  CHECK(format_iso8601_utc(a.stays[0].end) == format_iso8601_utc(at("09:30")));  // S1's own block ends at 09:30
}

TEST_CASE("scans are processed in time order, ties by kiosk then sequence", "[rules]") {
  const auto m = worked_example_meeting();
  const int A = m.room_index("A");
  // Two kiosks at two doors of A record the same instant: kiosk "a" sorts first.
  std::vector<scan> scans = {
      {at("08:00"), "b", 1, 2, A, direction::out},
      {at("08:00"), "a", 7, 1, A, direction::in},
  };
  const auto a = attend(m, scans, at("23:00"));
  REQUIRE(a.stays.size() == 1);
  CHECK(a.stays[0].start == at("08:00"));
  CHECK(a.stays[0].end == at("08:00"));
  CHECK(a.flags.names() == std::vector<std::string_view>{});
}
