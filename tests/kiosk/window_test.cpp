// The kiosk's window under Xvfb, as an attendee and staff use it: a badge
// typed the way a keyboard-wedge scanner types it (xdotool), taps on the
// screen, and what the screen then shows (--screenshot) and kiosk.db holds.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/layout.h"
#include "kiosk/ui/palette.h"
#include "tests/kiosk/camera_frames.h"
#include "tests/kiosk/fixtures.h"
#include "tests/kiosk/kiosk_cli.h"
#include "tests/kiosk/xvfb_display.h"

using namespace cmetrack;
using namespace cmetrack::test;
namespace ui = cmetrack::kiosk::ui;
using namespace cmetrack::kiosk::test;

namespace {

constexpr float width = 1920, height = 1080, scale = 1;  // Xvfb's screen; content scale 1 (96 dpi)

// A kiosk for room A with the worked example cached (or, not `provisioned`,
// none yet: the sync agent has not pulled it), its window started with
// --screenshot after `frames` frames (drawn 50 ms apart, see kiosk/README.md).
struct window_kiosk {
  explicit window_kiosk(const std::string& extra_config = "", bool provisioned = true) {
    write_file(files.config(), R"({"kiosk": "K-A1", "room": "A", "door": "A1", "mode": "auto")" + extra_config + "}");
    if (provisioned) files.load_worked_example();
  }
  std::string shot() const { return files.dir / "shot.png"; }
  void start(int frames, std::vector<std::string> extra = {}) {
    // Under the sanitizers, Mesa and X11 leak a few hundred bytes at exit from
    // libraries already dlclose()d, whose frames LeakSanitizer cannot name (so
    // no suppression can match them): leak checks are off for the window
    // process only (set here, read by the child at its start; this test
    // process keeps its own). ASan's and UBSan's other checks stay on; the
    // kiosk's own code is leak-checked headless by kiosk_cli_test.
    setenv("LSAN_OPTIONS", "detect_leaks=0", 1);
    for (auto a : {std::string("--screenshot"), shot(), std::string("--after-frames"), std::to_string(frames)})
      extra.push_back(std::move(a));
    std::filesystem::remove(shot());  // a capture of an earlier start
    kiosk = std::make_unique<live_process>(files.args(extra));
    window = wait_for_window("^cmetrack-kiosk");
  }
  bool running() const { return !std::filesystem::exists(shot()); }
  // Waits for the capture and the exit; REQUIREs exit status 0.
  rgb_image finish() {
    kiosk->read_to_end(25000);
    const int status = kiosk->wait();
    errors = kiosk->error_output();
    INFO(errors);
    REQUIRE(status == 0);
    rgb_image image = read_png(shot());
    REQUIRE(image.width == 1920);
    REQUIRE(image.height == 1080);
    CHECK(image.colour_count() > 3);  // not blank: a background, text, and its anti-aliased edges
    return image;
  }
  std::vector<kiosk::scan_row> scans() const {
    auto store = kiosk::kiosk_store::open(files.db());
    REQUIRE(store);
    auto rows = store->all_scans();
    REQUIRE(rows);
    return *rows;
  }
  // Types like a wedge scanner: keys 5 ms apart, then Enter.
  void scan(const std::string& badge) const {
    xdotool({"windowfocus", "--sync", window});
    xdotool({"type", "--delay", "5", badge});
    xdotool({"key", "Return"});
  }
  // Taps the centres of `targets`, a quarter second apart (a person's pace).
  void tap(const std::vector<ui::rect>& targets) const {
    // A second first: the window may be mapped before its first frame, and
    // a press before that frame is lost (slow under the sanitizers).
    std::vector<std::string> args = {"sleep", "1"};
    for (const auto& r : targets) {
      for (std::string a : {"mousemove", "--window", window.c_str()}) args.push_back(a);
      args.push_back(fmt::format("{}", static_cast<int>(r.centre_x())));
      args.push_back(fmt::format("{}", static_cast<int>(r.centre_y())));
      // Pressed for 0.15 s, not clicked: Dear ImGui 1.86 drops a press and
      // release that fall within one frame, and frames are slow under the
      // sanitizers.
      for (std::string a : {"mousedown", "1", "sleep", "0.15", "mouseup", "1", "sleep", "0.25"}) args.push_back(a);
    }
    xdotool(args);
  }

