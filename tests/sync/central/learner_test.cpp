// cmetrack-central learner: one learner (the meeting files' learner_id)
// across two meetings' data directories, as docs/formats.md describes it:
// credit added up as each meeting's transcript gives it, a claim counted in
// place of the credit earned, the requirement's window, a requirement file,
// the refusals, and the PDF read back through pdftotext.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/two_meetings.h"

using Catch::Matchers::Contains;
using cmetrack::test::temp_dir;
using nlohmann::json;
namespace t = cmetrack::test;

using cmetrack::test::two_meetings;

TEST_CASE("learner: credit from two meetings adds up, each meeting's as its transcript gives it",
          "[central][cli][learner]") {
  two_meetings p;
  const auto r = p.learner("NPI-1");
  CHECK(r["learner_id"] == "NPI-1");
  CHECK(r["name"] == "Ravi Shah");  // as the latest meeting has it; TAM26-FALL starts when TAM26 does, listed second
  REQUIRE(r["meetings"].size() == 2);
  CHECK(r["meetings"][0]["meeting"] == "TAM26");
  CHECK(r["meetings"][0]["badge"] == "000001");
  CHECK(r["meetings"][0]["total_credits"] == t::transcript(p.spring, "000001")["total_credits"]);
  CHECK(r["meetings"][0]["total_credits"] == 2.75);
  CHECK(r["meetings"][1]["meeting"] == "TAM26-FALL");
  CHECK(r["meetings"][1]["badge"] == "000002");
  CHECK(r["meetings"][1]["total_credits"] == t::transcript(p.fall, "000002")["total_credits"]);
  CHECK(r["meetings"][1]["total_credits"] == 2.0);
  CHECK(r["meetings"][1]["claimed_credits"].is_null());
  CHECK(r["total_credits"] == 4.75);
  // docs/rules.md's worked example: Jane 0.25 in patient safety, Ravi 0.50.
  CHECK(r["meetings"][0]["patient_safety_credits"] ==
        t::transcript(p.spring, "000001")["total_patient_safety_credits"]);
  CHECK(r["meetings"][0]["patient_safety_credits"] == 0.25);
  CHECK(r["meetings"][1]["patient_safety_credits"] == 0.5);
  CHECK(r["patient_safety_credits"] == 0.75);
  // ASAPS's requirement by default: 150 in three years, 60 Category 1, 20 patient safety.
  const auto& q = r["requirement"];
  CHECK(q["name"] == "ASAPS");
  CHECK(q["window_years"] == 3);
  CHECK(q["from"] == "2023-04-24");
  CHECK(q["to"] == "2026-04-24");
  CHECK(q["total_credits"] == json{{"required", 150.0}, {"counted", 4.75}, {"to_go", 145.25}, {"met", false}});
  CHECK(q["category1_credits"]["counted"] == 4.75);
  CHECK(q["patient_safety_credits"] == json{{"required", 20.0}, {"counted", 0.75}, {"to_go", 19.25}, {"met", false}});
  CHECK(q["met"] == false);

  // Only one of the meetings given has NPI-2 on the same badges the other way round.
  const auto other = p.learner("NPI-2");
  CHECK(other["total_credits"] == 4.75);
  CHECK(other["meetings"][0]["badge"] == "000002");
}

TEST_CASE("learner: a claim counts toward the requirement in place of the credit earned", "[central][cli][learner]") {
  two_meetings p;
  p.claim_at_fall();
  const auto r = p.learner("NPI-1");
  CHECK(r["meetings"][1]["total_credits"] == 2.0);
  CHECK(r["meetings"][1]["claimed_credits"] == 1.75);
  CHECK(r["meetings"][1]["counted_credits"] == 1.75);
  CHECK(r["meetings"][0]["claimed_credits"].is_null());
  CHECK(r["meetings"][0]["counted_credits"] == 2.75);
  CHECK(r["total_credits"] == 4.75);
  CHECK(r["requirement"]["total_credits"]["counted"] == 4.5);
}

