#include "tests/sync/central/central_cli.h"

#include <catch2/catch.hpp>

#include <fstream>

namespace cmetrack::test {

std::string test_data(const std::string& name) { return std::string(CMETRACK_TEST_DATA) + "/" + name; }

std::string central_db(const std::string& data) { return data + "/central.db"; }

process_result central(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"cmetrack-central"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

std::string central_ok(const std::vector<std::string>& args) {
  std::string command = "cmetrack-central";
  for (const auto& a : args) command += " " + a;
  const auto r = central(args);
  INFO(command);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

nlohmann::json transcript(const std::string& data, const std::string& badge, const std::string& now) {
  return nlohmann::json::parse(central_ok({"transcript", "--data", data, "--badge", badge, "--json", "--now", now}));
}

nlohmann::json rooms(const std::string& data, const std::string& now) {
  return nlohmann::json::parse(central_ok({"rooms", "--data", data, "--json", "--now", now}));
}

nlohmann::json worked_meeting() {
  std::ifstream in(test_data("worked_example.json"));
  return nlohmann::json::parse(in);
}

std::string write_meeting(const temp_dir& dir, const std::string& name, const nlohmann::json& meeting) {
  const auto path = dir / name;
  write_file(path, meeting.dump(2) + "\n");
  return path;
}

std::string write_scans(const temp_dir& dir, const std::string& name, const std::vector<std::string>& rows) {
  std::string text = std::string(scans_header) + "\n";
  for (const auto& row : rows) text += row + "\n";
  const auto path = dir / name;
  write_file(path, text);
  return path;
}

std::string worked_store(const temp_dir& dir, const std::string& name) {
  const auto data = dir / name;
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example.json")});
  central_ok({"ingest", "--data", data, test_data("worked_example.csv")});
  return data;
}

std::string worked_store_four(const temp_dir& dir, const std::string& name) {
  const auto data = dir / name;
  central_ok({"init", "--data", data, "--meeting", test_data("worked_example_four.json")});
  central_ok({"ingest", "--data", data, test_data("worked_example_four.csv")});
  return data;
}

}  // namespace cmetrack::test
