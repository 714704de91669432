#include "shared/badge_signature.h"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

namespace cmetrack {
namespace {

constexpr std::string_view crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t key_bytes = 32;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A MAC character as read: Crockford's decoding forgives case and the
// look-alikes O (zero) and I, L (one).
char canonical(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return '0';
  if (c == 'I' || c == 'L') return '1';
  return c;
}

}  // namespace

void signing_key::ctx_free::operator()(evp_mac_ctx_st* p) const { EVP_MAC_CTX_free(p); }

result<signing_key> signing_key::from_hex(std::string_view hex) {
  const auto how = "make one with `openssl rand -hex 32`";
  if (hex.size() != 2 * key_bytes)
    return bad_input(fmt::format("badge.key: {} characters; it must be exactly 64 hex digits (32 bytes): {}",
                                 hex.size(), how));
  std::array<unsigned char, key_bytes> key{};
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const int d = hex_digit(hex[i]);
    if (d < 0)
      return bad_input(fmt::format("badge.key: character {} ('{}') is not a hex digit; it must be exactly 64 hex "
                                   "digits (32 bytes): {}",
                                   i + 1, hex[i], how));
    key[i / 2] = static_cast<unsigned char>(key[i / 2] * 16 + d);
  }

  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!hmac) return failure("badge.key: OpenSSL has no HMAC here; check the OpenSSL installation");
  signing_key k;
  k.keyed_.reset(EVP_MAC_CTX_new(hmac));
  EVP_MAC_free(hmac);  // the context holds its own reference
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!k.keyed_ || EVP_MAC_init(k.keyed_.get(), key.data(), key.size(), params) != 1)
    return failure("badge.key: cannot set up HMAC-SHA256 with OpenSSL; check the OpenSSL installation");
  OPENSSL_cleanse(key.data(), key.size());
  return k;
}

std::string signing_key::mac(std::string_view payload) const {
  // A copy of the keyed context per MAC: the key schedule is not redone.
  std::unique_ptr<evp_mac_ctx_st, ctx_free> ctx(EVP_MAC_CTX_dup(keyed_.get()));
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t n = 0;
  if (!ctx || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) != 1 ||
      EVP_MAC_final(ctx.get(), digest.data(), &n, digest.size()) != 1 || n < 5)
    return {};  // verify() then refuses, sign() gives a payload no kiosk accepts
  // The first 40 bits, five bits a character, most significant first.
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < 5; ++i) bits = bits << 8 | digest[i];
  std::string out(badge_mac_length, '0');
  for (std::size_t i = 0; i < badge_mac_length; ++i)
    out[badge_mac_length - 1 - i] = crockford[static_cast<std::size_t>((bits >> (5 * i)) & 31u)];
  return out;
}

std::string sign(const signing_key& key, std::string_view payload) {
  std::string out(payload);
  out += '.';
  out += key.mac(payload);
  return out;
}

std::optional<std::string_view> verify(const signing_key& key, std::string_view scanned) {
  const auto dot = scanned.rfind('.');
  if (dot == std::string_view::npos || scanned.size() - dot - 1 != badge_mac_length) return std::nullopt;
  const auto payload = scanned.substr(0, dot);
  std::array<char, badge_mac_length> given{};
  for (std::size_t i = 0; i < badge_mac_length; ++i) given[i] = canonical(scanned[dot + 1 + i]);
  const std::string expected = key.mac(payload);
  if (expected.size() != badge_mac_length) return std::nullopt;
  if (CRYPTO_memcmp(given.data(), expected.data(), badge_mac_length) != 0) return std::nullopt;
  return payload;
}

}  // namespace cmetrack

namespace cmetrack {

std::optional<std::string> canonical_mac(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    const char k = canonical(c);
    if (crockford.find(k) == std::string_view::npos || out.size() == badge_mac_length) return std::nullopt;
    out += k;
  }
  if (out.size() != badge_mac_length) return std::nullopt;
  return out;
}

bool same_mac(std::string_view a, std::string_view b) {
  return a.size() == badge_mac_length && b.size() == badge_mac_length &&
         CRYPTO_memcmp(a.data(), b.data(), badge_mac_length) == 0;
}

}  // namespace cmetrack
