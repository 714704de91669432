// The attendee's certificate (certificate_pdf.h) read back as a person would
// see it: its text through pdftotext (poppler-utils), page by page and, for
// long text, only what lies inside the certificate's border.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sstream>
#include <string>

#include "shared/meeting_import.h"
#include "shared/time.h"
#include "sync/central/print/certificate_pdf.h"
#include "tests/support/pdf_text.h"
#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
namespace t = cmetrack::test;
namespace c = cmetrack::central;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

cmetrack::time_ms at(const char* iso) {
  const auto ms = cmetrack::parse_iso8601(iso);
  REQUIRE(ms);
  return *ms;
}

// The worked example's meeting (one day, 24 April 2026, New York's time),
// edited, as the meeting file would give it.
cmetrack::meeting meeting_of(const nlohmann::json& file) {
  auto r = cmetrack::parse_meeting(file.dump(), "certificate.json");
  INFO((r ? "" : r.error().message));
  REQUIRE(r);
  return std::move(r->meeting);
}

// The same meeting over three days: a last session on Sunday 26 April from
// 20:00 to 21:30 in New York, already Monday 27 April in UTC.
nlohmann::json three_days() {
  auto file = t::worked_meeting();
  file["sessions"].push_back({{"id", "S4"},
                              {"room", "B"},
                              {"title", "Closing panel"},
                              {"start", "2026-04-26T20:00:00-04:00"},
                              {"end", "2026-04-26T21:30:00-04:00"},
                              {"credits", 1}});
  return file;
}

cmetrack::attendee person(std::string badge, std::string first, std::string last, std::string degree) {
  cmetrack::attendee a;
  a.badge = std::move(badge);
  a.first_name = std::move(first);
  a.last_name = std::move(last);
  if (!degree.empty()) a.degree = std::move(degree);
  return a;
}

c::certificate certificate_for(const cmetrack::meeting& m, cmetrack::attendee who, int claimed, int safety,
                               cmetrack::time_ms claimed_at) {
  c::certificate cert;
  cert.physician = cmetrack::is_physician(m, who);
  cert.who = std::move(who);
  cert.claimed_quarters = claimed;
  cert.patient_safety_quarters = safety;
  cert.claimed_at = claimed_at;
  return cert;
}

// The certificate's PDF written to dir/NAME.
std::string write_pdf(const temp_dir& dir, const std::string& name, const cmetrack::meeting& m,
                      const c::certificate& cert, cmetrack::time_ms made_at) {
  const auto bytes = c::certificate_pdf_bytes(m, cert, made_at);
  INFO((bytes ? "" : bytes.error().message));
  REQUIRE(bytes);
  REQUIRE(bytes->starts_with("%PDF-"));
  const auto path = dir / name;
  t::write_file(path, *bytes);
  return path;
}

// The number of pages, from pdftotext's page breaks.
int page_count(const std::string& pdf) {
  const auto r = t::run({"/usr/bin/pdftotext", "-layout", pdf, "-"});
  REQUIRE(r.exit_code == 0);
  int pages = 0;
  for (const char ch : r.out) pages += ch == '\f' ? 1 : 0;
  return pages;
}

// The text inside the certificate's border (0.5 in in from each edge of the
// landscape page), white space made single spaces.
std::string text_inside_border(const std::string& pdf) {
  const auto r = t::run({"/usr/bin/pdftotext", "-layout", "-x", "36", "-y", "36", "-W", "720", "-H", "540", pdf, "-"});
  INFO("pdftotext stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::istringstream words(r.out);
  std::string out;
  for (std::string w; words >> w;) out += (out.empty() ? "" : " ") + w;
  return out;
}

const std::string aesthetic_designation =
    "The Aesthetic Society designates this live activity for a maximum of 50.75 AMA PRA Category 1 Credits™. "
    "Physicians should claim only the credit commensurate with the extent of their participation in the activity.";

}  // namespace

TEST_CASE("certificate: a physician's certificate awards the credit claimed, with the provider, the activity, its "
          "dates and place, the meeting's designation statement and the date of the claim",
          "[central][pdf][certificate]") {
  temp_dir dir;
  auto m = meeting_of(three_days());
  m.activity.provider = "The Aesthetic Society";
  m.activity.location = "Henry B. González Convention Center, San Antonio, Texas";
  m.activity.designation = aesthetic_designation;
  // Recorded at 22:30 on Sunday in New York, Monday in UTC.
  const auto cert = certificate_for(m, person("000001", "Jane", "Doe", "M.D."), 11, 1, at("2026-04-27T02:30:00Z"));
  REQUIRE(cert.physician);
  const auto pdf = write_pdf(dir, "jane.pdf", m, cert, at("2026-04-27T14:00:00Z"));
  CHECK(page_count(pdf) == 1);

  const auto text = t::pdf_text(pdf);
  INFO(text);
  CHECK(text.starts_with("The Aesthetic Society Certificate of Credit"));
  CHECK(has(text, "This is to certify that Jane Doe, M.D. has participated in the live activity titled The "
                  "Aesthetic Meeting 2026"));
  CHECK(has(text, "April 24-26, 2026, Henry B. González Convention Center, San Antonio, Texas"));
  CHECK(has(text, "and is awarded 2.75 AMA PRA Category 1 Credits™"));
  CHECK(has(text, "of which 0.25 in patient safety."));
  CHECK(has(text, aesthetic_designation));
  CHECK_FALSE(has(text, "designates this live activity for a maximum of 50.75 AMA PRA Category 1 Credits™. "
                        "Physicians should claim only credit"));  // the standard statement is not added
  CHECK(has(text, "Date: April 26, 2026"));
  CHECK(has(text, "Badge 000001"));
  CHECK(has(text, "Made 27 Apr 2026 10:00 EDT · TAM26"));
  CHECK_FALSE(has(text, "Participation"));
  CHECK_FALSE(has(text, "hours"));
}

