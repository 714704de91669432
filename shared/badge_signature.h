#pragma once
// Signed badges: a meeting key (meeting file `badge.key`, 64 hex digits = 32
// bytes) and a short MAC after the payload, which a kiosk checks offline, so
// a badge number typed into a barcode generator is refused.
//
//   signed payload = PAYLOAD "." MAC
//   MAC = the first 40 bits of HMAC-SHA256(key, PAYLOAD), Crockford base32,
//         8 characters, upper case (read back case-insensitively, O as 0,
//         I and L as 1, as Crockford's alphabet allows)
//
// The badge pattern then applies to PAYLOAD, the part before the last '.'.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shared/error.h"

struct evp_mac_ctx_st;

namespace cmetrack {

inline constexpr std::size_t badge_mac_length = 8;

// A meeting's key, ready to sign and check (the HMAC key schedule is made
// once, here, not per scan). Not safe to use from two threads at once.
class signing_key {
 public:
  // Fails (bad input, naming `badge.key`) unless `hex` is exactly 64 hex
  // digits.
  static result<signing_key> from_hex(std::string_view hex);

  // The 8-character MAC of `payload`.
  std::string mac(std::string_view payload) const;

 private:
  struct ctx_free {
    void operator()(evp_mac_ctx_st* p) const;
  };
  std::unique_ptr<evp_mac_ctx_st, ctx_free> keyed_;  // HMAC-SHA256 initialised with the key
};

// `payload` "." its MAC: what a signed badge's barcode holds.
std::string sign(const signing_key& key, std::string_view payload);

// The payload of `scanned` without its MAC (a view into `scanned`), or
// nothing: no '.', a MAC of another length, or the wrong MAC (compared in
// constant time).
std::optional<std::string_view> verify(const signing_key& key, std::string_view scanned);

// A MAC as a person typed it (a claim code: shared/claim_code.h), read
// back as mac() writes it: case, spaces and hyphens forgiven, O read as 0 and
// I, L as 1; nothing unless that leaves 8 characters of the alphabet.
std::optional<std::string> canonical_mac(std::string_view typed);

// Whether two MACs of mac()'s form are the same, in constant time.
bool same_mac(std::string_view a, std::string_view b);

}  // namespace cmetrack
