#include "sync/central/reports/evaluations.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "shared/bounds.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"

namespace cmetrack::central {

using sqlite::statement;

namespace {

// The answers in force: the latest row of each (badge, session, question).
constexpr std::string_view in_force = R"sql(
  SELECT badge, session, question, likert, answer, at_ms FROM evaluation_answers
  WHERE id IN (SELECT max(id) FROM evaluation_answers {} GROUP BY badge, session, question)
  ORDER BY badge, session, question)sql";

evaluation_answer read_answer(const statement& row) {
  evaluation_answer a;
  a.session = row.text(1);
  a.question = row.text(2);
  if (!row.is_null(3)) a.likert = static_cast<int>(row.int64(3));
  else a.text = row.text(4);
  a.at = row.int64(5);
  return a;
}

int session_index(const meeting& m, std::string_view id) {
  for (std::size_t s = 0; s < m.sessions.size(); ++s)
    if (m.sessions[s].id == id) return static_cast<int>(s);
  return -1;
}

const evaluation_question* find_question(const std::vector<evaluation_question>& list, std::string_view id) {
  const auto it = std::ranges::find(list, id, &evaluation_question::id);
  return it == list.end() ? nullptr : &*it;
}

}  // namespace

result<std::vector<evaluation_answer>> load_evaluation(sqlite::database& db, std::string_view badge) {
  auto s = statement::prepare(db, fmt::format(fmt::runtime(in_force), "WHERE badge = ?1"));
  if (!s) return std::unexpected(s.error());
  s->bind(1, badge);
  std::vector<evaluation_answer> out;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) { out.push_back(read_answer(row)); }));
  return out;
}

evaluation_status evaluation_of(const meeting& m, const attendee_credit& t, std::vector<evaluation_answer> answers) {
  evaluation_status out;
  for (const auto& c : t.credit.sessions) out.sessions.push_back(c.session);
  const auto answered = [&](std::string_view session, std::string_view question) {
    return std::ranges::any_of(answers, [&](const evaluation_answer& a) {
      return a.session == session && a.question == question && a.likert > 0;
    });
  };
  for (const auto& q : m.evaluation.meeting_questions)
    if (q.kind == question_kind::likert && !answered("", q.id)) out.missing.push_back(q.text);
  for (const int s : out.sessions) {
    const auto& ses = m.sessions[static_cast<std::size_t>(s)];
    for (const auto& q : m.evaluation.session_questions)
      if (q.kind == question_kind::likert && !answered(ses.id, q.id))
        out.missing.push_back(fmt::format("{} ({}): {}", ses.id, ses.title, q.text));
  }
  out.answers = std::move(answers);
  return out;
}

result<void> record_answers(sqlite::database& db, const meeting& m, const attendee_credit& t,
                            const std::vector<evaluation_answer>& answers, time_ms now) {
  if (!m.evaluation.any())
    return bad_input(fmt::format("meeting {} has no evaluation questions; there is nothing to answer", m.id));
  if (answers.size() > 1000) return bad_input(fmt::format("answers: {} answers, more than the 1000 allowed", answers.size()));
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const auto& a = answers[i];
    const auto at = fmt::format("answers[{}]", i);
    const evaluation_question* q = nullptr;
    if (a.session.empty()) {
      q = find_question(m.evaluation.meeting_questions, a.question);
      if (!q)
        return bad_input(fmt::format("{}.question: \"{}\" is not one of the meeting's evaluation questions", at,
                                     a.question));
    } else {
      q = find_question(m.evaluation.session_questions, a.question);
      if (!q)
        return bad_input(fmt::format("{}.question: \"{}\" is not one of the evaluation's session questions", at,
                                     a.question));
      const int s = session_index(m, a.session);
      if (s < 0 || !std::ranges::any_of(t.credit.sessions, [&](const session_credit& c) { return c.session == s; }))
        return bad_input(fmt::format("{}.session: \"{}\" is not a session on your transcript; evaluate the sessions "
                                     "you attended",
                                     at, a.session));
    }
    if (q->kind == question_kind::likert && (a.likert < 1 || a.likert > 5))
      return bad_input(fmt::format("{}.value: \"{}\" is answered 1 (strongly disagree) to 5 (strongly agree)", at,
                                   q->text));
    if (q->kind == question_kind::text) {
      if (a.likert != 0) return bad_input(fmt::format("{}.value: \"{}\" is answered in words", at, q->text));
      if (auto e = bounds::check_text(at + ".value", a.text, evaluation_text_max)) return bad_input(*e);
    }
  }
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  auto insert = statement::prepare(
      db, "INSERT INTO evaluation_answers (badge, session, question, likert, answer, at_ms) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return std::unexpected(insert.error());
  for (const auto& a : answers) {
    insert->bind(1, std::string_view(t.who.badge)).bind(2, std::string_view(a.session))
        .bind(3, std::string_view(a.question));
    if (a.likert > 0) insert->bind(4, static_cast<std::int64_t>(a.likert)).bind(5, std::nullopt);
    else insert->bind(4, std::nullopt).bind(5, std::string_view(a.text));
    insert->bind(6, now);
    CMETRACK_TRY(insert->run());
  }
  return tx->commit();
}

result<std::vector<session_evaluation_summary>> summarize_evaluations(sqlite::database& db, const meeting& m) {
  auto s = statement::prepare(db, fmt::format(fmt::runtime(in_force), ""));
  if (!s) return std::unexpected(s.error());
  // (session, question) -> (count, sum)
  std::map<std::pair<std::string, std::string>, std::pair<int, std::int64_t>> totals;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) {
    if (row.is_null(3)) return;
    auto& t = totals[{std::string(row.text(1)), std::string(row.text(2))}];
    ++t.first;
    t.second += row.int64(3);
  }));
  const auto summary_of = [&](std::string session, std::string title, const std::vector<evaluation_question>& list) {
    session_evaluation_summary out{std::move(session), std::move(title), {}};
    for (const auto& q : list) {
      if (q.kind != question_kind::likert) continue;
      likert_summary l{q.id, q.text};
      if (const auto it = totals.find({out.session, q.id}); it != totals.end()) {
        l.count = it->second.first;
        l.mean = static_cast<double>(it->second.second) / l.count;
      }
      out.questions.push_back(std::move(l));
    }
    return out;
  };
  std::vector<session_evaluation_summary> out;
  if (!m.evaluation.any()) return out;
  out.push_back(summary_of("", m.name, m.evaluation.meeting_questions));
  std::vector<const session*> by_start;
  for (const auto& ses : m.sessions) by_start.push_back(&ses);
  std::ranges::stable_sort(by_start, {}, &session::start);
  for (const auto* ses : by_start) out.push_back(summary_of(ses->id, ses->title, m.evaluation.session_questions));
  return out;
}

result<std::vector<badge_answer>> every_evaluation_answer(sqlite::database& db) {
  auto s = statement::prepare(db, fmt::format(fmt::runtime(in_force), ""));
  if (!s) return std::unexpected(s.error());
  std::vector<badge_answer> out;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) { out.push_back({std::string(row.text(0)), read_answer(row)}); }));
  return out;
}

}  // namespace cmetrack::central
