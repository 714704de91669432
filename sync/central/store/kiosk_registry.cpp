#include "sync/central/store/kiosk_registry.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

#include "shared/sqlite/statement.h"

namespace cmetrack::central {

using sqlite::statement;

std::string hex_of(const unsigned char* bytes, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0f];
  }
  return out;
}

result<std::string> new_token(std::string_view what) {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return failure(fmt::format("cannot draw random bytes for the {} (OpenSSL RAND_bytes failed)", what));
  return hex_of(bytes.data(), bytes.size());
}

result<std::string> new_staff_pin() {
  std::string pin;
  while (pin.size() < 6) {
    unsigned char b = 0;
    if (RAND_bytes(&b, 1) != 1) return failure("cannot draw random bytes for the staff PIN (OpenSSL RAND_bytes failed)");
    if (b >= 250) continue;  // keep the digits uniform
    pin += static_cast<char>('0' + b % 10);
  }
  return pin;
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &n, EVP_sha256(), nullptr);
  return hex_of(digest.data(), n);
}

result<bool> enroll_kiosk(sqlite::database& db, const kiosk_binding& k, std::string_view token, time_ms now) {
  auto exists = statement::prepare(db, "SELECT 1 FROM kiosks WHERE id = ?");
  if (!exists) return std::unexpected(exists.error());
  exists->bind(1, std::string_view(k.kiosk));
  const auto before = exists->step();
  if (!before) return std::unexpected(before.error());
  exists->reset();
  auto upsert = statement::prepare(db, R"sql(
    INSERT INTO kiosks (id, room, door, mode, enrolled_ms) VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (id) DO UPDATE SET room = ?2, door = ?3, mode = ?4, enrolled_ms = ?5)sql");
  auto revoke = statement::prepare(db, "UPDATE kiosk_tokens SET revoked_ms = ? WHERE kiosk = ? AND revoked_ms IS NULL");
  auto insert = statement::prepare(db, "INSERT INTO kiosk_tokens (token_sha256, kiosk, issued_ms) VALUES (?, ?, ?)");
  if (!upsert) return std::unexpected(upsert.error());
  if (!revoke) return std::unexpected(revoke.error());
  if (!insert) return std::unexpected(insert.error());
  CMETRACK_TRY(upsert->bind(1, std::string_view(k.kiosk)).bind(2, std::string_view(k.room))
                   .bind(3, std::string_view(k.door)).bind(4, std::string_view(k.mode)).bind(5, now).run());
  CMETRACK_TRY(revoke->bind(1, now).bind(2, std::string_view(k.kiosk)).run());
  const auto hash = sha256_hex(token);
  CMETRACK_TRY(insert->bind(1, std::string_view(hash)).bind(2, std::string_view(k.kiosk)).bind(3, now).run());
  return *before;
}

result<bool> revoke_kiosk(sqlite::database& db, std::string_view kiosk, time_ms now) {
  auto exists = statement::prepare(db, "SELECT 1 FROM kiosks WHERE id = ?");
  if (!exists) return std::unexpected(exists.error());
  exists->bind(1, kiosk);
  const auto enrolled = exists->step();
  if (!enrolled) return std::unexpected(enrolled.error());
  if (!*enrolled)
    return not_found(fmt::format("--kiosk: \"{}\" was never enrolled here ({}); `cmetrack-central kiosks --data DIR "
                                 "--json` lists the kiosks",
                                 kiosk, db.path()));
  exists->reset();
  auto revoke = statement::prepare(db, "UPDATE kiosk_tokens SET revoked_ms = ? WHERE kiosk = ? AND revoked_ms IS NULL");
  if (!revoke) return std::unexpected(revoke.error());
  CMETRACK_TRY(revoke->bind(1, now).bind(2, kiosk).run());
  return sqlite3_changes(db.handle()) > 0;
}

