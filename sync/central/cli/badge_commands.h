#pragma once
// The registration desk's printing commands of cmetrack-central: `badges`
// (a sheet of badges as a PDF, or to the printer) and `transcript --print`.
// main.cpp only parses; these return what to print or what went wrong.
#include <optional>
#include <string>
#include <vector>

#include "shared/error.h"
#include "sync/central/cli/commands.h"

namespace cmetrack::central {

struct badges_options {
  std::string data;
  std::vector<std::string> badges;  // badge ids (or payloads as scanned); or every attendee
  bool all = false;
  std::string payload = "{badge}";  // what the barcode carries, {badge} replaced by the id
  std::string barcode = "qr";       // qr, datamatrix, pdf417, code128
  std::string pdf;                  // write here, or
  bool print = false;               // send to the printer through lp
  std::optional<std::string> printer;
};

// Badges for the attendees named (in the order named) or every attendee by
// badge: checked (each on the roster, each payload read back to its id by
// the meeting's badge pattern) before anything is written or printed.
result<std::string> run_badges(const badges_options& o);

// The transcript(s) of `o`, as --pdf makes them, sent to `printer` (or the
// default one) with lp through a temporary file.
result<std::string> run_transcript_print(const transcript_options& o, const std::optional<std::string>& printer);

}  // namespace cmetrack::central