TEST_CASE("learner: a meeting that ended before the window's start does not count", "[central][cli][learner]") {
  two_meetings p;
  // Three years after the last session's end less an hour: still inside.
  const auto inside = p.learner("NPI-1", "2029-04-24T14:00:00Z");
  CHECK(inside["meetings"][0]["in_window"] == true);
  CHECK(inside["requirement"]["total_credits"]["counted"] == 4.75);
  // An hour after: both meetings are listed and added up, none counts.
  const auto outside = p.learner("NPI-1", "2029-04-24T16:00:00Z");
  CHECK(outside["meetings"].size() == 2);
  CHECK(outside["meetings"][0]["in_window"] == false);
  CHECK(outside["meetings"][1]["in_window"] == false);
  CHECK(outside["total_credits"] == 4.75);
  CHECK(outside["requirement"]["from"] == "2026-04-24");
  CHECK(outside["requirement"]["total_credits"]["counted"] == 0.0);
  // A meeting after the report's time does not count either.
  const auto before = p.learner("NPI-1", "2026-04-01T00:00:00Z");
  CHECK(before["meetings"][0]["in_window"] == false);
}

TEST_CASE("learner: a requirement file sets the thresholds and the years", "[central][cli][learner]") {
  two_meetings p;
  const auto file = p.dir / "society.json";
  t::write_file(file, R"({"name": "Society of Lasers", "total_credits": 4.5, "category1_credits": 4,
                         "patient_safety_credits": 0, "window_years": 1})");
  const auto r = p.learner("NPI-1", t::after_meeting, {"--requirement", file});
  CHECK(r["requirement"]["name"] == "Society of Lasers");
  CHECK(r["requirement"]["from"] == "2025-04-24");
  CHECK(r["requirement"]["total_credits"] == json{{"required", 4.5}, {"counted", 4.75}, {"to_go", 0.0}, {"met", true}});
  CHECK(r["requirement"]["met"] == true);

  const auto refused = [&](const std::string& text, const std::string& named) {
    t::write_file(file, text);
    const auto out = t::central({"learner", "--data", p.spring, "--id", "NPI-1", "--json", "--requirement", file});
    INFO("stderr: " << out.err);
    CHECK(out.exit_code == 2);
    CHECK_THAT(out.err, Contains(file) && Contains(named));
    CHECK(out.out.empty());
  };
  refused(R"({"name": "X", "total_credits": 1.3, "category1_credits": 0, "patient_safety_credits": 0,
              "window_years": 3})",
          "\"total_credits\": 1.3 is not a number of credits");
  refused(R"({"name": "X", "total_credits": 1, "category1_credits": 0, "window_years": 3})",
          "\"patient_safety_credits\" is missing");
  refused(R"({"name": "X", "total_credits": 1, "category1_credits": 0, "patient_safety_credits": 0,
              "window_years": 0})",
          "\"window_years\" must be a whole number of years from 1 to 10");
  refused(R"({"name": "X", "total": 1})", "unknown field \"total\"");
  refused("[1, 2", "not a JSON object");
}

TEST_CASE("learner: an id no meeting has, a meeting given twice and a missing form are refused",
          "[central][cli][learner]") {
  two_meetings p;
  auto r = t::central({"learner", "--data", p.spring, "--data", p.fall, "--id", "NPI-9", "--json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no attendee of the 2 meeting(s) given has learner id \"NPI-9\""));
  r = t::central({"learner", "--data", p.spring, "--data", p.spring, "--id", "NPI-1", "--json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(p.spring + " and " + p.spring + " both hold meeting TAM26"));
  r = t::central({"learner", "--data", p.spring, "--id", "NPI-1"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("learner needs --json"));
  r = t::central({"learner", "--data", p.dir / "nowhere", "--id", "NPI-1", "--json"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Contains(p.dir / "nowhere"));
}

TEST_CASE("learner --pdf: the report read back holds each meeting, the totals and the requirement",
          "[central][cli][learner][pdf]") {
  two_meetings p;
  const auto pdf = p.dir / "npi-1.pdf";
  const auto out = t::central_ok({"learner", "--data", p.spring, "--data", p.fall, "--id", "NPI-1", "--pdf", pdf,
                                  "--now", t::after_meeting});
  CHECK_THAT(out, Contains("2 meeting(s), 1 page(s); ASAPS requirement not met yet"));
  const auto text = t::run({"/usr/bin/pdftotext", "-layout", pdf, "-"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Contains("Credit record: Ravi Shah"));
  CHECK_THAT(text.out, Contains("Learner id NPI-1"));
  CHECK_THAT(text.out, Contains("April 24, 2026 · TAM26 · badge 000001"));
  CHECK_THAT(text.out, Contains("April 24, 2026 · TAM26-FALL · badge 000002"));
  CHECK_THAT(text.out, Contains("Total credit: 4.75 of 150.00 required: 145.25 to go"));
  CHECK_THAT(text.out, Contains("Patient safety: 0.75 of 20.00 required: 19.25 to go"));
  CHECK_THAT(text.out, Contains("The requirement is not met yet."));
}
