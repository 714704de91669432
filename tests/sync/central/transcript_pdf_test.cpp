// transcript --pdf on docs/rules.md's worked example, read back as a person
// would see it: the PDF's text through pdftotext -layout (poppler-utils).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

// The PDF's text, page by page (pdftotext ends each page with \f), each
// page's runs of spaces and line breaks made one space.
std::vector<std::string> pdf_pages(const std::string& pdf) {
  const auto r = t::run({"/usr/bin/pdftotext", "-layout", pdf, "-"});
  INFO("pdftotext stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> pages;
  std::string page;
  bool space = false;
  for (const char c : r.out) {
    if (c == '\f') {
      pages.push_back(page);
      page.clear();
      space = false;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !page.empty();
    } else {
      if (space) page += ' ';
      space = false;
      page += c;
    }
  }
  if (!page.empty()) pages.push_back(page);
  return pages;
}

std::string all_text(const std::vector<std::string>& pages) {
  std::string out;
  for (const auto& p : pages) out += p + " ";
  return out;
}

const std::string designation =
    "The Aesthetic Meeting 2026 designates this live activity for a maximum of 50.75 AMA PRA Category 1 "
    "Credits™. Physicians should claim only credit commensurate with the extent of their participation in the "
    "activity.";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("transcript --pdf: attendee 1's transcript holds the meeting, the statement, each session and the totals",
          "[central][cli][pdf]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "jane.pdf";
  const auto out = t::central_ok({"transcript", "--data", data, "--badge", "000001", "--pdf", pdf, "--now", t::after_meeting});
  CHECK(has(out, pdf));
  CHECK_FALSE(std::filesystem::exists(pdf + ".partial"));

  const auto pages = pdf_pages(pdf);
  REQUIRE(pages.size() == 1);
  const auto& text = pages[0];
  INFO(text);
  CHECK(has(text, "The Aesthetic Meeting 2026"));
  CHECK(has(text, "Friday 24 April 2026"));
  CHECK(has(text, designation));
  CHECK(has(text, "Jane Doe, MD"));
  CHECK(has(text, "Badge 000001"));
  CHECK_FALSE(has(text, "Ravi Shah"));
  // Each session: date and time in the meeting's timezone (EDT), title, minutes, credits, patient safety.
  CHECK(has(text, "Fri 24 Apr 08:00–09:30 Safety in body contouring 65 1.00 0.25"));
  CHECK(has(text, "Fri 24 Apr 09:00–10:00 Breast implant illness 40 0.75 0.00"));
  CHECK(has(text, "Fri 24 Apr 10:00–11:00 Fat grafting outcomes 55 1.00 0.00"));
  CHECK(has(text, "Total 160 2.75 0.25"));
  CHECK(has(text, "Total credit earned: 2.75 AMA PRA Category 1 Credits™, of which 0.25 in patient safety."));
  // Her flags, in plain words: duplicate, implicit_exit, missing_exit.
  CHECK(has(text, "For review"));
  CHECK(has(text, "(missing exit)"));
  CHECK(has(text, "(implicit exit)"));
  CHECK(has(text, "(duplicate)"));
  CHECK_FALSE(has(text, "(in progress)"));
}

TEST_CASE("transcript --pdf: the badge may be given as scanned, and a transcript made at 10:30 says in progress",
          "[central][cli][pdf]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "ravi.pdf";
  t::central_ok({"transcript", "--data", data, "--badge", "TAM26-000002", "--pdf", pdf, "--now", "2026-04-24T14:30:00Z"});
  const auto text = all_text(pdf_pages(pdf));
  INFO(text);
  CHECK(has(text, "Ravi Shah, DO"));
  CHECK(has(text, "Badge 000002"));
  CHECK(has(text, "Fri 24 Apr 08:00–09:30 Safety in body contouring 80 1.25 0.50"));
  CHECK(has(text, "Fri 24 Apr 10:00–11:00 Fat grafting outcomes 30 0.50 0.00"));
  CHECK(has(text, "Total 110 1.75 0.50"));
  CHECK(has(text, "(in progress)"));
  CHECK(has(text, "Made 24 Apr 2026 10:30 EDT"));
}

TEST_CASE("transcript --all --pdf: every attendee of the roster, each on a page of their own, by badge",
          "[central][cli][pdf]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto pdf = dir / "all.pdf";
  t::central_ok({"transcript", "--data", data, "--all", "--pdf", pdf, "--now", t::after_meeting});
  const auto pages = pdf_pages(pdf);
  REQUIRE(pages.size() == 2);
  INFO(pages[0]);
  INFO(pages[1]);
  CHECK(has(pages[0], "Jane Doe, MD"));
  CHECK_FALSE(has(pages[0], "Ravi Shah"));
  CHECK(has(pages[0], "Total 160 2.75 0.25"));
  CHECK(has(pages[1], "Ravi Shah, DO"));
  CHECK_FALSE(has(pages[1], "Jane Doe"));
  CHECK(has(pages[1], "Fri 24 Apr 08:00–09:30 Safety in body contouring 80 1.25 0.50"));
  CHECK(has(pages[1], "Fri 24 Apr 10:00–11:00 Fat grafting outcomes 50 0.75 0.00"));
  CHECK(has(pages[1], "Total 130 2.00 0.50"));
  CHECK(has(pages[1], "Nothing to review"));
  for (const auto& p : pages) CHECK(has(p, designation));
}

TEST_CASE("transcript --pdf: a long session table runs on to more pages of the same attendee", "[central][cli][pdf]") {
  temp_dir dir;
  // 40 back-to-back sessions of 20 minutes in room A; one stay through all of them.
  auto meeting = t::worked_meeting();
  meeting["sessions"] = nlohmann::json::array();
  for (int i = 0; i < 40; ++i) {
    const int start = 8 * 60 + 20 * i, end = start + 20;
    const auto at = [](int minutes) { return fmt::format("2026-04-24T{:02}:{:02}:00Z", minutes / 60, minutes % 60); };
    meeting["sessions"].push_back({{"id", fmt::format("L{:02}", i)},
                                   {"room", "A"},
                                   {"title", fmt::format("Lecture {}", i)},
                                   {"start", at(start)},
                                   {"end", at(end)},
                                   {"credits", 0.25}});
  }
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "long.json", meeting)});
  t::central_ok({"ingest", "--data", data,
                 t::write_scans(dir, "scans.csv",
                                {"k1-1,k1,1,000001,A,main,in,2026-04-24T08:00:00Z,kiosk",
                                 "k1-2,k1,2,000001,A,main,out,2026-04-24T21:20:00Z,kiosk"})});
  const auto pdf = dir / "long.pdf";
  t::central_ok({"transcript", "--data", data, "--badge", "000001", "--pdf", pdf, "--now", "2026-04-26T00:00:00Z"});
  const auto pages = pdf_pages(pdf);
  REQUIRE(pages.size() >= 2);
  const auto text = all_text(pages);
  INFO(text);
  for (int i = 0; i < 40; ++i)
    CHECK(has(text, fmt::format("Lecture {} 20 0.25 0.00", i)));
  CHECK(has(pages[1], "Jane Doe, MD (continued)"));
  CHECK(has(text, "Total 800 10.00 0.00"));
}

