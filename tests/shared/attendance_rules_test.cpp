// Rules 1-6 of domain.md ("From scans to presence"), a table for each: the
// scans one attendee made, and the stays and flags that must come of them.
// The meeting is the worked example's: room A holds S1 08:00-09:30 and S2
// 10:00-11:00 (one block, ending 11:00); room B holds S3 09:00-10:00.
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

void check_rows(const std::vector<row>& table) {
  const auto m = worked_example_meeting();
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

TEST_CASE("rule 2, stale stay: a stay past its block bound closes at its session bound", "[rules]") {
  check_rows({
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
  });
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
  });
}

TEST_CASE("arriving early: a stay belongs to a session starting within block_gap_minutes", "[rules]") {
  const auto m = worked_example_meeting();
  const auto early = attend_lines(m, {{"07:30", "in", "A"}}, "23:00");  // 30 min before S1
  REQUIRE(early.stays.size() == 1);
  CHECK(early.stays[0].session >= 0);
  CHECK(format_iso8601_utc(early.stays[0].end) == format_iso8601_utc(at("09:30")));
  const auto too_early = attend_lines(m, {{"07:29", "in", "A"}}, "23:00");  // 31 min before
  REQUIRE(too_early.stays.size() == 1);
  CHECK(too_early.stays[0].session == -1);
  CHECK(credit(m, too_early).total_quarters == 0);
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
