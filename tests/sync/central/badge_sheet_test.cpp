// cmetrack-central badges: the sheet a registration desk prints, read back
// as the kiosks read it. Every badge's cell of the rasterised PDF (150 dpi)
// is decoded by the kiosk camera's decoder and must give exactly its
// payload; empty cells give nothing; pdftotext shows every name and any
// claim code. Refusals: a payload the badge pattern would not read back, an
// unknown badge.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "shared/badge.h"
#include "shared/meeting_import.h"
#include "tests/sync/central/badge_pages.h"
#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The payloads the sheet should carry, in order, padded with empty cells to
// whole pages.
std::vector<std::vector<std::string>> expected_cells(const std::vector<std::string>& payloads) {
  std::vector<std::vector<std::string>> out;
  for (const auto& p : payloads) out.push_back({p});
  while (out.size() % 6 != 0) out.push_back({});
  return out;
}

// A meeting of the worked example's rooms and sessions with 14 attendees
// (three pages of badges): long names, accents, with and without degrees.
nlohmann::json fourteen_attendees() {
  auto meeting = t::worked_meeting();
  const std::vector<std::pair<std::string, std::string>> names = {
      {"Amara", "Okafor"},     {"Bao", "Nguyen"},        {"Carmen", "Núñez-Villalobos"},
      {"Dmitri", "Ivanov"},    {"Eleanor", "Whitfield"}, {"Farah", "Haddad"},
      {"Gustavo", "Pereira"},  {"Hiroshi", "Tanaka"},    {"Ingrid", "Johansson"},
      {"Jean-Baptiste", "de la Fontaine-Beauregard"},    {"Kwame", "Mensah"},
      {"Lucía", "Fernández"},  {"Mei", "Lin"},           {"Nikolaos", "Papadopoulos"}};
  meeting["attendees"] = nlohmann::json::array();
  for (std::size_t i = 0; i < names.size(); ++i) {
    nlohmann::json a = {{"badge", fmt::format("{:06}", 101 + i)},
                        {"first_name", names[i].first},
                        {"last_name", names[i].second}};
    if (i % 3 != 2) a["degree"] = i % 3 == 0 ? "MD" : "MD, PhD";
    meeting["attendees"].push_back(a);
  }
  return meeting;
}

}  // namespace

TEST_CASE("badges --all: every attendee of the worked example, each barcode read back by the kiosk's decoder",
          "[central][cli][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "badges.pdf";
  const auto out = t::central_ok({"badges", "--data", data, "--all", "--pdf", pdf});
  CHECK(has(out, "2 badge(s), 1 page(s)"));
  CHECK_FALSE(std::filesystem::exists(pdf + ".partial"));

  const auto text = t::pdf_text(pdf);
  INFO(text);
  CHECK(has(text, "The Aesthetic Meeting 2026"));
  CHECK(has(text, "Jane Doe"));
  CHECK(has(text, "Ravi Shah"));
  CHECK(has(text, "MD"));
  CHECK(has(text, "DO"));
  CHECK(has(text, "Badge 000001"));
  CHECK(has(text, "Badge 000002"));

  const auto pages = t::pdf_page_frames(pdf, dir / "pages");
  REQUIRE(pages.size() == 1);
  CHECK(pages[0].width == 1275);  // US Letter at 150 dpi
  CHECK(pages[0].height == 1650);
  CHECK(t::read_badges(pages) == expected_cells({"000001", "000002"}));
}

TEST_CASE("badges --payload: the barcode carries the format the kiosks scan, and --badge keeps the order given",
          "[central][cli][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "badges.pdf";
  // The second --badge is given as scanned: the pattern takes the id out.
  t::central_ok({"badges", "--data", data, "--badge", "000002", "--badge", "TAM26-000001", "--payload",
                 "TAM26-{badge}", "--pdf", pdf});
  const auto pages = t::pdf_page_frames(pdf, dir / "pages");
  REQUIRE(pages.size() == 1);
  CHECK(t::read_badges(pages) == expected_cells({"TAM26-000002", "TAM26-000001"}));
  const auto text = t::pdf_text(pdf);
  INFO(text);
  CHECK(text.find("Ravi Shah") < text.find("Jane Doe"));
}

