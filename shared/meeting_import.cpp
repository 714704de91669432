#include "shared/meeting_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "shared/badge.h"
#include "shared/bounds.h"
#include "shared/badge_sharing.h"
#include "shared/badge_signature.h"

namespace cmetrack {
namespace {

using json = nlohmann::json;

// A rejection inside the importer; turned into an error at its boundary.
struct fault {
  std::string message;
};

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

// One JSON object being read, with its path for messages ("sessions[2]").
class fields {
 public:
  fields(const json& object, std::string path, std::vector<std::string>& warnings,
         std::initializer_list<std::string_view> known)
      : object_(object), path_(std::move(path)) {
    if (!object.is_object()) fail_at(path_, fmt::format("must be an object, not {}", type_name(object)));
    for (const auto& [key, value] : object.items())
      if (std::ranges::find(known, key) == known.end())
        warnings.push_back(fmt::format("{}: unknown field, ignored", field_path(key)));
  }

  const std::string& path() const { return path_; }
  std::string field_path(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

  [[noreturn]] static void fail_at(const std::string& where, const std::string& what) {
    throw fault{fmt::format("{}: {}", where, what)};
  }
  [[noreturn]] void fail(std::string_view key, const std::string& what) const { fail_at(field_path(key), what); }

  bool has(std::string_view key) const { return object_.contains(key); }

  const json& get(std::string_view key, json::value_t type, const char* expected) const {
    const auto it = object_.find(key);
    if (it == object_.end()) fail(key, fmt::format("missing; it must be {}", expected));
    const bool ok = type == json::value_t::number_float ? it->is_number() : it->type() == type;
    if (!ok) fail(key, fmt::format("must be {}, not {}", expected, type_name(*it)));
    return *it;
  }

  std::string text(std::string_view key, bool allow_empty = false) const {
    auto v = get(key, json::value_t::string, "a string").get<std::string>();
    if (v.empty() && !allow_empty) fail(key, "must not be empty");
    // Ids (of the meeting, rooms, sessions, badges) and everything else (docs/formats.md, "Bounds").
    const bool is_id = key == "id" || key == "room" || key == "badge";
    if (auto e = bounds::check_text(field_path(key), v, is_id ? bounds::id : bounds::title)) throw fault{*e};
    return v;
  }

  std::optional<std::string> optional_text(std::string_view key) const {
    if (!has(key) || object_.at(key).is_null()) return std::nullopt;
    return text(key, true);
  }

  std::int64_t integer(std::string_view key, std::int64_t min,
                       std::int64_t max = std::numeric_limits<std::int64_t>::max()) const {
    const auto it = object_.find(key);
    if (it == object_.end()) fail(key, "missing; it must be a whole number");
    if (!it->is_number_integer()) fail(key, fmt::format("must be a whole number, not {}", type_name(*it)));
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      fail(key, fmt::format("{} is above the largest allowed value, {}", it->get<std::uint64_t>(), max));
    const auto v = it->get<std::int64_t>();
    if (v < min) fail(key, fmt::format("{} is below the smallest allowed value, {}", v, min));
    if (v > max) fail(key, fmt::format("{} is above the largest allowed value, {}", v, max));
    return v;
  }

  int quarters(std::string_view key) const {
    const double v = get(key, json::value_t::number_float, "a number of credits").get<double>();
    const double q = v * 4;
    if (!(v >= 0) || v > 10000 || std::abs(q - std::round(q)) > 1e-9)
      fail(key, fmt::format("{} is not a multiple of 0.25; credit is designated in quarter hours (0.25)",
                            object_.at(key).dump()));
    return static_cast<int>(std::lround(q));
  }

  time_ms time(std::string_view key) const {
    const auto v = text(key);
    const auto t = parse_iso8601(v);
    if (!t)
      fail(key, fmt::format("\"{}\" is not an ISO-8601 time with an offset, such as 2026-04-24T08:00:00-04:00", v));
    return *t;
  }

  const json& array(std::string_view key) const { return get(key, json::value_t::array, "an array"); }
  const json& object(std::string_view key) const { return get(key, json::value_t::object, "an object"); }

 private:
  const json& object_;
  std::string path_;
};

std::string item_path(std::string_view list, std::size_t i) { return fmt::format("{}[{}]", list, i); }

void read_rules(const fields& m, meeting& out, std::vector<std::string>& warnings) {
  if (!m.has("rules")) return;
  const fields r(m.object("rules"), m.field_path("rules"), warnings,
                 {"rounding", "missing_exit", "debounce_seconds", "block_gap_minutes", "arrival_window_minutes",
                  "exit_grace_minutes"});
  if (r.has("rounding")) {
    const auto v = r.text("rounding");
    if (v == "nearest_quarter") out.rules.rounding = rounding_policy::nearest_quarter;
    else if (v == "floor_quarter") out.rules.rounding = rounding_policy::floor_quarter;
    else r.fail("rounding", fmt::format("\"{}\" is not a rounding policy; use nearest_quarter or floor_quarter", v));
  }
  if (r.has("missing_exit")) {
    const auto v = r.text("missing_exit");
    if (v == "session_end") out.rules.missing_exit = missing_exit_policy::session_end;
    else if (v == "none") out.rules.missing_exit = missing_exit_policy::none;
    else r.fail("missing_exit", fmt::format("\"{}\" is not a missing-exit policy; use session_end or none", v));
  }
  if (r.has("debounce_seconds")) out.rules.debounce = r.integer("debounce_seconds", 0, 3600) * ms_per_second;
  if (r.has("block_gap_minutes")) out.rules.block_gap = r.integer("block_gap_minutes", 0, 1440) * ms_per_minute;
  // Minutes around a session's edges: whole minutes up to four hours (docs/rules.md, "Rule parameters").
  constexpr std::int64_t most_minutes = 240;
  if (r.has("arrival_window_minutes"))
    out.rules.arrival_window = r.integer("arrival_window_minutes", 0, most_minutes) * ms_per_minute;
  if (r.has("exit_grace_minutes"))
    out.rules.exit_grace = r.integer("exit_grace_minutes", 0, most_minutes) * ms_per_minute;
}

void read_rooms(const fields& top, meeting& out, std::vector<std::string>& warnings) {
  const auto& rooms = top.array("rooms");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    const fields r(rooms[i], item_path("rooms", i), warnings, {"id", "name", "capacity"});
    room room{r.text("id"), r.text("name"), static_cast<int>(r.integer("capacity", 0, 1'000'000))};
    if (!seen.insert(room.id).second) r.fail("id", fmt::format("duplicate room id \"{}\"", room.id));
    out.rooms.push_back(std::move(room));
  }
}

void read_sessions(const fields& top, meeting& out, std::vector<std::string>& warnings) {
  const auto& sessions = top.array("sessions");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const fields s(sessions[i], item_path("sessions", i), warnings,
                   {"id", "room", "title", "start", "end", "credits", "patient_safety_credits", "breaks"});
    session ses;
    ses.id = s.text("id");
    if (!seen.insert(ses.id).second) s.fail("id", fmt::format("duplicate session id \"{}\"", ses.id));
    const auto room_id = s.text("room");
    const auto room = std::ranges::find(out.rooms, room_id, &room::id);
    if (room == out.rooms.end()) s.fail("room", fmt::format("\"{}\" is not one of the meeting's rooms", room_id));
    ses.room = static_cast<int>(room - out.rooms.begin());
    ses.title = s.text("title");
    ses.start = s.time("start");
    ses.end = s.time("end");
    if (ses.end <= ses.start) s.fail("end", "the session ends before it starts (or when it starts)");
    ses.credit_quarters = s.quarters("credits");
    if (s.has("patient_safety_credits")) {
      ses.patient_safety_quarters = s.quarters("patient_safety_credits");
      if (ses.patient_safety_quarters > ses.credit_quarters)
        s.fail("patient_safety_credits", "is more than the session's credits");
    }
    if (s.has("breaks")) {
      const auto& breaks = s.array("breaks");
      for (std::size_t k = 0; k < breaks.size(); ++k) {
        const fields b(breaks[k], item_path(s.field_path("breaks"), k), warnings, {"start", "end"});
        const interval br{b.time("start"), b.time("end")};
        if (br.end <= br.start) b.fail("end", "the break ends before it starts (or when it starts)");
        if (br.start < ses.start)
          b.fail("start", fmt::format("{} is before its session starts ({}); a break lies inside its session",
                                      b.text("start"), s.text("start")));
        if (br.end > ses.end)
          b.fail("end", fmt::format("{} is after its session ends ({}); a break lies inside its session",
                                    b.text("end"), s.text("end")));
        ses.breaks.push_back(br);
      }
    }
    out.sessions.push_back(std::move(ses));
  }
}

void check_overlaps(const meeting& m) {
  for (std::size_t r = 0; r < m.rooms.size(); ++r) {
    std::vector<const session*> list;
    for (const auto& s : m.sessions)
      if (s.room == static_cast<int>(r)) list.push_back(&s);
    std::ranges::sort(list, {}, &session::start);
    for (std::size_t k = 1; k < list.size(); ++k)
      if (list[k]->start < list[k - 1]->end)
        throw fault{fmt::format("sessions[{}].start: session \"{}\" starts before session \"{}\" (sessions[{}]) ends, "
                                "in room \"{}\"; a room's sessions must not overlap",
                                list[k] - m.sessions.data(), list[k]->id, list[k - 1]->id,
                                list[k - 1] - m.sessions.data(), m.rooms[r].id)};
  }
}

void read_attendees(const fields& top, meeting& out, std::vector<std::string>& warnings) {
  if (!top.has("attendees")) return;
  const auto& list = top.array("attendees");
  std::set<std::string> seen;
  std::map<std::string, std::size_t> learners;  // learner id -> the attendee who has it
  for (std::size_t i = 0; i < list.size(); ++i) {
    const fields a(list[i], item_path("attendees", i), warnings,
                   {"badge", "first_name", "last_name", "degree", "email", "npi", "license_state", "license_id",
                    "board", "board_id", "birth_month_day", "learner_id"});
    attendee at;
    at.badge = a.text("badge");
    at.first_name = a.text("first_name");
    at.last_name = a.text("last_name");
    if (!seen.insert(at.badge).second) a.fail("badge", fmt::format("duplicate badge \"{}\"", at.badge));
    at.degree = a.optional_text("degree");
    at.email = a.optional_text("email");
    at.npi = a.optional_text("npi");
    at.license_state = a.optional_text("license_state");
    at.license_id = a.optional_text("license_id");
    at.board = a.optional_text("board");
    at.board_id = a.optional_text("board_id");
    at.birth_month_day = a.optional_text("birth_month_day");
    at.learner_id = a.optional_text("learner_id");
    if (at.learner_id) {
      if (at.learner_id->empty() || bounds::characters(*at.learner_id) > bounds::id)
        a.fail("learner_id", fmt::format("a learner id is 1 to {} characters (an NPI or a member id); \"{}\" is not",
                                         bounds::id, *at.learner_id));
      if (const auto [it, added] = learners.emplace(*at.learner_id, i); !added)
        a.fail("learner_id", fmt::format("learner id \"{}\" is also attendees[{}]'s; a learner has one badge a meeting",
                                         *at.learner_id, it->second));
    }
    if (at.birth_month_day) {
      const auto& md = *at.birth_month_day;
      int mo = 0, d = 0;
      const bool shape = md.size() == 5 && md[2] == '-' &&
                         std::sscanf(md.c_str(), "%2d-%2d", &mo, &d) == 2;
      if (!shape || mo < 1 || mo > 12 || d < 1 || d > 31)
        a.fail("birth_month_day", fmt::format("\"{}\" is not a month and day such as \"04-24\"", md));
    }
    out.attendees.push_back(std::move(at));
  }
}

// The certificate's facts, in the "meeting" object (shared/meeting.h, activity_facts).
void read_activity(const fields& m, meeting& out) {
  auto& a = out.activity;
  if (auto v = m.optional_text("provider")) a.provider = *v;
  if (auto v = m.optional_text("location")) a.location = *v;
  if (m.has("designation") && !m.get("designation", json::value_t::string, "a string").is_null()) {
    // A statement is longer than a title: up to 1,000 characters.
    auto v = m.get("designation", json::value_t::string, "a string").get<std::string>();
    if (auto e = bounds::check_text(m.field_path("designation"), v, bounds::free_text)) throw fault{*e};
    a.designation = std::move(v);
  }
  if (m.has("physician_degrees")) {
    const auto& list = m.array("physician_degrees");
    a.physician_degrees.clear();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto where = item_path(m.field_path("physician_degrees"), i);
      if (!list[i].is_string() || list[i].get<std::string>().empty())
        fields::fail_at(where, "must be a degree such as \"MD\" (a non-empty string)");
      if (auto e = bounds::check_text(where, list[i].get<std::string>(), bounds::id)) throw fault{*e};
      a.physician_degrees.push_back(list[i].get<std::string>());
    }
  }
}

