#pragma once
// Running cmetrack-central as a user would, on real data directories, and
// the inputs the CLI tests share: the worked example of docs/rules.md
// (tests/data/worked_example.json and .csv) and variants of it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {

// A moment after the worked example's last session (11:00 EDT = 15:00Z):
// the transcripts docs/rules.md shows are made then.
inline constexpr const char* after_meeting = "2026-04-24T16:00:00Z";

// The contract's scans-file header.
inline constexpr const char* scans_header = "id,kiosk,seq,badge,room,door,direction,at,source";

// tests/data/NAME
std::string test_data(const std::string& name);

// data/central.db
std::string central_db(const std::string& data);

// cmetrack-central ARGS...
process_result central(const std::vector<std::string>& args);

// cmetrack-central ARGS..., which must exit 0 (else the test stops, showing
// its stderr); returns what it printed on stdout.
std::string central_ok(const std::vector<std::string>& args);

// `transcript --json` and `rooms --json` at `now`, parsed.
nlohmann::json transcript(const std::string& data, const std::string& badge, const std::string& now = after_meeting);
nlohmann::json rooms(const std::string& data, const std::string& now);

// worked_example.json, parsed, to be edited into variants.
nlohmann::json worked_meeting();

// Writes `meeting` to dir/NAME and returns the path.
std::string write_meeting(const temp_dir& dir, const std::string& name, const nlohmann::json& meeting);

// Writes a scans file (the header, then `rows`) to dir/NAME; returns the path.
std::string write_scans(const temp_dir& dir, const std::string& name, const std::vector<std::string>& rows);

// init dir/NAME with worked_example.json and ingest worked_example.csv;
// returns the data directory.
std::string worked_store(const temp_dir& dir, const std::string& name = "data");

// The same with all four attendees of the worked example (docs/rules.md):
// worked_example_four.json and .csv, which add attendees 3 (the exit grace)
// and 4 (the arrival window) to attendees 1 and 2.
std::string worked_store_four(const temp_dir& dir, const std::string& name = "data");

}  // namespace cmetrack::test
