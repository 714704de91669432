// Claims on docs/rules.md's worked example: refused above the credit earned, off
// the 0.25 grid, negative, for a session not attended, without the
// attestation; a valid claim in transcript --json and the PDF; a later claim
// in force while both rows stay; the claims table append-only; the HTTP
// handler's answers.
#include <catch2/catch.hpp>

#include "shared/sqlite/statement.h"
#include "sync/central/api/desk_routes.h"
#include "sync/central/reports/claims.h"
#include "sync/central/reports/corrections.h"
#include "tests/sync/central/desk_fixture.h"

using nlohmann::json;
namespace t = cmetrack::test;
namespace c = cmetrack::central;

namespace {

// Attendee 1 earned S1 1.00, S3 0.75, S2 1.00; attendee 2 S1 1.25, S2 0.75 (docs/rules.md).
const cmetrack::time_ms after = cmetrack::parse_iso8601(t::after_meeting).value_or(0);

std::int64_t count(cmetrack::sqlite::database& db, const char* sql) {
  auto q = cmetrack::sqlite::statement::prepare(db, sql);
  REQUIRE(q);
  REQUIRE(q->step_row());
  return q->int64(0);
}

std::string refusal(t::desk_store& s, const std::string& badge, std::vector<c::claim_request_line> lines,
                    bool attestation = true, cmetrack::error_kind kind = cmetrack::error_kind::bad_input) {
  const auto r = c::record_claim(s.db, s.m, badge, lines, attestation, "desk1", after);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == kind);
  return r.error().message;
}

c::http_request post(const std::string& body) {
  c::http_request req{c::http::verb::post, "/api/v1/attendees/000001/claims", 11};
  req.body() = body;
  req.prepare_payload();
  return req;
}

}  // namespace

TEST_CASE("claims: refused above the credit earned, off the grid, negative, not attended, unattested",
          "[central][desk][claims]") {
  auto s = t::open_worked_store();
  CHECK(refusal(s, "000001", {{"S1", 5}}) == "S1: claimed 1.25 credits, but 1.00 were earned; claim 1.00 or less");
  CHECK(refusal(s, "000002", {{"S2", 4}}) == "S2: claimed 1.00 credits, but 0.75 were earned; claim 0.75 or less");
  CHECK(t::has(refusal(s, "000002", {{"S3", 1}}), "S3: badge 000002 did not attend this session"));
  CHECK(t::has(refusal(s, "000001", {{"S1", -1}}), "S1: claimed -0.25 credits; a claim cannot be negative"));
  CHECK(t::has(refusal(s, "000001", {{"S1", 2}}, false), "attestation: the attendee must attest"));
  CHECK(t::has(refusal(s, "000001", {{"S9", 1}}), "S9: no such session in meeting TAM26"));
  CHECK(t::has(refusal(s, "000001", {{"S1", 1}, {"S1", 2}}), "S1: claimed twice"));
  CHECK(t::has(refusal(s, "000099", {{"S1", 1}}, true, cmetrack::error_kind::not_found),
               "badge \"000099\" is not on the roster"));
  // One bad line refuses the whole claim: S1 is fine, S3 is over.
  CHECK(refusal(s, "000001", {{"S1", 4}, {"S3", 4}}) == "S3: claimed 1.00 credits, but 0.75 were earned; claim 0.75 or less");

  const auto off_grid = c::claim_quarters(0.3, "S1");
  REQUIRE_FALSE(off_grid);
  CHECK(t::has(off_grid.error().message, "S1: claimed 0.3 credits, which is not a multiple of 0.25"));
  const auto negative = c::claim_quarters(-0.25, "S2");
  REQUIRE_FALSE(negative);
  CHECK(t::has(negative.error().message, "S2: claimed -0.25 credits; a claim cannot be negative"));
  CHECK(c::claim_quarters(0.75, "S1") == 3);

  CHECK(count(s.db, "SELECT count(*) FROM claims") == 0);
  CHECK(t::transcript(s.data, "000001").at("claims").is_null());
}

