// The window's logic without a window: the staff PIN, the mode override
// kept in kiosk.db, the live room count, reloading a meeting the sync agent
// re-cached, the scan inbox across threads, what each screen says, which
// screen shows when, and the clock in the meeting's zone.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <thread>

#include "kiosk/core/meeting_watch.h"
#include "kiosk/core/room_count.h"
#include "kiosk/core/scan_inbox.h"
#include "kiosk/ui/local_time.h"
#include "kiosk/ui/screen_state.h"
#include "kiosk/ui/view_model.h"
#include "tests/kiosk/fixtures.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack;
using namespace cmetrack::kiosk;
using cmetrack::kiosk::test::at;
namespace fx = cmetrack::kiosk::test;
namespace ui = cmetrack::kiosk::ui;

namespace {

struct store_at_room_a {
  store_at_room_a() {
    auto s = kiosk_store::open(dir / "kiosk.db");
    REQUIRE(s);
    store.emplace(std::move(*s));
    REQUIRE(store->cache_meeting(fx::worked_example(), "A"));
  }
  cmetrack::test::temp_dir dir;
  std::optional<kiosk_store> store;
};

kiosk_config with_pin(std::string pin) {
  kiosk_config c = fx::room_a_kiosk();
  c.staff_pin = std::move(pin);
  return c;
}

ui::screen_action act(ui::screen_action::kind k, char key = 0) {
  ui::screen_action a;
  a.what = k;
  a.key = key;
  return a;
}

}  // namespace

TEST_CASE("kiosk.json: staff_pin is 4 to 8 digits, optional, a wrong or absent PIN never matches") {
  auto ok = parse_kiosk_config(R"({"kiosk": "K", "room": "A", "door": "A1", "staff_pin": "2468"})", "kiosk.json");
  REQUIRE(ok);
  CHECK(ok->staff_pin == "2468");
  CHECK(staff_pin_matches(*ok, "2468"));
  CHECK_FALSE(staff_pin_matches(*ok, "246"));
  CHECK_FALSE(staff_pin_matches(*ok, "24680"));
  CHECK_FALSE(staff_pin_matches(*ok, "1357"));
  CHECK_FALSE(staff_pin_matches(*ok, ""));

  auto none = parse_kiosk_config(R"({"kiosk": "K", "room": "A", "door": "A1"})", "kiosk.json");
  REQUIRE(none);
  CHECK_FALSE(none->staff_pin);
  CHECK_FALSE(staff_pin_matches(*none, ""));

  for (const char* bad : {R"("123")", R"("123456789")", R"("12a4")", "1234"}) {
    auto r = parse_kiosk_config(std::string(R"({"kiosk": "K", "room": "A", "door": "A1", "staff_pin": )") + bad + "}",
                                "kiosk.json");
    INFO(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == error_kind::bad_input);
    CHECK_THAT(r.error().message, Catch::Contains("kiosk.json") && Catch::Contains("staff_pin"));
  }
}

TEST_CASE("kiosk.db: the mode staff set survives reopening, and clearing it follows kiosk.json again") {
  cmetrack::test::temp_dir dir;
  {
    auto s = kiosk_store::open(dir / "kiosk.db");
    REQUIRE(s);
    auto m = s->read_mode_override();
    REQUIRE(m);
    CHECK_FALSE(m->has_value());
    REQUIRE(s->write_mode_override(kiosk_mode::exit));
  }
  {
    auto s = kiosk_store::open(dir / "kiosk.db");
    REQUIRE(s);
    auto m = s->read_mode_override();
    REQUIRE(m);
    CHECK(*m == kiosk_mode::exit);
    REQUIRE(s->write_mode_override(std::nullopt));
  }
  auto s = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(s);
  auto m = s->read_mode_override();
  REQUIRE(m);
  CHECK_FALSE(m->has_value());
}

TEST_CASE("Scan intake: the mode staff set decides the direction of the next scans") {
  store_at_room_a k;
  auto intake = scan_intake::create(*k.store, fx::room_a_kiosk(kiosk_mode::automatic));
  REQUIRE(intake);
  CHECK(intake->record("000001", at("08:10:00"), "test").result == scan_result::checked_in);
  intake->set_mode(kiosk_mode::entry);
  CHECK(intake->record("000001", at("08:20:00"), "test").result == scan_result::checked_in);  // auto would toggle out
  intake->set_mode(kiosk_mode::exit);
  const auto out = intake->record("000001", at("08:40:00"), "test");
  CHECK(out.result == scan_result::checked_out);
  CHECK(out.minutes == 30);
}

