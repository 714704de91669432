// Signed badges (shared/badge_signature.h): the MAC after the payload, and
// the badge pattern of a signed meeting refusing what lacks a valid one.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "shared/badge.h"
#include "shared/badge_signature.h"
#include "shared/kiosk_config_body.h"
#include "shared/meeting_import.h"

using namespace cmetrack;

namespace {

// Bytes 00 01 02 ... 1f.
constexpr std::string_view test_key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr std::string_view other_key = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// Computed by hand, outside this code:
//   printf %s TAM26-004217 | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
//   -> 0d4b0e1168...: the first 40 bits 00001 10101 00101 10000 11100 00100 01011 01000
//   = 1 21 5 16 28 4 11 8 -> Crockford base32 "1N5GW4B8"
constexpr std::string_view signed_tam = "TAM26-004217.1N5GW4B8";
//   printf %s 004217 | ... -> 6805c197fd... -> "D02W35ZX"
constexpr std::string_view signed_plain = "004217.D02W35ZX";

signing_key key_of(std::string_view hex) {
  auto k = signing_key::from_hex(hex);
  REQUIRE(k.has_value());
  return std::move(*k);
}

}  // namespace

TEST_CASE("a signed payload: the payload, a dot and 8 Crockford base32 characters, as computed by hand",
          "[badge-signature]") {
  const auto key = key_of(test_key);
  CHECK(sign(key, "TAM26-004217") == signed_tam);
  CHECK(sign(key, "004217") == signed_plain);
  CHECK(verify(key, signed_tam) == std::optional<std::string_view>("TAM26-004217"));
  CHECK(verify(key, signed_plain) == std::optional<std::string_view>("004217"));
  // Upper-case hex digits are the same key.
  std::string upper(test_key);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(sign(key_of(upper), "004217") == signed_plain);
}

TEST_CASE("verify refuses a wrong key, any changed character, and a missing or short MAC", "[badge-signature]") {
  const auto key = key_of(test_key);
  CHECK_FALSE(verify(key_of(other_key), signed_tam).has_value());

  const std::string good(signed_tam);
  for (std::size_t i = 0; i < good.size(); ++i) {
    if (good[i] == '.') continue;
    std::string forged = good;
    forged[i] = forged[i] == '7' ? '8' : '7';
    INFO("forged: " << forged);
    CHECK_FALSE(verify(key, forged).has_value());
  }
  CHECK_FALSE(verify(key, "TAM26-004217").has_value());           // no MAC at all
  CHECK_FALSE(verify(key, "TAM26-004217.").has_value());          // an empty one
  CHECK_FALSE(verify(key, "TAM26-004217.1N5GW4B").has_value());   // 7 characters
  CHECK_FALSE(verify(key, "TAM26-004217.1N5GW4B80").has_value());  // 9
  CHECK_FALSE(verify(key, "TAM26-004217.1N5GW4B8\n").has_value());
  CHECK_FALSE(verify(key, "").has_value());
  CHECK_FALSE(verify(key, ".1N5GW4B8").has_value());  // the MAC of an empty payload it is not
}

TEST_CASE("a MAC reads back as Crockford base32 allows: any case, O for zero, I and L for one", "[badge-signature]") {
  const auto key = key_of(test_key);
  CHECK(verify(key, "TAM26-004217.1n5gw4b8") == std::optional<std::string_view>("TAM26-004217"));
  CHECK(verify(key, "004217.DO2W35ZX") == std::optional<std::string_view>("004217"));  // O for 0
  CHECK(verify(key, "TAM26-004217.LN5GW4B8") == std::optional<std::string_view>("TAM26-004217"));  // L for 1
}

TEST_CASE("a key that is not exactly 64 hex digits is refused, naming badge.key and how to make one",
          "[badge-signature]") {
  for (const std::string& bad : {std::string(test_key.substr(0, 63)), std::string(test_key) + "0", std::string(),
                                std::string(test_key.substr(0, 62)) + "zz"}) {
    auto k = signing_key::from_hex(bad);
    REQUIRE_FALSE(k.has_value());
    CHECK(k.error().kind == error_kind::bad_input);
    CHECK_THAT(k.error().message, Catch::StartsWith("badge.key: ") && Catch::Contains("64 hex digits") &&
                                      Catch::Contains("openssl rand -hex 32"));
  }
  CHECK_THAT(signing_key::from_hex(std::string(test_key.substr(0, 62)) + "zz").error().message,
             Catch::Contains("character 63 ('z')"));
}

