#include "sync/central/store/claim_codes.h"

#include <fmt/format.h>

#include "sync/central/store/kiosk_registry.h"

namespace cmetrack::central {
namespace {

std::string message_of(std::string_view badge) { return fmt::format("claim-code:{}", badge); }

}  // namespace

result<claim_codes> claim_codes::load(sqlite::database& db) {
  auto hex = read_setting(db, "claim_code_key");
  if (!hex) return std::unexpected(hex.error());
  if (!*hex)
    return failure(fmt::format("{}: holds no claim-code key (settings claim_code_key); run any cmetrack-central "
                               "command that opens it for writing, such as `init`, to add one",
                               db.path()));
  auto key = signing_key::from_hex(**hex);
  if (!key)
    return failure(fmt::format("{}: the claim-code key (settings claim_code_key) is damaged: {}", db.path(),
                               key.error().message));
  return claim_codes(std::move(*key));
}

std::string claim_codes::code(std::string_view badge) const { return key_.mac(message_of(badge)); }

bool claim_codes::matches(std::string_view badge, std::string_view typed) const {
  const auto given = canonical_mac(typed);
  const auto expected = code(badge);
  return given && same_mac(*given, expected);
}

}  // namespace cmetrack::central