TEST_CASE("Room count: badges inside by this kiosk's scans, as the engine sees them") {
  store_at_room_a k;
  auto intake = scan_intake::create(*k.store, fx::room_a_kiosk());
  REQUIRE(intake);
  const meeting& m = intake->cached_meeting();
  auto count = [&](const std::string& time) {
    auto c = count_inside(*k.store, m, fx::room_a_kiosk(), at(time));
    REQUIRE(c);
    return *c;
  };
  CHECK(count("08:00:00") == 0);
  intake->record("000001", at("08:05:00"), "test");  // Jane in
  intake->record("000002", at("08:06:00"), "test");  // Ravi in
  intake->record("000002", at("08:06:03"), "test");  // duplicate: Ravi still in
  intake->record("TAM26-777777", at("08:07:00"), "test");  // not on the roster yet, but inside
  intake->record("hello", at("08:08:00"), "test");   // not a badge: nobody
  CHECK(count("08:10:00") == 3);
  intake->record("000001", at("08:40:00"), "test");  // Jane out
  CHECK(count("08:41:00") == 2);
  CHECK(count("08:04:00") == 0);  // scans after `now` are not yet seen
  // The block ends at 11:00; those who never scanned out are inside through
  // the 30-minute exit grace, and not after it.
  CHECK(count("11:30:00") == 2);
  CHECK(count("11:30:01") == 0);
}

TEST_CASE("kiosk.db: data_version changes when another connection commits, not for this one's writes") {
  store_at_room_a k;
  auto before = k.store->data_version();
  REQUIRE(before);
  REQUIRE(k.store->write_mode_override(kiosk_mode::entry));
  auto own = k.store->data_version();
  REQUIRE(own);
  CHECK(*own == *before);

  auto agent = kiosk_store::open(k.dir / "kiosk.db");  // the sync agent re-caches the meeting
  REQUIRE(agent);
  meeting renamed = fx::worked_example();
  renamed.rooms[0].name = "Ballroom A (renamed)";
  REQUIRE(agent->cache_meeting(renamed, "A"));
  auto after = k.store->data_version();
  REQUIRE(after);
  CHECK(*after != *before);
  auto intake = scan_intake::create(*k.store, fx::room_a_kiosk());
  REQUIRE(intake);
  CHECK(intake->cached_meeting().rooms[0].name == "Ballroom A (renamed)");
}

TEST_CASE("Meeting watch: a kiosk started with no meeting builds its intake once another connection caches one") {
  cmetrack::test::temp_dir dir;
  auto kiosk = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(kiosk);
  auto none = scan_intake::create_if_cached(*kiosk, fx::room_a_kiosk());
  REQUIRE(none);
  CHECK_FALSE(*none);  // no meeting yet: nothing, and no failure
  auto refused = scan_intake::create(*kiosk, fx::room_a_kiosk());
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("holds no meeting yet"));

  // The agent caches it before the watch is even made: still found.
  auto agent = kiosk_store::open(dir / "kiosk.db");
  REQUIRE(agent);
  REQUIRE(agent->cache_meeting(fx::worked_example(), "B"));  // another room's first: unusable
  meeting_watch watch(*kiosk);
  std::optional<scan_intake> intake;
  std::string problem;
  CHECK_FALSE(watch.refresh(intake, fx::room_a_kiosk(), problem));
  CHECK_FALSE(intake);
  CHECK_THAT(problem, Catch::Contains("still waiting") && Catch::Contains("room \"B\""));
  problem.clear();
  CHECK_FALSE(watch.refresh(intake, fx::room_a_kiosk(), problem));  // nothing new: not tried again
  CHECK(problem.empty());

  REQUIRE(agent->cache_meeting(fx::worked_example(), "A"));
  CHECK(watch.refresh(intake, fx::room_a_kiosk(), problem));
  REQUIRE(intake);
  CHECK(problem.empty());
  CHECK(intake->cached_meeting().rooms[0].id == "A");
  const auto outcome = intake->record("TAM26-000001", at("08:00:00"), "test");
  CHECK(outcome.result == scan_result::checked_in);
  CHECK_FALSE(watch.refresh(intake, fx::room_a_kiosk(), problem));  // and then only on a new meeting
}

