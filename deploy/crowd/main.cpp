// cmetrack-crowd: the demo's meeting and its crowd (deploy/crowd/README.md).
//   meeting: writes a demo meeting relative to now (meeting.json) and its
//            attendees' badge images (badges/BADGE.png);
//   replay:  feeds headless kiosks a realistic crowd's scans, seeded, at a
//            chosen speed until it catches up with the real clock.
// Exit status: 0 success (and on SIGTERM/SIGINT), 2 bad input or usage, 1 any
// other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "deploy/crowd/badge_images.h"
#include "deploy/crowd/crowd_plan.h"
#include "deploy/crowd/demo_meeting.h"
#include "deploy/crowd/replay.h"
#include "shared/command_line.h"
#include "shared/meeting_import.h"
#include "shared/time.h"
#include "shared/version.h"

namespace {

using namespace cmetrack;

int fail(const error& e) {
  fmt::print(stderr, "cmetrack-crowd: {}\n", e.message);
  return exit_status(e);
}

result<time_ms> time_option(const std::string& text, const char* option) {
  if (const auto t = parse_iso8601(text)) return *t;
  return bad_input(fmt::format("{} \"{}\": not an ISO-8601 time such as 2026-04-24T08:00:00-04:00", option, text));
}

result<bool> write_text(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0)
    return failure(fmt::format("{}: cannot write (disk full, or no permission?)", path));
  return true;
}

struct meeting_args {
  std::string out, start, timezone;
  crowd::demo_meeting_options options;
  bool badges = true;
};

int run_meeting(meeting_args& a) {
  if (!a.timezone.empty()) {  // offsets in the file are this zone's
    setenv("TZ", a.timezone.c_str(), 1);
    tzset();
  }
  a.options.timezone = a.timezone.empty() ? crowd::local_timezone_name() : a.timezone;
  a.options.first_session = crowd::default_first_session(now_ms());
  if (!a.start.empty()) {
    const auto t = time_option(a.start, "--start");
    if (!t) return fail(t.error());
    a.options.first_session = *t;
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) return fail(error{error_kind::failure, fmt::format("{}: cannot make the directory: {}", a.out, ec.message())});
  const auto file = a.out + "/meeting.json";
  const auto text = crowd::demo_meeting_json(a.options);
  if (auto w = write_text(file, text); !w) return fail(w.error());
  auto m = parse_meeting(text, file);  // what was written must be a meeting cmetrack reads
  if (!m) return fail(error{error_kind::failure, fmt::format("the demo meeting does not import: {}", m.error().message)});
  fmt::print("meeting: {} ({} rooms, {} sessions from {}, {} attendees, time zone {})\n", file, m->meeting.rooms.size(),
             m->meeting.sessions.size(), format_iso8601_utc(a.options.first_session), m->meeting.attendees.size(),
             a.options.timezone);
  if (a.badges) {
    std::vector<std::string> payloads, ids;
    for (const auto& at : m->meeting.attendees) {
      payloads.push_back(a.options.badge_prefix + at.badge);
      ids.push_back(at.badge);
    }
    const auto n = crowd::write_badge_images(a.out + "/badges", payloads, ids);
    if (!n) return fail(n.error());
    fmt::print("badges: {} QR Code images in {}/badges\n", *n, a.out);
  }
  if (!m->meeting.attendees.empty())
    fmt::print("guide badge: {}{} (attends every session of {} with entry and exit scans)\n", a.options.badge_prefix,
               m->meeting.attendees.front().badge, m->meeting.rooms.front().name);
  return 0;
}

struct replay_args {
  std::string meeting, from, offline;
  std::vector<std::string> kiosks;
  crowd::crowd_options crowd;
  crowd::replay_options replay;
  int offline_at = 75, offline_minutes = 60;
};

