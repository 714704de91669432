#include "deploy/crowd/demo_meeting.h"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "deploy/crowd/dice.h"

namespace cmetrack::crowd {
namespace {

using json = nlohmann::ordered_json;

constexpr time_ms day_ms = 86'400'000;

// "2026-04-24T08:00:00-04:00": local time with its offset at that instant.
std::string local_iso(time_ms t) {
  const auto seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  const long offset = tm.tm_gmtoff;  // seconds east of UTC
  auto s = format_iso8601_utc(t + offset * 1000);
  s.resize(19);
  const long a = offset < 0 ? -offset : offset;
  return fmt::format("{}{}{:02}:{:02}", s, offset < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

// A room's day: sessions as minutes after the day's first start, with an
// optional break. Two patterns, alternating by room; both have a session
// running from 180 to 195 minutes, where the demo's "now" falls on day 1.
struct slot {
  int start, end, break_start = 0, break_end = 0;
};
constexpr std::array<std::array<slot, 5>, 2> patterns = {{
    {{{0, 60}, {75, 165, 120, 135}, {180, 240}, {300, 390, 345, 360}, {405, 465}}},
    {{{0, 90, 45, 60}, {105, 165}, {180, 270, 225, 240}, {330, 390}, {405, 495, 450, 465}}},
}};

constexpr std::array room_names = {"Ballroom A", "Ballroom B", "Room 201", "Room 202"};
constexpr std::array room_capacities = {400, 300, 150, 120};

constexpr std::array topics = {
    "Sepsis update: the first hour",        "Safety in procedural sedation",   "Heart failure: what changed",
    "Antibiotic stewardship in practice",   "Diabetes technology",             "Opioid-sparing analgesia",
    "Venous thromboembolism prophylaxis",   "Imaging: when not to order",      "Stroke: door to needle",
    "Informed consent and documentation",   "Medication errors: case review",  "Chronic kidney disease",
    "Panel: difficult airway",              "Ethics at the end of life",       "Wound healing and scars",
    "Hand-offs that do not drop patients",  "Atrial fibrillation in 2026",     "Pediatric fever without source",
    "Point-of-care ultrasound",             "Falls in older adults",
};

constexpr std::array first_names = {"Jane", "John", "Maria", "Wei", "Aisha", "Carlos", "Olga", "Rahul",
                                    "Emma", "Kenji", "Fatima", "Lucas", "Sofia", "David", "Amara", "Noah",
                                    "Grace", "Omar", "Ines", "Tomas"};
constexpr std::array last_names = {"Doe", "Smith", "Garcia", "Chen", "Khan", "Silva", "Ivanova", "Patel",
                                   "Brown", "Tanaka", "Haddad", "Martin", "Rossi", "Cohen", "Okafor", "Nguyen",
                                   "Lindqvist", "Moreau", "Novak", "Reyes"};
constexpr std::array states = {"NY", "CA", "TX", "FL", "IL", "MA", "PA", "OH", "WA", "GA"};
constexpr std::array boards = {"ABIM", "ABFM", "ABEM", "ABS", "ABA", "ABP"};

// Distinct, scattered 6-digit badge numbers (48271 is prime to 900000).
std::uint32_t badge_number(std::uint32_t person) { return 100'000 + (person * 48'271u + 12'345u) % 900'000u; }

}  // namespace

time_ms default_first_session(time_ms now) {
  const time_ms quarter = 15 * ms_per_minute;
  const time_ms t = now - 3 * 60 * ms_per_minute;
  return t - ((t % quarter) + quarter) % quarter;
}

std::string local_timezone_name() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) return *tz == ':' ? tz + 1 : tz;
  if (std::ifstream f("/etc/timezone"); f) {
    std::string name;
    if (std::getline(f, name) && !name.empty()) return name;
  }
  std::error_code ec;
  const auto target = std::filesystem::read_symlink("/etc/localtime", ec).string();
  if (const auto at = target.find("zoneinfo/"); !ec && at != std::string::npos) return target.substr(at + 9);
  return "UTC";
}

std::string demo_meeting_json(const demo_meeting_options& o) {
  dice d(o.seed);
  json m;
  m["meeting"] = {{"id", o.meeting_id},
                  {"name", "cmetrack Demo Meeting"},
                  {"timezone", o.timezone},
                  {"max_credits", 14.0},
                  {"rules",
                   {{"rounding", "nearest_quarter"},
                    {"missing_exit", "session_end"},
                    {"debounce_seconds", 10},
                    {"block_gap_minutes", 30},
                    {"arrival_window_minutes", 60},
                    {"exit_grace_minutes", 30}}},
                  {"provider", "cmetrack Demo Society"},
                  {"location", "Demo Convention Center"}};
  // The activity's evaluation: attendees answer it on the attendee page before they claim.
  m["evaluation"] = {
      {"questions",
       json::array({{{"id", "objectives"}, {"text", "The meeting met its stated learning objectives"}, {"kind", "likert"}},
                    {{"id", "bias"}, {"text", "The content was free of commercial bias"}, {"kind", "likert"}},
                    {{"id", "change"}, {"text", "What will you change in your practice?"}, {"kind", "text"}}})},
      {"session_questions",
       json::array({{{"id", "useful"}, {"text", "The session was useful to my practice"}, {"kind", "likert"}}})}};
  m["badge"] = {{"pattern", fmt::format("^(?:{})?([0-9]{{6}})$", o.badge_prefix)}};
  m["rooms"] = json::array();
  for (std::size_t r = 0; r < room_names.size(); ++r)
    m["rooms"].push_back({{"id", fmt::format("R{}", r + 1)}, {"name", room_names[r]}, {"capacity", room_capacities[r]}});

  m["sessions"] = json::array();
  int number = 0;
  for (int day = 0; day < 2; ++day) {
    const time_ms base = o.first_session + day * day_ms;
    for (std::size_t r = 0; r < room_names.size(); ++r) {
      const auto& pattern = patterns[r % 2];
      for (std::size_t i = 0; i < pattern.size(); ++i) {
        const auto& s = pattern[i];
        const int earning = s.end - s.start - (s.break_end - s.break_start);
        // One industry symposium a day (non-CME, earns nothing): room 4's last session.
        const bool industry = r == 3 && i == 4;
        const int quarters = industry ? 0 : earning / 15;
        json session = {{"id", fmt::format("S{:02}", ++number)},
                        {"room", fmt::format("R{}", r + 1)},
                        {"title", std::string(topics[d.below(topics.size())]) +
                                      (industry ? " (industry symposium, non-CME)" : "")},
                        {"start", local_iso(base + s.start * ms_per_minute)},
                        {"end", local_iso(base + s.end * ms_per_minute)},
                        {"credits", quarters / 4.0}};
        // Patient safety: the second session of each morning, half its credit.
        if (i == 1 && !industry) session["patient_safety_credits"] = quarters / 2 / 4.0;
        if (s.break_end > s.break_start)
          session["breaks"] = json::array({{{"start", local_iso(base + s.break_start * ms_per_minute)},
                                            {"end", local_iso(base + s.break_end * ms_per_minute)}}});
        m["sessions"].push_back(std::move(session));
      }
    }
  }

  m["attendees"] = json::array();
  for (int i = 0; i < o.attendees; ++i) {
    const std::string first = first_names[d.below(first_names.size())];
    const std::string last = last_names[d.below(last_names.size())];
    const auto badge = fmt::format("{:06}", badge_number(static_cast<std::uint32_t>(i)));
    json a = {{"badge", badge},
              {"first_name", first},
              {"last_name", last},
              {"degree", d.per_mille(850) ? "MD" : "DO"},
              {"email", fmt::format("{}.{}.{}@example.org", first, last, badge)}};
    for (auto& c : a["email"].get_ref<std::string&>()) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!d.per_mille(80)) {  // a few have not given what PARS needs
      a["npi"] = fmt::format("1{:09}", d.below(1'000'000'000));
      a["license_state"] = states[d.below(states.size())];
      a["license_id"] = fmt::format("{:07}", d.below(10'000'000));
      a["board"] = boards[d.below(boards.size())];
      a["board_id"] = fmt::format("{:06}", d.below(1'000'000));
      a["birth_month_day"] = fmt::format("{:02}-{:02}", d.between(1, 12), d.between(1, 28));
    }
    m["attendees"].push_back(std::move(a));
  }
  return m.dump(1) + "\n";
}

}  // namespace cmetrack::crowd