TEST_CASE("badges --all: fourteen attendees on three pages, every barcode and every name", "[central][cli][badges]") {
  temp_dir dir;
  const auto meeting = fourteen_attendees();
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "fourteen.json", meeting)});
  const auto pdf = dir / "badges.pdf";
  const auto out = t::central_ok({"badges", "--data", data, "--all", "--pdf", pdf});
  CHECK(has(out, "14 badge(s), 3 page(s)"));

  std::vector<std::string> payloads;
  for (const auto& a : meeting["attendees"]) payloads.push_back(a["badge"].get<std::string>());
  const auto pages = t::pdf_page_frames(pdf, dir / "pages");
  REQUIRE(pages.size() == 3);
  CHECK(t::read_badges(pages) == expected_cells(payloads));

  const auto text = t::pdf_text(pdf);
  INFO(text);
  for (const auto& a : meeting["attendees"]) {
    // Each word of the name (a name too long for one line is wrapped).
    std::istringstream words(a["first_name"].get<std::string>() + " " + a["last_name"].get<std::string>());
    for (std::string w; words >> w;) CHECK(has(text, w));
    CHECK(has(text, "Badge " + a["badge"].get<std::string>()));
  }
}

TEST_CASE("badges --barcode: Data Matrix, PDF417 and Code 128 are read back too", "[central][cli][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  for (const std::string kind : {"datamatrix", "pdf417", "code128"}) {
    INFO(kind);
    const auto pdf = dir / (kind + ".pdf");
    t::central_ok({"badges", "--data", data, "--all", "--payload", "TAM26-{badge}", "--barcode", kind, "--pdf", pdf});
    CHECK(t::read_badges(t::pdf_page_frames(pdf, dir / kind)) == expected_cells({"TAM26-000001", "TAM26-000002"}));
  }
}

TEST_CASE("badges: a payload the meeting's badge pattern does not read back is refused, and nothing is written",
          "[central][cli][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "badges.pdf";
  const auto r = t::central({"badges", "--data", data, "--all", "--payload", "TAM27-{badge}", "--pdf", pdf});
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "--payload: TAM27-{badge} gives \"TAM27-000001\", which the meeting's badge pattern "
                   "^(?:TAM26-)?([0-9]{6})$ does not take badge 000001 out of; use a FORMAT the pattern accepts"));
  CHECK_FALSE(std::filesystem::exists(pdf));
  CHECK_FALSE(std::filesystem::exists(pdf + ".partial"));

  // A format without {badge} gives every badge the same payload: refused too.
  const auto same = t::central({"badges", "--data", data, "--all", "--payload", "TAM26-000001", "--pdf", pdf});
  CHECK(same.exit_code == 2);
  CHECK(has(same.err, "does not take badge 000002 out of"));
  CHECK_FALSE(std::filesystem::exists(pdf));
}

TEST_CASE("badges: an unknown badge is refused by name, and nothing is written", "[central][cli][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "badges.pdf";
  const auto r = t::central({"badges", "--data", data, "--badge", "000001", "--badge", "004217", "--pdf", pdf});
  CHECK(r.exit_code == 2);
  CHECK(has(r.err, "\"004217\" is not on the roster of TAM26"));
  CHECK_FALSE(std::filesystem::exists(pdf));
  CHECK_FALSE(std::filesystem::exists(pdf + ".partial"));
}

TEST_CASE("badges: usage errors say what is missing", "[central][cli][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto none = t::central({"badges", "--data", data, "--pdf", dir / "b.pdf"});
  CHECK(none.exit_code == 2);
  CHECK(has(none.err, "badges needs --badge ID"));
  const auto nowhere = t::central({"badges", "--data", data, "--all"});
  CHECK(nowhere.exit_code == 2);
  CHECK(has(nowhere.err, "badges needs --pdf FILE"));
  const auto kind = t::central({"badges", "--data", data, "--all", "--barcode", "ean13", "--pdf", dir / "b.pdf"});
  CHECK(kind.exit_code == 2);
  CHECK(has(kind.err, "--barcode: \"ean13\""));
  CHECK_FALSE(std::filesystem::exists(dir / "b.pdf"));
}

