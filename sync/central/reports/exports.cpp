#include "sync/central/reports/exports.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "shared/atomic_file.h"
#include "shared/credit.h"
#include "shared/meeting_zone.h"

namespace cmetrack::central {
namespace {

// One CSV row in the making, quoted as RFC 4180 says where a field holds a
// comma, a quote or a line break.
class csv_row {
 public:
  explicit csv_row(std::string& out) : out_(out) {}
  ~csv_row() { out_ += '\n'; }
  csv_row(const csv_row&) = delete;
  csv_row& operator=(const csv_row&) = delete;

  csv_row& field(std::string_view text) {
    if (!first_) out_ += ',';
    first_ = false;
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
      out_ += text;
      return *this;
    }
    out_ += '"';
    for (const char c : text) {
      if (c == '"') out_ += '"';
      out_ += c;
    }
    out_ += '"';
    return *this;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

std::string credit_text(int quarters) { return fmt::format("{:.2f}", credits(quarters)); }

const std::string& or_empty(const std::optional<std::string>& s) {
  static const std::string empty;
  return s ? *s : empty;
}

bool has(const std::optional<std::string>& s) { return s && !s->empty(); }

bool is_month_day(std::string_view s) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (s.size() != 5 || !digit(s[0]) || !digit(s[1]) || s[2] != '-' || !digit(s[3]) || !digit(s[4])) return false;
  const int month = (s[0] - '0') * 10 + (s[1] - '0');
  const int day = (s[3] - '0') * 10 + (s[4] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

result<std::int64_t> export_attendance(const meeting& m, const std::vector<attendee_credit>& people,
                                       const std::string& path) {
  std::string text = std::string(attendance_csv_header) + "\n";
  std::int64_t rows = 0;
  for (const auto& p : people) {
    const auto name = p.who.name();
    for (const auto& s : p.credit.sessions) {  // attended time > 0, by start
      const auto& ses = m.sessions[static_cast<std::size_t>(s.session)];
      csv_row(text)
          .field(p.who.badge)
          .field(ses.id)
          .field(fmt::format("{}", s.minutes))
          .field(credit_text(s.quarters))
          .field(credit_text(s.patient_safety_quarters))
          .field(name)
          .field(ses.title);
      ++rows;
    }
  }
  auto w = write_file_atomically(path, text);
  if (!w) return std::unexpected(w.error());
  return rows;
}

std::vector<std::string> pars_missing_fields(const attendee& a) {
  std::vector<std::string> out;
  if (a.first_name.empty()) out.emplace_back("first_name");
  if (a.last_name.empty()) out.emplace_back("last_name");
  if (!has(a.birth_month_day))
    out.emplace_back("birth_month_day");
  else if (!is_month_day(*a.birth_month_day))
    out.push_back(fmt::format("birth_month_day (\"{}\" is not MM-DD)", *a.birth_month_day));
  const bool licence = has(a.license_state) && has(a.license_id);
  const bool board = has(a.board) && has(a.board_id);
  if (!licence && !board && !has(a.npi)) {
    if (has(a.license_id))
      out.emplace_back("license_state");
    else if (has(a.board_id))
      out.emplace_back("board");
    else
      out.emplace_back("npi or license_id or board_id");
  }
  return out;
}

std::string pars_missing_path(const std::string& path) {
  constexpr std::string_view csv = ".csv";
  if (path.size() > csv.size() && path.ends_with(csv)) return path.substr(0, path.size() - csv.size()) + ".missing.csv";
  return path + ".missing.csv";
}

std::string local_date_mdy(time_ms t, const std::string& tz) {
  const local_time l = meeting_zone(tz).at(t);
  return fmt::format("{:02}/{:02}/{:04}", l.month, l.day, l.year);
}

result<pars_summary> export_pars(const meeting& m, const std::vector<attendee_credit>& people,
                                 const std::string& activity_id, const std::string& path) {
  pars_summary summary;
  summary.missing_path = pars_missing_path(path);
  std::string text = std::string(pars_csv_header) + "\n";
  for (const auto& p : people) {
    if (p.credit.total_quarters <= 0) continue;
    auto lacking = pars_missing_fields(p.who);
    if (!lacking.empty()) {
      summary.missing.push_back({p.who.badge, p.who.name(), p.credit.total_quarters, std::move(lacking)});
      continue;
    }
    time_ms completed = 0;
    for (const auto& s : p.credit.sessions)
      if (s.quarters > 0) completed = std::max(completed, m.sessions[static_cast<std::size_t>(s.session)].end);
    const auto& a = p.who;
    const bool licence = has(a.license_state) && has(a.license_id);
    const auto& dob = *a.birth_month_day;  // checked MM-DD above
    csv_row(text)
        .field("Add")
        .field(activity_id)
        .field(local_date_mdy(completed, m.timezone))
        .field(a.first_name)
        .field(a.last_name)
        .field(fmt::format("{}/{}", dob.substr(0, 2), dob.substr(3, 2)))
        .field(or_empty(a.license_state))
        .field(licence ? *a.license_id : or_empty(a.npi))
        .field(credit_text(p.credit.total_quarters))
        .field(or_empty(a.board))
        .field(or_empty(a.board_id));
    ++summary.learners;
  }

  std::string missing = std::string(pars_missing_csv_header) + "\n";
  for (const auto& l : summary.missing) {
    std::string fields;
    for (const auto& f : l.fields) fields += (fields.empty() ? "" : "; ") + f;
    csv_row(missing).field(l.badge).field(l.name).field(credit_text(l.quarters)).field(fields);
  }
  auto w = write_file_atomically(path, text);
  if (!w) return std::unexpected(w.error());
  w = write_file_atomically(summary.missing_path, missing);
  if (!w) return std::unexpected(w.error());
  return summary;
}

}  // namespace cmetrack::central

namespace cmetrack::central {

std::string personal_url(std::string_view base_url, std::string_view badge, std::string_view code) {
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  std::string encoded;
  for (const char c : badge) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~')
      encoded += c;
    else
      encoded += fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
  }
  return fmt::format("{}/me#badge={}&code={}", base_url, encoded, code);
}

result<std::int64_t> export_claim_codes(const std::vector<attendee>& people, const claim_codes& codes,
                                        std::string_view base_url, const std::string& path) {
  std::string text = std::string(claim_codes_csv_header) + "\n";
  for (const auto& a : people) {
    const auto code = codes.code(a.badge);
    csv_row(text).field(a.badge).field(a.name()).field(code).field(
        base_url.empty() ? std::string() : personal_url(base_url, a.badge, code));
  }
  auto w = write_file_atomically(path, text);
  if (!w) return std::unexpected(w.error());
  return static_cast<std::int64_t>(people.size());
}

result<std::int64_t> export_evaluations(const std::vector<attendee>& people,
                                        const std::vector<badge_answer>& answers, const std::string& path) {
  std::unordered_map<std::string_view, const attendee*> by_badge;
  for (const auto& a : people) by_badge.emplace(a.badge, &a);
  const auto kind_of = [&](const evaluation_answer& a) {
    return a.likert > 0 ? "likert" : "text";
  };
  std::string text = std::string(evaluations_csv_header) + "\n";
  for (const auto& [badge, a] : answers) {
    const auto who = by_badge.find(badge);
    csv_row(text)
        .field(badge)
        .field(who == by_badge.end() ? std::string() : who->second->name())
        .field(a.session)
        .field(a.question)
        .field(kind_of(a))
        .field(a.likert > 0 ? fmt::format("{}", a.likert) : a.text)
        .field(format_iso8601_utc(a.at));
  }
  auto w = write_file_atomically(path, text);
  if (!w) return std::unexpected(w.error());
  return static_cast<std::int64_t>(answers.size());
}

}  // namespace cmetrack::central
