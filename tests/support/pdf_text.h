#pragma once
// A PDF's text as a reader sees it: pdftotext -layout (poppler-utils), with
// every run of white space made one space (pages joined).
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/process.h"

namespace cmetrack::test {

inline std::string pdf_text(const std::string& pdf) {
  const auto r = run({"/usr/bin/pdftotext", "-layout", pdf, "-"});
  INFO("pdftotext stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::string text;
  bool space = false;
  for (const char c : r.out) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
      space = !text.empty();
    } else {
      if (space) text += ' ';
      space = false;
      text += c;
    }
  }
  return text;
}

}  // namespace cmetrack::test