TEST_CASE("Waiting screen: what the kiosk waits for, which kiosk it is, what staff can check, and a refused scan") {
  const kiosk_config c = fx::room_a_kiosk();
  sync_status never;
  const ui::waiting_view v = ui::make_waiting_view(c, never, at("08:00:00"));
  CHECK(v.headline == "Waiting for this room's meeting");
  CHECK(v.detail == "from the central node - scans are not taken yet");
  CHECK(v.kiosk == "Kiosk K-A1, room A, door A1");
  CHECK_THAT(v.staff, Catch::StartsWith("For staff: kiosk.db holds no meeting yet.") &&
                          Catch::Contains("cmetrack-sync runs beside this kiosk") &&
                          Catch::Contains("central_url, token") && Catch::Contains("room A") &&
                          Catch::Contains("--load-meeting FILE.json"));
  CHECK(v.sync == "Last contact with central: never");

  sync_status failing;
  failing.last_error = "central refused the token (401)";
  CHECK(ui::make_waiting_view(c, failing, at("08:00:00")).sync ==
        "Last contact with central: never - Last error: central refused the token (401)");

  const ui::result_view r = ui::make_waiting_refusal_view(c);
  CHECK(r.tone == ui::tone::failure);
  CHECK(r.headline == "Not recorded - this kiosk is not ready");
  CHECK(r.detail == "It is waiting for this room's meeting; please see staff");
  CHECK_THAT(r.staff_note, Catch::StartsWith("waiting for this room's meeting from the central node: not recorded"));
}

TEST_CASE("Scan inbox: payloads posted from other threads arrive in order, each waking the UI, full is refused") {
  std::atomic<int> wakes = 0;
  scan_inbox inbox([&] { ++wakes; });
  std::thread camera([&] {
    for (int i = 0; i < 100; ++i) REQUIRE(inbox.post({"CAM" + std::to_string(i), i, "camera"}));
  });
  std::vector<posted_scan> got;
  while (got.size() < 100) {
    for (auto& s : inbox.take_all()) got.push_back(std::move(s));
    std::this_thread::yield();
  }
  camera.join();
  CHECK(wakes == 100);
  for (int i = 0; i < 100; ++i) {
    CHECK(got[static_cast<std::size_t>(i)].payload == "CAM" + std::to_string(i));
    CHECK(got[static_cast<std::size_t>(i)].source == "camera");
  }
  CHECK(inbox.empty());
  for (std::size_t i = 0; i < scan_inbox::capacity; ++i) REQUIRE(inbox.post({"x", 0, "wedge"}));
  CHECK_FALSE(inbox.post({"one too many", 0, "wedge"}));
}

TEST_CASE("Result screen: colour and words for each result") {
  ui::use_display_timezone("America/New_York");
  scan_outcome o;
  o.first_name = "Jane";
  o.at = at("09:03:20");

  o.result = scan_result::checked_in;
  auto v = ui::make_result_view(o);
  CHECK(v.tone == ui::tone::welcome);
  CHECK(ui::background_of(v.tone) == ui::palette::welcome_green);
  CHECK(v.headline == "Welcome, Jane");
  CHECK(v.detail == "checked in 09:03");

  o.result = scan_result::checked_out;
  o.minutes = 44;
  o.quarters = 3;
  v = ui::make_result_view(o);
  CHECK(v.tone == ui::tone::goodbye);
  CHECK(v.headline == "Goodbye, Jane");
  CHECK(v.detail == "44 min, 0.75 credits");

  o.result = scan_result::duplicate;
  v = ui::make_result_view(o);
  CHECK(v.tone == ui::tone::notice);
  CHECK(v.headline == "Already recorded");

  o.result = scan_result::unknown_badge;
  o.first_name.clear();
  v = ui::make_result_view(o);
  CHECK(v.tone == ui::tone::notice);
  CHECK(v.headline == "Badge not on our list yet");
  CHECK(v.detail == "You are recorded; please visit registration");

  o.result = scan_result::invalid_badge;
  v = ui::make_result_view(o);
  CHECK(v.tone == ui::tone::notice);
  CHECK(ui::text_colour_of(v.tone) == ui::palette::dark_text);

  o.result = scan_result::error;
  o.reason = "kiosk.db: database or disk is full";
  v = ui::make_result_view(o);
  CHECK(v.tone == ui::tone::failure);
  CHECK(ui::background_of(v.tone) == ui::palette::failure_red);
  CHECK(v.headline == "Not recorded - please see staff");
  CHECK(v.staff_note == "kiosk.db: database or disk is full");

  CHECK(ui::credits_text(4) == "1 credit");
  CHECK(ui::credits_text(5) == "1.25 credits");
  CHECK(ui::credits_text(0) == "0 credits");
}

