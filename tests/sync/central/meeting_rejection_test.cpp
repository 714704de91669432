// Every rejection of a bad meeting file that docs/formats.md lists: exit 2,
// stderr names the file and the field, and nothing is written (no central.db
// in a new directory; an existing store exactly as it was).
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>

#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/db_snapshot.h"

using Catch::Matchers::Contains;
using cmetrack::test::temp_dir;
using nlohmann::json;
namespace t = cmetrack::test;

namespace {

// init with `text` as the meeting file, into a new directory and over the
// worked example's store: both refused, naming the file and each of `named`.
void expect_rejected(const std::string& text, const std::vector<std::string>& named) {
  temp_dir dir;
  const auto file = dir / "meeting.json";
  t::write_file(file, text);
  const auto check_message = [&](const cmetrack::test::process_result& r) {
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(file + ":"));
    for (const auto& n : named) CHECK_THAT(r.err, Contains(n));
    CHECK(r.out.empty());
  };

  const auto fresh = dir / "fresh";
  check_message(t::central({"init", "--data", fresh, "--meeting", file}));
  CHECK_FALSE(std::filesystem::exists(t::central_db(fresh)));
  CHECK_FALSE(std::filesystem::exists(fresh));

  const auto existing = t::worked_store(dir, "existing");
  const auto before = t::db_snapshot(t::central_db(existing));
  check_message(t::central({"init", "--data", existing, "--meeting", file}));
  CHECK(t::db_snapshot(t::central_db(existing)) == before);
}

// The worked example's meeting, edited.
void expect_rejected(const std::function<void(json&)>& edit, const std::vector<std::string>& named) {
  auto m = t::worked_meeting();
  edit(m);
  expect_rejected(m.dump(2), named);
}

}  // namespace

TEST_CASE("meeting file: malformed JSON is refused with file:line:column", "[central][cli][meeting_file]") {
  // Line 3, column 17 is the second comma.
  expect_rejected("{\n  \"meeting\": {\"id\": \"TAM26\",\n    \"name\": \"x\",, \"timezone\": \"x\"}\n}\n",
                  {"meeting.json:3:17: ", "malformed JSON"});
}

TEST_CASE("meeting file: a missing field is refused, naming it", "[central][cli][meeting_file]") {
  SECTION("a session's title") {
    expect_rejected([](json& m) { m["sessions"][1].erase("title"); }, {"sessions[1].title", "missing"});
  }
  SECTION("the meeting's max_credits") {
    expect_rejected([](json& m) { m["meeting"].erase("max_credits"); }, {"meeting.max_credits", "missing"});
  }
  SECTION("an attendee's last name") {
    expect_rejected([](json& m) { m["attendees"][1].erase("last_name"); }, {"attendees[1].last_name", "missing"});
  }
  SECTION("the badge object") {
    expect_rejected([](json& m) { m.erase("badge"); }, {"badge", "missing"});
  }
}

TEST_CASE("meeting file: a mistyped field is refused, naming it", "[central][cli][meeting_file]") {
  SECTION("a room's capacity as a string") {
    expect_rejected([](json& m) { m["rooms"][0]["capacity"] = "1200"; }, {"rooms[0].capacity", "whole number"});
  }
  SECTION("a session's credits as a string") {
    expect_rejected([](json& m) { m["sessions"][1]["credits"] = "1"; }, {"sessions[1].credits", "a string"});
  }
  SECTION("a rule as a string") {
    expect_rejected([](json& m) { m["meeting"]["rules"]["debounce_seconds"] = "10"; },
                    {"meeting.rules.debounce_seconds"});
  }
  SECTION("sessions as an object") {
    expect_rejected([](json& m) { m["sessions"] = json::object(); }, {"sessions", "an array"});
  }
}

