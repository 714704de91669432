#pragma once
// Enrolled kiosks in central.db: each kiosk's binding (room, door, mode), its
// tokens (stored as SHA-256 only), and what its sync agent last reported
// (contact, clock offset, backlog, quarantined scans).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"

namespace cmetrack::central {

struct kiosk_binding {
  std::string kiosk;
  std::string room;
  std::string door;
  std::string mode;  // auto, entry or exit
};

// 256 random bits (OpenSSL RAND_bytes) as 64 lowercase hex digits: a kiosk's
// or a staff user's token. `what` names it in the error.
result<std::string> new_token(std::string_view what);
// `n` bytes as 2n lowercase hex digits.
std::string hex_of(const unsigned char* bytes, std::size_t n);
// Six random decimal digits, for the kiosk's staff mode.
result<std::string> new_staff_pin();
// SHA-256 of `text`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view text);

// Binds `token` to the kiosk, replacing (revoking) any token it had. Returns
// whether the kiosk was enrolled before. Inside the caller's transaction.
result<bool> enroll_kiosk(sqlite::database& db, const kiosk_binding& k, std::string_view token, time_ms now);

// Revokes the kiosk's live token; not_found where the kiosk was never
// enrolled. Returns whether a live token was revoked.
result<bool> revoke_kiosk(sqlite::database& db, std::string_view kiosk, time_ms now);

enum class token_state { unknown, revoked, valid };
struct token_lookup {
  token_state state = token_state::unknown;
  kiosk_binding binding;  // for revoked and valid tokens
};
result<token_lookup> find_token(sqlite::database& db, std::string_view token);

struct kiosk_status {
  kiosk_binding binding;
  std::optional<time_ms> last_contact;
  std::optional<std::int64_t> clock_offset_ms;
  std::optional<std::int64_t> backlog;
  std::int64_t quarantined = 0;
  bool revoked = false;  // no live token
};
result<std::vector<kiosk_status>> list_kiosks(sqlite::database& db);
// One kiosk as `kiosks --json` and GET /api/v1/kiosks show it.
nlohmann::ordered_json kiosk_status_json(const kiosk_status& k);

// What a batch told of its kiosk. Inside the caller's transaction.
result<void> record_contact(sqlite::database& db, std::string_view kiosk, time_ms now,
                            std::optional<std::int64_t> clock_offset_ms, std::optional<std::int64_t> backlog,
                            std::int64_t newly_quarantined);

// settings: small facts the commands share (e.g. server_url).
result<std::optional<std::string>> read_setting(sqlite::database& db, std::string_view key);
result<void> write_setting(sqlite::database& db, std::string_view key, std::string_view value);

}  // namespace cmetrack::central