TEST_CASE("certificate: anyone else gets a certificate of participation in hours, which says what the activity was "
          "designated for and awards no credit",
          "[central][pdf][certificate]") {
  temp_dir dir;
  auto m = meeting_of(t::worked_meeting());
  m.activity.provider = "The Aesthetic Society";
  m.activity.location = "San Antonio, Texas";
  const auto cert = certificate_for(m, person("000003", "Sam", "Lee", "RN"), 11, 0, at("2026-04-25T13:00:00Z"));
  REQUIRE_FALSE(cert.physician);
  const auto text = t::pdf_text(write_pdf(dir, "sam.pdf", m, cert, at("2026-04-25T14:00:00Z")));
  INFO(text);
  CHECK(has(text, "The Aesthetic Society Certificate of Participation This is to certify that Sam Lee, RN has "
                  "participated in the live activity titled The Aesthetic Meeting 2026 April 24, 2026, San Antonio, "
                  "Texas for 2.75 hours"));
  CHECK(has(text, "This activity was designated for AMA PRA Category 1 Credit™."));
  // No designation in the meeting file: the standard statement.
  CHECK(has(text, "The Aesthetic Meeting 2026 designates this live activity for a maximum of 50.75 AMA PRA Category "
                  "1 Credits™. Physicians should claim only credit commensurate with the extent of their "
                  "participation in the activity."));
  CHECK(has(text, "Date: April 25, 2026"));
  CHECK_FALSE(has(text, "awarded"));
  CHECK_FALSE(has(text, "2.75 AMA PRA"));
  CHECK_FALSE(has(text, "Certificate of Credit"));
  CHECK_FALSE(has(text, "patient safety"));  // none claimed
}

TEST_CASE("certificate: a meeting without a provider or a place prints neither", "[central][pdf][certificate]") {
  temp_dir dir;
  const auto m = meeting_of(t::worked_meeting());
  REQUIRE(m.activity.provider.empty());
  REQUIRE(m.activity.location.empty());
  const auto cert = certificate_for(m, person("000002", "Ravi", "Shah", "DO"), 8, 2, at("2026-04-24T20:00:00Z"));
  const auto text = t::pdf_text(write_pdf(dir, "ravi.pdf", m, cert, at("2026-04-24T20:00:00Z")));
  INFO(text);
  CHECK(text.starts_with("Certificate of Credit This is to certify that Ravi Shah, DO has participated"));
  CHECK(has(text, "The Aesthetic Meeting 2026 April 24, 2026 and is awarded 2.00 AMA PRA Category 1 Credits™ of "
                  "which 0.50 in patient safety."));
  CHECK(has(text, "Date: April 24, 2026"));
}

TEST_CASE("certificate: a long name, title and statement wrap inside the border and nothing is cut",
          "[central][pdf][certificate]") {
  temp_dir dir;
  auto file = t::worked_meeting();
  file["meeting"]["name"] =
      "The Aesthetic Meeting 2026: Annual Scientific Session of Aesthetic Plastic Surgery, Cosmetic Medicine and "
      "the Safety of Office-Based Procedures, with the Spring Symposium on Body Contouring";
  auto m = meeting_of(file);
  m.activity.provider = "The American Society for Aesthetic Plastic Surgery and its Educational Foundation, jointly "
                        "provided with the International Society of Aesthetic Plastic Surgery";
  m.activity.location = "Henry B. González Convention Center, 900 E Market St, San Antonio, Texas, United States";
  std::string statement;
  for (int i = 1; i <= 12; ++i)
    statement += fmt::format("Sentence {} of the provider's long accreditation and designation statement. ", i);
  statement += "The end.";
  m.activity.designation = statement;
  const auto who = person("004217", "María Fernanda Alejandra de los Ángeles",
                          "Villalobos-Santisteban y Oyarzábal-Echeverría de la Fontaine-Beauregard",
                          "MD, PhD, MPH, FACS");
  const auto cert = certificate_for(m, who, 203, 8, at("2026-04-24T20:00:00Z"));
  REQUIRE(cert.physician);
  const auto pdf = write_pdf(dir, "long.pdf", m, cert, at("2026-04-24T20:00:00Z"));
  CHECK(page_count(pdf) == 1);

  const auto text = text_inside_border(pdf);
  INFO(text);
  CHECK(has(text, m.activity.provider));
  CHECK(has(text, fmt::format("This is to certify that {}, {} has participated in the live activity titled {}",
                              who.name(), *who.degree, m.name)));
  CHECK(has(text, fmt::format("April 24, 2026, {}", m.activity.location)));
  CHECK(has(text, "and is awarded 50.75 AMA PRA Category 1 Credits™ of which 2.00 in patient safety."));
  CHECK(has(text, statement));
  CHECK(has(text, "Date: April 24, 2026"));
  CHECK(has(text, "Badge 004217"));
}