std::vector<evaluation_question> read_questions(const fields& e, std::string_view key,
                                                std::vector<std::string>& warnings) {
  std::vector<evaluation_question> out;
  if (!e.has(key)) return out;
  const auto& list = e.array(key);
  if (list.size() > 100) e.fail(key, fmt::format("{} questions, more than the 100 allowed", list.size()));
  std::set<std::string> seen;
  std::map<std::string, std::size_t> learners;  // learner id -> the attendee who has it
  for (std::size_t i = 0; i < list.size(); ++i) {
    const fields q(list[i], item_path(e.field_path(key), i), warnings, {"id", "text", "kind"});
    evaluation_question question;
    question.id = q.text("id");
    if (!seen.insert(question.id).second) q.fail("id", fmt::format("duplicate question id \"{}\"", question.id));
    question.text = q.text("text");
    const auto kind = q.has("kind") ? q.text("kind") : std::string("likert");
    if (kind == "likert") question.kind = question_kind::likert;
    else if (kind == "text") question.kind = question_kind::text;
    else q.fail("kind", fmt::format("\"{}\" is not a kind of question; use likert (1 to 5) or text", kind));
    out.push_back(std::move(question));
  }
  return out;
}

// The evaluation (shared/meeting.h, evaluation_form), from its object.
evaluation_form read_evaluation(const json& object, std::vector<std::string>& warnings) {
  const fields e(object, "evaluation", warnings, {"required", "questions", "session_questions"});
  evaluation_form form;
  form.meeting_questions = read_questions(e, "questions", warnings);
  form.session_questions = read_questions(e, "session_questions", warnings);
  form.required = form.any();
  if (e.has("required")) form.required = e.get("required", json::value_t::boolean, "true or false").get<bool>();
  return form;
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

result<meeting_import> parse_meeting(std::string_view json_text, std::string_view file) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    const auto [line, column] = line_and_column(json_text, e.byte);
    std::string what = e.what();
    if (const auto p = what.find(": syntax error"); p != std::string::npos) what = what.substr(p + 2);
    return bad_input(fmt::format("{}:{}:{}: malformed JSON: {}", file, line, column, what));
  } catch (const json::exception& e) {  // e.g. a number too large for a double: out_of_range, with no position
    std::string what = e.what();
    if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return bad_input(fmt::format("{}: malformed JSON: {}", file, what));
  }

  meeting_import out;
  try {
    const fields top(doc, "", out.warnings, {"meeting", "badge", "rooms", "sessions", "attendees", "badge_sharing",
                                                     "evaluation"});
    const fields m(top.object("meeting"), "meeting", out.warnings,
                   {"id", "name", "timezone", "max_credits", "rules", "provider", "location", "designation",
                    "physician_degrees"});
    auto& mt = out.meeting;
    mt.id = m.text("id");
    mt.name = m.text("name");
    mt.timezone = m.text("timezone");
    mt.max_quarters = m.quarters("max_credits");
    read_rules(m, mt, out.warnings);
    read_activity(m, mt);
    if (top.has("evaluation")) mt.evaluation = read_evaluation(doc.at("evaluation"), out.warnings);

    const fields b(top.object("badge"), "badge", out.warnings, {"pattern", "key"});
    mt.badge_pattern = b.text("pattern");
    if (auto p = badge_pattern::compile(mt.badge_pattern); !p)
      b.fail("pattern", fmt::format("not a valid regular expression: {}", p.error().message));
    if (b.has("key")) {  // signed badges (shared/badge_signature.h)
      mt.badge_key = b.text("key", true);
      if (auto k = signing_key::from_hex(mt.badge_key); !k) throw fault{k.error().message};
    }

    read_rooms(top, mt, out.warnings);
    if (top.has("badge_sharing")) {  // off where absent (shared/badge_sharing.h)
      auto sharing = parse_badge_sharing(doc.at("badge_sharing").dump(), mt, out.warnings);
      if (!sharing) throw fault{sharing.error().message};
      mt.sharing = std::move(*sharing);
    }
    read_sessions(top, mt, out.warnings);
    check_overlaps(mt);
    read_attendees(top, mt, out.warnings);
    index_sessions(mt);
  } catch (const fault& f) {
    return bad_input(fmt::format("{}: {}", file, f.message));
  }
  for (auto& w : out.warnings) w = fmt::format("{}: {}", file, w);
  return out;
}

