// Every rejection of a bad scans file: exit 2, stderr names file:line and the
// field, and the store is unchanged, even where the rows before the bad one
// were good (they are not stored either).
#include <catch2/catch.hpp>

#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/db_snapshot.h"

using Catch::Matchers::Contains;
using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

// Two new scans the store would take: the bad row comes after them, on line 4.
const std::string good_rows =
    "n-1,k-a3,1,TAM26-000001,A,east,in,2026-04-24T16:10:00.000Z,wedge\n"
    "n-2,k-a3,2,TAM26-000002,A,east,in,2026-04-24T16:11:00.000Z,wedge\n";

struct rejection {
  cmetrack::test::process_result result;
  std::string file;
};

// ingest `text` into the worked example's store: refused with exit 2, and
// the store exactly as it was.
rejection ingest_rejected(const std::string& text) {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto before = t::db_snapshot(t::central_db(data));
  const auto file = dir / "scans.csv";
  t::write_file(file, text);
  auto r = t::central({"ingest", "--data", data, file});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(t::db_snapshot(t::central_db(data)) == before);
  return {r, file};
}

// A file with the good rows, then `bad_row` on line 4.
rejection bad_row_rejected(const std::string& bad_row) {
  return ingest_rejected(std::string(t::scans_header) + "\n" + good_rows + bad_row + "\n");
}

}  // namespace

TEST_CASE("scans file: a wrong header is refused at line 1", "[central][cli][scans_file]") {
  SECTION("a misnamed column") {
    const auto r = ingest_rejected("id,kiosk,seq,badge,room,door,dir,at\n" + good_rows);
    CHECK_THAT(r.result.err, Contains(r.file + ":1: ") && Contains("header") && Contains("\"id,kiosk,seq,badge,room,door,dir,at\""));
  }
  SECTION("columns out of order") {
    const auto r = ingest_rejected("id,kiosk,badge,seq,room,door,direction,at,source\n" + good_rows);
    CHECK_THAT(r.result.err, Contains(r.file + ":1: ") && Contains("header") && Contains(t::scans_header));
  }
}

TEST_CASE("scans file: a bad time is refused, naming the line and the at field", "[central][cli][scans_file]") {
  SECTION("not ISO-8601") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,out,2026-04-24 16:30:00Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"at\"") && Contains("2026-04-24 16:30:00Z"));
  }
  SECTION("without an offset") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,out,2026-04-24T16:30:00,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"at\""));
  }
  SECTION("a day that does not exist") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,out,2026-04-31T16:30:00Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"at\""));
  }
}

TEST_CASE("scans file: an unknown direction is refused", "[central][cli][scans_file]") {
  const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,sideways,2026-04-24T16:30:00.000Z,wedge");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"direction\"") && Contains("\"sideways\""));
}

TEST_CASE("scans file: a short row is refused, naming the first missing field", "[central][cli][scans_file]") {
  SECTION("five fields") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"door\"") && Contains("missing"));
  }
  SECTION("no at") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,out");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"at\"") && Contains("missing"));
  }
}

TEST_CASE("scans file: a short row's message lists the fields a scan needs", "[central][cli][scans_file]") {
  const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A");
  CHECK_THAT(r.result.err, !Contains("sour)"));
  CHECK_THAT(r.result.err, Contains("needs 8"));
}

TEST_CASE("scans file: a row with more fields than the header is refused", "[central][cli][scans_file]") {
  const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge,extra");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("10 fields"));
}

TEST_CASE("scans file: an empty required field is refused, naming it", "[central][cli][scans_file]") {
  SECTION("id") {
    const auto r = bad_row_rejected(",k-a3,3,TAM26-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"id\"") && Contains("empty"));
  }
  SECTION("badge") {
    const auto r = bad_row_rejected("n-3,k-a3,3,,A,east,out,2026-04-24T16:30:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"badge\"") && Contains("empty"));
  }
  SECTION("room") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,,east,out,2026-04-24T16:30:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"room\"") && Contains("empty"));
  }
}