TEST_CASE("Idle screen: the room, the session now and the next one, the clock, in the meeting's time") {
  ui::use_display_timezone("America/New_York");
  store_at_room_a k;
  auto intake = scan_intake::create(*k.store, fx::room_a_kiosk());
  REQUIRE(intake);
  const meeting& m = intake->cached_meeting();

  auto v = ui::make_idle_view(m, at("07:30:00"));
  CHECK(v.room == "Ballroom A");
  CHECK(v.clock == "07:30");
  CHECK(v.day == "Fri 24 Apr");
  CHECK(v.now == "No session now");
  CHECK(v.next == "Next: 08:00 Safety in body contouring");

  v = ui::make_idle_view(m, at("08:50:00"));
  CHECK(v.now == "Now: Safety in body contouring, until 09:30 (break until 08:55)");
  CHECK(v.next == "Next: 10:00 Fat grafting outcomes");

  v = ui::make_idle_view(m, at("11:30:00"));
  CHECK(v.now == "No session now");
  CHECK(v.next == "No more sessions in this room");
}

TEST_CASE("Offline banner: after 60 s without contact with central, or before the first") {
  ui::use_display_timezone("America/New_York");
  sync_status st;
  CHECK(ui::offline_banner(st, at("09:00:00")));
  st.last_contact = at("09:00:00");
  CHECK_FALSE(ui::offline_banner(st, at("09:00:30")));
  CHECK_FALSE(ui::offline_banner(st, at("09:01:00")));
  const auto banner = ui::offline_banner(st, at("09:01:01"));
  REQUIRE(banner);
  CHECK_THAT(*banner, Catch::Contains("09:00"));

  st.clock_offset_ms = -250;
  st.last_error = "connect: refused";
  const auto s = ui::make_sync_view(st, 3, at("09:00:12"));
  CHECK(s.backlog == "Backlog: 3 scans not yet sent");
  CHECK(s.last_contact == "Last contact with central: 09:00:00 (12 s ago)");
  CHECK(s.clock_offset == "Clock offset: -250 ms (central behind)");
  CHECK(s.last_error == "Last error: connect: refused");
}

TEST_CASE("Screens: a result for 3 s, then back where it came from") {
  ui::screen_state s;
  const kiosk_config c = with_pin("2468");
  const time_ms t = at("09:00:00");
  ui::result_view v;
  v.tone = ui::tone::welcome;
  s.show_result(v, t);
  CHECK(s.current() == ui::screen::result);
  CHECK(s.next_due() == t + ui::result_display_ms);
  CHECK_FALSE(s.tick(t + 2999));
  CHECK(s.tick(t + 3000));
  CHECK(s.current() == ui::screen::idle);
  CHECK_FALSE(s.next_due());  // idle: no timer of its own

  // From staff mode (a manual entry), the result goes back to staff mode.
  s.apply(act(ui::screen_action::open_staff), c, t);
  for (char d : std::string("2468")) s.apply(act(ui::screen_action::digit, d), c, t);
  s.apply(act(ui::screen_action::ok), c, t);
  REQUIRE(s.current() == ui::screen::staff);
  for (char d : std::string("000001")) s.apply(act(ui::screen_action::digit, d), c, t);
  const auto effect = s.apply(act(ui::screen_action::ok), c, t);
  CHECK(effect.what == ui::screen_effect::record_manual);
  CHECK(effect.payload == "000001");
  s.show_result(v, t);
  s.tick(t + 3000);
  CHECK(s.current() == ui::screen::staff);
  // Staff mode left alone for 2 minutes goes back to idle.
  CHECK(s.tick(t + 3000 + ui::screen_state::staff_timeout_ms));
  CHECK(s.current() == ui::screen::idle);
}

