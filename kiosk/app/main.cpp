// cmetrack-kiosk: the kiosk beside a session room's door (docs/formats.md,
// "cmetrack-kiosk"): the touchscreen window (the default),
// the headless mode, and offline provisioning (--load-meeting).
// Exit status: 0 success, 2 bad input or usage, 1 any other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <string>

#include "kiosk/app/export_scans.h"
#include "kiosk/app/headless.h"
#include "kiosk/app/window_mode.h"
#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/core/scan_intake.h"
#include "shared/meeting_import.h"
#include "shared/command_line.h"
#include "shared/version.h"

namespace {

using namespace cmetrack;
using namespace cmetrack::kiosk;

int fail(const error& e) {
  fmt::print(stderr, "cmetrack-kiosk: {}\n", e.message);
  return exit_status(e);
}

// --load-meeting: import the meeting file and cache it for this kiosk's room.
int load_meeting(kiosk_store& store, const kiosk_config& config, const std::string& file) {
  auto imported = read_meeting_file(file);
  if (!imported) return fail(imported.error());
  for (const auto& w : imported->warnings) fmt::print(stderr, "cmetrack-kiosk: warning: {}\n", w);
  const meeting& m = imported->meeting;
  if (m.room_index(config.room) < 0)
    return fail({error_kind::bad_input, fmt::format("{}: meeting {} has no room \"{}\", the room of kiosk {}",
                                                    file, m.id, config.room, config.kiosk)});
  if (auto r = store.cache_meeting(m, config.room); !r) return fail(r.error());
  auto cached = store.load_cached_meeting();
  if (!cached || !*cached) return fail(cached ? error{error_kind::failure, "the cached meeting did not read back"}
                                              : cached.error());
  const meeting& c = **cached;
  fmt::print("kiosk {}: cached meeting {} ({}), room {} ({}): {} sessions, {} attendees on the roster\n",
             config.kiosk, c.id, c.name, c.rooms[0].id, c.rooms[0].name, c.sessions.size(), c.attendees.size());
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-kiosk: the kiosk beside a session room's door. It records each badge scan in\n"
               "kiosk.db before it answers, and never waits on the network.",
               "cmetrack-kiosk"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  std::string config_file, db_file;
  std::optional<std::string> meeting_file;
  bool headless = false;
  headless_options options;
  app.add_option("--config", config_file, "The kiosk's configuration (kiosk.json)")->required();
  app.add_option("--db", db_file, "The kiosk's store (kiosk.db); created where missing")->required();
  auto* headless_flag =
      app.add_flag("--headless", headless, "No window: read one scanned payload a line from standard input, "
                                           "write one JSON line a scan to standard output");
  app.add_flag("--simulated-clock", options.simulated_clock, "With --headless: each line is `ISO-TIME PAYLOAD`")
      ->needs(headless_flag);
  app.add_option("--load-meeting", meeting_file,
                 "Cache a meeting file (JSON) for the kiosk's room in kiosk.db, then exit (offline provisioning)")
      ->excludes(headless_flag);
  std::optional<std::string> export_file;
  auto* export_opt = app.add_option("--export-scans", export_file,
                                    "Write every scan of kiosk.db as a scans file (CSV) for `cmetrack-central "
                                    "ingest`, then exit (a kiosk that cannot reach the central node)")
                         ->excludes(headless_flag);
  if (auto* load = app.get_option_no_throw("--load-meeting")) export_opt->excludes(load);

  window_mode_options window;
  auto* fullscreen = app.add_flag("--fullscreen", window.window.fullscreen,
                                  "Full screen on the primary monitor (else a 1920x1080 window)");
  auto* camera = app.add_option("--camera", window.camera_device, "Read badges from a V4L2 camera (e.g. /dev/video0)");
  auto* frames = app.add_option("--frames", window.frames_dir,
                                "Read image files of DIR (PNG, JPEG), in name order, as camera frames")
                     ->excludes(camera);
  auto* screenshot = app.add_option("--screenshot", window.screenshot,
                                    "Draw --after-frames N frames, write the window to FILE.png, exit 0");
  auto* after_frames = app.add_option("--after-frames", window.after_frames,
                                      "With --screenshot: how many frames to draw first (50 ms apart)")
                           ->check(CLI::Range(1, 100000));
  screenshot->needs(after_frames);
  after_frames->needs(screenshot);
  for (auto* window_option : {fullscreen, camera, frames, screenshot, after_frames}) {
    window_option->excludes(headless_flag);
    window_option->excludes(export_opt);
    if (auto* load = app.get_option_no_throw("--load-meeting")) window_option->excludes(load);
  }

  if (const auto status = cmetrack::parse_command_line(app, argc, argv)) return *status;

  auto config = read_kiosk_config(config_file);
  if (!config) return fail(config.error());
  auto store = kiosk_store::open(db_file);
  if (!store) return fail(store.error());
  if (meeting_file) return load_meeting(*store, *config, *meeting_file);
  if (export_file) return export_scans(*store, *config, *export_file);

  if (!headless) return run_window(*store, *config, window);

  // No meeting cached yet (the sync agent has not pulled it): it waits.
  auto intake = scan_intake::create_if_cached(*store, *config);
  if (!intake) return fail(intake.error());
  return run_headless(*store, *config, std::move(*intake), options);
}