TEST_CASE("badges of a signed meeting (badge.key): each barcode carries the payload and its MAC, and reads back "
          "through the signed pattern to its id",
          "[central][cli][badges][signed]") {
  temp_dir dir;
  auto meeting = t::worked_meeting();
  meeting["badge"]["key"] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "signed.json", meeting)});
  auto pattern = cmetrack::badge_pattern::compile(meeting["badge"]["pattern"].get<std::string>(),
                                                  meeting["badge"]["key"].get<std::string>());
  REQUIRE(pattern);

  // MACs computed outside the code: openssl dgst -sha256 -mac HMAC -macopt
  // hexkey:KEY of "TAM26-000001", "TAM26-000002", the first 40 bits in
  // Crockford base32.
  const std::string jane = "TAM26-000001.T34E8S5M", ravi = "TAM26-000002.EKTEZ8HK";
  const auto pdf = dir / "signed.pdf";
  t::central_ok({"badges", "--data", data, "--all", "--payload", "TAM26-{badge}", "--pdf", pdf});
  const auto cells = t::read_badges(t::pdf_page_frames(pdf, dir / "qr"));
  CHECK(cells == expected_cells({jane, ravi}));
  REQUIRE(cells.size() == 6);
  REQUIRE(cells[0].size() == 1);
  CHECK(pattern->extract(cells[0][0]) == std::optional<std::string_view>("000001"));
  REQUIRE(cells[1].size() == 1);
  CHECK(pattern->extract(cells[1][0]) == std::optional<std::string_view>("000002"));

  // Code 128 (what keyboard-wedge scanners read) carries the dot and MAC too;
  // --badge takes a signed payload as scanned.
  const auto wedge = dir / "code128.pdf";
  t::central_ok({"badges", "--data", data, "--badge", ravi, "--barcode", "code128", "--pdf", wedge});
  CHECK(t::read_badges(t::pdf_page_frames(wedge, dir / "code128")) == expected_cells({"000002.75CYNEFQ"}));
}

TEST_CASE("badge sheet: an attendee's claim code is printed small by the badge id, square and wide codes still read "
          "back, and a badge without one shows none",
          "[central][badges][claim_code]") {
  temp_dir dir;
  auto file = cmetrack::read_meeting_file(t::test_data("worked_example.json"));
  REQUIRE(file);
  const auto& m = file->meeting;
  auto badges = cmetrack::central::badge_payloads(m, m.attendees, "TAM26-{badge}");
  REQUIRE(badges);
  REQUIRE(badges->size() == 2);
  REQUIRE((*badges)[0].who.badge == "000001");
  (*badges)[0].claim_code = "7KQ2M9XD";  // Ravi (000002) has none

  for (const auto kind : {cmetrack::central::barcode_kind::qr_code, cmetrack::central::barcode_kind::code128}) {
    const std::string name = kind == cmetrack::central::barcode_kind::qr_code ? "qr" : "code128";
    INFO(name);
    const auto pdf = dir / (name + ".pdf");
    REQUIRE(cmetrack::central::write_badge_sheet(m, *badges, kind, pdf) == 1);
    const auto text = t::pdf_text(pdf);
    INFO(text);
    CHECK(has(text, "Claim code: 7KQ2M9XD"));
    CHECK(text.find("Claim code") == text.rfind("Claim code"));  // once: Jane's badge only
    CHECK(has(text, "Badge 000001"));
    CHECK(has(text, "Badge 000002"));
    CHECK(t::read_badges(t::pdf_page_frames(pdf, dir / name)) == expected_cells({"TAM26-000001", "TAM26-000002"}));
  }

  // Without codes: no claim code anywhere.
  for (auto& b : *badges) b.claim_code.clear();
  const auto plain = dir / "plain.pdf";
  REQUIRE(cmetrack::central::write_badge_sheet(m, *badges, cmetrack::central::barcode_kind::qr_code, plain) == 1);
  CHECK_FALSE(has(t::pdf_text(plain), "Claim code"));
}
