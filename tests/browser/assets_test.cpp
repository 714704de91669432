// Every page built into cmetrack-central is served with its content type
// and its bytes, and the pages shadow no API path.
#include <nlohmann/json.hpp>

#include "sync/central/api/web_assets.h"
#include "tests/browser/web_fixture.h"

using namespace cmetrack::test;

TEST_CASE("web assets: every embedded file is served with its content type", "[web]") {
  const auto assets = cmetrack::central::embedded_web_assets();
  // What the pages need, at least.
  for (const char* path : {"/index.html", "/dashboard.html", "/desk.html", "/app.css", "/api.js"})
    CHECK(cmetrack::central::find_web_asset(path) != nullptr);
  CHECK(cmetrack::central::find_web_asset("/")->path == "/index.html");
  CHECK(cmetrack::central::find_web_asset("/nothing.html") == nullptr);

  web_meeting m;
  for (const auto& a : assets) {
    INFO(a.path);
    auto r = m.http->request("GET", std::string(a.path));
    CHECK(r.status == 200);
    CHECK(r.header("content-type") == a.content_type);
    CHECK(r.body.size() == a.body.size());
    CHECK((r.body == a.body));  // not expanded: a page is long
    if (a.path.ends_with(".html")) CHECK_THAT(r.header("content-security-policy"), Catch::Contains("default-src 'self'"));
  }
  auto root = m.http->request("GET", "/");
  CHECK(root.status == 200);
  CHECK((root.body == cmetrack::central::find_web_asset("/index.html")->body));
  CHECK(m.http->request("GET", "/nothing.html").status == 404);
}

TEST_CASE("web assets: the pages shadow no API path", "[web]") {
  web_meeting m;
  // Without a token the API answers 401 in JSON, not a page.
  auto rooms = m.http->request("GET", "/api/v1/rooms");
  CHECK(rooms.status == 401);
  CHECK_THAT(rooms.header("content-type"), Catch::StartsWith("application/json"));
  CHECK(nlohmann::json::parse(rooms.body).contains("error"));
  auto unknown = m.http->request("GET", "/api/v1/index.html");
  CHECK(unknown.status == 404);
  CHECK_THAT(unknown.header("content-type"), Catch::StartsWith("application/json"));
  CHECK(m.http->request("GET", "/healthz").body == "ok");
  // With the staff token, JSON.
  CHECK(m.staff_get("/api/v1/rooms").size() == 2);
}
