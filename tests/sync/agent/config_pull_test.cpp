// The kiosk config: pulled into kiosk.db when its ETag changes; a 304
// leaves the cache as it is.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "tests/sync/agent/agent_fixture.h"
#include "tests/sync/agent/fake_central.h"

using namespace cmetrack;
using namespace cmetrack::test;

namespace {
bool on_roster(kiosk::kiosk_store& store, const std::string& badge) {
  const auto m = store.load_cached_meeting();
  REQUIRE(m);
  REQUIRE(*m);
  for (const auto& a : (*m)->attendees)
    if (a.badge == badge) return true;
  return false;
}
}  // namespace

TEST_CASE("cmetrack-sync caches the kiosk config, sends its ETag back, and leaves the cache alone on 304") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  central.set_config(kiosk_config_body(/*extra_attendee=*/true), "\"v1\"");
  kiosk_site k;  // provisioned with the worked example: no badge 000777
  k.write_config(central.url(), fake_central::token, pki.ca_cert);
  REQUIRE_FALSE(on_roster(k.store(), "000777"));

  auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(on_roster(k.store(), "000777"));
  CHECK(k.store().read_sync_status()->config_etag == "\"v1\"");
  CHECK_THAT(r.err, Catch::Contains("config: cached meeting TAM26, room A: 2 sessions, 3 attendees on the roster (ETag \"v1\")"));
  auto configs = central.requests_to("/api/v1/kiosk/config");
  REQUIRE(configs.size() == 1);
  CHECK(configs[0].if_none_match.empty());
  CHECK(configs[0].authorization == std::string("Bearer ") + fake_central::token);
  const auto cached = *k.store().load_cached_meeting();
  CHECK(cached->rooms.size() == 1);  // this kiosk's room only
  CHECK(cached->rooms[0].id == "A");

  // Unchanged at central: a 304, and nothing rewritten (the row taken out
  // here stays out).
  REQUIRE(k.store().connection_for_tests().exec("DELETE FROM roster WHERE badge = '000777'"));
  r = run(k.agent_args({"--once"}), "", 60);
  CHECK(r.exit_code == 0);
  configs = central.requests_to("/api/v1/kiosk/config");
  REQUIRE(configs.size() == 2);
  CHECK(configs[1].if_none_match == "\"v1\"");
  CHECK_FALSE(on_roster(k.store(), "000777"));
  CHECK(k.store().read_sync_status()->config_etag == "\"v1\"");
  CHECK(k.store().read_sync_status()->last_contact.has_value());

  // Changed at central: pulled again.
  central.set_config(kiosk_config_body(/*extra_attendee=*/true), "\"v2\"");
  r = run(k.agent_args({"--once"}), "", 60);
  CHECK(r.exit_code == 0);
  CHECK(on_roster(k.store(), "000777"));
  CHECK(k.store().read_sync_status()->config_etag == "\"v2\"");
}

TEST_CASE("cmetrack-sync leaves the cached meeting alone when central's config has no room for the kiosk") {
  const auto pki = make_tls_pki();
  fake_central central(pki);
  auto body = nlohmann::json::parse(kiosk_config_body(true));
  body["rooms"] = nlohmann::json::array({{{"id", "B"}, {"name", "Ballroom B"}, {"capacity", 400}}});
  body["sessions"] = nlohmann::json::array();
  central.set_config(body.dump(), "\"v9\"");
  kiosk_site k;
  k.write_config(central.url(), fake_central::token, pki.ca_cert);

  const auto r = run(k.agent_args({"--once"}), "", 60);
  INFO(r.err);
  CHECK_THAT(r.err, Catch::Contains("has no room \"A\""));
  CHECK_THAT(r.err, Catch::Contains("re-enroll kiosk K-A1"));
  CHECK_FALSE(on_roster(k.store(), "000777"));
  CHECK(k.store().read_sync_status()->config_etag.empty());
}