TEST_CASE("claims: a valid claim shows in transcript --json and the PDF, and a later one replaces it, both kept",
          "[central][desk][claims]") {
  auto s = t::open_worked_store();
  // Less than earned on S1 (0.75 of 1.00), all of S3; the payload as scanned names the badge too.
  REQUIRE(c::record_claim(s.db, s.m, "TAM26-000001", {{"S1", 3}, {"S3", 3}}, true, "desk1", after));

  auto one = t::transcript(s.data, "000001");
  CHECK(one.at("total_credits") == 2.75);  // the credit earned is unchanged
  CHECK(one.at("claims") == json::parse(R"({
    "sessions": [{"session": "S1", "earned": 1.0, "claimed": 0.75, "claimed_patient_safety": 0.25, "above_earned": false},
                 {"session": "S3", "earned": 0.75, "claimed": 0.75, "claimed_patient_safety": 0.0, "above_earned": false}],
    "total_claimed": 1.5, "total_claimed_patient_safety": 0.25, "attested_by": "desk1", "attested_at": "2026-04-24T16:00:00.000Z"})"));
  CHECK(t::transcript(s.data, "000002").at("claims").is_null());

  auto text = t::transcript_pdf_text(s, "000001");
  INFO(text);
  // Date, time, title, minutes, earned, claimed, patient safety.
  CHECK(t::has(text, "Fri 24 Apr 08:00–09:30 Safety in body contouring 65 1.00 0.75 0.25"));
  CHECK(t::has(text, "Fri 24 Apr 09:00–10:00 Breast implant illness 40 0.75 0.75 0.00"));
  CHECK(t::has(text, "Fri 24 Apr 10:00–11:00 Fat grafting outcomes 55 1.00 – 0.00"));
  CHECK(t::has(text, "Total 160 2.75 1.50 0.25"));
  CHECK(t::has(text, "Total credit claimed: 1.50 AMA PRA Category 1 Credits™."));
  CHECK(t::has(text, "Jane Doe, MD attested on Friday 24 April 2026 that the credit claimed is commensurate with "
                     "the extent of their participation; recorded by desk1."));

  // A later claim of S1 (all of it), by another staff user: in force; S3's stays.
  REQUIRE(c::record_claim(s.db, s.m, "000001", {{"S1", 4}}, true, "desk2", after + 60'000));
  one = t::transcript(s.data, "000001");
  CHECK(one.at("claims") == json::parse(R"({
    "sessions": [{"session": "S1", "earned": 1.0, "claimed": 1.0, "claimed_patient_safety": 0.25, "above_earned": false},
                 {"session": "S3", "earned": 0.75, "claimed": 0.75, "claimed_patient_safety": 0.0, "above_earned": false}],
    "total_claimed": 1.75, "total_claimed_patient_safety": 0.25, "attested_by": "desk2", "attested_at": "2026-04-24T16:01:00.000Z"})"));
  CHECK(count(s.db, "SELECT count(*) FROM claims") == 3);
  CHECK(count(s.db, "SELECT count(*) FROM claims WHERE session = 'S1'") == 2);
  text = t::transcript_pdf_text(s, "000001");
  CHECK(t::has(text, "Total 160 2.75 1.75 0.25"));
  CHECK(t::has(text, "recorded by desk2."));

  // transcript --all carries the claims too.
  const auto all = json::parse(t::central_ok({"transcript", "--data", s.data, "--all", "--json", "--now", t::after_meeting}));
  REQUIRE(all.size() == 2);
  CHECK(all.at(0).at("claims").at("total_claimed") == 1.75);
  CHECK(all.at(1).at("claims").is_null());
}

TEST_CASE("claims: a correction after the claim that takes credit away marks the claim for review",
          "[central][desk][claims]") {
  auto s = t::open_worked_store();
  // Attendee 2 claims all of S2 that he earned (0.75, docs/rules.md's worked example) ...
  REQUIRE(c::record_claim(s.db, s.m, "000002", {{"S2", 3}}, true, "desk1", after));
  CHECK(t::transcript(s.data, "000002").at("claims").at("sessions").at(0).at("above_earned") == false);
  // ... then the exit scan is voided: the stay closes at S1's end, S2 earns nothing.
  c::correction_request fix;
  fix.action = c::correction_action::void_scan;
  fix.scan = "k-a1-7";
  fix.reason = "scanned out at the wrong door";
  REQUIRE(c::record_correction(s.db, s.m, "000002", fix, "desk1", after + 60'000));
  const auto two = t::transcript(s.data, "000002");
  CHECK(two.at("claims").at("sessions").at(0) ==
        json::parse(R"({"session": "S2", "earned": 0.0, "claimed": 0.75, "claimed_patient_safety": 0.0, "above_earned": true})"));
  const auto text = t::transcript_pdf_text(s, "000002");
  INFO(text);
  CHECK(t::has(text, "Needs review: S2 claimed 0.75 credits, but 0.00 are earned now"));
}

TEST_CASE("claims: the claims table is append-only", "[central][desk][claims]") {
  auto s = t::open_worked_store();
  REQUIRE(c::record_claim(s.db, s.m, "000001", {{"S1", 3}}, true, "desk1", after));
  const auto update = s.db.exec("UPDATE claims SET quarters = 4");
  REQUIRE_FALSE(update);
  CHECK(update.error().kind == cmetrack::error_kind::conflict);  // refused by a trigger
  CHECK(t::has(update.error().message, "claims are append-only"));
  const auto remove = s.db.exec("DELETE FROM claims");
  REQUIRE_FALSE(remove);
  CHECK(t::has(remove.error().message, "claims are append-only"));
  CHECK(t::transcript(s.data, "000001").at("claims").at("total_claimed") == 0.75);
}

TEST_CASE("claims: POST .../claims answers the transcript, 400 naming the field, 404 for a badge not on the roster",
          "[central][desk][claims][http]") {
  auto s = t::open_worked_store();
  const auto answer = [&](const std::string& badge, const std::string& body) {
    return c::post_claim(s.db, s.m, badge, "desk1", post(body), after);
  };
  auto res = answer("000001", R"({"sessions": [{"session": "S1", "credits": 0.75}], "attestation": true})");
  REQUIRE(res.result_int() == 200);
  auto body = json::parse(res.body());
  CHECK(body.at("badge") == "000001");
  CHECK(body.at("claims").at("total_claimed") == 0.75);
  CHECK(body == t::transcript(s.data, "000001"));  // as GET transcript (and the CLI) answers

  const auto error_of = [&](const std::string& badge, const std::string& text, unsigned status) {
    const auto r = answer(badge, text);
    CHECK(r.result_int() == status);
    return json::parse(r.body()).at("error").get<std::string>();
  };
  CHECK(t::has(error_of("000001", "not json", 400), "body: not JSON"));
  CHECK(t::has(error_of("000001", R"({"attestation": true})", 400), "sessions: missing"));
  CHECK(t::has(error_of("000001", R"({"sessions": [{"session": "S1"}], "attestation": true})", 400),
               "sessions[0].credits"));
  CHECK(t::has(error_of("000001", R"({"sessions": [{"credits": 1}], "attestation": true})", 400),
               "sessions[0].session: missing"));
  CHECK(t::has(error_of("000001", R"({"sessions": [{"session": "S1", "credits": 0.6}], "attestation": true})", 400),
               "S1: claimed 0.6 credits, which is not a multiple of 0.25"));
  CHECK(t::has(error_of("000001", R"({"sessions": [{"session": "S1", "credits": 1.25}], "attestation": true})", 400),
               "S1: claimed 1.25 credits, but 1.00 were earned; claim 1.00 or less"));
  CHECK(t::has(error_of("000001", R"({"sessions": [{"session": "S1", "credits": 1}], "attestation": "yes"})", 400),
               "attestation: must be true or false"));
  CHECK(t::has(error_of("000001", R"({"sessions": [{"session": "S1", "credits": 1}]})", 400), "attestation:"));
  CHECK(t::has(error_of("004242", R"({"sessions": [], "attestation": true})", 404), "badge \"004242\": not on the roster"));
  CHECK(count(s.db, "SELECT count(*) FROM claims") == 1);
}

TEST_CASE("claims: init with new rules recomputes, and a claim above the new credit is marked for review",
          "[central][desk][claims][init]") {
  auto s = t::open_worked_store(/*four=*/true);
  // Attendee 3 claims S2's 1.00, earned by the exit within the exit grace ...
  REQUIRE(c::record_claim(s.db, s.m, "000030", {{"S1", 5}, {"S2", 4}}, true, "desk1", after));
  CHECK(t::transcript(s.data, "000030").at("claims").at("sessions").at(1).at("above_earned") == false);
  // ... then the provider sets the grace to 0: the exit is stale, S2 earns nothing.
  auto m = nlohmann::json::parse(t::read_file(t::test_data("worked_example_four.json")));
  m["meeting"]["rules"]["exit_grace_minutes"] = 0;
  const auto out = t::central_ok({"init", "--data", s.data, "--meeting", t::write_meeting(*s.dir, "no-grace.json", m)});
  CHECK_THAT(out, Catch::Contains("rules changed") && Catch::Contains("marked for review"));
  const auto three = t::transcript(s.data, "000030");
  CHECK(three.at("total_credits") == 1.25);
  CHECK(three.at("flags") == json::parse(R"(["exit_without_entry", "missing_exit"])"));
  CHECK(three.at("claims").at("sessions").at(1) ==
        json::parse(R"({"session": "S2", "earned": 0.0, "claimed": 1.0, "claimed_patient_safety": 0.0, "above_earned": true})"));
  const auto text = t::transcript_pdf_text(s, "000030");
  INFO(text);
  CHECK(t::has(text, "Needs review: S2 claimed 1.00 credits, but 0.00 are earned now"));
  // The same file again changes no rules, and says nothing of them.
  CHECK_THAT(t::central_ok({"init", "--data", s.data, "--meeting", t::write_meeting(*s.dir, "no-grace.json", m)}),
             !Catch::Contains("rules changed"));
}
