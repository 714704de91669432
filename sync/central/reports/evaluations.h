#pragma once
// The activity's evaluation (meeting file "evaluation", shared/meeting.h):
// what an attendee answered, whether it is complete, the answers stored
// append-only in central.db (evaluation_answers: the latest answer to a
// question is the one in force), and the staff's summary per session. No
// HTTP here (api/attendee_routes.h).
//
// Complete means: every Likert question about the meeting answered, and
// every Likert session question answered for every session on the
// attendee's transcript. Text questions may stay empty.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/meeting.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {

struct evaluation_answer {
  std::string session;   // the session id; empty for a question about the meeting
  std::string question;  // the question's id
  int likert = 0;        // 1-5 for a Likert question; 0 for text
  std::string text;      // a text question's answer
  time_ms at = 0;
};

// One badge's answers in force, by session ("" first) and question.
result<std::vector<evaluation_answer>> load_evaluation(sqlite::database& db, std::string_view badge);

struct evaluation_status {
  std::vector<int> sessions;              // the session questions' sessions: the transcript's, by start
  std::vector<evaluation_answer> answers;  // in force
  std::vector<std::string> missing;       // "The meeting met its objectives", "S1 (Title): ..."
  bool complete() const { return missing.empty(); }
};
evaluation_status evaluation_of(const meeting& m, const attendee_credit& t, std::vector<evaluation_answer> answers);

// Stores `answers` (each checked: a question of the meeting's evaluation,
// a session on the transcript for a session question, 1-5 for Likert, at most
// 2,000 characters of text) in one transaction; bad_input naming the
// answer's index ("answers[2].value: ...") and nothing stored where one
// fails.
result<void> record_answers(sqlite::database& db, const meeting& m, const attendee_credit& t,
                            const std::vector<evaluation_answer>& answers, time_ms now);
inline constexpr std::size_t evaluation_text_max = 2000;

// The staff's summary: per Likert question, the count and mean of the
// answers in force; the meeting's questions first (session ""), then each
// session by start with its session questions.
struct likert_summary {
  std::string question;
  std::string text;
  int count = 0;
  double mean = 0;  // 0 where count is 0
};
struct session_evaluation_summary {
  std::string session;  // "" for the meeting
  std::string title;
  std::vector<likert_summary> questions;
};
result<std::vector<session_evaluation_summary>> summarize_evaluations(sqlite::database& db, const meeting& m);

// Every badge's answers in force, by badge, session and question: for
// `export --evaluations`.
struct badge_answer {
  std::string badge;
  evaluation_answer answer;
};
result<std::vector<badge_answer>> every_evaluation_answer(sqlite::database& db);

}  // namespace cmetrack::central
