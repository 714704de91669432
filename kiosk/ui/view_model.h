#pragma once
// What each screen says, as plain data: the screens (ImGui) only draw it.
// Pure functions of the kiosk's state and the time, tested without a window.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/core/scan_intake.h"
#include "kiosk/ui/palette.h"
#include "shared/meeting.h"

namespace cmetrack::kiosk::ui {

// How long a result stays on screen before the idle screen comes back.
constexpr time_ms result_display_ms = 3000;
// No contact with the central node for longer than this: the offline banner.
constexpr time_ms offline_after_ms = 60 * ms_per_second;

enum class tone { welcome, goodbye, notice, failure };

rgb background_of(tone t);
rgb text_colour_of(tone t);

// The result screen for one scan.
struct result_view {
  ui::tone tone = tone::failure;
  std::string headline;    // "Welcome, Jane"
  std::string detail;      // "checked in 09:03"
  std::string staff_note;  // error: the reason, for staff; else empty
};

result_view make_result_view(const scan_outcome& outcome);

// "0.75 credits", "1 credit", "0 credits".
std::string credits_text(int quarters);

// The idle screen: the room, what runs now and next, the clock.
struct idle_view {
  std::string room;  // "Ballroom A"
  std::string now;   // "Now: Safety in body contouring, until 09:30", or "No session now"
  std::string next;  // "Next: 10:00 Fat grafting outcomes", or "No more sessions"
  std::string clock; // "09:03"
  std::string day;   // "Fri 24 Apr"
};

idle_view make_idle_view(const meeting& m, time_ms now);

// The screen of a kiosk started before its sync agent's first pull of the
// meeting: it takes no scans until the meeting is cached in kiosk.db.
struct waiting_view {
  std::string headline;  // "Waiting for this room's meeting"
  std::string detail;    // "from the central node - scans are not taken yet"
  std::string kiosk;     // "Kiosk K-A1, room A, door A1"
  std::string staff;     // what staff can check (wrapped)
  std::string sync;      // the agent's last contact, or its last error
};

waiting_view make_waiting_view(const kiosk_config& config, const sync_status& status, time_ms now);

// The result screen for a scan refused while waiting (nothing recorded).
result_view make_waiting_refusal_view(const kiosk_config& config);

// The offline banner's text, or nothing while the sync agent reaches central.
std::optional<std::string> offline_banner(const sync_status& status, time_ms now);

// The staff screen's sync lines.
struct sync_view {
  std::string backlog;       // "Backlog: 3 scans not yet sent"
  std::string last_contact;  // "Last contact with central: 09:03:12 (12 s ago)" / "never"
  std::string clock_offset;  // "Clock offset: +120 ms (central ahead)"
  std::string last_error;    // "Last error: ..." or "Last error: none"
};

sync_view make_sync_view(const sync_status& status, std::int64_t backlog, time_ms now);

// One line of the staff screen's last scans: "09:03:12  000001  checked_in  wedge  sent".
std::string scan_line(const scan_row& row);

// "Mode: auto (kiosk.json)" or "Mode: exit (set by staff; kiosk.json says auto)".
std::string mode_text(kiosk_mode effective, std::optional<kiosk_mode> override_mode, kiosk_mode configured);

}  // namespace cmetrack::kiosk::ui