TEST_CASE("a signed meeting's badge pattern takes the id only out of a payload with its valid MAC", "[badge-signature]") {
  auto p = badge_pattern::compile("^(?:TAM26-)?([0-9]{6})$", test_key);
  REQUIRE(p.has_value());
  REQUIRE(p->key() != nullptr);
  CHECK(p->extract(signed_tam) == std::optional<std::string_view>("004217"));
  CHECK(p->extract(signed_plain) == std::optional<std::string_view>("004217"));
  CHECK_FALSE(p->extract("TAM26-004217").has_value());           // typed into a barcode generator: no MAC
  CHECK_FALSE(p->extract("004217").has_value());
  CHECK_FALSE(p->extract("TAM26-004218.1N5GW4B8").has_value());  // another number under this badge's MAC
  CHECK_FALSE(p->extract("TAM26-004217.00000000").has_value());  // a made-up MAC
  // The pattern still applies to what the MAC signs.
  auto key = key_of(test_key);
  CHECK_FALSE(p->extract(sign(key, "TAM25-004217")).has_value());

  // A key that is not one fails to compile, naming it.
  auto bad = badge_pattern::compile("^([0-9]{6})$", test_key.substr(1));
  REQUIRE_FALSE(bad.has_value());
  CHECK_THAT(bad.error().message, Catch::StartsWith("badge.key: "));
}

TEST_CASE("no key: payloads are read as before, and a MAC is just more text", "[badge-signature]") {
  auto p = badge_pattern::compile("^(?:TAM26-)?([0-9]{6})$");
  REQUIRE(p.has_value());
  CHECK(p->key() == nullptr);
  CHECK(p->extract("TAM26-004217") == std::optional<std::string_view>("004217"));
  CHECK_FALSE(p->extract(signed_tam).has_value());  // the anchored pattern does not take the MAC
  auto loose = badge_pattern::compile("[0-9]{6}");
  REQUIRE(loose.has_value());
  CHECK(loose->extract(signed_tam) == std::optional<std::string_view>("004217"));
}

namespace {

std::string meeting_file(std::string_view badge_object) {
  return fmt::format(R"({{"meeting": {{"id": "M", "name": "M", "timezone": "UTC", "max_credits": 3}},
    "badge": {}, "rooms": [{{"id": "A", "name": "A", "capacity": 10}}, {{"id": "B", "name": "B", "capacity": 10}}],
    "sessions": [], "attendees": [{{"badge": "004217", "first_name": "Jane", "last_name": "Doe"}}]}})",
                     badge_object);
}

}  // namespace

TEST_CASE("meeting file: badge.key is optional, a key not of 64 hex digits is refused naming badge.key",
          "[badge-signature][meeting]") {
  auto unsigned_meeting = parse_meeting(meeting_file(R"({"pattern": "^([0-9]{6})$"})"), "m.json");
  REQUIRE(unsigned_meeting.has_value());
  CHECK(unsigned_meeting->meeting.badge_key.empty());

  auto good = parse_meeting(meeting_file(fmt::format(R"({{"pattern": "^([0-9]{{6}})$", "key": "{}"}})", test_key)),
                            "m.json");
  REQUIRE(good.has_value());
  CHECK(good->meeting.badge_key == test_key);
  CHECK(good->warnings.empty());

  for (const std::string& bad : {std::string(test_key.substr(0, 63)), std::string(test_key.substr(0, 63)) + "g"}) {
    auto r = parse_meeting(meeting_file(fmt::format(R"({{"pattern": "^([0-9]{{6}})$", "key": "{}"}})", bad)),
                           "m.json");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == error_kind::bad_input);
    CHECK_THAT(r.error().message, Catch::StartsWith("m.json: badge.key: ") &&
                                      Catch::Contains("exactly 64 hex digits") &&
                                      Catch::Contains("openssl rand -hex 32"));
  }
  auto number = parse_meeting(meeting_file(R"({"pattern": "^([0-9]{6})$", "key": 42})"), "m.json");
  REQUIRE_FALSE(number.has_value());
  CHECK_THAT(number.error().message, Catch::StartsWith("m.json: badge.key: must be a string"));
}

TEST_CASE("kiosk config body: a signed meeting's key travels to the kiosk, an unsigned meeting sends none",
          "[badge-signature][kiosk-config]") {
  auto signed_meeting =
      parse_meeting(meeting_file(fmt::format(R"({{"pattern": "^([0-9]{{6}})$", "key": "{}"}})", test_key)), "m.json");
  REQUIRE(signed_meeting.has_value());
  const kiosk_identity who{"K1", "A", "north", "entry"};
  const auto body = kiosk_config_body(signed_meeting->meeting, "A", who);
  CHECK(nlohmann::json::parse(body).at("badge") ==
        nlohmann::json({{"pattern", "^([0-9]{6})$"}, {"key", std::string(test_key)}}));
  auto at_kiosk = parse_meeting(body, "kiosk config");
  REQUIRE(at_kiosk.has_value());
  CHECK(at_kiosk->meeting.badge_key == test_key);

  auto plain = parse_meeting(meeting_file(R"({"pattern": "^([0-9]{6})$"})"), "m.json");
  REQUIRE(plain.has_value());
  CHECK(nlohmann::json::parse(kiosk_config_body(plain->meeting, "A", who)).at("badge") ==
        nlohmann::json({{"pattern", "^([0-9]{6})$"}}));
}
