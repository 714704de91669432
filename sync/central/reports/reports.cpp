#include "sync/central/reports/reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "shared/attendance.h"
#include "shared/badge.h"
#include "shared/time.h"
#include "sync/central/store/meeting_store.h"
#include "sync/central/store/scan_store.h"

namespace cmetrack::central {

nlohmann::ordered_json transcript_json(const meeting& m, const attendee& a, const credit_summary& c) {
  auto sessions = nlohmann::ordered_json::array();
  for (const auto& s : c.sessions) {
    const auto& ses = m.sessions[static_cast<std::size_t>(s.session)];
    sessions.push_back({{"session", ses.id},
                        {"title", ses.title},
                        {"attended_seconds", s.attended_seconds},
                        {"minutes", s.minutes},
                        {"credits", credits(s.quarters)},
                        {"patient_safety_credits", credits(s.patient_safety_quarters)}});
  }
  auto flags = nlohmann::ordered_json::array();
  for (const auto f : c.flags.names()) flags.push_back(f);
  return {{"meeting", m.id},
          {"badge", a.badge},
          {"name", a.name()},
          {"sessions", sessions},
          {"total_credits", credits(c.total_quarters)},
          {"total_patient_safety_credits", credits(c.total_patient_safety_quarters)},
          {"flags", flags}};
}

claim_summary summarize_claims(const meeting& m, const attendee_credit& t) {
  claim_summary out;
  std::int64_t latest = -1;
  int sum = 0, safety = 0;
  for (const auto& c : t.desk.claims) {
    claim_line line;
    line.session = c.session;
    for (std::size_t i = 0; i < m.sessions.size(); ++i)
      if (m.sessions[i].id == c.session) line.session_index = static_cast<int>(i);
    for (const auto& s : t.credit.sessions)
      if (s.session == line.session_index && line.session_index >= 0) line.earned_quarters = s.quarters;
    line.claimed_quarters = c.quarters;
    // The patient-safety part of a claim: rule "patient_safety_credits" of
    // docs/rules.md applied to the credit claimed (at most the credit earned).
    if (line.session_index >= 0) {
      const auto& ses = m.sessions[static_cast<std::size_t>(line.session_index)];
      const int claimed = std::min(c.quarters, line.earned_quarters);
      line.claimed_patient_safety_quarters =
          ses.credit_quarters == 0 ? 0 : claimed * ses.patient_safety_quarters / ses.credit_quarters;
    }
    safety += line.claimed_patient_safety_quarters;
    sum += c.quarters;
    if (c.id > latest) {
      latest = c.id;
      out.attested_by = c.staff_user;
      out.attested_at = c.at;
    }
    out.sessions.push_back(std::move(line));
  }
  // By start time, as the transcript's sessions; a session the meeting no longer has, last.
  const auto start = [&](const claim_line& l) {
    return l.session_index < 0 ? std::numeric_limits<time_ms>::max()
                               : m.sessions[static_cast<std::size_t>(l.session_index)].start;
  };
  std::stable_sort(out.sessions.begin(), out.sessions.end(),
                   [&](const claim_line& a, const claim_line& b) { return start(a) < start(b); });
  out.total_claimed_quarters = std::min(sum, m.max_quarters);
  out.total_claimed_patient_safety_quarters = std::min(safety, out.total_claimed_quarters);
  return out;
}

namespace {

nlohmann::ordered_json time_or_null(time_ms t) {
  if (t == no_time) return nullptr;
  return format_iso8601_utc(t);
}

nlohmann::ordered_json text_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return s;
}

}  // namespace