TEST_CASE("transcript --pdf: an unknown badge or an unwritable path exits 2 naming it and leaves no file",
          "[central][cli][pdf]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);

  const auto pdf = dir / "nobody.pdf";
  const auto unknown = t::central({"transcript", "--data", data, "--badge", "999999", "--pdf", pdf});
  CHECK(unknown.exit_code == 2);
  CHECK(has(unknown.err, "999999"));
  CHECK_FALSE(std::filesystem::exists(pdf));
  CHECK_FALSE(std::filesystem::exists(pdf + ".partial"));

  const auto nowhere = dir / "no-such-dir/t.pdf";
  const auto unwritable = t::central({"transcript", "--data", data, "--all", "--pdf", nowhere});
  CHECK(unwritable.exit_code == 2);
  CHECK(has(unwritable.err, nowhere));
  CHECK_FALSE(std::filesystem::exists(nowhere));

  // A directory in the way: the PDF is drawn, cannot be put in place, and its .partial is gone.
  const auto in_the_way = dir / "a-directory.pdf";
  std::filesystem::create_directory(in_the_way);
  const auto blocked = t::central({"transcript", "--data", data, "--badge", "000001", "--pdf", in_the_way});
  CHECK(blocked.exit_code == 2);
  CHECK(has(blocked.err, in_the_way));
  CHECK(std::filesystem::is_directory(in_the_way));
  CHECK_FALSE(std::filesystem::exists(in_the_way + ".partial"));

  const auto neither = t::central({"transcript", "--data", data, "--badge", "000001"});
  CHECK(neither.exit_code == 2);
  CHECK(has(neither.err, "--pdf"));
}
