#include "kiosk/ui/view_model.h"

#include <fmt/format.h>

#include "kiosk/ui/local_time.h"
#include "shared/credit.h"

namespace cmetrack::kiosk::ui {

rgb background_of(tone t) {
  switch (t) {
    case tone::welcome: return palette::welcome_green;
    case tone::goodbye: return palette::goodbye_blue;
    case tone::notice: return palette::notice_amber;
    case tone::failure: return palette::failure_red;
  }
  return palette::failure_red;
}

rgb text_colour_of(tone t) { return t == tone::notice ? palette::dark_text : palette::light_text; }

std::string credits_text(int quarters) {
  const std::string number = fmt::format("{}", credits(quarters));
  return quarters == 4 ? "1 credit" : number + " credits";
}

result_view make_result_view(const scan_outcome& o) {
  const auto with_name = [&](std::string_view greeting) {
    return o.first_name.empty() ? std::string(greeting) : fmt::format("{}, {}", greeting, o.first_name);
  };
  result_view v;
  switch (o.result) {
    case scan_result::checked_in:
      v.tone = tone::welcome;
      v.headline = with_name("Welcome");
      v.detail = "checked in " + clock_text(o.at);
      break;
    case scan_result::checked_out:
      v.tone = tone::goodbye;
      v.headline = with_name("Goodbye");
      v.detail = fmt::format("{} min, {}", o.minutes, credits_text(o.quarters));
      break;
    case scan_result::duplicate:
      v.tone = tone::notice;
      v.headline = "Already recorded";
      v.detail = o.first_name.empty() ? "No need to scan again" : fmt::format("Thank you, {} - no need to scan again", o.first_name);
      break;
    case scan_result::unknown_badge:
      v.tone = tone::notice;
      v.headline = "Badge not on our list yet";
      v.detail = "You are recorded; please visit registration";
      break;
    case scan_result::invalid_badge:
      v.tone = tone::notice;
      v.headline = "This code is not a meeting badge";
      v.detail = "Please scan the code on your badge, or see staff";
      break;
    case scan_result::error:
      v.tone = tone::failure;
      v.headline = "Not recorded - please see staff";
      v.detail = "Your scan was not saved on this kiosk";
      v.staff_note = o.reason.empty() ? "no reason given" : o.reason;
      break;
  }
  return v;
}

idle_view make_idle_view(const meeting& m, time_ms now) {
  idle_view v;
  v.room = m.rooms.empty() ? "" : m.rooms[0].name;
  v.clock = clock_text(now);
  v.day = day_text(now);
  const session* running = nullptr;
  const session* next = nullptr;
  for (const auto& s : m.sessions) {  // the cached meeting holds this room's sessions only
    if (s.start <= now && now < s.end && !running) running = &s;
    if (s.start > now && (!next || s.start < next->start)) next = &s;
  }
  if (running) {
    v.now = fmt::format("Now: {}, until {}", running->title, clock_text(running->end));
    for (const auto& b : running->breaks)
      if (b.start <= now && now < b.end) v.now += fmt::format(" (break until {})", clock_text(b.end));
  } else {
    v.now = "No session now";
  }
  if (next) {
    const std::string when = local_day(next->start) == local_day(now) ? clock_text(next->start)
                                                                        : day_text(next->start) + " " + clock_text(next->start);
    v.next = fmt::format("Next: {} {}", when, next->title);
  } else {
    v.next = "No more sessions in this room";
  }
  return v;
}

waiting_view make_waiting_view(const kiosk_config& config, const sync_status& status, time_ms now) {
  waiting_view v;
  v.headline = "Waiting for this room's meeting";
  v.detail = "from the central node - scans are not taken yet";
  v.kiosk = fmt::format("Kiosk {}, room {}, door {}", config.kiosk, config.room, config.door);
  v.staff = fmt::format(
      "For staff: kiosk.db holds no meeting yet. Check that cmetrack-sync runs beside this kiosk and reaches the "
      "central node (kiosk.json: central_url, token), and that the meeting has room {}; or load it here with "
      "cmetrack-kiosk --load-meeting FILE.json. This screen changes by itself when the meeting arrives.",
      config.room);
  const sync_view sync = make_sync_view(status, 0, now);
  v.sync = status.last_error.empty() ? sync.last_contact : sync.last_contact + " - " + sync.last_error;
  return v;
}

result_view make_waiting_refusal_view(const kiosk_config& config) {
  result_view v;
  v.tone = tone::failure;
  v.headline = "Not recorded - this kiosk is not ready";
  v.detail = "It is waiting for this room's meeting; please see staff";
  v.staff_note = waiting_reason(config);
  return v;
}

std::optional<std::string> offline_banner(const sync_status& status, time_ms now) {
  if (!status.last_contact)
    return std::string("Offline: this kiosk has not reached the central node yet - scans are kept here and sent later");
  if (now - *status.last_contact <= offline_after_ms) return std::nullopt;
  return fmt::format("Offline since {}: no contact with the central node - scans are kept here and sent later",
                     clock_text(*status.last_contact));
}

sync_view make_sync_view(const sync_status& status, std::int64_t backlog, time_ms now) {
  sync_view v;
  v.backlog = backlog == 0 ? "Backlog: every scan sent"
                           : fmt::format("Backlog: {} scan{} not yet sent", backlog, backlog == 1 ? "" : "s");
  if (status.last_contact) {
    const time_ms ago = now - *status.last_contact;
    v.last_contact = fmt::format("Last contact with central: {} ({} s ago)", clock_seconds_text(*status.last_contact),
                                 ago < 0 ? 0 : ago / 1000);
  } else {
    v.last_contact = "Last contact with central: never";
  }
  v.clock_offset = fmt::format("Clock offset: {:+} ms ({})", status.clock_offset_ms,
                               status.clock_offset_ms == 0 ? "in step"
                               : status.clock_offset_ms > 0 ? "central ahead" : "central behind");
  v.last_error = "Last error: " + (status.last_error.empty() ? std::string("none") : status.last_error);
  return v;
}

std::string scan_line(const scan_row& row) {
  return fmt::format("{}  #{}  {}  {}  {}{}", clock_seconds_text(row.at), row.seq, row.badge.value_or("(no badge)"),
                     row.result, row.source, row.sent ? "  sent" : "");
}

std::string mode_text(kiosk_mode effective, std::optional<kiosk_mode> override_mode, kiosk_mode configured) {
  if (!override_mode) return fmt::format("Mode: {} (kiosk.json)", to_string(effective));
  return fmt::format("Mode: {} (set by staff; kiosk.json says {})", to_string(effective), to_string(configured));
}

}  // namespace cmetrack::kiosk::ui
