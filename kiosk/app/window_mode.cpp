// The touchscreen app's loop.
//
//   GLFW keys --on_text/on_enter--> wedge classifier --scan--+
//   staff keypad (manual entry) ----------------------------+--> scan_inbox
//   camera worker thread (camera_source) -------------------+    (+ wake)
//                                                                  |
//   loop: wait(until the next timer or event) -> timers (result end, clock
//   minute, 1 s status poll) -> scans from the inbox, each recorded and
//   committed by scan_intake -> result screen -> draw only when something
//   changed (no busy loop; --screenshot draws every 50 ms).
//
// Started before the sync agent's first pull (no meeting in kiosk.db), the
// kiosk has no intake: it shows the waiting screen, refuses each scan on
// screen (nothing recorded), and builds the intake on the status poll or
// the next scan after the agent caches the meeting (core/meeting_watch).
#include "kiosk/app/window_mode.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "kiosk/app/fonts.h"
#include "kiosk/app/screenshot.h"
#include "kiosk/camera/camera_source.h"
#include "kiosk/core/meeting_watch.h"
#include "kiosk/core/room_count.h"
#include "kiosk/core/scan_inbox.h"
#include "kiosk/core/scan_intake.h"
#include "kiosk/core/wedge.h"
#include "kiosk/ui/local_time.h"
#include "kiosk/ui/screens.h"
#include "shared/time.h"

namespace cmetrack::kiosk {
namespace {

volatile sig_atomic_t stop_requested = 0;
void on_stop(int) { stop_requested = 1; }

time_ms steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

constexpr time_ms status_poll_ms = 1000;

// Times on screen in the meeting's timezone.
void show_in_meeting_timezone(const meeting& m) {
  if (!ui::use_display_timezone(m.timezone))
    fmt::print(stderr, "cmetrack-kiosk: the meeting's time zone \"{}\" is not in this system's time zone database "
                       "(/usr/share/zoneinfo, package tzdata); the screens show UTC\n", m.timezone);
}
constexpr time_ms screenshot_frame_ms = 50;
constexpr int recent_scan_count = 20;

class kiosk_app final : public window_events {
 public:
  kiosk_app(kiosk_store& store, const kiosk_config& config, std::optional<scan_intake> intake,
            const window_mode_options& options)
      : store_(store), config_(config), intake_(std::move(intake)), options_(options),
        inbox_([] { kiosk_window::wake(); }) {}

  scan_inbox& inbox() { return inbox_; }
  int run(kiosk_window& window);

  // window_events
  void on_text(unsigned codepoint) override {
    char utf8[4];
    const std::size_t n = encode_utf8(codepoint, utf8);
    for (std::size_t i = 0; i < n; ++i) feed_wedge(utf8[i]);
  }
  void on_enter() override { feed_wedge('\n'); }
  void on_pointer() override {
    dirty_ = true;
    extra_frames_ = 2;  // a press and its release may come in one batch: ImGui needs a frame for each
  }
  void on_scale_changed() override { scale_changed_ = true; }

 private:
  static std::size_t encode_utf8(unsigned c, char* out);
  void feed_wedge(char key) {
    if (auto payload = wedge_.feed(key, steady_ms()))
      if (!inbox_.post({std::move(*payload), now_ms(), "wedge"}))
        fmt::print(stderr, "cmetrack-kiosk: the scan inbox is full; a wedge scan was dropped\n");
  }
  kiosk_config effective_config() const {
    kiosk_config c = config_;
    if (mode_override_) c.mode = *mode_override_;
    return c;
  }
  void reload_meeting_if_changed();
  void poll_status(time_ms now);
  void refresh_staff(time_ms now);
  void record(const posted_scan& scan);
  void apply(const ui::screen_effect& effect);
  ui::frame_model model(time_ms now) const;
  ui::rgb background() const;

