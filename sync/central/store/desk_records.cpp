#include "sync/central/store/desk_records.h"

#include <fmt/format.h>

#include "shared/sqlite/statement.h"

namespace cmetrack::central {
namespace {

using sqlite::statement;

// Claims rows by (badge, session, id): the last row of each (badge, session)
// is the claim in force.
constexpr std::string_view claims_columns =
    "SELECT badge, session, id, quarters, earned_quarters, staff_user, at_ms FROM claims ";

// Corrections with the scans they voided (one row each; none for the adds).
constexpr std::string_view corrections_columns =
    "SELECT c.badge, c.id, c.at_ms, c.staff_user, c.action, c.scan, c.room, c.from_ms, c.to_ms, c.direction, "
    "c.reason, v.scan FROM corrections c LEFT JOIN voided_scans v ON v.correction = c.id ";

time_ms optional_time(const statement& s, int column) { return s.is_null(column) ? no_time : s.int64(column); }

template <class Sink>
result<void> read_claims(statement& select, Sink&& sink) {
  auto read = select.for_each_row([&](const statement& row) {
    auto& claims = sink(row.text(0));
    claimed_session c;
    c.session = row.text(1);
    c.id = row.int64(2);
    c.quarters = row.integer(3);
    c.earned_quarters = row.integer(4);
    c.staff_user = row.text(5);
    c.at = row.int64(6);
    if (!claims.empty() && claims.back().session == c.session) claims.back() = std::move(c);  // a later claim
    else claims.push_back(std::move(c));
  });
  if (!read) return with_context("cannot read the claims", read.error());
  return {};
}

template <class Sink>
result<void> read_corrections(statement& select, Sink&& sink) {
  auto read = select.for_each_row([&](const statement& row) {
    auto& corrections = sink(row.text(0));
    const auto id = row.int64(1);
    if (corrections.empty() || corrections.back().id != id) {
      correction_row c;
      c.id = id;
      c.badge = row.text(0);
      c.at = row.int64(2);
      c.staff_user = row.text(3);
      c.action = row.text(4);
      c.scan = row.optional_text(5).value_or("");
      c.room = row.optional_text(6).value_or("");
      c.from = optional_time(row, 7);
      c.to = optional_time(row, 8);
      c.direction = row.optional_text(9).value_or("");
      c.reason = row.text(10);
      if (c.action == "add_stay") c.scans = {added_scan_id(id, "in"), added_scan_id(id, "out")};
      else if (c.action == "add_scan" || c.action == "void_scan") c.scans = {c.scan};
      corrections.push_back(std::move(c));
    }
    if (!row.is_null(11) && corrections.back().action == "void_stay")
      corrections.back().scans.emplace_back(row.text(11));
  });
  if (!read) return with_context("cannot read the corrections", read.error());
  return {};
}

}  // namespace

std::string added_scan_id(std::int64_t correction, std::string_view direction) {
  return fmt::format("desk-{}-{}", correction, direction);
}

result<desk_record> load_desk_record(sqlite::database& db, std::string_view badge) {
  desk_record out;
  auto claims = statement::prepare(db, fmt::format("{} WHERE badge = ? ORDER BY session, id", claims_columns));
  if (!claims) return std::unexpected(claims.error());
  claims->bind(1, badge);
  CMETRACK_TRY(read_claims(*claims, [&](std::string_view) -> std::vector<claimed_session>& { return out.claims; }));
  auto corrections =
      statement::prepare(db, fmt::format("{} WHERE c.badge = ? ORDER BY c.id, v.scan", corrections_columns));
  if (!corrections) return std::unexpected(corrections.error());
  corrections->bind(1, badge);
  CMETRACK_TRY(read_corrections(
      *corrections, [&](std::string_view) -> std::vector<correction_row>& { return out.corrections; }));
  return out;
}

result<std::unordered_map<std::string, desk_record>> load_all_desk_records(sqlite::database& db) {
  std::unordered_map<std::string, desk_record> out;
  auto claims = statement::prepare(db, fmt::format("{} ORDER BY badge, session, id", claims_columns));
  if (!claims) return std::unexpected(claims.error());
  CMETRACK_TRY(read_claims(*claims, [&](std::string_view badge) -> std::vector<claimed_session>& {
    return out[std::string(badge)].claims;
  }));
  auto corrections = statement::prepare(db, fmt::format("{} ORDER BY c.badge, c.id, v.scan", corrections_columns));
  if (!corrections) return std::unexpected(corrections.error());
  CMETRACK_TRY(read_corrections(*corrections, [&](std::string_view badge) -> std::vector<correction_row>& {
    return out[std::string(badge)].corrections;
  }));
  return out;
}

}  // namespace cmetrack::central