std::string activity_json(const meeting& m) {
  const auto& a = m.activity;
  return json{{"provider", a.provider},
              {"location", a.location},
              {"designation", a.designation},
              {"physician_degrees", a.physician_degrees}}
      .dump();
}

std::string evaluation_json(const meeting& m) {
  const auto& form = m.evaluation;
  if (!form.any()) return {};
  const auto questions = [](const std::vector<evaluation_question>& list) {
    auto out = json::array();
    for (const auto& q : list)
      out.push_back({{"id", q.id}, {"text", q.text}, {"kind", q.kind == question_kind::text ? "text" : "likert"}});
    return out;
  };
  return json{{"required", form.required},
              {"questions", questions(form.meeting_questions)},
              {"session_questions", questions(form.session_questions)}}
      .dump();
}

result<void> read_stored_activity(std::string_view activity, std::string_view evaluation, meeting& m) {
  std::vector<std::string> ignored;
  try {
    if (!activity.empty()) {
      const auto doc = json::parse(activity);
      read_activity(fields(doc, "meeting", ignored, {"provider", "location", "designation", "physician_degrees"}), m);
    }
    if (!evaluation.empty()) m.evaluation = read_evaluation(json::parse(evaluation), ignored);
  } catch (const fault& f) {
    return bad_input(f.message);
  } catch (const json::exception& e) {
    return bad_input(e.what());
  }
  return {};
}

result<meeting_import> read_meeting_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input(fmt::format("{}: cannot read the meeting file: {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_meeting(text.str(), path);
}

}  // namespace cmetrack