int run_replay(replay_args& a) {
  auto m = read_meeting_file(a.meeting);
  if (!m) return fail(m.error());
  const auto& meeting = m->meeting;
  if (meeting.sessions.empty()) return fail(error{error_kind::bad_input, fmt::format("{}: the meeting has no sessions", a.meeting)});

  std::vector<crowd::replay_kiosk> kiosks;
  std::vector<int> rooms;
  for (const auto& spec : a.kiosks) {  // ID=ROOM=PATH
    const auto first = spec.find('='), second = spec.find('=', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos)
      return fail(error{error_kind::bad_input,
                        fmt::format("--kiosk \"{}\": expected ID=ROOM=PATH, e.g. K1=R1=/tmp/demo/K1.in", spec)});
    const auto room = meeting.room_index(spec.substr(first + 1, second - first - 1));
    if (room < 0)
      return fail(error{error_kind::bad_input, fmt::format("--kiosk \"{}\": {} has no room \"{}\"", spec, a.meeting,
                                                           spec.substr(first + 1, second - first - 1))});
    kiosks.push_back({spec.substr(0, first), spec.substr(second + 1)});
    rooms.push_back(room);
  }

  time_ms first_start = meeting.sessions.front().start;
  for (const auto& s : meeting.sessions) first_start = std::min(first_start, s.start);
  a.replay.from = first_start - 45 * ms_per_minute;
  if (!a.from.empty()) {
    const auto t = time_option(a.from, "--from");
    if (!t) return fail(t.error());
    a.replay.from = *t;
  }
  if (!a.offline.empty()) {  // ID=PID
    const auto eq = a.offline.find('=');
    int index = -1;
    for (std::size_t k = 0; k < kiosks.size(); ++k)
      if (eq != std::string::npos && kiosks[k].id == a.offline.substr(0, eq)) index = static_cast<int>(k);
    char* end = nullptr;
    const long pid = eq == std::string::npos ? 0 : std::strtol(a.offline.c_str() + eq + 1, &end, 10);
    if (index < 0 || pid <= 0 || !end || *end != '\0')
      return fail(error{error_kind::bad_input,
                        fmt::format("--offline \"{}\": expected KIOSK=PID with a kiosk given by --kiosk and its sync "
                                    "agent's process id",
                                    a.offline)});
    a.replay.offline_kiosk = index;
    a.replay.offline_agent = static_cast<pid_t>(pid);
    a.replay.offline_from = first_start + a.offline_at * ms_per_minute;
    a.replay.offline_until = a.replay.offline_from + a.offline_minutes * ms_per_minute;
  }

  const auto scans = crowd::plan_crowd(meeting, rooms, a.crowd);
  const auto sent = crowd::replay(kiosks, scans, a.replay);
  if (!sent) return fail(sent.error());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cmetrack-crowd: the demo meeting and its crowd of attendees, for deploy/demo.sh"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  app.require_subcommand(1);

  meeting_args ma;
  auto* meeting = app.add_subcommand("meeting", "write a demo meeting relative to now, and its badges' images");
  meeting->add_option("--out", ma.out, "directory for meeting.json and badges/")->required();
  meeting->add_option("--start", ma.start, "day 1's first session (ISO-8601); default: now - 3 h, to the quarter hour");
  meeting->add_option("--timezone", ma.timezone, "the meeting's time zone; default: the machine's");
  meeting->add_option("--attendees", ma.options.attendees, "roster size")->capture_default_str()->check(CLI::Range(1, 100'000));
  meeting->add_option("--seed", ma.options.seed, "seed of titles and names")->capture_default_str();
  meeting->add_option("--meeting-id", ma.options.meeting_id, "the meeting's id")->capture_default_str();
  meeting->add_option("--badge-prefix", ma.options.badge_prefix, "what badges print before the id")->capture_default_str();
  meeting->add_flag("!--no-badges", ma.badges, "skip the badge images");

  replay_args ra;
  auto* replay = app.add_subcommand("replay", "feed headless kiosks the scans of a seeded crowd");
  replay->add_option("--meeting", ra.meeting, "the meeting file")->required()->check(CLI::ExistingFile);
  replay->add_option("--kiosk", ra.kiosks, "ID=ROOM=PATH: a kiosk, its room and its standard input (a FIFO)")->required();
  replay->add_option("--speed", ra.replay.speed, "meeting seconds a real second until caught up with now")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 100'000.0));
  replay->add_option("--from", ra.from, "where the meeting clock starts; default: 45 min before the first session");
  replay->add_option("--seed", ra.crowd.seed, "seed of the crowd")->capture_default_str();
  replay->add_option("--badge-prefix", ra.crowd.badge_prefix, "what badges print before the id")->capture_default_str();
  replay->add_option("--walk-ins", ra.crowd.walk_ins, "people who scan but are not on the roster")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  replay->add_option("--offline", ra.offline, "KIOSK=PID: stop that kiosk's sync agent (SIGSTOP) for a while");
  replay->add_option("--offline-at", ra.offline_at, "minutes after the first session's start it goes offline")
      ->capture_default_str();
  replay->add_option("--offline-minutes", ra.offline_minutes, "meeting minutes it stays offline")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000));
  replay->add_option("--status-every-ms", ra.replay.status_every_ms, "a status line this often")
      ->capture_default_str()
      ->check(CLI::Range(100, 3'600'000));

  if (const auto status = parse_command_line(app, argc, argv)) return *status;
  return meeting->parsed() ? run_meeting(ma) : run_replay(ra);
}