  kiosk_files files;
  std::unique_ptr<live_process> kiosk;
  std::string window;
  std::string errors;  // what the kiosk wrote to stderr (after finish)
};

double share(const rgb_image& image, ui::rgb c) { return image.share_of(c.r, c.g, c.b); }

}  // namespace

TEST_CASE("Window: a badge typed by a wedge scanner is recorded, then a green welcome") {
  xvfb_display display;
  window_kiosk k;
  k.start(60);
  k.scan("000001");
  const rgb_image image = k.finish();

  const auto rows = k.scans();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].badge == "000001");
  CHECK(rows[0].result == "checked_in");
  CHECK(rows[0].source == "wedge");
  CHECK(share(image, ui::palette::welcome_green) > 0.6);
  CHECK(share(image, ui::palette::light_text) > 0.005);  // the welcome's words
  CHECK(share(image, ui::palette::idle_background) < 0.01);
}

TEST_CASE("Window: a badge held up to the camera (--frames) is recorded once, then a green welcome") {
  xvfb_display display;
  window_kiosk k;
  // Two seconds of video (40 frames, 50 ms apart) of the same QR badge.
  const auto frames = k.files.dir / "frames";
  std::filesystem::create_directory(frames);
  const auto code = code_image(ZXing::BarcodeFormat::QRCode, "TAM26-000001", 6);
  for (int i = 0; i < 40; ++i)
    write_png(noisy(in_scene(code, 200, 100), static_cast<unsigned>(i), 20), fmt::format("{}/{:03}.png", frames, i));
  k.start(80, {"--frames", frames});
  const rgb_image image = k.finish();

  const auto rows = k.scans();
  REQUIRE(rows.size() == 1);  // held for two seconds: one scan
  CHECK(rows[0].badge == "000001");
  CHECK(rows[0].result == "checked_in");
  CHECK(rows[0].source == "camera");
  CHECK(share(image, ui::palette::welcome_green) > 0.6);
}

TEST_CASE("Window: an unknown badge is recorded, then amber") {
  xvfb_display display;
  window_kiosk k;
  k.start(60);
  k.scan("TAM26-777777");
  const rgb_image image = k.finish();

  const auto rows = k.scans();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].badge == "777777");
  CHECK(rows[0].result == "unknown_badge");
  CHECK(share(image, ui::palette::notice_amber) > 0.6);
  CHECK(share(image, ui::palette::welcome_green) < 0.01);
}

TEST_CASE("Window: a person typing a badge number slowly is not a scan") {
  xvfb_display display;
  window_kiosk k;
  k.start(100);  // 5 s at least: longer than the typing below
  xdotool({"windowfocus", "--sync", k.window});
  xdotool({"type", "--delay", "200", "000001"});
  xdotool({"key", "Return"});
  REQUIRE(k.running());  // the typing ended while the kiosk still listened
  const rgb_image image = k.finish();

  CHECK(k.scans().empty());
  CHECK(share(image, ui::palette::idle_background) > 0.6);  // still the idle screen
}

TEST_CASE("Window: staff mode behind the PIN, typed on the on-screen keypad, the mode staff picks is kept") {
  xvfb_display display;
  window_kiosk k(R"(, "staff_pin": "2468")");
  k.start(100);
  std::vector<ui::rect> taps = {ui::staff_button(width, height, scale)};
  for (const char digit : std::string("2468")) taps.push_back(ui::pin_key(width, height, scale, ui::keypad_index_of(digit)));
  taps.push_back(ui::pin_key(width, height, scale, 11));                  // OK
  taps.push_back(ui::staff_mode_button(width, height, scale, 1));          // Exit
  k.tap(taps);
  REQUIRE(k.running());
  const rgb_image image = k.finish();

  CHECK(share(image, ui::palette::staff_background) > 0.4);
  const ui::rect exit_button = ui::staff_mode_button(width, height, scale, 1);
  const ui::rect auto_button = ui::staff_mode_button(width, height, scale, 2);
  const auto green = ui::palette::button_selected;
  CHECK(image.pixel_is(static_cast<int>(exit_button.x + 6), static_cast<int>(exit_button.centre_y()), green.r, green.g, green.b));
  CHECK_FALSE(image.pixel_is(static_cast<int>(auto_button.x + 6), static_cast<int>(auto_button.centre_y()), green.r, green.g, green.b));

  auto store = kiosk::kiosk_store::open(k.files.db());
  REQUIRE(store);
  const auto mode = store->read_mode_override();
  REQUIRE(mode);
  CHECK(*mode == kiosk::kiosk_mode::exit);
  CHECK(k.scans().empty());
}

