#include "sync/central/store/staff_users.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <vector>

#include "shared/sqlite/statement.h"
#include "shared/sqlite/transaction.h"
#include "sync/central/store/kiosk_registry.h"

namespace cmetrack::central {

using sqlite::statement;

namespace {

constexpr std::string_view scheme = "pbkdf2-sha256";

bool unhex(std::string_view text, std::vector<unsigned char>& out) {
  if (text.size() % 2 != 0) return false;
  out.clear();
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (ec != std::errc() || end != text.data() + i + 2) return false;
    out.push_back(static_cast<unsigned char>(value));
  }
  return true;
}

bool derive(std::string_view password, const std::vector<unsigned char>& salt, int iterations,
            std::array<unsigned char, 32>& out) {
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                           static_cast<int>(salt.size()), iterations, EVP_sha256(), static_cast<int>(out.size()),
                           out.data()) == 1;
}

result<void> insert_token(sqlite::database& db, std::string_view token, std::string_view user, std::string_view kind,
                          time_ms now, std::optional<time_ms> expires) {
  auto insert = statement::prepare(
      db, "INSERT INTO staff_tokens (token_sha256, user, kind, issued_ms, expires_ms) VALUES (?, ?, ?, ?, ?)");
  if (!insert) return std::unexpected(insert.error());
  const auto hash = sha256_hex(token);
  insert->bind(1, std::string_view(hash)).bind(2, user).bind(3, kind).bind(4, now);
  if (expires) insert->bind(5, *expires);
  else insert->bind(5, std::nullopt);
  return insert->run();
}

}  // namespace

result<std::string> hash_password(std::string_view password, int iterations) {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    return failure("cannot draw random bytes for a password salt (OpenSSL RAND_bytes failed)");
  std::array<unsigned char, 32> key{};
  if (!derive(password, salt, iterations, key)) return failure("cannot hash the password (OpenSSL PBKDF2 failed)");
  return fmt::format("{}${}${}${}", scheme, iterations, hex_of(salt.data(), salt.size()), hex_of(key.data(), key.size()));
}

bool password_matches(std::string_view password, std::string_view stored) {
  // scheme $ iterations $ salt $ hash
  std::array<std::string_view, 4> parts;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto dollar = stored.find('$');
    if ((dollar == std::string_view::npos) != (i == parts.size() - 1)) return false;
    parts[i] = stored.substr(0, dollar);
    if (dollar != std::string_view::npos) stored.remove_prefix(dollar + 1);
  }
  int iterations = 0;
  const auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
  std::vector<unsigned char> salt, expected;
  if (parts[0] != scheme || ec != std::errc() || end != parts[1].data() + parts[1].size() || iterations <= 0 ||
      !unhex(parts[2], salt) || !unhex(parts[3], expected) || expected.size() != 32)
    return false;
  std::array<unsigned char, 32> key{};
  if (!derive(password, salt, iterations, key)) return false;
  return CRYPTO_memcmp(key.data(), expected.data(), key.size()) == 0;
}

result<std::string> new_password() {
  static constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  while (out.size() < 16) {
    unsigned char b = 0;
    if (RAND_bytes(&b, 1) != 1) return failure("cannot draw random bytes for a password (OpenSSL RAND_bytes failed)");
    if (b >= 256 / alphabet.size() * alphabet.size()) continue;  // keep the letters uniform
    out += alphabet[b % alphabet.size()];
  }
  return out;
}

