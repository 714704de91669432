// transcript --print and badges --print through CUPS's lp, with a fake lp
// put first on PATH: it keeps its arguments and a copy of the file it was
// given, which is read back with pdftotext (and the badges' barcodes with
// the kiosk's decoder). No lp on PATH, and lp failing, say what to do.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/sync/central/badge_pages.h"
#include "tests/sync/central/central_cli.h"

using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// DIR/bin/lp: saves its arguments (one a line) to DIR/lp.args and a copy of
// its last argument to DIR/lp.pdf, says a request id; or fails as lp does
// for a printer CUPS does not know.
std::string fake_lp(const temp_dir& dir, bool fail = false) {
  const auto bin = dir / "bin";
  std::filesystem::create_directories(bin);
  const std::string script =
      fail ? "#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n"
           : "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + dir / "lp.args" +
                 "'\nfor a; do last=$a; done\ncp \"$last\" '" + dir / "lp.pdf" +
                 "'\necho 'request id is desk-7 (1 file(s))'\n";
  t::write_file(bin + "/lp", script);
  chmod((bin + "/lp").c_str(), 0755);
  return bin;
}

// cmetrack-central ARGS with PATH set to `path`.
t::process_result central_with_path(const std::string& path, std::vector<std::string> args) {
  args.insert(args.begin(), {"/usr/bin/env", "PATH=" + path, t::bin("cmetrack-central")});
  return t::run(args);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string system_path() { return std::string("/usr/bin:/bin"); }

}  // namespace

TEST_CASE("transcript --print: the PDF goes to lp -d PRINTER -t TITLE FILE, and the file is gone after",
          "[central][cli][print]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto bin = fake_lp(dir);
  const auto r = central_with_path(bin + ":" + system_path(), {"transcript", "--data", data, "--badge", "000001",
                                                                "--print", "--printer", "desk1", "--now", t::after_meeting});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "sent to printer desk1"));
  CHECK(has(r.out, "request id is desk-7"));

  const auto args = lines_of(t::read_file(dir / "lp.args"));
  REQUIRE(args.size() == 5);
  CHECK(args[0] == "-d");
  CHECK(args[1] == "desk1");
  CHECK(args[2] == "-t");
  CHECK(args[3] == "Transcript 000001");
  CHECK(std::filesystem::path(args[4]).extension() == ".pdf");
  CHECK_FALSE(std::filesystem::exists(args[4]));  // the temporary file is removed once lp has it

  const auto text = t::pdf_text(dir / "lp.pdf");
  INFO(text);
  CHECK(has(text, "Jane Doe, MD"));
  CHECK(has(text, "Total 160 2.75 0.25"));
}

TEST_CASE("transcript --all --print without --printer: lp's default printer", "[central][cli][print]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto bin = fake_lp(dir);
  const auto r = central_with_path(bin + ":" + system_path(),
                                   {"transcript", "--data", data, "--all", "--print", "--now", t::after_meeting});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "the default printer"));
  const auto args = lines_of(t::read_file(dir / "lp.args"));
  REQUIRE(args.size() == 3);
  CHECK(args[0] == "-t");
  const auto text = t::pdf_text(dir / "lp.pdf");
  CHECK(has(text, "Jane Doe, MD"));
  CHECK(has(text, "Ravi Shah, DO"));
}

TEST_CASE("badges --print: the sheet lp receives holds every name and barcode", "[central][cli][print][badges]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto bin = fake_lp(dir);
  const auto r = central_with_path(bin + ":" + system_path(),
                                   {"badges", "--data", data, "--all", "--print", "--printer", "badges2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto args = lines_of(t::read_file(dir / "lp.args"));
  REQUIRE(args.size() == 5);
  CHECK(args[1] == "badges2");
  CHECK(args[3] == "Badges TAM26 (2)");
  const auto text = t::pdf_text(dir / "lp.pdf");
  CHECK(has(text, "Jane Doe"));
  CHECK(has(text, "Ravi Shah"));
  const auto cells = t::read_badges(t::pdf_page_frames(dir / "lp.pdf", dir / "pages"));
  REQUIRE(cells.size() == 6);
  CHECK(cells[0] == std::vector<std::string>{"000001"});
  CHECK(cells[1] == std::vector<std::string>{"000002"});
}

TEST_CASE("print: with no lp on PATH, --print says how to get it or print a PDF by hand", "[central][cli][print]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  std::filesystem::create_directories(dir / "empty");
  for (const auto& args : {std::vector<std::string>{"transcript", "--data", data, "--badge", "000001", "--print"},
                           std::vector<std::string>{"badges", "--data", data, "--all", "--print"}}) {
    const auto r = central_with_path(dir / "empty", args);
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "no lp command: install CUPS (apt-get install cups-client) or write a PDF with --pdf FILE and "
                     "print it yourself"));
  }
}

TEST_CASE("print: lp's failure and its message reach the user", "[central][cli][print]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto bin = fake_lp(dir, true);
  const auto r = central_with_path(bin + ":" + system_path(), {"transcript", "--data", data, "--badge", "000002",
                                                                "--print", "--printer", "nowhere"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "lp -d nowhere failed (exit status 1): lp: The printer or class does not exist."));
}

TEST_CASE("print: --print excludes --pdf and --json, and --printer needs --print", "[central][cli][print]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  CHECK(t::central({"transcript", "--data", data, "--badge", "000001", "--print", "--json"}).exit_code == 2);
  CHECK(t::central({"transcript", "--data", data, "--badge", "000001", "--print", "--pdf", dir / "x.pdf"}).exit_code == 2);
  CHECK(t::central({"transcript", "--data", data, "--badge", "000001", "--json", "--printer", "p"}).exit_code == 2);
  CHECK(t::central({"badges", "--data", data, "--all", "--print", "--pdf", dir / "x.pdf"}).exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "x.pdf"));
}
