#include <catch2/catch.hpp>

#include "shared/version.h"
#include "tests/kiosk/kiosk_cli.h"

using namespace cmetrack::test;

TEST_CASE("cmetrack-kiosk --help and --version") {
  const auto help = run({"cmetrack-kiosk", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--headless") && Catch::Contains("--simulated-clock") &&
                           Catch::Contains("--config") && Catch::Contains("--load-meeting") &&
                           Catch::Contains("--fullscreen") && Catch::Contains("--camera") &&
                           Catch::Contains("--frames") && Catch::Contains("--screenshot") &&
                           Catch::Contains("--after-frames"));
  const auto version = run({"cmetrack-kiosk", "--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::Contains(std::string(cmetrack::version)));
}

TEST_CASE("cmetrack-kiosk: bad arguments exit 2 and say what is wrong") {
  kiosk_files k;
  struct row {
    std::vector<std::string> args;
    const char* says;
  };
  const std::vector<row> rows = {
      {{"cmetrack-kiosk"}, "--config is required"},
      {{"cmetrack-kiosk", "--config", k.config(), "--headless"}, "--db is required"},
      {k.args({"--simulated-clock"}), "--simulated-clock requires --headless"},
      {k.args({"--screenshot", "s.png"}), "--screenshot requires --after-frames"},
      {k.args({"--screenshot", "s.png", "--after-frames", "0"}), "--after-frames"},
      {k.args({"--headless", "--screenshot", "s.png", "--after-frames", "3"}), "excludes"},
      {k.args({"--camera", "/dev/video0", "--frames", "dir"}), "excludes"},
      {k.args({"--headless", "--frobnicate"}), "--frobnicate"},
      {k.args({"--headless", "--load-meeting", "m.json"}), "excludes"},
  };
  for (const auto& r : rows) {
    const auto result = run(r.args);
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(r.says));
    CHECK(result.out.empty());
  }
}

TEST_CASE("cmetrack-kiosk: a bad kiosk.json exits 2 naming the file and the field") {
  kiosk_files k;
  write_file(k.config(), R"({"kiosk": "K-A1", "room": "A", "mode": "sideways"})");
  const auto r = run(k.args({"--headless"}), "000001\n");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "cmetrack-kiosk: " + k.config() + ": field \"door\" is missing\n");
  CHECK(r.out.empty());

  write_file(k.config(), R"({"kiosk": "K-A1", "room": "A", "door": "A1", "mode": "sideways"})");
  const auto mode = run(k.args({"--headless"}), "000001\n");
  CHECK(mode.exit_code == 2);
  CHECK_THAT(mode.err, Catch::Contains(k.config()) && Catch::Contains("field \"mode\""));

  const auto missing = run({"cmetrack-kiosk", "--config", k.dir / "none.json", "--db", k.db(), "--headless"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains(k.dir / "none.json"));
}

TEST_CASE("cmetrack-kiosk: a meeting without the kiosk's room, or a bad meeting file, exits 2") {
  kiosk_files k;
  write_file(k.config(), R"({"kiosk": "K-Z1", "room": "Z", "door": "Z1"})");
  const auto file = std::string(CMETRACK_TEST_DATA) + "/worked_example.json";
  const auto load = run(k.args({"--load-meeting", file}));
  CHECK(load.exit_code == 2);
  CHECK(load.err == "cmetrack-kiosk: " + file + ": meeting TAM26 has no room \"Z\", the room of kiosk K-Z1\n");

  write_file(k.dir / "bad.json", R"({"meeting": {}})");
  const auto bad = run(k.args({"--load-meeting", k.dir / "bad.json"}));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains(k.dir / "bad.json"));
}
