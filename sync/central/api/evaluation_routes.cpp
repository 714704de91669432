#include "sync/central/api/evaluation_routes.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <memory>
#include <variant>

#include "shared/bounds.h"
#include "sync/central/api/route_support.h"
#include "sync/central/reports/evaluations.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

using json = nlohmann::ordered_json;

routed answer_json(const request_context& ctx, const json& body) {
  return ctx.answer(json_response(http::status::ok, body.dump() + "\n", ctx.version()));
}

json questions_json(const std::vector<evaluation_question>& list) {
  auto out = json::array();
  for (const auto& q : list)
    out.push_back({{"id", q.id}, {"text", q.text}, {"kind", q.kind == question_kind::text ? "text" : "likert"}});
  return out;
}

json status_json(const meeting& m, const evaluation_status& st) {
  auto sessions = json::array();
  for (const int s : st.sessions) {
    const auto& ses = m.sessions[static_cast<std::size_t>(s)];
    sessions.push_back({{"session", ses.id}, {"title", ses.title}});
  }
  auto answers = json::array();
  for (const auto& a : st.answers)
    answers.push_back({{"session", a.session.empty() ? json(nullptr) : json(a.session)},
                       {"question", a.question},
                       {"value", a.likert > 0 ? json(a.likert) : json(a.text)}});
  return {{"required", m.evaluation.required && m.evaluation.any()},
          {"complete", st.complete()},
          {"missing", st.missing},
          {"questions", questions_json(m.evaluation.meeting_questions)},
          {"session_questions", questions_json(m.evaluation.session_questions)},
          {"sessions", sessions},
          {"answers", answers}};
}

// {"answers": [{"session": null | ID, "question": ID, "value": 1-5 | TEXT}]}
result<std::vector<evaluation_answer>> parse_answers(std::string_view body_text) {
  const auto body = nlohmann::json::parse(body_text, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return bad_input("body: not a JSON object; send {\"answers\": [{\"session\": null, \"question\": ID, \"value\": 1-5 "
                     "or text}]}");
  const auto list = body.find("answers");
  if (list == body.end() || !list->is_array()) return bad_input("answers: missing; it must be an array of answers");
  if (list->size() > 1000) return bad_input(fmt::format("answers: {} answers, more than the 1000 allowed", list->size()));
  std::vector<evaluation_answer> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const auto at = fmt::format("answers[{}]", i);
    if (!item.is_object()) return bad_input(fmt::format("{}: must be an object", at));
    evaluation_answer a;
    if (const auto s = item.find("session"); s != item.end() && !s->is_null()) {
      if (!s->is_string()) return bad_input(fmt::format("{}.session: must be a session id or null", at));
      a.session = s->get<std::string>();
      if (auto e = bounds::check_text(at + ".session", a.session, bounds::id)) return bad_input(*e);
    }
    const auto q = item.find("question");
    if (q == item.end() || !q->is_string()) return bad_input(fmt::format("{}.question: missing; it must be a question id", at));
    a.question = q->get<std::string>();
    if (auto e = bounds::check_text(at + ".question", a.question, bounds::id)) return bad_input(*e);
    const auto v = item.find("value");
    if (v == item.end()) return bad_input(fmt::format("{}.value: missing; answer 1 to 5, or in words", at));
    if (v->is_number_integer()) {
      const auto n = v->get<std::int64_t>();
      if (n < 1 || n > 5) return bad_input(fmt::format("{}.value: {} is not 1 to 5", at, n));
      a.likert = static_cast<int>(n);
    } else if (v->is_string()) {
      a.text = v->get<std::string>();
      if (auto e = bounds::check_text(at + ".value", a.text, evaluation_text_max)) return bad_input(*e);
    } else {
      return bad_input(fmt::format("{}.value: must be 1 to 5, or text", at));
    }
    out.push_back(std::move(a));
  }
  return out;
}

