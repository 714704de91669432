#pragma once
// A kiosk's files in a temporary directory, as a user would set one up:
// kiosk.json for room A (door A1) and kiosk.db provisioned with the worked
// example through `cmetrack-kiosk --load-meeting`.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {

struct kiosk_files {
  explicit kiosk_files(const std::string& mode = "auto") {
    write_file(config(), R"({"kiosk": "K-A1", "room": "A", "door": "A1", "mode": ")" + mode + R"("})");
  }
  std::string config() const { return dir / "kiosk.json"; }
  std::string db() const { return dir / "kiosk.db"; }
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {"cmetrack-kiosk", "--config", config(), "--db", db()};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  void load_worked_example() const {
    const auto r = run(args({"--load-meeting", std::string(CMETRACK_TEST_DATA) + "/worked_example.json"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  temp_dir dir;
};

// The JSON lines a headless kiosk printed.
inline std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(nlohmann::json::parse(out.substr(start, nl - start)));
  CHECK(start == out.size());  // every line ends with a newline
  return lines;
}

}  // namespace cmetrack::test