TEST_CASE("Screens: the PIN opens staff mode, wrong ones lock the keypad, no PIN, no staff mode") {
  const kiosk_config c = with_pin("2468");
  const time_ms t = at("09:00:00");
  ui::screen_state s;
  s.apply(act(ui::screen_action::open_staff), c, t);
  REQUIRE(s.current() == ui::screen::pin);
  for (int attempt = 0; attempt < ui::screen_state::wrong_pin_limit; ++attempt) {
    for (char d : std::string("1111")) s.apply(act(ui::screen_action::digit, d), c, t);
    s.apply(act(ui::screen_action::ok), c, t);
    CHECK(s.current() == ui::screen::pin);
  }
  CHECK(s.pin_locked(t));
  CHECK_THAT(s.message(), Catch::Contains("locked"));
  for (char d : std::string("2468")) s.apply(act(ui::screen_action::digit, d), c, t + 1000);
  s.apply(act(ui::screen_action::ok), c, t + 1000);
  CHECK(s.current() == ui::screen::pin);  // locked: even the right PIN waits
  s.tick(t + ui::screen_state::pin_timeout_ms + 1000);
  CHECK(s.current() == ui::screen::idle);  // the PIN screen gave up; the lock stays
  s.apply(act(ui::screen_action::open_staff), c, t + ui::screen_state::pin_timeout_ms + 2000);
  CHECK_THAT(s.message(), Catch::Contains("locked"));
  s.tick(t + ui::screen_state::pin_lockout_ms);
  CHECK_FALSE(s.pin_locked(t + ui::screen_state::pin_lockout_ms));
  CHECK(s.message().empty());
  const time_ms later = t + ui::screen_state::pin_lockout_ms + 1;
  for (char d : std::string("2469")) s.apply(act(ui::screen_action::digit, d), c, later);
  s.apply(act(ui::screen_action::back), c, later);
  s.apply(act(ui::screen_action::digit, '8'), c, later);
  s.apply(act(ui::screen_action::ok), c, later);
  CHECK(s.current() == ui::screen::staff);

  ui::screen_state none;
  const kiosk_config no_pin = fx::room_a_kiosk();
  none.apply(act(ui::screen_action::open_staff), no_pin, t);
  CHECK(none.current() == ui::screen::pin);
  CHECK_THAT(none.message(), Catch::Contains("disabled") && Catch::Contains("staff_pin"));
  none.apply(act(ui::screen_action::ok), no_pin, t);
  CHECK(none.current() == ui::screen::pin);
  none.tick(t + ui::screen_state::pin_timeout_ms);
  CHECK(none.current() == ui::screen::idle);
}

TEST_CASE("Screens: in screenshot mode a result stays until a touch") {
  ui::screen_state s;
  s.hold_results(true);
  s.show_result({}, 0);
  CHECK_FALSE(s.next_due());
  CHECK_FALSE(s.tick(60'000));
  CHECK(s.current() == ui::screen::result);
  s.apply(act(ui::screen_action::cancel), fx::room_a_kiosk(), 60'000);
  CHECK(s.current() == ui::screen::idle);
}

TEST_CASE("Clock: the meeting's zone as the kiosk holds it, whatever the process's TZ, and UTC where unknown") {
  const char* old = std::getenv("TZ");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("TZ", "Pacific/Auckland", 1);
  tzset();

  CHECK(ui::use_display_timezone("America/New_York"));
  CHECK(ui::clock_text(at("09:03:20")) == "09:03");
  CHECK(ui::clock_seconds_text(at("09:03:20")) == "09:03:20");
  CHECK(ui::day_text(at("09:03:20")) == "Fri 24 Apr");
  CHECK(ui::day_text(at("23:30:00")) == "Fri 24 Apr");  // 03:30 on the 25th in UTC
  CHECK(ui::local_day(at("00:30:00")) == ui::local_day(at("23:30:00")));
  CHECK(ui::local_day(at("23:30:00")) != ui::local_day(at("23:30:00") + ms_per_day));
  CHECK(std::getenv("TZ") == std::string("Pacific/Auckland"));

  CHECK_FALSE(ui::use_display_timezone("Mars/Olympus_Mons"));
  CHECK(ui::clock_text(at("09:03:20")) == "13:03");
  CHECK(ui::day_text(at("23:30:00")) == "Sat 25 Apr");
  CHECK_FALSE(ui::use_display_timezone(""));
  CHECK(ui::clock_seconds_text(at("09:03:20")) == "13:03:20");

  CHECK(ui::use_display_timezone("America/New_York"));  // as the tests before left it
  if (saved)
    setenv("TZ", saved->c_str(), 1);
  else
    unsetenv("TZ");
  tzset();
}
