// The headless-Chromium driver (tests/support/browser.h) against a static
// page written by the test: what the page tests rely on must work, and its
// failures must say what went wrong.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "tests/support/browser.h"
#include "tests/support/temp_dir.h"

using namespace cmetrack::test;
using namespace std::chrono_literals;

namespace {

const char* page = R"(<!doctype html>
<html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>driver</title></head>
<body><h1 id="title">Static page</h1>
<form id="f"><label for="name">Name</label><input id="name"><button id="go" type="submit">Go</button></form>
<p id="out"></p>
<script>
document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  document.getElementById('out').textContent = 'Hello ' + document.getElementById('name').value;
});
document.getElementById('name').addEventListener('input', () => { window.inputs = (window.inputs || 0) + 1; });
</script></body></html>)";

}  // namespace

TEST_CASE("browser driver: loads a page, evaluates, types, clicks and waits", "[browser]") {
  temp_dir dir;
  write_file(dir / "page.html", page);
  browser b;
  b.navigate("file://" + (dir / "page.html"));
  CHECK(b.evaluate("document.getElementById('title').textContent") == "Static page");
  CHECK(b.evaluate("1 + 2") == 3);
  CHECK(b.evaluate("new Promise((r) => setTimeout(() => r('later'), 50))") == "later");
  CHECK(b.evaluate("undefined").is_null());

  b.type("#name", "Jane");
  CHECK(b.evaluate("document.getElementById('name').value") == "Jane");
  CHECK(b.evaluate("window.inputs > 0") == true);
  b.click("#go");
  const auto took = b.wait_for("document.getElementById('out').textContent === 'Hello Jane'", 3s);
  CHECK(took < 3s);
  CHECK(b.console_errors().empty());
}

TEST_CASE("browser driver: failures name the JavaScript error and the condition", "[browser]") {
  browser b;
  b.navigate("about:blank");
  try {
    b.evaluate("(() => { throw new Error('the page broke'); })()");
    FAIL("no exception");
  } catch (const browser_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("the page broke"));
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    b.wait_for("document.title === 'never'", 300ms);
    FAIL("no exception");
  } catch (const browser_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("document.title === 'never'"));
  }
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK_THROWS_AS(b.click("#missing"), browser_error);
}

TEST_CASE("browser driver: collects console errors and uncaught exceptions", "[browser]") {
  browser b;
  b.navigate("about:blank");
  b.evaluate("console.error('something failed', 42)");
  b.evaluate("setTimeout(() => { throw new Error('uncaught in a timer'); }, 0); true");
  b.wait_for("new Promise((r) => setTimeout(() => r(true), 50))", 2s);
  b.wait_for("true", 1s);
  const auto errors = b.console_errors();
  REQUIRE(errors.size() >= 2);
  CHECK_THAT(errors[0], Catch::Contains("something failed 42"));
  bool uncaught = false;
  for (const auto& e : errors) uncaught = uncaught || e.find("uncaught in a timer") != std::string::npos;
  CHECK(uncaught);
}

TEST_CASE("browser driver: phone viewport and screenshot", "[browser]") {
  temp_dir dir;
  write_file(dir / "page.html", page);
  browser b;
  b.navigate("file://" + (dir / "page.html"));
  CHECK(b.evaluate("window.innerWidth") == 1280);
  b.set_viewport(390, 844, 2.0, true);
  b.wait_for("window.innerWidth === 390", 2s);
  const auto png = dir / "shots/phone.png";
  b.screenshot(png);
  const auto bytes = read_file(png);
  REQUIRE(bytes.size() > 100);
  CHECK(bytes.substr(1, 3) == "PNG");
  // 390 CSS px at scale 2: 780 px wide (the IHDR width, big-endian at byte 16).
  const auto u8 = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[i])); };
  CHECK(((u8(16) << 24) | (u8(17) << 16) | (u8(18) << 8) | u8(19)) == 780u);
}
