// The transcript PDF (transcript_pdf.h) tells an attendee with a claim code
// how to claim on the attendee page, under their name and badge; an
// attendee without one is told nothing. Read back through pdftotext.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "shared/meeting_import.h"
#include "sync/central/print/transcript_pdf.h"
#include "tests/support/pdf_text.h"
#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
namespace t = cmetrack::test;
namespace c = cmetrack::central;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The transcripts' PDF written to dir/NAME, read back.
std::string transcript_text(const temp_dir& dir, const std::string& name, const cmetrack::meeting& m,
                            const std::vector<c::attendee_credit>& transcripts) {
  const auto bytes = c::transcript_pdf_bytes(m, transcripts, 1777046400000);  // 2026-04-24T16:00:00Z
  REQUIRE(bytes);
  const auto path = dir / name;
  t::write_file(path, *bytes);
  return t::pdf_text(path);
}

}  // namespace

TEST_CASE("transcript PDF: an attendee's claim code is printed under their badge with how to use it, and nothing "
          "where there is none",
          "[central][pdf][claim_code]") {
  temp_dir dir;
  auto file = cmetrack::read_meeting_file(t::test_data("worked_example.json"));
  REQUIRE(file);
  const auto& m = file->meeting;
  REQUIRE(m.attendees.size() == 2);
  c::attendee_credit jane, ravi;
  jane.who = m.attendees[0];
  jane.claim_code = "7KQ2M9XD";
  ravi.who = m.attendees[1];
  REQUIRE(jane.who.badge == "000001");

  const auto text = transcript_text(dir, "both.pdf", m, {jane, ravi});
  INFO(text);
  CHECK(has(text, "Jane Doe, MD Badge 000001 Claim your credit yourself: open the meeting's attendee page (/me) and "
                  "sign in with badge 000001 and claim code 7KQ2M9XD."));
  CHECK(text.find("Claim your credit yourself") == text.rfind("Claim your credit yourself"));  // not on Ravi's page

  const auto without = transcript_text(dir, "ravi.pdf", m, {ravi});
  INFO(without);
  CHECK(has(without, "Ravi Shah, DO Badge 000002"));
  CHECK_FALSE(has(without, "claim code"));
  CHECK_FALSE(has(without, "Claim your credit"));
}
