#pragma once
// Badge payloads: the meeting's pattern (PCRE2, compiled once with JIT) takes
// the badge id out of what the scanner read. Its first capture group is the
// id, or the whole match where it has none; `$` means the very end, as in
// JavaScript (a trailing newline is not forgiven). A payload it does not match is an
// invalid badge.
//
// A signed meeting (a badge key; shared/badge_signature.h) compiles its key
// in: a payload must then end in its valid MAC ("PAYLOAD.MAC"), and the
// pattern applies to PAYLOAD; without the MAC, or with a wrong one, it is an
// invalid badge too, everywhere a payload becomes a badge id.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shared/badge_signature.h"
#include "shared/error.h"

struct pcre2_real_code_8;
struct pcre2_real_match_data_8;

namespace cmetrack {

class badge_pattern {
 public:
  // Fails with the position and reason where the pattern does not compile,
  // or (naming badge.key) where `key_hex` is neither empty (badges not
  // signed) nor 64 hex digits. Pass the meeting's badge_key.
  static result<badge_pattern> compile(std::string_view pattern, std::string_view key_hex = {});

  // The badge id inside `payload` (a view into it), or nothing. Not safe to
  // call from two threads at once on one object: each thread compiles its own.
  std::optional<std::string_view> extract(std::string_view payload) const;

  const std::string& text() const { return text_; }
  // The meeting's key, or null where badges are not signed.
  const signing_key* key() const { return key_.get(); }

 private:
  struct code_free {
    void operator()(pcre2_real_code_8* p) const;
  };
  struct match_data_free {
    void operator()(pcre2_real_match_data_8* p) const;
  };
  std::string text_;
  std::unique_ptr<pcre2_real_code_8, code_free> code_;
  std::unique_ptr<pcre2_real_match_data_8, match_data_free> match_;
  bool has_group_ = false;
  std::unique_ptr<signing_key> key_;
};

}  // namespace cmetrack
