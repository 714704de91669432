#include "sync/central/reports/claims.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "shared/credit.h"
#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
#include "sync/central/reports/reports.h"

namespace cmetrack::central {
namespace {

std::string credit_text(int quarters) { return fmt::format("{:.2f}", credits(quarters)); }

}  // namespace

result<int> claim_quarters(double credits_claimed, std::string_view what) {
  if (!std::isfinite(credits_claimed) || credits_claimed > 10'000)
    return bad_input(fmt::format("{}: {} is not a number of credits; give credits in steps of 0.25", what,
                                 credits_claimed));
  if (credits_claimed < 0)
    return bad_input(fmt::format("{}: claimed {} credits; a claim cannot be negative (claim 0 or more)", what,
                                 credits_claimed));
  const double quarters = credits_claimed * 4;
  if (quarters != std::floor(quarters))
    return bad_input(fmt::format("{}: claimed {} credits, which is not a multiple of 0.25; claim in steps of 0.25 "
                                 "(e.g. {:.2f})",
                                 what, credits_claimed, std::floor(quarters) / 4));
  return static_cast<int>(quarters);
}

result<void> record_claim(sqlite::database& db, const meeting& m, std::string_view badge,
                          const std::vector<claim_request_line>& lines, bool attestation,
                          std::string_view staff_user, time_ms now) {
  if (staff_user.empty()) return bad_input("claim: no staff user is named; a claim records who took it");
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  // Checked inside the transaction: the credit cannot change under the claim.
  auto t = find_transcript(db, m, badge, now);
  if (!t) return std::unexpected(t.error());
  const auto& who = t->who.badge;
  if (lines.empty())
    return bad_input(fmt::format("badge {}: the claim names no session; claim the credit of at least one "
                                 "session attended",
                                 who));
  if (!attestation)
    return bad_input(fmt::format("badge {}: attestation: the attendee must attest that the credit claimed is "
                                 "commensurate with the extent of their participation; nothing was recorded",
                                 who));
  std::vector<int> earned(lines.size());
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    int index = -1;
    for (std::size_t s = 0; s < m.sessions.size(); ++s)
      if (m.sessions[s].id == l.session) index = static_cast<int>(s);
    if (index < 0)
      return bad_input(fmt::format("{}: no such session in meeting {}; claim a session of the transcript", l.session,
                                   m.id));
    if (!seen.insert(l.session).second)
      return bad_input(fmt::format("{}: claimed twice in one claim; claim each session once", l.session));
    const session_credit* attended = nullptr;
    for (const auto& c : t->credit.sessions)
      if (c.session == index) attended = &c;
    if (!attended)
      return bad_input(fmt::format("{}: badge {} did not attend this session, so nothing can be claimed for it",
                                   l.session, who));
    if (l.quarters < 0)
      return bad_input(fmt::format("{}: claimed {} credits; a claim cannot be negative (claim 0 or more)", l.session,
                                   credit_text(l.quarters)));
    if (l.quarters > attended->quarters)
      return bad_input(fmt::format("{}: claimed {} credits, but {} were earned; claim {} or less", l.session,
                                   credit_text(l.quarters), credit_text(attended->quarters),
                                   credit_text(attended->quarters)));
    earned[i] = attended->quarters;
  }
  auto insert = sqlite::statement::prepare(db, R"sql(
    INSERT INTO claims (badge, session, quarters, earned_quarters, attested, staff_user, at_ms)
    VALUES (?, ?, ?, ?, 1, ?, ?))sql");
  if (!insert) return std::unexpected(insert.error());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    insert->bind(1, std::string_view(who)).bind(2, std::string_view(lines[i].session)).bind(3, lines[i].quarters)
        .bind(4, earned[i]).bind(5, staff_user).bind(6, now);
    if (auto r = insert->run(); !r)
      return with_context(fmt::format("badge {}: cannot store the claim of {}", who, lines[i].session), r.error());
  }
  return tx->commit();
}

}  // namespace cmetrack::central
