#include "sync/central/store/attendee_sessions.h"

#include "shared/sqlite/statement.h"
#include "sync/central/store/kiosk_registry.h"

namespace cmetrack::central {

using sqlite::statement;

result<attendee_session> start_attendee_session(sqlite::database& db, std::string_view badge, time_ms now) {
  auto token = new_token("attendee token");
  if (!token) return std::unexpected(token.error());
  auto insert = statement::prepare(
      db, "INSERT INTO attendee_tokens (token_sha256, badge, issued_ms, expires_ms) VALUES (?, ?, ?, ?)");
  if (!insert) return std::unexpected(insert.error());
  const auto hash = sha256_hex(*token);
  const time_ms expires = now + attendee_session_ms;
  insert->bind(1, std::string_view(hash)).bind(2, badge).bind(3, now).bind(4, expires);
  CMETRACK_TRY(insert->run());
  return attendee_session{std::move(*token), expires};
}

result<void> end_attendee_session(sqlite::database& db, std::string_view token, time_ms now) {
  auto end = statement::prepare(
      db, "UPDATE attendee_tokens SET revoked_ms = ? WHERE token_sha256 = ? AND revoked_ms IS NULL");
  if (!end) return std::unexpected(end.error());
  const auto hash = sha256_hex(token);
  end->bind(1, now).bind(2, std::string_view(hash));
  return end->run();
}

result<attendee_token_lookup> find_attendee_token(sqlite::database& db, std::string_view token, time_ms now) {
  auto find =
      statement::prepare(db, "SELECT badge, expires_ms, revoked_ms FROM attendee_tokens WHERE token_sha256 = ?");
  if (!find) return std::unexpected(find.error());
  const auto hash = sha256_hex(token);
  find->bind(1, std::string_view(hash));
  attendee_token_lookup out;
  const auto found = find->step();
  if (!found) return with_context("cannot look up an attendee token", found.error());
  if (*found) {
    out.badge = std::string(find->text(0));
    if (!find->is_null(2)) out.state = attendee_token_state::revoked;
    else if (find->int64(1) <= now) out.state = attendee_token_state::expired;
    else out.state = attendee_token_state::valid;
  }
  find->reset();
  return out;
}

}  // namespace cmetrack::central
