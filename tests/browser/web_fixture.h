#pragma once
// What the page tests share: a meeting whose sessions run around the
// current time (so rooms have people in them now), two enrolled kiosks (K1
// at room A, K2 at room B), a staff user desk1, and `cmetrack-central serve`
// on 127.0.0.1 over plain HTTP; Jane Doe (000001) scanned into room A 20
// minutes ago. Plus headless Chromium logged in through the login form.
#include <catch2/catch.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "shared/time.h"
#include "tests/support/browser.h"
#include "tests/support/https_client.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"
#include "tests/sync/central/serve_fixture.h"

namespace cmetrack::test {

inline constexpr const char* staff_user = "desk1";
inline constexpr const char* staff_password = "correct horse battery";

// ISO-8601 UTC of now + offset: "2026-04-24T12:03:17.000Z".
inline std::string iso_from_now(std::chrono::seconds offset) {
  const auto t = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + offset;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.000Z", t);
}

// Where the screenshots go (build/artifacts/browser/NAME.png).
inline std::string artifact(const std::string& name) {
  std::filesystem::create_directories(CMETRACK_BROWSER_ARTIFACTS);
  return std::string(CMETRACK_BROWSER_ARTIFACTS) + "/" + name;
}

struct web_meeting {
  temp_dir dir;
  std::string data = dir / "data";
  std::string k1_token, k2_token, staff_token;
  std::int64_t seq = 0;
  std::unique_ptr<central_server> server;
  std::string url;  // the server's, http://127.0.0.1:PORT
  std::unique_ptr<http_client> http;

  // edit: changes to the meeting file before init (the attendee page's
  // tests add an evaluation).
  explicit web_meeting(const std::function<void(nlohmann::json&)>& edit = {}) {
    using namespace std::chrono;
    auto m = worked_meeting();
    // S1 (A) and S3 (B) run now; S2 (A) comes next.
    auto& s = m["sessions"];
    const auto set = [](nlohmann::json& session, minutes from, minutes to, double credits) {
      session["start"] = iso_from_now(from);
      session["end"] = iso_from_now(to);
      session["credits"] = credits;
      session.erase("breaks");
    };
    set(s[0], -30min, 30min, 1.0);
    set(s[1], 45min, 105min, 1.0);
    set(s[2], -20min, 40min, 1.0);
    if (edit) edit(m);
    central_ok({"init", "--data", data, "--meeting", write_meeting(dir, "meeting.json", m)});
    central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out", dir / "k1.json"});
    central_ok({"enroll", "--data", data, "--kiosk", "K2", "--room", "B", "--door", "main", "--out", dir / "k2.json"});
    k1_token = token_of(dir / "k1.json");
    k2_token = token_of(dir / "k2.json");
    auto staff = run({bin("cmetrack-central"), "staff", "--data", data, "--user", staff_user, "--password-stdin"},
                     std::string(staff_password) + "\n", 60);
    INFO(staff.err);
    REQUIRE(staff.exit_code == 0);
    staff_token = staff.out.substr(0, staff.out.find_last_not_of(" \r\n") + 1);
    REQUIRE(!staff_token.empty());
    server = std::make_unique<central_server>(data, std::vector<std::string>{}, dir / "serve.log");
    url = server->url();
    http = std::make_unique<http_client>(url);
    post_scan("K1", "000001", "A", -20min);
  }

  // A kiosk's batch of one scan `ago` from now; returns the wall time (ms)
  // at which the central node's answer came.
  std::int64_t post_scan(const std::string& kiosk, const std::string& badge, const std::string& room,
                         std::chrono::seconds offset, const std::string& direction = "in") {
    ++seq;
    const auto id = fmt::format("{}-{:06}", kiosk, seq);
    const auto body = batch_body(kiosk, {wire_scan_json(id, seq, badge, room, iso_from_now(offset), direction,
                                                        kiosk == "K1" ? "north" : "main")});
    const auto& token = kiosk == "K1" ? k1_token : k2_token;
    auto reply = http->request("POST", "/api/v1/scans", body, {bearer(token), {"Content-Type", "application/json"}});
    const auto answered = now_ms();
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    return answered;
  }

  // GET with the staff API token, parsed.
  nlohmann::json staff_get(const std::string& target) {
    auto reply = http->request("GET", target, "", {bearer(staff_token)});
    INFO(target << ": " << reply.body);
    REQUIRE(reply.status == 200);
    return nlohmann::json::parse(reply.body);
  }
};

// Logs in through the form of the login page and waits for the dashboard
// with its rooms.
inline void log_in(browser& b, const std::string& url) {
  b.navigate(url + "/");
  b.wait_for("document.getElementById('login-form') !== null");
  b.type("#user", staff_user);
  b.type("#password", staff_password);
  b.click("#login-submit");
  b.wait_for("location.pathname.endsWith('/dashboard.html') && document.querySelectorAll('[data-room]').length > 0",
             std::chrono::seconds(10));
}

// The text of the first element the selector finds ('' when none).
inline std::string text_of(browser& b, const std::string& selector) {
  auto v = b.evaluate(fmt::format("(document.querySelector({}) || {{}}).textContent || ''", js_string(selector)));
  return v.is_string() ? v.get<std::string>() : std::string();
}

inline std::string errors_text(const browser& b) {
  std::string all;
  for (const auto& e : b.console_errors()) all += e + "\n";
  return all;
}

}  // namespace cmetrack::test
