#include <catch2/catch.hpp>

#include "shared/scans_csv.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {

result<std::vector<scan_record>> read_all(const std::string& path) {
  auto r = scans_csv_reader::open(path);
  if (!r) return std::unexpected(r.error());
  std::vector<scan_record> out;
  scan_record s;
  for (;;) {
    auto more = r->next(s);
    if (!more) return std::unexpected(more.error());
    if (!*more) return out;
    out.push_back(s);
  }
}

}  // namespace

TEST_CASE("a scans file reads row by row, quotes and CRLF included", "[scans-csv]") {
  temp_dir dir;
  write_file(dir / "s.csv",
             "\xEF\xBB\xBFid,kiosk,seq,badge,room,door,direction,at,source\r\n"
             "a1,k1,1,TAM26-004217,A,north,in,2026-04-24T12:03:17.250Z,wedge\r\n"
             "\r\n"
             "a2,k1,2,\"odd,\"\"payload\"\"\nline\",A,north,auto,2026-04-24T12:04:00Z,\n"
             "a3,k2,3,004217,B,main,out,2026-04-24T12:05:00.000Z\n");
  auto rows = read_all(dir / "s.csv");
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].payload == "TAM26-004217");
  CHECK((*rows)[0].at == 1777032197250);
  CHECK((*rows)[0].source == "wedge");
  CHECK((*rows)[1].payload == "odd,\"payload\"\nline");
  CHECK((*rows)[1].direction == direction::automatic);
  CHECK_FALSE((*rows)[1].source.has_value());
  CHECK((*rows)[2].direction == direction::out);
  CHECK((*rows)[2].seq == 3);
}

TEST_CASE("what the writer writes, the reader reads back unchanged", "[scans-csv]") {
  temp_dir dir;
  std::vector<scan_record> scans = {
      {"id-1", "kiosk,1", 7, "pay\"load", "Room A", "door\n2", direction::in, 1777032197250, "camera"},
      {"id-2", "k2", 8, "004217", "B", "main", direction::automatic, 1777032197999, std::nullopt},
  };
  std::FILE* f = std::fopen((dir / "out.csv").c_str(), "wb");
  {
    scans_csv_writer w(f);
    for (const auto& s : scans) w.write(s);
  }
  std::fclose(f);
  auto rows = read_all(dir / "out.csv");
  REQUIRE(rows.has_value());
  CHECK(*rows == scans);
}

TEST_CASE("every fault names the file, the line and the field", "[scans-csv]") {
  const std::string header = "id,kiosk,seq,badge,room,door,direction,at,source\n";
  const std::string good = "a1,k1,1,004217,A,north,in,2026-04-24T12:03:17.250Z,wedge\n";
  struct row {
    std::string name, text, message;
  };
  const std::vector<row> table = {
      {"empty file", "", "the file is empty"},
      {"wrong header", "id,kiosk,seq,badge,room,door,dir,at\n" + good, "s.csv:1: wrong header"},
      {"bad time", header + good + "a2,k1,2,004217,A,north,in,2026-04-24 12:03Z,\n", "s.csv:3: field \"at\""},
      {"unknown direction", header + "a2,k1,2,004217,A,north,sideways,2026-04-24T12:03:17Z,\n",
       "s.csv:2: field \"direction\": \"sideways\" is not a direction"},
      {"missing field", header + "a2,k1,2,004217,A,north\n", "s.csv:2: field \"direction\": missing"},
      {"empty field", header + "a2,,2,004217,A,north,in,2026-04-24T12:03:17Z,\n", "s.csv:2: field \"kiosk\": empty"},
      {"seq not a number", header + "a2,k1,two,004217,A,north,in,2026-04-24T12:03:17Z,\n",
       "s.csv:2: field \"seq\": \"two\" is not a whole number"},
      {"too many fields", header + "a2,k1,2,004217,A,north,in,2026-04-24T12:03:17Z,wedge,extra\n",
       "s.csv:2: the row has 10 fields"},
      {"unclosed quote", header + "a2,k1,2,\"004217,A,north,in,2026-04-24T12:03:17Z,\n", "not closed"},
  };
  for (const auto& r : table) {
    DYNAMIC_SECTION(r.name) {
      temp_dir dir;
      write_file(dir / "s.csv", r.text);
      auto rows = read_all(dir / "s.csv");
      REQUIRE_FALSE(rows.has_value());
      CHECK(rows.error().kind == error_kind::bad_input);
      CHECK_THAT(rows.error().message, Catch::Contains(r.message));
    }
  }
}