TEST_CASE("meeting file: arrival_window_minutes and exit_grace_minutes are whole minutes from 0 to 240",
          "[central][cli][meeting_file]") {
  for (const char* field : {"arrival_window_minutes", "exit_grace_minutes"}) {
    const std::string path = std::string("meeting.rules.") + field;
    DYNAMIC_SECTION(field << " of 241") {
      expect_rejected([&](json& m) { m["meeting"]["rules"][field] = 241; }, {path, "241", "largest allowed value, 240"});
    }
    DYNAMIC_SECTION(field << " of -1") {
      expect_rejected([&](json& m) { m["meeting"]["rules"][field] = -1; }, {path, "-1", "smallest allowed value, 0"});
    }
    DYNAMIC_SECTION(field << " of 2.5") {
      expect_rejected([&](json& m) { m["meeting"]["rules"][field] = 2.5; }, {path, "whole number"});
    }
    DYNAMIC_SECTION(field << " as a string") {
      expect_rejected([&](json& m) { m["meeting"]["rules"][field] = "30"; }, {path, "whole number"});
    }
    DYNAMIC_SECTION(field << " past any integer") {
      expect_rejected([&](json& m) { m["meeting"]["rules"][field] = 18446744073709551615ULL; },
                      {path, "largest allowed value, 240"});
    }
  }
}

TEST_CASE("meeting file: a session in a room the meeting does not have is refused", "[central][cli][meeting_file]") {
  expect_rejected([](json& m) { m["sessions"][2]["room"] = "C"; }, {"sessions[2].room", "\"C\""});
}

TEST_CASE("meeting file: credits off the 0.25 grid are refused", "[central][cli][meeting_file]") {
  SECTION("a session's credits") {
    expect_rejected([](json& m) { m["sessions"][1]["credits"] = 1.1; }, {"sessions[1].credits", "1.1", "0.25"});
  }
  SECTION("a session's patient safety credits") {
    expect_rejected([](json& m) { m["sessions"][0]["patient_safety_credits"] = 0.3; },
                    {"sessions[0].patient_safety_credits", "0.25"});
  }
  SECTION("the meeting maximum") {
    expect_rejected([](json& m) { m["meeting"]["max_credits"] = 50.7; }, {"meeting.max_credits", "0.25"});
  }
}

TEST_CASE("meeting file: a session that ends before it starts is refused", "[central][cli][meeting_file]") {
  SECTION("ends before") {
    expect_rejected([](json& m) { m["sessions"][1]["end"] = "2026-04-24T09:59:00-04:00"; }, {"sessions[1].end"});
  }
  SECTION("ends when it starts") {
    expect_rejected([](json& m) { m["sessions"][1]["end"] = m["sessions"][1]["start"]; }, {"sessions[1].end"});
  }
}

TEST_CASE("meeting file: overlapping sessions in one room are refused", "[central][cli][meeting_file]") {
  // S2 (room A) moved to 09:15, inside S1 (08:00-09:30).
  expect_rejected([](json& m) { m["sessions"][1]["start"] = "2026-04-24T09:15:00-04:00"; },
                  {"sessions[1].start", "\"S1\"", "\"S2\"", "overlap", "\"A\""});
}

TEST_CASE("meeting file: a break outside its session is refused", "[central][cli][meeting_file]") {
  SECTION("ending after the session") {
    expect_rejected([](json& m) { m["sessions"][0]["breaks"][0]["end"] = "2026-04-24T09:35:00-04:00"; },
                    {"sessions[0].breaks[0].end", "09:35:00-04:00", "after its session ends"});
  }
  SECTION("starting before the session") {
    expect_rejected([](json& m) { m["sessions"][0]["breaks"][0]["start"] = "2026-04-24T07:50:00-04:00"; },
                    {"sessions[0].breaks[0].start", "07:50:00-04:00", "before its session starts"});
  }
}