// The signed-in attendee's transcript and answers, or the answer to give.
std::variant<std::pair<attendee_credit, evaluation_status>, routed> find_my_evaluation(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  const auto& m = *ctx.meeting_rows;
  auto t = find_transcript(ctx.state.db, m, ctx.badge, ctx.now);
  if (!t) {
    if (t.error().kind == error_kind::not_found) return ctx.answer(http::status::not_found, t.error().message);
    return ctx.fault(t.error());
  }
  auto answers = load_evaluation(ctx.state.db, t->who.badge);
  if (!answers) return ctx.fault(answers.error());
  auto status = evaluation_of(m, *t, std::move(*answers));
  return std::pair{std::move(*t), std::move(status)};
}

}  // namespace

result<std::string> evaluation_blocks_claim(sqlite::database& db, const meeting& m, const attendee_credit& t) {
  if (!m.evaluation.any() || !m.evaluation.required) return std::string();
  auto answers = load_evaluation(db, t.who.badge);
  if (!answers) return std::unexpected(answers.error());
  const auto status = evaluation_of(m, t, std::move(*answers));
  if (status.complete()) return std::string();
  return fmt::format("complete the evaluation before claiming credit: {} question{} unanswered ({}{})",
                     status.missing.size(), status.missing.size() == 1 ? " is" : "s are", status.missing.front(),
                     status.missing.size() > 1 ? ", ..." : "");
}

namespace {

routed get_my_evaluation(request_context& ctx) {
  auto found = find_my_evaluation(ctx);
  if (auto* answer = std::get_if<routed>(&found)) return std::move(*answer);
  return answer_json(ctx, status_json(*ctx.meeting_rows, std::get<0>(found).second));
}

routed post_my_evaluation(request_context& ctx) {
  auto answers = parse_answers(ctx.request.body());
  if (!answers) return ctx.answer(http::status::bad_request, answers.error().message);
  auto found = find_my_evaluation(ctx);
  if (auto* answer = std::get_if<routed>(&found)) return std::move(*answer);
  const auto& m = *ctx.meeting_rows;
  const auto& t = std::get<0>(found).first;
  if (auto r = record_answers(ctx.state.db, m, t, *answers, ctx.now); !r) {
    if (r.error().kind == error_kind::bad_input) return ctx.answer(http::status::bad_request, r.error().message);
    return ctx.fault(r.error());
  }
  auto stored = load_evaluation(ctx.state.db, t.who.badge);
  if (!stored) return ctx.fault(stored.error());
  return answer_json(ctx, status_json(m, evaluation_of(m, t, std::move(*stored))));
}

}  // namespace

routed my_evaluation(request_context& ctx) {
  return ctx.request.method() == http::verb::post ? post_my_evaluation(ctx) : get_my_evaluation(ctx);
}

// Reads every answer in force (a few hundred thousand rows at congress
// size): on a worker, from a read-only connection of its own, as the
// sharing report does.
routed get_evaluation_summary(request_context& ctx) {
  if (auto r = load_meeting(ctx); !r) return ctx.fault(r.error());
  auto summary = std::make_shared<result<std::vector<session_evaluation_summary>>>(failure("not read"));
  auto later = std::make_shared<deferred>();
  later->off_thread = [summary, path = ctx.state.db.path(), m = ctx.meeting_rows] {
    auto db = open_store_reader(path);
    if (!db) *summary = std::unexpected(db.error());
    else *summary = summarize_evaluations(*db, *m);
  };
  later->then = [summary, version = ctx.version(), who = ctx.who]() -> routed {
    if (!*summary)
      return {error_response(http::status::internal_server_error, summary->error().message, version), who};
    auto out = json::array();
    for (const auto& s : **summary) {
      auto questions = json::array();
      for (const auto& q : s.questions)
        questions.push_back({{"question", q.question},
                             {"text", q.text},
                             {"count", q.count},
                             {"mean", q.count > 0 ? json(std::round(q.mean * 100) / 100) : json(nullptr)}});
      out.push_back({{"session", s.session.empty() ? json(nullptr) : json(s.session)},
                     {"title", s.title},
                     {"questions", questions}});
    }
    return {json_response(http::status::ok, out.dump() + "\n", version), who};
  };
  return ctx.later(std::move(later));
}

}  // namespace cmetrack::central
