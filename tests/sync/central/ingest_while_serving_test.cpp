// ingest gives way to a running serve: while serve holds its data
// directory, a scans file is stored in parts (a kiosk's batch waits for one
// part, never the whole file), so a bad row late in the file leaves the
// parts before it stored and says so; `--commit-every 0` still stores the
// whole file or nothing.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/sync/central/serve_fixture.h"

using Catch::Matchers::Contains;

namespace cmetrack::test {

TEST_CASE("ingest: while serve runs a file is stored in parts, and a bad row says which scans were stored",
          "[serve][ingest]") {
  temp_dir dir;
  const auto data = dir / "data";
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  // 1,200 scans of room A during the worked example's first session, then
  // one with a direction no kiosk writes.
  std::vector<std::string> rows;
  for (int i = 1; i <= 1200; ++i)
    rows.push_back(fmt::format("k-p-{},k-p,{},TAM26-00000{},A,north,in,2026-04-24T12:{:02}:{:02}.000Z,wedge", i, i,
                               1 + i % 2, 40 + i / 60 % 20, i % 60));
  rows.push_back("k-p-1201,k-p,1201,TAM26-000001,A,north,sideways,2026-04-24T13:30:00.000Z,wedge");
  const auto file = write_scans(dir, "late.csv", rows);
  const auto stored_ids = [&](const std::string& name) {
    central_ok({"export", "--data", data, "--scans", "--out", dir / name});
    const auto text = read_file(dir / name);
    return std::count(text.begin(), text.end(), '\n') - 1;  // less the header
  };

  central_server server(data, {}, dir / "serve.log");
  const auto whole = central({"ingest", "--data", data, "--commit-every", "0", file});
  CHECK(whole.exit_code == 2);
  CHECK_THAT(whole.err, Contains("late.csv:1202") && !Contains("were stored"));
  CHECK(stored_ids("none.csv") == 0);

  const auto parts = central({"ingest", "--data", data, file});
  CHECK(parts.exit_code == 2);
  CHECK_THAT(parts.err, Contains("late.csv:1202") && Contains("were stored (in parts of at most 1000)"));
  const auto stored = stored_ids("some.csv");
  CHECK(stored >= 1);
  CHECK(stored <= 1200);
  CHECK_THAT(parts.err, Contains(fmt::format("only the file's first {} scans were stored", stored)));
  server.stop(SIGTERM);

  // serve stopped: the whole file or nothing again.
  const auto after = central({"ingest", "--data", data, file});
  CHECK(after.exit_code == 2);
  CHECK_THAT(after.err, Contains("late.csv:1202") && !Contains("were stored"));
  CHECK(stored_ids("same.csv") == stored);
}

}  // namespace cmetrack::test
