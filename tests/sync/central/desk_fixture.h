#pragma once
// The desk tests' fixture: the worked example's store (init + ingest through
// the CLI), opened through the library so the tests call claims.h and
// corrections.h directly, and the transcript read back as a user would
// (transcript --json, transcript --pdf through pdftotext).
#include <catch2/catch.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/store.h"
#include "tests/support/pdf_text.h"
#include "tests/sync/central/central_cli.h"

namespace cmetrack::test {

struct desk_store {
  std::unique_ptr<temp_dir> dir;
  std::string data;
  sqlite::database db;
  meeting m;
};

// "2026-04-24T16:00:00Z" and the like, as time_ms.
inline time_ms at(const char* iso) {
  const auto t = parse_iso8601(iso);
  REQUIRE(t);
  return *t;
}

// The worked example's store (attendees 1 and 2; `four`: all four), open.
inline desk_store open_worked_store(bool four = false) {
  auto dir = std::make_unique<temp_dir>();
  auto data = four ? worked_store_four(*dir) : worked_store(*dir);
  auto db = central::open_store(data, central::open_mode::existing);
  REQUIRE(db);
  auto m = central::load_meeting(*db);
  REQUIRE(m);
  return desk_store{std::move(dir), std::move(data), std::move(*db), std::move(*m)};
}

// transcript --pdf of one badge after the meeting, as text.
inline std::string transcript_pdf_text(const desk_store& s, const std::string& badge) {
  const auto pdf = *s.dir / (badge + ".pdf");
  central_ok({"transcript", "--data", s.data, "--badge", badge, "--pdf", pdf, "--now", after_meeting});
  return pdf_text(pdf);
}

inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace cmetrack::test