result<token_lookup> find_token(sqlite::database& db, std::string_view token) {
  auto s = statement::prepare(db, R"sql(
    SELECT k.id, k.room, k.door, k.mode, t.revoked_ms FROM kiosk_tokens t JOIN kiosks k ON k.id = t.kiosk
    WHERE t.token_sha256 = ?)sql");
  if (!s) return std::unexpected(s.error());
  const auto hash = sha256_hex(token);
  s->bind(1, std::string_view(hash));
  token_lookup out;
  const auto found = s->step();
  if (!found) return with_context("cannot look up a kiosk token", found.error());
  if (!*found) return out;
  out.binding = {std::string(s->text(0)), std::string(s->text(1)), std::string(s->text(2)), std::string(s->text(3))};
  out.state = s->is_null(4) ? token_state::valid : token_state::revoked;
  return out;
}

result<std::vector<kiosk_status>> list_kiosks(sqlite::database& db) {
  auto s = statement::prepare(db, R"sql(
    SELECT k.id, k.room, k.door, k.mode, k.last_contact_ms, k.clock_offset_ms, k.backlog, k.quarantined,
           NOT EXISTS (SELECT 1 FROM kiosk_tokens t WHERE t.kiosk = k.id AND t.revoked_ms IS NULL)
    FROM kiosks k ORDER BY k.id)sql");
  if (!s) return std::unexpected(s.error());
  std::vector<kiosk_status> out;
  CMETRACK_TRY(s->for_each_row([&](const statement& row) {
    const auto opt = [&](int c) { return row.is_null(c) ? std::optional<std::int64_t>() : row.int64(c); };
    kiosk_status k;
    k.binding = {std::string(row.text(0)), std::string(row.text(1)), std::string(row.text(2)),
                 std::string(row.text(3))};
    k.last_contact = opt(4);
    k.clock_offset_ms = opt(5);
    k.backlog = opt(6);
    k.quarantined = row.int64(7);
    k.revoked = row.int64(8) != 0;
    out.push_back(std::move(k));
  }));
  return out;
}

result<void> record_contact(sqlite::database& db, std::string_view kiosk, time_ms now,
                            std::optional<std::int64_t> clock_offset_ms, std::optional<std::int64_t> backlog,
                            std::int64_t newly_quarantined) {
  auto s = statement::prepare(db, R"sql(
    UPDATE kiosks SET last_contact_ms = ?1, clock_offset_ms = coalesce(?2, clock_offset_ms),
                      backlog = coalesce(?3, backlog), quarantined = quarantined + ?4
    WHERE id = ?5)sql");
  if (!s) return std::unexpected(s.error());
  s->bind(1, now);
  if (clock_offset_ms) s->bind(2, *clock_offset_ms); else s->bind(2, std::nullopt);
  if (backlog) s->bind(3, *backlog); else s->bind(3, std::nullopt);
  return s->bind(4, newly_quarantined).bind(5, kiosk).run();
}

result<std::optional<std::string>> read_setting(sqlite::database& db, std::string_view key) {
  auto s = statement::prepare(db, "SELECT value FROM settings WHERE key = ?");
  if (!s) return std::unexpected(s.error());
  s->bind(1, key);
  const auto found = s->step();
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<std::string>();
  return std::optional<std::string>(std::string(s->text(0)));
}

result<void> write_setting(sqlite::database& db, std::string_view key, std::string_view value) {
  auto s = statement::prepare(db, "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                  "ON CONFLICT (key) DO UPDATE SET value = ?2");
  if (!s) return std::unexpected(s.error());
  return s->bind(1, key).bind(2, value).run();
}

nlohmann::ordered_json kiosk_status_json(const kiosk_status& k) {
  const auto opt = [](const std::optional<std::int64_t>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  };
  return {{"kiosk", k.binding.kiosk},
          {"room", k.binding.room},
          {"door", k.binding.door},
          {"mode", k.binding.mode},
          {"last_contact",
           k.last_contact ? nlohmann::ordered_json(format_iso8601_utc(*k.last_contact)) : nlohmann::ordered_json(nullptr)},
          {"backlog", opt(k.backlog)},
          {"clock_offset_ms", opt(k.clock_offset_ms)},
          {"quarantined", k.quarantined},
          {"revoked", k.revoked}};
}

}  // namespace cmetrack::central