result<staff_user_change> set_staff_user(sqlite::database& db, std::string_view user, std::string_view password,
                                         time_ms now) {
  auto hash = hash_password(password, password_iterations);
  if (!hash) return std::unexpected(hash.error());
  auto token = new_token("staff token");
  if (!token) return std::unexpected(token.error());
  auto tx = sqlite::transaction::begin(db);
  if (!tx) return std::unexpected(tx.error());
  auto exists = statement::prepare(db, "SELECT 1 FROM staff_users WHERE name = ?");
  if (!exists) return std::unexpected(exists.error());
  exists->bind(1, user);
  const auto before = exists->step();
  if (!before) return std::unexpected(before.error());
  exists->reset();
  auto upsert = statement::prepare(db,
                                   "INSERT INTO staff_users (name, password_hash, created_ms, updated_ms) "
                                   "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO UPDATE SET "
                                   "password_hash = excluded.password_hash, updated_ms = excluded.updated_ms");
  if (!upsert) return std::unexpected(upsert.error());
  upsert->bind(1, user).bind(2, std::string_view(*hash)).bind(3, now);
  if (auto r = upsert->run(); !r) return std::unexpected(r.error());
  auto revoke = statement::prepare(db, "UPDATE staff_tokens SET revoked_ms = ? WHERE user = ? AND revoked_ms IS NULL");
  if (!revoke) return std::unexpected(revoke.error());
  revoke->bind(1, now).bind(2, user);
  if (auto r = revoke->run(); !r) return std::unexpected(r.error());
  if (auto r = insert_token(db, *token, user, "api", now, std::nullopt); !r) return std::unexpected(r.error());
  if (auto r = tx->commit(); !r) return std::unexpected(r.error());
  return staff_user_change{std::move(*token), !*before};
}

namespace {

// An unknown user costs the same hashing as a known one: the time of the
// answer does not tell which user names exist. No password matches it.
const std::string decoy_hash = "pbkdf2-sha256$210000$00000000000000000000000000000000$"
                               "0000000000000000000000000000000000000000000000000000000000000000";

}  // namespace

result<std::string> stored_password_hash(sqlite::database& db, std::string_view user) {
  auto find = statement::prepare(db, "SELECT password_hash FROM staff_users WHERE name = ?");
  if (!find) return std::unexpected(find.error());
  find->bind(1, user);
  const auto found = find->step();
  if (!found) return with_context(fmt::format("cannot read staff user \"{}\"", user), found.error());
  if (!*found) return decoy_hash;
  return std::string(find->text(0));
}

result<staff_session> start_session(sqlite::database& db, std::string_view user, time_ms now) {
  auto token = new_token("staff token");
  if (!token) return std::unexpected(token.error());
  const time_ms expires = now + staff_session_ms;
  if (auto r = insert_token(db, *token, user, "session", now, expires); !r) return std::unexpected(r.error());
  return staff_session{std::move(*token), expires};
}

result<std::optional<staff_session>> log_in(sqlite::database& db, std::string_view user, std::string_view password,
                                            time_ms now) {
  auto stored = stored_password_hash(db, user);
  if (!stored) return std::unexpected(stored.error());
  if (!password_matches(password, *stored)) return std::optional<staff_session>();
  auto session = start_session(db, user, now);
  if (!session) return std::unexpected(session.error());
  return std::optional<staff_session>(std::move(*session));
}

result<void> log_out(sqlite::database& db, std::string_view token, time_ms now) {
  auto end = statement::prepare(
      db, "UPDATE staff_tokens SET revoked_ms = ? WHERE token_sha256 = ? AND kind = 'session' AND revoked_ms IS NULL");
  if (!end) return std::unexpected(end.error());
  const auto hash = sha256_hex(token);
  end->bind(1, now).bind(2, std::string_view(hash));
  return end->run();
}

result<staff_token_lookup> find_staff_token(sqlite::database& db, std::string_view token, time_ms now) {
  auto find = statement::prepare(db, "SELECT user, expires_ms, revoked_ms FROM staff_tokens WHERE token_sha256 = ?");
  if (!find) return std::unexpected(find.error());
  const auto hash = sha256_hex(token);
  find->bind(1, std::string_view(hash));
  staff_token_lookup out;
  const auto found = find->step();
  if (!found) return with_context("cannot look up a staff token", found.error());
  if (*found) {
    out.user = std::string(find->text(0));
    if (!find->is_null(1)) out.expires = find->int64(1);
    if (!find->is_null(2)) out.state = staff_token_state::revoked;
    else if (out.expires && *out.expires <= now) out.state = staff_token_state::expired;
    else out.state = staff_token_state::valid;
  }
  find->reset();
  return out;
}

}  // namespace cmetrack::central