TEST_CASE("scans file: a seq that is not a whole number is refused", "[central][cli][scans_file]") {
  SECTION("a word") {
    const auto r = bad_row_rejected("n-3,k-a3,three,TAM26-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"seq\"") && Contains("\"three\""));
  }
  SECTION("a fraction") {
    const auto r = bad_row_rejected("n-3,k-a3,3.5,TAM26-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"seq\""));
  }
}

TEST_CASE("scans file: an unclosed quote is refused at the line where the record starts", "[central][cli][scans_file]") {
  // The quote opened on line 4 swallows the rest of the file.
  const auto r = ingest_rejected(std::string(t::scans_header) + "\n" + good_rows +
                                 "n-3,k-a3,3,\"TAM26-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge\n"
                                 "n-4,k-a3,4,TAM26-000002,A,east,out,2026-04-24T16:31:00.000Z,wedge\n");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("quote"));
}

TEST_CASE("scans file: an unclosed quote's message names the field", "[central][cli][scans_file]") {
  const auto r = ingest_rejected(std::string(t::scans_header) + "\n" + good_rows +
                                 "n-3,k-a3,3,\"TAM26-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge\n");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"badge\""));
}

TEST_CASE("scans file: text after a closing quote is refused, naming the field", "[central][cli][scans_file]") {
  const auto r = bad_row_rejected("n-3,k-a3,3,\"TAM26\"-000001,A,east,out,2026-04-24T16:30:00.000Z,wedge");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: ") && Contains("\"badge\"") && Contains("quote"));
}

TEST_CASE("scans file: a bad row after hundreds of good ones stores none of them", "[central][cli][scans_file]") {
  std::string text = std::string(t::scans_header) + "\n";
  for (int i = 0; i < 500; ++i)
    text += "b-" + std::to_string(i) + ",k-b9," + std::to_string(i) + ",TAM26-000002,B,side,auto,2026-04-24T13:" +
            (i / 10 < 10 ? "0" : "") + std::to_string(i / 10 % 60) + ":0" + std::to_string(i % 10) + ".000Z,wedge\n";
  text += "b-bad,k-b9,500,TAM26-000002,B,side,auto,2026-04-24T13:59:60.000Z,wedge\n";  // no second 60
  const auto r = ingest_rejected(text);
  CHECK_THAT(r.result.err, Contains(r.file + ":502: ") && Contains("\"at\""));
}

TEST_CASE("scans file: text that is not UTF-8 is refused, naming the line, the field and the byte",
          "[central][cli][scans_file]") {
  const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-0\xff\xfe" "01,A,east,in,2026-04-24T16:12:00.000Z,wedge");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: field \"badge\": not valid UTF-8 at byte 8"));
}

TEST_CASE("scans file: a field past its bound is refused, naming the bound", "[central][cli][scans_file]") {
  SECTION("a door of 65 characters") {
    const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A," + std::string(65, 'd') +
                                    ",in,2026-04-24T16:12:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: field \"door\": 65 characters, more than the 64 allowed"));
  }
  SECTION("a seq past 10^12") {
    const auto r = bad_row_rejected("n-3,k-a3,10000000000000,TAM26-000001,A,east,in,2026-04-24T16:12:00.000Z,wedge");
    CHECK_THAT(r.result.err, Contains(r.file + ":4: field \"seq\": 10000000000000 is past the largest allowed"));
  }
}

TEST_CASE("scans file: a time years from the meeting's sessions is refused, naming the line", "[central][cli][scans_file]") {
  const auto r = bad_row_rejected("n-3,k-a3,3,TAM26-000001,A,east,in,2031-04-24T16:12:00.000Z,wedge");
  CHECK_THAT(r.result.err, Contains(r.file + ":4: field \"at\": 2031-04-24T16:12:00.000Z is not within 7 days of the "
                                    "meeting's sessions") &&
                               Contains("nothing of this file was stored"));
}
