#include <catch2/catch.hpp>

#include "shared/badge.h"

using namespace cmetrack;

TEST_CASE("the pattern's first group is the badge id", "[badge]") {
  auto p = badge_pattern::compile("^(?:TAM26-)?([0-9]{6})$");
  REQUIRE(p.has_value());
  CHECK(p->extract("TAM26-004217") == "004217");
  CHECK(p->extract("004217") == "004217");
  CHECK_FALSE(p->extract("TAM25-004217").has_value());
  CHECK_FALSE(p->extract("04217").has_value());
  CHECK_FALSE(p->extract("").has_value());
  CHECK_FALSE(p->extract("004217\n").has_value());
  CHECK_FALSE(p->extract(std::string_view("0042\xff\xfe", 6)).has_value());  // not UTF-8: no match, no crash
}

TEST_CASE("a pattern without a group: the whole match is the id", "[badge]") {
  auto p = badge_pattern::compile("[A-Z]{2}[0-9]{4}");
  REQUIRE(p.has_value());
  CHECK(p->extract("badge:AB1234;") == "AB1234");
}

TEST_CASE("a group that takes no part in the match gives no id", "[badge]") {
  auto p = badge_pattern::compile("^(?:X-([0-9]+)|GUEST)$");
  REQUIRE(p.has_value());
  CHECK(p->extract("X-77") == "77");
  CHECK_FALSE(p->extract("GUEST").has_value());
}

TEST_CASE("a pattern that does not compile says where and why", "[badge]") {
  auto p = badge_pattern::compile("^([0-9]{6}$");
  REQUIRE_FALSE(p.has_value());
  CHECK_THAT(p.error().message, Catch::Contains("offset 11") && Catch::Contains("parenthesis"));
}
