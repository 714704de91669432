#pragma once
// Reading and validating a meeting file (docs/formats.md, "Meeting file").
// Every rejection names the file and the field at fault (and the line and
// column where the JSON itself is malformed); nothing is half-imported.
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"

namespace cmetrack {

struct meeting_import {
  cmetrack::meeting meeting;
  std::vector<std::string> warnings;  // e.g. unknown fields, which are ignored
};

// `file` names the source in messages.
result<meeting_import> parse_meeting(std::string_view json_text, std::string_view file);

// The meeting file's activity facts ("provider", "location", "designation",
// "physician_degrees") and "evaluation" as JSON text, for central.db to keep
// (evaluation_json: empty where there are no questions), and read back.
std::string activity_json(const meeting& m);
std::string evaluation_json(const meeting& m);
result<void> read_stored_activity(std::string_view activity, std::string_view evaluation, meeting& m);

// Reads the file, then parse_meeting().
result<meeting_import> read_meeting_file(const std::string& path);

}  // namespace cmetrack
