#include "sync/central/reports/learner_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <tuple>

#include "shared/credit.h"
#include "shared/time.h"
#include "sync/central/reports/reports.h"
#include "sync/central/store/meeting_store.h"

namespace cmetrack::central {
namespace {

using nlohmann::ordered_json;

ordered_json credits_or_null(const std::optional<int>& quarters) {
  return quarters ? ordered_json(credits(*quarters)) : ordered_json(nullptr);
}

ordered_json line_json(const requirement_line& l) {
  return {{"required", credits(l.required_quarters)},
          {"counted", credits(l.counted_quarters)},
          {"to_go", credits(l.to_go_quarters())},
          {"met", l.met()}};
}

std::string utc_day(time_ms t) { return format_iso8601_utc(t).substr(0, 10); }

}  // namespace

result<std::optional<learner_meeting>> learner_at_meeting(sqlite::database& db, const meeting& m,
                                                          std::string_view learner_id, time_ms now) {
  auto found = find_learner_attendees(db, learner_id);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return std::optional<learner_meeting>{};
  if (found->size() > 1)
    return bad_input(fmt::format("{}: meeting {} has learner id \"{}\" on badges {} and {}; a learner has one badge a "
                                 "meeting: correct the meeting file's learner_id and run `cmetrack-central init` again",
                                 db.path(), m.id, learner_id, (*found)[0].badge, (*found)[1].badge));
  auto t = find_transcript(db, m, found->front().badge, now);
  if (!t) return std::unexpected(t.error());
  learner_meeting out;
  out.of = m;
  out.who = t->who;
  if (const auto span = meeting_span(m)) out.span = *span;
  out.earned_quarters = t->credit.total_quarters;
  out.earned_patient_safety_quarters = t->credit.total_patient_safety_quarters;
  const auto claims = summarize_claims(m, *t);
  if (!claims.sessions.empty()) {
    out.claimed_quarters = claims.total_claimed_quarters;
    out.claimed_patient_safety_quarters = claims.total_claimed_patient_safety_quarters;
  }
  return std::optional<learner_meeting>{std::move(out)};
}

time_ms years_before(time_ms as_of, int years) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{as_of}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  auto earlier = ymd - std::chrono::years{years};
  if (!earlier.ok()) earlier = earlier.year() / earlier.month() / last;  // 29 February
  return (sys_days{earlier} + (t - day)).time_since_epoch().count();
}

learner_report make_learner_report(std::string learner_id, std::vector<learner_meeting> meetings,
                                   const credit_requirement& requirement, time_ms as_of) {
  std::ranges::sort(meetings, {}, [](const learner_meeting& lm) { return std::tie(lm.span.start, lm.of.id); });
  learner_report r;
  r.learner_id = std::move(learner_id);
  r.as_of = as_of;
  r.requirement = requirement;
  r.window_start = years_before(as_of, requirement.window_years);
  r.total.required_quarters = requirement.total_quarters;
  r.category1.required_quarters = requirement.category1_quarters;
  r.patient_safety.required_quarters = requirement.patient_safety_quarters;
  for (auto& lm : meetings) {
    r.total_quarters += lm.earned_quarters;
    r.total_patient_safety_quarters += lm.earned_patient_safety_quarters;
    lm.in_window = lm.span.end > r.window_start && lm.span.start <= as_of;
    if (!lm.in_window) continue;
    // Every credit cmetrack records is designated AMA PRA Category 1.
    r.total.counted_quarters += lm.counted_quarters();
    r.category1.counted_quarters += lm.counted_quarters();
    r.patient_safety.counted_quarters += lm.counted_patient_safety_quarters();
  }
  if (!meetings.empty()) r.name = meetings.back().who.name();
  r.meetings = std::move(meetings);
  return r;
}

ordered_json learner_json(const learner_report& r) {
  auto meetings = ordered_json::array();
  for (const auto& lm : r.meetings) {
    meetings.push_back({{"meeting", lm.of.id},
                        {"name", lm.of.name},
                        {"badge", lm.who.badge},
                        {"start", format_iso8601_utc(lm.span.start)},
                        {"end", format_iso8601_utc(lm.span.end)},
                        {"total_credits", credits(lm.earned_quarters)},
                        {"patient_safety_credits", credits(lm.earned_patient_safety_quarters)},
                        {"claimed_credits", credits_or_null(lm.claimed_quarters)},
                        {"claimed_patient_safety_credits", credits_or_null(lm.claimed_patient_safety_quarters)},
                        {"counted_credits", credits(lm.counted_quarters())},
                        {"counted_patient_safety_credits", credits(lm.counted_patient_safety_quarters())},
                        {"in_window", lm.in_window}});
  }
  return {{"learner_id", r.learner_id},
          {"name", r.name},
          {"as_of", format_iso8601_utc(r.as_of)},
          {"meetings", std::move(meetings)},
          {"total_credits", credits(r.total_quarters)},
          {"patient_safety_credits", credits(r.total_patient_safety_quarters)},
          {"requirement",
           {{"name", r.requirement.name},
            {"window_years", r.requirement.window_years},
            {"from", utc_day(r.window_start)},
            {"to", utc_day(r.as_of)},
            {"total_credits", line_json(r.total)},
            {"category1_credits", line_json(r.category1)},
            {"patient_safety_credits", line_json(r.patient_safety)},
            {"met", r.met()}}}};
}

}  // namespace cmetrack::central
