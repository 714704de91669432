#define PCRE2_CODE_UNIT_WIDTH 8
#include "shared/badge.h"

#include <fmt/format.h>
#include <pcre2.h>

namespace cmetrack {

void badge_pattern::code_free::operator()(pcre2_real_code_8* p) const { pcre2_code_free(p); }
void badge_pattern::match_data_free::operator()(pcre2_real_match_data_8* p) const { pcre2_match_data_free(p); }

result<badge_pattern> badge_pattern::compile(std::string_view pattern, std::string_view key_hex) {
  std::unique_ptr<signing_key> key;
  if (!key_hex.empty()) {
    auto k = signing_key::from_hex(key_hex);
    if (!k) return std::unexpected(k.error());
    key = std::make_unique<signing_key>(std::move(*k));
  }
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &code, &offset, nullptr);
  if (!compiled) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    return bad_input(fmt::format("at offset {}: {}", offset, reinterpret_cast<const char*>(message)));
  }
  badge_pattern p;
  p.text_ = std::string(pattern);
  p.code_.reset(compiled);
  pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);  // falls back to the interpreter where JIT is absent
  p.match_.reset(pcre2_match_data_create_from_pattern(compiled, nullptr));
  std::uint32_t groups = 0;
  pcre2_pattern_info(compiled, PCRE2_INFO_CAPTURECOUNT, &groups);
  p.has_group_ = groups > 0;
  p.key_ = std::move(key);
  return p;
}

std::optional<std::string_view> badge_pattern::extract(std::string_view payload) const {
  if (key_) {
    const auto unsigned_part = verify(*key_, payload);
    if (!unsigned_part) return std::nullopt;
    payload = *unsigned_part;  // a prefix of the scanned payload: the id stays a view into it
  }
  const int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(payload.data()), payload.size(), 0, 0,
                             match_.get(), nullptr);
  if (rc < 0) return std::nullopt;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match_.get());
  const int group = has_group_ ? 1 : 0;
  if (group >= rc) return std::nullopt;  // the group took no part in the match
  const PCRE2_SIZE begin = ov[2 * group], end = ov[2 * group + 1];
  if (begin == PCRE2_UNSET || end <= begin) return std::nullopt;
  return payload.substr(begin, end - begin);
}

}  // namespace cmetrack