  kiosk_store& store_;
  kiosk_config config_;  // as kiosk.json says
  std::optional<scan_intake> intake_;  // none while waiting for the room's meeting
  const window_mode_options& options_;
  scan_inbox inbox_;
  wedge_classifier wedge_;
  ui::screen_state screens_;
  std::optional<kiosk_mode> mode_override_;
  meeting_watch watch_{store_};
  std::string reported_note_;
  sync_status status_;
  std::int64_t backlog_ = 0;
  ui::staff_model staff_;
  std::string reload_note_;
  std::optional<std::string> banner_;
  bool dirty_ = true;
  int extra_frames_ = 0;
  bool scale_changed_ = false;
};

std::size_t kiosk_app::encode_utf8(unsigned c, char* out) {
  if (c < 0x80) { out[0] = static_cast<char>(c); return 1; }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// The sync agent caches a new meeting over its own connection: the intake
// is built again from it (core/meeting_watch).
void kiosk_app::reload_meeting_if_changed() {
  const bool waiting = !intake_;
  if (watch_.refresh(intake_, effective_config(), reload_note_)) {
    dirty_ = true;
    if (waiting) {
      const meeting& m = intake_->cached_meeting();
      fmt::print(stderr, "cmetrack-kiosk: meeting {} cached for room {}: taking scans\n", m.id, m.rooms.at(0).id);
      show_in_meeting_timezone(m);
    }
  }
  if (!reload_note_.empty() && reload_note_ != reported_note_) {
    fmt::print(stderr, "cmetrack-kiosk: {}\n", reload_note_);
    reported_note_ = reload_note_;
  }
}

void kiosk_app::poll_status(time_ms now) {
  reload_meeting_if_changed();
  if (auto st = store_.read_sync_status()) {
    if (!intake_ && *st != status_) dirty_ = true;  // the waiting screen shows it
    status_ = std::move(*st);
  }
  if (auto b = store_.backlog()) backlog_ = *b;
  // While waiting, the waiting screen says what the agent last did instead.
  auto banner = intake_ ? ui::offline_banner(status_, now) : std::nullopt;
  if (banner != banner_) {
    banner_ = std::move(banner);
    dirty_ = true;
  }
  if (screens_.current() == ui::screen::staff) refresh_staff(now);
}

void kiosk_app::refresh_staff(time_ms now) {
  ui::staff_model s;
  std::string problems = reload_note_;
  if (!intake_) {
    problems += "no meeting in kiosk.db yet";
  } else if (auto inside = count_inside(store_, intake_->cached_meeting(), config_, now)) {
    s.inside = *inside;
  } else {
    problems += inside.error().message;
  }
  if (auto rows = store_.recent_scans(recent_scan_count)) {
    for (const auto& r : *rows) s.recent.push_back(ui::scan_line(r));
  } else {
    problems += rows.error().message;
  }
  s.sync = ui::make_sync_view(status_, backlog_, now);
  s.effective_mode = mode_override_.value_or(config_.mode);
  s.mode_overridden = mode_override_.has_value();
  s.mode = ui::mode_text(s.effective_mode, mode_override_, config_.mode);
  s.note = problems;
  const bool changed = s.inside != staff_.inside || s.recent != staff_.recent || s.mode != staff_.mode ||
                       s.note != staff_.note || s.sync.backlog != staff_.sync.backlog ||
                       s.sync.last_contact != staff_.sync.last_contact || s.sync.clock_offset != staff_.sync.clock_offset ||
                       s.sync.last_error != staff_.sync.last_error;
  if (changed) {
    staff_ = std::move(s);
    dirty_ = true;
  }
}

// A scan's result is shown only after record() has committed it (or failed).
void kiosk_app::record(const posted_scan& scan) {
  reload_meeting_if_changed();
  if (!intake_) {
    fmt::print(stderr, "cmetrack-kiosk: scan \"{}\" ({}) not recorded: {}\n", scan.payload, scan.source,
               waiting_reason(config_));
    screens_.show_result(ui::make_waiting_refusal_view(config_), now_ms());
    dirty_ = true;
    return;
  }
  const scan_outcome outcome = intake_->record(scan.payload, scan.at, scan.source);
  if (outcome.result == scan_result::error)
    fmt::print(stderr, "cmetrack-kiosk: scan \"{}\" ({}) not recorded: {}\n", scan.payload, scan.source, outcome.reason);
  screens_.show_result(ui::make_result_view(outcome), now_ms());
  if (auto b = store_.backlog()) backlog_ = *b;
  dirty_ = true;
}

void kiosk_app::apply(const ui::screen_effect& effect) {
  std::optional<kiosk_mode> mode;
  switch (effect.what) {
    case ui::screen_effect::none: return;
    case ui::screen_effect::record_manual:
      if (!inbox_.post({effect.payload, now_ms(), "manual"}))
        fmt::print(stderr, "cmetrack-kiosk: the scan inbox is full; the manual entry was dropped\n");
      return;
    case ui::screen_effect::set_mode: mode = effect.mode; break;
    case ui::screen_effect::follow_config_mode: break;
  }
  if (auto r = store_.write_mode_override(mode); !r) {
    reload_note_ = r.error().message;
    return;
  }
  mode_override_ = mode;
  if (intake_) intake_->set_mode(mode.value_or(config_.mode));
}

ui::frame_model kiosk_app::model(time_ms now) const {
  ui::frame_model m;
  m.state = &screens_;
  if (intake_) m.idle = ui::make_idle_view(intake_->cached_meeting(), now);
  else m.waiting = ui::make_waiting_view(config_, status_, now);
  m.banner = banner_;
  m.staff = staff_;
  return m;
}

ui::rgb kiosk_app::background() const {
  switch (screens_.current()) {
    case ui::screen::idle: return intake_ ? ui::palette::idle_background : ui::palette::waiting_background;
    case ui::screen::result: return ui::background_of(screens_.result().tone);
    case ui::screen::pin:
    case ui::screen::staff: return ui::palette::staff_background;
  }
  return ui::palette::idle_background;
}

int kiosk_app::run(kiosk_window& window) {
  if (auto m = store_.read_mode_override(); m && *m) {
    mode_override_ = *m;
    if (intake_) intake_->set_mode(**m);
  }
  const bool screenshot = options_.screenshot.has_value();
  screens_.hold_results(screenshot);
  float scale = window.content_scale();
  auto fonts = load_fonts(scale);
  if (!fonts) {
    fmt::print(stderr, "cmetrack-kiosk: {}\n", fonts.error().message);
    return 1;
  }
  int frames = 0;
  time_ms next_poll = 0, next_clock = 0, next_frame = 0;

  while (!window.should_close() && !stop_requested) {
    time_ms now = now_ms();
    if (now >= next_poll) {
      poll_status(now);
      next_poll = now + status_poll_ms;
    }
    if (now >= next_clock) {
      dirty_ = true;  // the clock's minute, the session now and next
      next_clock = ui::next_minute(now);
    }
    if (screens_.tick(now)) dirty_ = true;
    for (const auto& scan : inbox_.take_all()) record(scan);
    if (scale_changed_) {
      scale_changed_ = false;
      if (const float s = window.content_scale(); s != scale) {
        if (auto f = load_fonts(s)) {
          scale = s;
          fonts = std::move(f);
          window.refresh_fonts();
        }
      }
      dirty_ = true;
    }

    const bool draw = screenshot ? now >= next_frame : (dirty_ || extra_frames_ > 0);
    if (draw) {
      const ui::screen before = screens_.current();
      if (before == ui::screen::staff) refresh_staff(now);
      window.begin_frame();
      ui::frame_model m = model(now);
      m.scale = scale;
      const ui::screen_action action = ui::draw_screens(m, *fonts);
      window.render(background());
      ++frames;
      if (screenshot && frames >= options_.after_frames) {
        int width = 0, height = 0;
        window.framebuffer_size(width, height);
        if (auto r = write_screenshot(*options_.screenshot, width, height); !r) {
          fmt::print(stderr, "cmetrack-kiosk: {}\n", r.error().message);
          return 1;
        }
        return 0;
      }
      window.swap();
      dirty_ = false;
      if (extra_frames_ > 0) --extra_frames_;
      if (action.what != ui::screen_action::none) {
        apply(screens_.apply(action, effective_config(), now));
        if (screens_.current() == ui::screen::staff) refresh_staff(now);
        dirty_ = true;
      }
      if (screens_.current() != before) dirty_ = true;
      next_frame = now + screenshot_frame_ms;
    }

    // Sleep until the next timer, or an event (a key, a touch, a posted scan).
    time_ms due = std::min(next_poll, next_clock);
    if (auto d = screens_.next_due()) due = std::min(due, *d);
    if (screenshot) due = std::min(due, next_frame);
    if (dirty_ || extra_frames_ > 0 || !inbox_.empty()) due = now;
    const time_ms wait = due - now_ms();
    window.wait(wait > 0 ? static_cast<double>(wait) / 1000.0 : 0.0);
  }
  if (stop_requested) fmt::print(stderr, "cmetrack-kiosk: stopped on request\n");
  return 0;
}

}  // namespace

int run_window(kiosk_store& store, const kiosk_config& config, const window_mode_options& options) {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  kiosk_config effective = config;
  if (auto m = store.read_mode_override(); m && *m) effective.mode = **m;
  // No meeting cached yet (the sync agent has not pulled it): the window
  // opens on the waiting screen.
  auto intake = scan_intake::create_if_cached(store, effective);
  if (!intake) {
    fmt::print(stderr, "cmetrack-kiosk: {}\n", intake.error().message);
    return exit_status(intake.error());
  }
  if (*intake)
    show_in_meeting_timezone((*intake)->cached_meeting());
  else
    fmt::print(stderr, "cmetrack-kiosk: {}\n", waiting_notice(config, store.path()));

  kiosk_app app(store, config, std::move(*intake), options);
  auto window = kiosk_window::open(options.window, app);
  if (!window) {
    fmt::print(stderr, "cmetrack-kiosk: {}\n", window.error().message);
    return 1;
  }

  // ---- The camera: the one place it is opened (--camera DEV / --frames DIR). ----
  // Its worker thread posts each payload to the inbox, which wakes the loop.
  std::unique_ptr<camera_source> camera;
  if (options.camera_device || options.frames_dir) {
    auto post = [&inbox = app.inbox()](std::string payload) {
      if (!inbox.post({std::move(payload), now_ms(), "camera"}))
        fmt::print(stderr, "cmetrack-kiosk: the scan inbox is full; a camera scan was dropped\n");
    };
    auto opened = options.camera_device ? camera_source::open_camera(*options.camera_device, post)
                                        : camera_source::open_frames(*options.frames_dir, post);
    if (!opened) {
      fmt::print(stderr, "cmetrack-kiosk: {}\n", opened.error().message);
      return exit_status(opened.error());
    }
    camera = std::move(*opened);
  }

  const int status = app.run(**window);
  camera.reset();  // joins the worker before the inbox goes
  return status;
}

}  // namespace cmetrack::kiosk
