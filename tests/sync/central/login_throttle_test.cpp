// Login throttling, on its own clock: a guesser is slowed and held, the
// rightful user from an address without failures is not.
#include <catch2/catch.hpp>

#include "sync/central/api/login_throttle.h"

using cmetrack::central::login_throttle;
using cmetrack::ms_per_minute;
using cmetrack::ms_per_second;

namespace {

constexpr cmetrack::time_ms t0 = 1'777'017'600'000;  // any moment

}  // namespace

TEST_CASE("login throttle: two failures are free, then an address waits 1 s, 2 s, 4 s ... after its last",
          "[login_throttle]") {
  login_throttle t;
  const std::string user = "desk1", guesser = "10.0.0.66";
  t.failed(user, guesser, t0);
  t.failed(user, guesser, t0);
  CHECK(t.wait_ms(user, guesser, t0) == 0);
  t.failed(user, guesser, t0);
  CHECK(t.wait_ms(user, guesser, t0) == 1 * ms_per_second);
  CHECK(t.wait_ms("someone else", guesser, t0) == 1 * ms_per_second);  // the address backs off, whoever it names
  t.failed(user, guesser, t0 + 1000);
  CHECK(t.wait_ms(user, guesser, t0 + 1000) == 2 * ms_per_second);
  CHECK(t.wait_ms(user, guesser, t0 + 2500) == 500);
  CHECK(t.wait_ms("someone else", guesser, t0 + 3000) == 0);  // 4 failures for desk1: under 5 for the pair
}

TEST_CASE("login throttle: the backoff is at most 5 minutes, and 20 failures hold the address for the window",
          "[login_throttle]") {
  login_throttle t;
  const std::string guesser = "10.0.0.66";
  for (int i = 0; i < 12; ++i) t.failed("user" + std::to_string(i), guesser, t0);
  CHECK(t.wait_ms("fresh", guesser, t0) == login_throttle::longest_backoff_ms);
  for (int i = 12; i < 20; ++i) t.failed("user" + std::to_string(i), guesser, t0);
  CHECK(t.wait_ms("fresh", guesser, t0) == 10 * ms_per_minute);
  CHECK(t.wait_ms("fresh", guesser, t0 + 10 * ms_per_minute) == 0);  // the window has passed
}

TEST_CASE("login throttle: five failures hold that user from that address, and the same user elsewhere logs in",
          "[login_throttle]") {
  login_throttle t;
  const std::string user = "desk1", guesser = "10.0.0.66", desk = "10.0.0.10";
  for (int i = 0; i < 5; ++i) t.failed(user, guesser, t0 + i * 6 * ms_per_minute / 5);  // slowly: no backoff left
  const auto later = t0 + 6 * ms_per_minute + 10 * ms_per_second;
  CHECK(t.wait_ms(user, guesser, later) > 3 * ms_per_minute);
  CHECK(t.wait_ms(user, desk, later) == 0);
  SECTION("the window passes") { CHECK(t.wait_ms(user, guesser, t0 + 10 * ms_per_minute + 1) < ms_per_minute); }
}

TEST_CASE("login throttle: a user guessed from many addresses holds every address that failed, never a clean one",
          "[login_throttle]") {
  login_throttle t;
  const std::string user = "desk1";
  for (int i = 0; i < 10; ++i) t.failed(user, "10.0.1." + std::to_string(i), t0);
  CHECK(t.wait_ms(user, "10.0.1.3", t0 + ms_per_second) > 9 * ms_per_minute);  // failed once: held
  CHECK(t.wait_ms(user, "10.0.0.10", t0 + ms_per_second) == 0);               // the desk's own: through
  CHECK(t.wait_ms("desk2", "10.0.1.3", t0 + ms_per_second) == 0);             // another user: through
}

TEST_CASE("login throttle: the right password forgets that user's failures from that address", "[login_throttle]") {
  login_throttle t;
  const std::string user = "desk1", desk = "10.0.0.10";
  for (int i = 0; i < 4; ++i) t.failed(user, desk, t0 + i * ms_per_minute);
  t.failed(user, desk, t0 + 4 * ms_per_minute);  // the attempt, counted as it starts ...
  t.succeeded(user, desk, t0 + 4 * ms_per_minute);  // ... and taken back: the right password
  t.failed(user, desk, t0 + 5 * ms_per_minute);
  // One failure for the pair since; the address's own backoff still counts all five.
  CHECK(t.wait_ms(user, desk, t0 + 5 * ms_per_minute) == 4 * ms_per_second);
}

TEST_CASE("login throttle: guesses sent at once are held as if one after another", "[login_throttle]") {
  login_throttle t;
  const std::string user = "desk1", guesser = "10.0.0.66";
  int let_through = 0;
  for (int i = 0; i < 50; ++i) {  // all at t0, each counted as it starts, none checked yet
    if (t.wait_ms(user, guesser, t0) > 0) continue;
    ++let_through;
    t.failed(user, guesser, t0);
  }
  CHECK(let_through == 3);
}
