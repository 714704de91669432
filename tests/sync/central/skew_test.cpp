// Clock skew: a kiosk whose clock runs 10 minutes fast still gives the right
// credit, because its agent reports clock_offset_ms (central's clock minus
// the kiosk's, here -600000) and the central node corrects that batch's
// scan times. Staff see the offset in `kiosks --json`.
#include <catch2/catch.hpp>

#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {
namespace {

using nlohmann::json;

// Ravi Shah's stays in the worked example (in 11:58Z, out 14:50Z: S1 1.25,
// S2 0.75 credit), as a kiosk stamps them whose clock is `skew_min` ahead.
std::vector<json> ravi_scans(int skew_min) {
  const auto at = [&](int h, int m) { return fmt::format("2026-04-24T{:02}:{:02}:00.000Z", h + (m + skew_min) / 60, (m + skew_min) % 60); };
  return {wire_scan_json("r-1", 1, "TAM26-000002", "A", at(11, 58), "in"),
          wire_scan_json("r-2", 2, "TAM26-000002", "A", at(14, 50), "out")};
}

}  // namespace

TEST_CASE("skew: a kiosk 10 minutes fast gives the right credit once the offset is applied", "[serve][skew]") {
  served_meeting m;
  auto c = m.client();
  const auto body = batch_body("K1", ravi_scans(10), {{"clock_offset_ms", -600000}, {"backlog", 0}});
  REQUIRE(c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)}).status == 200);

  const auto t = transcript(m.data, "000002");
  CHECK(t.at("total_credits") == 2.0);
  REQUIRE(t.at("sessions").size() == 2);
  CHECK(t.at("sessions")[0].at("minutes") == 80);
  CHECK(t.at("sessions")[1].at("minutes") == 50);

  // The stored time is central's; the kiosk's own is kept for audit.
  CHECK(m.db_text("SELECT strftime('%H:%M', at_ms / 1000, 'unixepoch') FROM scans WHERE id = 'r-1'") == "11:58");
  CHECK(m.db_text("SELECT strftime('%H:%M', kiosk_at_ms / 1000, 'unixepoch') FROM scans WHERE id = 'r-1'") == "12:08");
  const auto kiosks = json::parse(central_ok({"kiosks", "--data", m.data, "--json"}));
  CHECK(kiosks[0].at("clock_offset_ms") == -600000);
}

TEST_CASE("skew: uncorrected, the same scans would give other credit (the test can fail)", "[serve][skew]") {
  served_meeting m;
  auto c = m.client();
  REQUIRE(c->request("POST", "/api/v1/scans", batch_body("K1", ravi_scans(10)), {bearer(m.k1_token)}).status == 200);
  CHECK(transcript(m.data, "000002").at("total_credits") == 2.25);
}

TEST_CASE("skew: a kiosk 10 minutes slow (offset +600000) is corrected the other way", "[serve][skew]") {
  served_meeting m;
  auto c = m.client();
  const auto body = batch_body("K1", ravi_scans(-10), {{"clock_offset_ms", 600000}});
  REQUIRE(c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)}).status == 200);
  CHECK(transcript(m.data, "000002").at("total_credits") == 2.0);
}

TEST_CASE("skew: offsets of 5 s or less are not corrected", "[serve][skew]") {
  served_meeting m;
  auto c = m.client();
  const auto body = batch_body("K1", ravi_scans(0), {{"clock_offset_ms", 4000}});
  REQUIRE(c->request("POST", "/api/v1/scans", body, {bearer(m.k1_token)}).status == 200);
  CHECK(m.db_int("SELECT count(*) FROM scans WHERE at_ms = kiosk_at_ms") == 2);
}

}  // namespace cmetrack::test
