#pragma once
// Claim codes: how an attendee signs in to the attendee page without an
// e-mail address. Each attendee's code is the first 40 bits of
// HMAC-SHA256(the meeting's claim-code key, "claim-code:" BADGE), written as
// 8 characters of Crockford's base32 (no I, L, O or U; typed back in any case,
// with O read as 0 and I, L as 1: shared/badge_signature.h). The key is 32
// random bytes central.db draws when it is created (settings
// claim_code_key); codes are never stored, so a copy of the roster or of a
// backup without the key gives none away.
#include <optional>
#include <string>
#include <string_view>

#include "shared/badge_signature.h"
#include "shared/error.h"
#include "shared/sqlite/database.h"

namespace cmetrack::central {

class claim_codes {
 public:
  // The meeting's key from central.db.
  static result<claim_codes> load(sqlite::database& db);

  // The attendee's 8-character code.
  std::string code(std::string_view badge) const;
  // Whether `typed` (as a person typed it) is the badge's code, in constant time.
  bool matches(std::string_view badge, std::string_view typed) const;

 private:
  explicit claim_codes(signing_key key) : key_(std::move(key)) {}
  signing_key key_;
};

}  // namespace cmetrack::central