nlohmann::ordered_json transcript_json(const meeting& m, const attendee_credit& t) {
  auto out = transcript_json(m, t.who, t.credit);
  nlohmann::ordered_json claims = nullptr;
  if (!t.desk.claims.empty()) {
    const auto summary = summarize_claims(m, t);
    auto sessions = nlohmann::ordered_json::array();
    for (const auto& l : summary.sessions)
      sessions.push_back(
          {{"session", l.session},
           {"earned", credits(l.earned_quarters)},
           {"claimed", credits(l.claimed_quarters)},
           {"claimed_patient_safety", credits(l.claimed_patient_safety_quarters)},
           // A correction after the claim took credit away: the desk records the claim again.
           {"above_earned", l.claimed_quarters > l.earned_quarters}});
    claims = {{"sessions", sessions},
              {"total_claimed", credits(summary.total_claimed_quarters)},
              {"total_claimed_patient_safety", credits(summary.total_claimed_patient_safety_quarters)},
              {"attested_by", summary.attested_by},
              {"attested_at", format_iso8601_utc(summary.attested_at)}};
  }
  auto corrections = nlohmann::ordered_json::array();
  for (const auto& c : t.desk.corrections)
    corrections.push_back({{"id", c.id},
                           {"at", format_iso8601_utc(c.at)},
                           {"by", c.staff_user},
                           {"action", c.action},
                           {"scan", text_or_null(c.scan)},
                           {"room", text_or_null(c.room)},
                           {"from", time_or_null(c.from)},
                           {"to", time_or_null(c.to)},
                           {"direction", text_or_null(c.direction)},
                           {"reason", c.reason},
                           {"scans", c.scans}});
  out["claims"] = std::move(claims);
  out["corrections"] = std::move(corrections);
  out["sharing"] = sharing_json(t.sharing);
  return out;
}

result<attendee_credit> find_transcript(sqlite::database& db, const meeting& m, std::string_view badge, time_ms now) {
  auto who = find_attendee(db, badge);
  if (!who) return std::unexpected(who.error());
  if (!*who) {  // perhaps a payload as scanned: "TAM26-004217"
    auto pattern = badge_pattern::compile(m.badge_pattern, m.badge_key);
    if (!pattern) return std::unexpected(pattern.error());
    if (const auto id = pattern->extract(badge); id && *id != badge) {
      who = find_attendee(db, *id);
      if (!who) return std::unexpected(who.error());
    }
  }
  if (!*who) {
    auto waiting = load_badge_scans(db, m, badge, now);
    if (!waiting) return std::unexpected(waiting.error());
    return not_found(fmt::format(
        "badge \"{}\" is not on the roster of {}; {} scan(s) of it are kept and count once it is registered "
        "(add it to the meeting file and run init again)",
        badge, m.id, waiting->scan_count()));
  }
  auto scans = load_badge_scans(db, m, (*who)->badge, now);
  if (!scans) return std::unexpected(scans.error());
  attendance a;
  std::vector<sharing_event> events;
  if (scans->badge_count() > 0) {
    a = attend(m, scans->scans_of(0), now);
    events = find_badge_sharing(m, scans->scans_of(0), now);
  }
  auto sharing = describe_sharing(db, m, (*who)->badge, events);
  if (!sharing) return std::unexpected(sharing.error());
  auto desk = load_desk_record(db, (*who)->badge);
  if (!desk) return std::unexpected(desk.error());
  return attendee_credit{std::move(**who), credit(m, a), std::move(*desk), std::move(*sharing)};
}

result<std::vector<attendee_credit>> every_attendee_credit(sqlite::database& db, const meeting& m, time_ms now) {
  auto people = load_attendees(db);
  if (!people) return std::unexpected(people.error());
  auto scans = load_all_scans(db, m, now);
  if (!scans) return std::unexpected(scans.error());
  auto desks = load_all_desk_records(db);
  if (!desks) return std::unexpected(desks.error());
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t b = 0; b < scans->badge_count(); ++b) index.emplace(scans->badge(b), b);
  std::vector<attendee_credit> out;
  out.reserve(people->size());
  for (auto& p : *people) {
    attendance a;
    std::vector<sharing_record> sharing;
    if (const auto it = index.find(p.badge); it != index.end()) {
      a = attend(m, scans->scans_of(it->second), now);
      const auto events = find_badge_sharing(m, scans->scans_of(it->second), now);
      auto described = describe_sharing(db, m, p.badge, events);
      if (!described) return std::unexpected(described.error());
      sharing = std::move(*described);
    }
    auto c = credit(m, a);
    desk_record desk;
    if (const auto it = desks->find(p.badge); it != desks->end()) desk = std::move(it->second);
    out.push_back({std::move(p), std::move(c), std::move(desk), std::move(sharing)});
  }
  return out;
}

result<nlohmann::ordered_json> transcript_report(sqlite::database& db, const meeting& m, std::string_view badge, time_ms now) {
  auto t = find_transcript(db, m, badge, now);
  if (!t) return std::unexpected(t.error());
  return transcript_json(m, *t);
}

}  // namespace cmetrack::central
