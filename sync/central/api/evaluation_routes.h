#pragma once
// The evaluation's routes (docs/staff-api.md, "Evaluation"): an attendee
// reads and answers it; staff read the summary per session.
//
//   GET  /api/v1/me/evaluation    the questions, the answers in force, what is missing
//   POST /api/v1/me/evaluation    {"answers": [{"session", "question", "value"}]} -> as GET
//   GET  /api/v1/evaluations      (staff) count and mean of each Likert question, per session
#include <string>

#include "sync/central/api/routes.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {

// GET or POST, by the request's method.
routed my_evaluation(request_context& ctx);
routed get_evaluation_summary(request_context& ctx);

// Why the attendee's claim waits for the evaluation, or empty where it need
// not (no questions, not required, or complete). For POST /api/v1/me/claims.
result<std::string> evaluation_blocks_claim(sqlite::database& db, const meeting& m, const attendee_credit& t);

}  // namespace cmetrack::central