TEST_CASE("Window: a wrong PIN does not open staff mode") {
  xvfb_display display;
  window_kiosk k(R"(, "staff_pin": "2468")");
  k.start(100);
  std::vector<ui::rect> taps = {ui::staff_button(width, height, scale)};
  for (const char digit : std::string("1357")) taps.push_back(ui::pin_key(width, height, scale, ui::keypad_index_of(digit)));
  taps.push_back(ui::pin_key(width, height, scale, 11));
  taps.push_back(ui::staff_mode_button(width, height, scale, 1));  // where Exit would be: nothing there
  k.tap(taps);
  REQUIRE(k.running());
  const rgb_image image = k.finish();

  // Still the PIN screen (staff's colour, the keypad), and the mode untouched.
  const ui::rect key = ui::pin_key(width, height, scale, 0);
  const auto b = ui::palette::button;
  CHECK(image.pixel_is(static_cast<int>(key.x + 6), static_cast<int>(key.centre_y()), b.r, b.g, b.b, 24));
  auto store = kiosk::kiosk_store::open(k.files.db());
  REQUIRE(store);
  const auto mode = store->read_mode_override();
  REQUIRE(mode);
  CHECK_FALSE(mode->has_value());
}

TEST_CASE("Window: started before its meeting is cached, the waiting screen, and a scan refused in red, not recorded") {
  xvfb_display display;
  window_kiosk k("", false);
  k.start(40);
  const rgb_image waiting = k.finish();  // it ran (no exit 2) and showed the waiting screen
  CHECK(share(waiting, ui::palette::waiting_background) > 0.6);
  CHECK(share(waiting, ui::palette::light_text) > 0.002);  // its words
  CHECK(share(waiting, ui::palette::idle_background) < 0.01);
  CHECK_THAT(k.errors, Catch::Contains("waiting for this room's meeting from the central node: kiosk K-A1, room A"));

  k.start(60);
  k.scan("000001");
  const rgb_image refused = k.finish();
  CHECK(share(refused, ui::palette::failure_red) > 0.6);
  CHECK(share(refused, ui::palette::welcome_green) < 0.01);
  CHECK(k.scans().empty());
  CHECK_THAT(k.errors, Catch::Contains("scan \"000001\" (wedge) not recorded: waiting for this room's meeting"));
}

TEST_CASE("Window: started before its meeting is cached, it takes a scan once the sync agent caches the meeting") {
  xvfb_display display;
  window_kiosk k("", false);
  k.start(140);  // 7 s at least: longer than the scans below
  k.scan("000002");  // while waiting: refused
  // xdotool returns once the keys are sent, before the kiosk has read them:
  // give it time to take (and refuse) the scan before the meeting comes.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  {
    // The agent's first pull: the meeting cached over its own connection.
    auto agent = kiosk::kiosk_store::open(k.files.db());
    REQUIRE(agent);
    REQUIRE(agent->cache_meeting(worked_example(), "A"));
  }
  k.scan("000001");
  REQUIRE(k.running());  // both scans came while the kiosk still listened
  const rgb_image image = k.finish();

  const auto rows = k.scans();
  REQUIRE(rows.size() == 1);  // the refused scan is not in kiosk.db
  CHECK(rows[0].badge == "000001");
  CHECK(rows[0].result == "checked_in");
  CHECK(rows[0].source == "wedge");
  CHECK(share(image, ui::palette::welcome_green) > 0.6);
  CHECK_THAT(k.errors, Catch::Contains("scan \"000002\" (wedge) not recorded") &&
                           Catch::Contains("meeting TAM26 cached for room A: taking scans"));
}
