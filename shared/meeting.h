#pragma once
// The meeting as imported from its file: rooms, sessions with their breaks
// and designated credit, the roster, the badge pattern and the rules of
// docs/rules.md. Credit is held in integer quarters (0.25 credit = 1 quarter).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shared/time.h"

namespace cmetrack {

enum class rounding_policy { nearest_quarter, floor_quarter };
enum class missing_exit_policy { session_end, none };

struct rules {
  rounding_policy rounding = rounding_policy::nearest_quarter;
  missing_exit_policy missing_exit = missing_exit_policy::session_end;
  time_ms debounce = 10 * ms_per_second;
  time_ms block_gap = 30 * ms_per_minute;
  // A stay that opens before any session of its room runs belongs to the
  // first session starting within this long after it opened.
  time_ms arrival_window = 60 * ms_per_minute;
  // An exit scan this long after a stay's block bound still closes it at
  // the block bound (rule 2); an open stay is in progress until then (rule 6).
  time_ms exit_grace = 30 * ms_per_minute;
  friend bool operator==(const rules&, const rules&) = default;
};

struct interval {
  time_ms start = 0;
  time_ms end = 0;  // exclusive
  friend bool operator==(const interval&, const interval&) = default;
};

struct room {
  std::string id;
  std::string name;
  int capacity = 0;
};

struct session {
  std::string id;
  int room = -1;  // index into meeting::rooms
  std::string title;
  time_ms start = 0;
  time_ms end = 0;
  int credit_quarters = 0;
  int patient_safety_quarters = 0;
  std::vector<interval> breaks;  // inside [start, end), sorted, disjoint
  time_ms block_end = 0;         // end of the block of back-to-back sessions it belongs to
};

// A badge seen in two rooms closer in time than this is flagged for staff
// (never dropped): `min_between_rooms` for any two rooms (0: no check), or a
// longer walking time between two rooms far apart.
struct walk_time {
  int from_room = -1;  // index into meeting::rooms
  int to_room = -1;
  time_ms min = 0;
  friend bool operator==(const walk_time&, const walk_time&) = default;
};

struct sharing_rules {
  time_ms min_between_rooms = 0;
  std::vector<walk_time> walks;
  bool enabled() const { return min_between_rooms > 0 || !walks.empty(); }
  friend bool operator==(const sharing_rules&, const sharing_rules&) = default;
};

// The activity's evaluation (meeting file: "evaluation"): questions about
// the meeting, and questions asked about each session an attendee attended.
// A Likert question is answered 1-5 and must be answered; a text question
// may be left empty. See docs/formats.md, "Evaluation".
enum class question_kind { likert, text };
struct evaluation_question {
  std::string id;
  std::string text;
  question_kind kind = question_kind::likert;
  friend bool operator==(const evaluation_question&, const evaluation_question&) = default;
};
struct evaluation_form {
  std::vector<evaluation_question> meeting_questions;  // "questions"
  std::vector<evaluation_question> session_questions;  // asked of each session attended
  // An attendee's own claim waits for a complete evaluation (default: true
  // where there are questions).
  bool required = false;
  bool any() const { return !meeting_questions.empty() || !session_questions.empty(); }
  friend bool operator==(const evaluation_form&, const evaluation_form&) = default;
};

// What the certificate says of the activity (meeting file: "meeting"'s
// "provider", "location", "designation", "physician_degrees").
struct activity_facts {
  std::string provider;     // the accredited provider; empty: not printed
  std::string location;     // the place; empty: not printed
  std::string designation;  // the designation statement as the file gives it; empty: the standard one
  // Degrees whose holders are physicians (AMA PRA Category 1 Credit is for
  // them); compared without case, dots or spaces ("M.D." is "MD").
  std::vector<std::string> physician_degrees{"MD", "DO"};
  friend bool operator==(const activity_facts&, const activity_facts&) = default;
};

struct attendee {
  std::string badge;
  std::string first_name;
  std::string last_name;
  std::optional<std::string> degree, email, npi, license_state, license_id, board, board_id, birth_month_day;
  // The person across meetings (an NPI, a society's member id): the learner
  // report adds up credit from every meeting whose attendee has it.
  std::optional<std::string> learner_id;

  std::string name() const { return first_name + " " + last_name; }
};

// Lets unordered maps keyed by std::string be searched with a string_view.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct meeting {
  std::string id;
  std::string name;
  std::string timezone;
  int max_quarters = 0;
  cmetrack::rules rules;
  std::string badge_pattern;
  // Signed badges (meeting file: "badge": {"key": HEX}): the meeting's key;
  // empty where badges are not signed. See shared/badge_signature.h.
  std::string badge_key;
  // Badge sharing (meeting file: "badge_sharing"); off where absent.
  // See shared/badge_sharing.h.
  sharing_rules sharing;
  activity_facts activity;
  evaluation_form evaluation;
  std::vector<room> rooms;
  std::vector<session> sessions;    // by room, then start (index_sessions sorts them)
  std::vector<attendee> attendees;  // may be empty where only one attendee was loaded

  // Derived by index_sessions().
  std::unordered_map<std::string, int, string_hash, std::equal_to<>> room_by_id;
  std::vector<std::vector<int>> sessions_by_room;  // session indices by start time

  int room_index(std::string_view room_id) const;
  // The session of `room` running at t, else the first one starting within
  // the arrival window after t; -1 when there is none (docs/rules.md,
  // "Sessions and blocks").
  int session_for_stay(int room, time_ms t) const;
  // The session running in `room` at t, or -1.
  int session_at(int room, time_ms t) const;
};

// Whether the attendee's degree is one of the meeting's physician degrees
// (without case, dots or spaces: "M.D." is "MD"; "MD, PhD" holds two);
// false without a degree.
bool is_physician(const meeting& m, const attendee& a);

// The meeting's first session start and last session end; nothing without sessions.
std::optional<interval> meeting_span(const meeting& m);

// Sorts sessions by (room, start), merges each session's breaks, computes
// block ends and the lookup tables. Call after filling rooms and sessions.
void index_sessions(meeting& m);

}  // namespace cmetrack
