#pragma once
// Staff users in central.db: the people who log in to the dashboard and the
// desk. Passwords are kept as PBKDF2-HMAC-SHA256 (OpenSSL) with a random
// salt, slow on purpose; tokens as their SHA-256 only, as kiosk tokens are.
//
//   cmetrack-central staff ──> set_staff_user ──> an API token (no expiry;
//                                                 the next run revokes it)
//   POST /api/v1/login ──────> log_in ──────────> a session token (12 hours)
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/error.h"
#include "shared/sqlite/database.h"
#include "shared/time.h"

namespace cmetrack::central {

constexpr time_ms staff_session_ms = 12 * 60 * ms_per_minute;

// "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" for `password`.
result<std::string> hash_password(std::string_view password, int iterations);
// Whether `password` is the one `stored` (as hash_password writes it) was made from.
bool password_matches(std::string_view password, std::string_view stored);
// The iterations of new hashes: about 0.1 s on one core of the machines we
// measured (BENCHMARKS.md).
constexpr int password_iterations = 210'000;

// A password good enough to hand out: 16 letters and digits, random.
result<std::string> new_password();

// Creates the user or sets a new password; revokes the user's earlier API
// token and sessions; returns the new API token. One transaction.
struct staff_user_change {
  std::string token;
  bool created = false;
};
result<staff_user_change> set_staff_user(sqlite::database& db, std::string_view user, std::string_view password,
                                         time_ms now);

// A session token for `user` with `password`, or nullopt where either is
// wrong (the caller says which in no more detail than that).
struct staff_session {
  std::string token;
  time_ms expires = 0;
};
// log_in in its three steps, so that the hashing can run off serve's
// thread: the user's stored hash (a decoy for an unknown user, which costs
// the same to check); whether the password matches it (slow, no database);
// a new session for the user.
result<std::string> stored_password_hash(sqlite::database& db, std::string_view user);
result<staff_session> start_session(sqlite::database& db, std::string_view user, time_ms now);

result<std::optional<staff_session>> log_in(sqlite::database& db, std::string_view user, std::string_view password,
                                            time_ms now);

// Ends a session token (an API token is not ended this way).
result<void> log_out(sqlite::database& db, std::string_view token, time_ms now);

enum class staff_token_state { unknown, revoked, expired, valid };
struct staff_token_lookup {
  staff_token_state state = staff_token_state::unknown;
  std::string user;
  std::optional<time_ms> expires;
};
result<staff_token_lookup> find_staff_token(sqlite::database& db, std::string_view token, time_ms now);

}  // namespace cmetrack::central
