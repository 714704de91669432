#pragma once
// Two meetings of one provider for the learner report and the archive: the
// worked example of docs/rules.md twice, in two data directories.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shared/time.h"
#include "sync/central/reports/claims.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/store.h"
#include "tests/sync/central/central_cli.h"

namespace cmetrack::test {

// The worked example twice, as two meetings of one provider: TAM26, where
// learner NPI-1 is Jane Doe (badge 000001: 2.75 credits, docs/rules.md),
// and TAM26-FALL, where the same learner wears badge 000002 (2.00 credits).
struct two_meetings {
  temp_dir dir;
  std::string spring, fall;
  two_meetings() {
    auto m = worked_meeting();
    m["attendees"][0]["learner_id"] = "NPI-1";
    m["attendees"][1]["learner_id"] = "NPI-2";
    spring = dir / "spring";
    central_ok({"init", "--data", spring, "--meeting", write_meeting(dir, "spring.json", m)});
    central_ok({"ingest", "--data", spring, test_data("worked_example.csv")});
    m["meeting"]["id"] = "TAM26-FALL";
    m["meeting"]["name"] = "The Aesthetic Meeting 2026, fall course";
    m["attendees"][0]["learner_id"] = "NPI-2";
    m["attendees"][1]["learner_id"] = "NPI-1";
    fall = dir / "fall";
    central_ok({"init", "--data", fall, "--meeting", write_meeting(dir, "fall.json", m)});
    central_ok({"ingest", "--data", fall, test_data("worked_example.csv")});
  }
  // learner --json over both data directories.
  nlohmann::json learner(const std::string& id, const std::string& now = after_meeting,
                         const std::vector<std::string>& more = {}) {
    std::vector<std::string> args{"learner", "--data", spring, "--data", fall, "--id", id, "--json", "--now", now};
    args.insert(args.end(), more.begin(), more.end());
    return nlohmann::json::parse(central_ok(args));
  }
  // At the desk of TAM26-FALL, Ravi (badge 000002, who earned S1 1.25 and
  // S2 0.75) claims S1 1.00 and S2 0.75.
  void claim_at_fall() const {
    auto db = central::open_store(fall, central::open_mode::existing);
    REQUIRE(db);
    auto m = central::load_meeting(*db);
    REQUIRE(m);
    const auto claimed = central::record_claim(*db, *m, "000002", {{"S1", 4}, {"S2", 3}}, true, "desk1",
                                               parse_iso8601(after_meeting).value_or(0));
    INFO((claimed ? "" : claimed.error().message));
    REQUIRE(claimed);
  }
};

}  // namespace cmetrack::test
