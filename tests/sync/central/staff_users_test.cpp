// Staff users through the library, where the clock can be given: password
// hashes, session expiry, logout, and a new password revoking the old
// tokens.
#include <catch2/catch.hpp>

#include <string>

#include "shared/time.h"
#include "sync/central/store/staff_users.h"
#include "sync/central/store/store.h"
#include "tests/sync/central/central_cli.h"

namespace c = cmetrack::central;
namespace t = cmetrack::test;

TEST_CASE("staff users: a password hash is salted, slow and checks only its own password", "[central][staff]") {
  const auto one = c::hash_password("correct horse", 1000);
  const auto two = c::hash_password("correct horse", 1000);
  REQUIRE(one);
  REQUIRE(two);
  CHECK(one->rfind("pbkdf2-sha256$1000$", 0) == 0);
  CHECK(*one != *two);  // a fresh salt each time
  CHECK(c::password_matches("correct horse", *one));
  CHECK(c::password_matches("correct horse", *two));
  CHECK_FALSE(c::password_matches("correct horse ", *one));
  CHECK_FALSE(c::password_matches("", *one));
  // A damaged stored hash never matches.
  CHECK_FALSE(c::password_matches("correct horse", "pbkdf2-sha256$1000$zz$00"));
  CHECK_FALSE(c::password_matches("correct horse", "md5$1$00$00"));
  CHECK_FALSE(c::password_matches("correct horse", ""));
  CHECK(c::password_iterations >= 200'000);
}

TEST_CASE("staff users: a session token expires after 12 hours, ends at logout, and a new password revokes all",
          "[central][staff]") {
  cmetrack::test::temp_dir dir;
  const std::string data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::test_data("worked_example.json")});
  auto db = c::open_store(data, c::open_mode::existing);
  REQUIRE(db);
  const cmetrack::time_ms now = *cmetrack::parse_iso8601("2026-04-24T12:00:00Z");
  const auto made = c::set_staff_user(*db, "desk1", "correct horse", now);
  REQUIRE(made);
  CHECK(made->created);
  const auto api = made->token;

  auto session = c::log_in(*db, "desk1", "correct horse", now);
  REQUIRE(session);
  REQUIRE(*session);
  const auto token = (*session)->token;
  CHECK((*session)->expires == now + 12 * 60 * cmetrack::ms_per_minute);
  CHECK(c::find_staff_token(*db, token, now + 11 * 60 * cmetrack::ms_per_minute)->state == c::staff_token_state::valid);
  CHECK(c::find_staff_token(*db, token, now + 12 * 60 * cmetrack::ms_per_minute)->state == c::staff_token_state::expired);
  CHECK(c::find_staff_token(*db, api, now + 365LL * 24 * 60 * cmetrack::ms_per_minute)->state ==
        c::staff_token_state::valid);  // an API token has no expiry

  REQUIRE(c::log_out(*db, token, now + 1000));
  CHECK(c::find_staff_token(*db, token, now + 2000)->state == c::staff_token_state::revoked);
  CHECK(c::find_staff_token(*db, api, now + 2000)->state == c::staff_token_state::valid);  // logout ends sessions only

  auto second = c::log_in(*db, "desk1", "correct horse", now + 3000);
  REQUIRE(second);
  REQUIRE(*second);
  const auto again = c::set_staff_user(*db, "desk1", "battery staple", now + 4000);
  REQUIRE(again);
  CHECK_FALSE(again->created);
  CHECK(c::find_staff_token(*db, api, now + 5000)->state == c::staff_token_state::revoked);
  CHECK(c::find_staff_token(*db, (*second)->token, now + 5000)->state == c::staff_token_state::revoked);
  CHECK(c::find_staff_token(*db, again->token, now + 5000)->state == c::staff_token_state::valid);
  auto old_password = c::log_in(*db, "desk1", "correct horse", now + 6000);
  REQUIRE(old_password);
  CHECK_FALSE(*old_password);
  CHECK(c::find_staff_token(*db, std::string(64, '0'), now)->state == c::staff_token_state::unknown);
}