TEST_CASE("meeting file: duplicate ids are refused", "[central][cli][meeting_file]") {
  SECTION("rooms") {
    expect_rejected([](json& m) { m["rooms"][1]["id"] = "A"; }, {"rooms[1].id", "duplicate", "\"A\""});
  }
  SECTION("sessions") {
    expect_rejected([](json& m) { m["sessions"][2]["id"] = "S1"; }, {"sessions[2].id", "duplicate", "\"S1\""});
  }
  SECTION("attendees' badges") {
    expect_rejected([](json& m) { m["attendees"][1]["badge"] = "000001"; },
                    {"attendees[1].badge", "duplicate", "\"000001\""});
  }
}

TEST_CASE("meeting file: a learner id on two attendees, empty or too long is refused", "[central][cli][meeting_file]") {
  SECTION("two attendees") {
    expect_rejected(
        [](json& m) {
          m["attendees"][0]["learner_id"] = "NPI-1";
          m["attendees"][1]["learner_id"] = "NPI-1";
        },
        {"attendees[1].learner_id", "\"NPI-1\" is also attendees[0]'s", "one badge a meeting"});
  }
  SECTION("empty") {
    expect_rejected([](json& m) { m["attendees"][0]["learner_id"] = ""; },
                    {"attendees[0].learner_id", "1 to 64 characters"});
  }
  SECTION("too long") {
    expect_rejected([](json& m) { m["attendees"][0]["learner_id"] = std::string(65, '7'); },
                    {"attendees[0].learner_id", "1 to 64 characters"});
  }
}

TEST_CASE("meeting file: a time without an offset is refused", "[central][cli][meeting_file]") {
  SECTION("a session's start") {
    expect_rejected([](json& m) { m["sessions"][1]["start"] = "2026-04-24T10:00:00"; },
                    {"sessions[1].start", "\"2026-04-24T10:00:00\"", "offset"});
  }
  SECTION("a break's end") {
    expect_rejected([](json& m) { m["sessions"][0]["breaks"][0]["end"] = "2026-04-24T08:55:00"; },
                    {"sessions[0].breaks[0].end", "offset"});
  }
}

TEST_CASE("meeting file: a badge pattern that is not a regular expression is refused", "[central][cli][meeting_file]") {
  expect_rejected([](json& m) { m["badge"]["pattern"] = "^(TAM26-([0-9]{6})$"; },
                  {"badge.pattern", "not a valid regular expression"});
}

TEST_CASE("meeting file: a fault in the evaluation or the certificate's facts is refused, naming it",
          "[central][cli][meeting_file]") {
  SECTION("a question of an unknown kind") {
    expect_rejected([](json& m) { m["evaluation"] = {{"questions", {{{"id", "q1"}, {"text", "Useful?"}, {"kind", "stars"}}}}}; },
                    {"evaluation.questions[0].kind", "\"stars\" is not a kind of question; use likert (1 to 5) or text"});
  }
  SECTION("a question id twice") {
    expect_rejected(
        [](json& m) {
          m["evaluation"] = {{"session_questions",
                              {{{"id", "q1"}, {"text", "Useful?"}}, {{"id", "q1"}, {"text", "Clear?"}}}}};
        },
        {"evaluation.session_questions[1].id", "duplicate question id \"q1\""});
  }
  SECTION("a question without text") {
    expect_rejected([](json& m) { m["evaluation"] = {{"questions", {{{"id", "q1"}}}}}; },
                    {"evaluation.questions[0].text", "missing"});
  }
  SECTION("required that is not true or false") {
    expect_rejected([](json& m) { m["evaluation"] = {{"required", "yes"}}; }, {"evaluation.required", "true or false"});
  }
  SECTION("a physician degree that is not text") {
    expect_rejected([](json& m) { m["meeting"]["physician_degrees"] = {"MD", 7}; },
                    {"meeting.physician_degrees[1]", "must be a degree such as \"MD\""});
  }
  SECTION("a designation statement past 1,000 characters") {
    expect_rejected([](json& m) { m["meeting"]["designation"] = std::string(1001, 'x'); },
                    {"meeting.designation", "1001 characters, more than the 1000 allowed"});
  }
}
