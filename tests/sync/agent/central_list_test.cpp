// kiosk.json's central nodes as the agent reads them: central_url first,
// then central_urls in order, duplicates dropped, each URL checked as
// central_url is; and how the agent goes round the list when nodes fail.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kiosk/store/kiosk_config.h"
#include "sync/agent/central_list.h"

using namespace cmetrack;
using namespace cmetrack::agent;

namespace {

result<std::vector<central_url>> urls_of(const std::string& fields) {
  auto c = kiosk::parse_kiosk_config(R"({"kiosk": "K-A1", "room": "A", "door": "A1", "token": "t", )" + fields + "}",
                                     "kiosk.json");
  if (!c) return std::unexpected(c.error());
  return read_central_urls(*c, "kiosk.json");
}

std::vector<std::string> texts(const std::vector<central_url>& urls) {
  std::vector<std::string> out;
  for (const auto& u : urls) out.push_back(u.text);
  return out;
}

}  // namespace

TEST_CASE("kiosk.json with central_url and central_urls: central_url first, then the list in order") {
  const auto urls = urls_of(R"("central_url": "https://10.0.0.5:8443",
                               "central_urls": ["https://10.0.0.6:8443", "https://central-c.local/cme"])");
  REQUIRE(urls);
  CHECK(texts(*urls) ==
        std::vector<std::string>{"https://10.0.0.5:8443", "https://10.0.0.6:8443", "https://central-c.local/cme"});
  CHECK((*urls)[2].path == "/cme");
}

TEST_CASE("kiosk.json with only central_urls is enough for the agent") {
  const auto urls = urls_of(R"("central_urls": ["https://10.0.0.6:8443", "http://127.0.0.1:8080"])");
  REQUIRE(urls);
  CHECK(texts(*urls) == std::vector<std::string>{"https://10.0.0.6:8443", "http://127.0.0.1:8080"});
}

TEST_CASE("kiosk.json with only central_url gives a list of that one URL, as before") {
  const auto urls = urls_of(R"("central_url": "https://10.0.0.5:8443")");
  REQUIRE(urls);
  CHECK(texts(*urls) == std::vector<std::string>{"https://10.0.0.5:8443"});
}

TEST_CASE("the same central node written twice is asked once") {
  const auto urls = urls_of(R"("central_url": "https://central-a.local",
                               "central_urls": ["https://central-a.local", "https://CENTRAL-A.local:443/",
                                                "https://central-b.local", "https://central-b.local"])");
  REQUIRE(urls);
  CHECK(texts(*urls) == std::vector<std::string>{"https://central-a.local", "https://central-b.local"});
}

TEST_CASE("a bad entry of central_urls is refused, named by file, field and index") {
  const auto urls = urls_of(R"("central_url": "https://10.0.0.5:8443", "central_urls": ["https://10.0.0.6", "ftp://x"])");
  REQUIRE_FALSE(urls);
  CHECK(urls.error().kind == error_kind::bad_input);
  CHECK_THAT(urls.error().message, Catch::StartsWith(R"(kiosk.json: field "central_urls"[1] ("ftp://x") must start)"));

  const auto plain = urls_of(R"("central_urls": ["http://10.0.0.6:8080"])");
  REQUIRE_FALSE(plain);
  CHECK_THAT(plain.error().message, Catch::Contains(R"(field "central_urls"[0] ("http://10.0.0.6:8080") is plain http)"));

  const auto first = urls_of(R"("central_url": "central:8443", "central_urls": ["https://10.0.0.6"])");
  REQUIRE_FALSE(first);
  CHECK_THAT(first.error().message, Catch::Contains(R"(field "central_url" ("central:8443"))"));
}

TEST_CASE("more than 8 central URLs are refused") {
  const auto urls = urls_of(R"("central_urls": ["https://c1", "https://c2", "https://c3", "https://c4", "https://c5",
                                                "https://c6", "https://c7", "https://c8", "https://c9"])");
  REQUIRE_FALSE(urls);
  CHECK(urls.error().kind == error_kind::bad_input);
  CHECK_THAT(urls.error().message, Catch::Contains(R"(kiosk.json: field "central_urls" must be an array of 1 to 8)"));
}

TEST_CASE("kiosk.json with neither central_url nor central_urls says central_url is missing") {
  const auto urls = urls_of(R"("mode": "auto")");
  REQUIRE_FALSE(urls);
  CHECK_THAT(urls.error().message, Catch::Contains(R"(kiosk.json: field "central_url" is missing)"));
}

TEST_CASE("the agent goes round the list, and backs off only after a whole round failed") {
  auto urls = urls_of(R"("central_urls": ["https://a.local", "https://b.local", "https://c.local"])");
  REQUIRE(urls);
  central_list list(std::move(*urls));
  CHECK(list.current().host == "a.local");
  CHECK(list.position() == 1);
  CHECK_FALSE(list.failed());
  CHECK(list.current().host == "b.local");
  list.succeeded();  // b works: the agent stays there
  CHECK(list.current().host == "b.local");
  CHECK_FALSE(list.failed());
  CHECK(list.current().host == "c.local");
  CHECK_FALSE(list.failed());
  CHECK(list.current().host == "a.local");
  CHECK(list.failed());  // c, a and b failed since b's success: a round
  CHECK(list.current().host == "b.local");
  CHECK(list.position() == 2);
  CHECK_FALSE(list.failed());
  CHECK_FALSE(list.failed());
  CHECK(list.failed());  // the next round

  auto one = urls_of(R"("central_url": "https://a.local")");
  REQUIRE(one);
  central_list single(std::move(*one));
  CHECK(single.failed());  // one URL: every failure is a round, as before
  CHECK(single.failed());
  CHECK(single.current().host == "a.local");
}

TEST_CASE("502, 503 and 504 send the agent to another central node, the store's answers do not") {
  for (unsigned status : {502u, 503u, 504u}) CHECK(node_unavailable(status));
  for (unsigned status : {200u, 304u, 400u, 401u, 403u, 404u, 409u, 413u, 500u, 507u}) CHECK_FALSE(node_unavailable(status));
}
