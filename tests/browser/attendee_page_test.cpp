// The attendee page (/me) in headless Chromium on a phone-size screen,
// against a real `cmetrack-central serve`: signing in with the badge id and
// claim code (by the form and by the personal URL), the sessions and credit,
// the evaluation, the claim and the certificate. Screenshots land in
// build/artifacts/browser/attendee-*.png.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/browser/web_fixture.h"

using namespace cmetrack::test;
using namespace std::chrono_literals;

namespace {

constexpr int phone_width = 360;
constexpr int phone_height = 740;
constexpr const char* jane = "000001";

// The meeting of the page tests with the activity's facts and an evaluation.
void with_evaluation(nlohmann::json& m) {
  m["meeting"]["provider"] = "The Aesthetic Society";
  m["meeting"]["location"] = "San Diego, CA";
  m["evaluation"] = nlohmann::json::parse(R"({
    "questions": [{"id": "overall", "text": "The meeting met its stated objectives", "kind": "likert"},
                  {"id": "change", "text": "What will you change in your practice?", "kind": "text"}],
    "session_questions": [{"id": "objectives", "text": "The session met its stated objectives", "kind": "likert"}]})");
  for (auto& a : m["attendees"])
    if (a["badge"] == jane) a["degree"] = "MD";
}

// The fields of one CSV line (RFC 4180 quoting).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

struct attendee_meeting : web_meeting {
  std::map<std::string, std::string> codes;  // badge -> claim code
  std::map<std::string, std::string> urls;   // badge -> personal URL

  attendee_meeting() : web_meeting(with_evaluation) {
    const auto csv = dir / "claim-codes.csv";
    central_ok({"export", "--claim-codes", "--data", data, "--out", csv});
    std::istringstream in(read_file(csv));
    std::string line;
    std::getline(in, line);
    REQUIRE(csv_fields(line) == std::vector<std::string>{"badge", "name", "code", "url"});
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto f = csv_fields(line);
      REQUIRE(f.size() == 4);
      codes[f[0]] = f[2];
      urls[f[0]] = f[3];
    }
    REQUIRE(codes.contains(jane));
    REQUIRE(codes.contains("000002"));
  }

  std::string page() const { return url + "/me"; }

  // GET with an attendee token.
  http_reply me_request(const std::string& method, const std::string& target, const std::string& token,
                        const std::string& body = "") {
    return http->request(method, target, body, {bearer(token), {"Content-Type", "application/json"}});
  }
  nlohmann::json me_get(const std::string& target, const std::string& token) {
    auto reply = me_request("GET", target, token);
    INFO(target << ": " << reply.body);
    REQUIRE(reply.status == 200);
    return nlohmann::json::parse(reply.body);
  }
};

// The phone: 360 x 740 CSS pixels, touch, at twice the pixels for the screenshots.
void phone(browser& b) { b.set_viewport(phone_width, phone_height, 2.0, true); }

void sign_in(browser& b, const std::string& badge, const std::string& code) {
  b.wait_for("document.getElementById('signin-form') !== null && !document.getElementById('signin').hidden");
  b.type("#badge", badge);
  b.type("#code", code);
  b.click("#signin-submit");
}

// Signed in: the attendance shown, with the session.
void wait_signed_in(browser& b, const std::string& session = "S1") {
  b.wait_for(fmt::format("!document.getElementById('account').hidden && "
                         "document.querySelector('#sessions [data-session=\"{}\"]') !== null",
                         session),
             10s);
}

std::string page_token(browser& b) {
  auto v = b.evaluate("(JSON.parse(sessionStorage.getItem('cmetrack.attendee') || 'null') || {}).token || ''");
  return v.get<std::string>();
}

// What the page logged as an error, less the answers the test asked for
// (a wrong code's 401, a refused claim's 409 or 400: the browser logs each).
std::string unexpected_errors(const browser& b) {
  std::string all;
  for (const auto& e : b.console_errors()) {
    const bool expected = e.find("the server responded with a status of 4") != std::string::npos &&
                          (e.find("/api/v1/attendee/login") != std::string::npos ||
                           e.find("/api/v1/me/claims") != std::string::npos);
    if (!expected) all += e + "\n";
  }
  return all;
}

void scroll_to(browser& b, const std::string& selector) {
  b.evaluate(fmt::format("document.querySelector({}).scrollIntoView({{block: 'start'}}), true", js_string(selector)));
}

}  // namespace

TEST_CASE("attendee page: a wrong code is refused in words and the right code shows the sessions and credit", "[browser]") {
  attendee_meeting m;
  browser b;
  phone(b);
  b.navigate(m.page());

  // Ravi's code is a well-formed code, but not Jane's.
  sign_in(b, jane, m.codes.at("000002"));
  b.wait_for("!document.getElementById('signin-error').hidden", 5s);
  CHECK_THAT(text_of(b, "#signin-error"), Catch::Contains("badge or code is wrong"));
  CHECK(b.evaluate("document.getElementById('signin').hidden") == false);
  CHECK(b.evaluate("document.getElementById('account').hidden") == true);
  CHECK(b.evaluate("sessionStorage.getItem('cmetrack.attendee')").is_null());
  b.screenshot(artifact("attendee-signin-wrong.png"));

  // The right code as a person might type it: small letters, a hyphen in the middle.
  auto typed = m.codes.at(jane);
  for (auto& c : typed) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  typed.insert(4, "-");
  sign_in(b, jane, typed);
  wait_signed_in(b);
  const auto token = page_token(b);
  REQUIRE(!token.empty());

  const auto me = m.me_get("/api/v1/me", token);
  CHECK(me.at("badge") == jane);
  CHECK(me.at("physician") == true);
  CHECK(text_of(b, "#meeting-name") == me.at("meeting").at("name").get<std::string>());
  CHECK_THAT(text_of(b, "#meeting-about"), Catch::Contains("San Diego, CA") && Catch::Contains("The Aesthetic Society"));
  CHECK_THAT(text_of(b, "#who"), Catch::Contains("Jane"));

  // The page's figures are the API's: the credit exactly; the minutes of the
  // stay in progress may tick between the two reads.
  const auto before = m.me_get("/api/v1/me/transcript", token);
  const auto shown_minutes = std::stoi(text_of(b, "#sessions [data-session=\"S1\"] .minutes"));
  const auto after = m.me_get("/api/v1/me/transcript", token);
  REQUIRE(before.at("sessions").size() == 1);
  const auto& s1 = before.at("sessions").at(0);
  CHECK(s1.at("session") == "S1");
  CHECK(shown_minutes >= before.at("sessions").at(0).at("minutes").get<int>());
  CHECK(shown_minutes <= after.at("sessions").at(0).at("minutes").get<int>());
  CHECK(text_of(b, "#sessions [data-session=\"S1\"] h3") == s1.at("title").get<std::string>());
  CHECK(text_of(b, "#sessions [data-session=\"S1\"] .credits") == fmt::format("{:.2f}", s1.at("credits").get<double>()));
  CHECK(text_of(b, "#sessions [data-session=\"S1\"] .ps") ==
        fmt::format("{:.2f}", s1.at("patient_safety_credits").get<double>()));
  CHECK(text_of(b, "#total") == fmt::format("{:.2f}", before.at("total_credits").get<double>()));
  CHECK(before.at("total_credits").get<double>() > 0);
  CHECK(text_of(b, "#sessions [data-session=\"S1\"] .claimed") == "not yet");

  // Jane is in room A now: said in words, and the page keeps itself up to date.
  REQUIRE(before.at("flags") == nlohmann::json::array({"in_progress"}));
  CHECK_THAT(text_of(b, "#flags [data-flag=\"in_progress\"]"), Catch::StartsWith("You are in a session now"));
  CHECK_THAT(text_of(b, "#live"), Catch::Contains("in progress", Catch::CaseSensitive::No));
  CHECK(b.evaluate("document.documentElement.scrollWidth") <= phone_width);
  b.evaluate("window.scrollTo(0, 0)");
  b.screenshot(artifact("attendee-transcript.png"));

  // She scans out: within the 30 s refresh the page says so without a reload.
  b.evaluate("window.still_this_page = true");
  m.post_scan("K1", jane, "A", -1s, "out");
  b.wait_for("document.getElementById('live').hidden && "
             "document.querySelector('#flags [data-flag=\"missing_exit\"], #flags [data-flag=\"in_progress\"]') === null",
             40s);
  CHECK(b.evaluate("window.still_this_page === true") == true);
  const auto settled = m.me_get("/api/v1/me/transcript", token);
  CHECK(text_of(b, "#sessions [data-session=\"S1\"] .minutes") ==
        std::to_string(settled.at("sessions").at(0).at("minutes").get<int>()));

  INFO(unexpected_errors(b));
  CHECK(unexpected_errors(b).empty());
}

TEST_CASE("attendee page: the claim waits for the evaluation, then the certificate downloads", "[browser]") {
  attendee_meeting m;
  // Jane: room A from 20 to 12 minutes ago (S1), room B from 11 to 1 minute ago (S3).
  m.post_scan("K1", jane, "A", -12min, "out");
  m.post_scan("K2", jane, "B", -11min, "in");
  m.post_scan("K2", jane, "B", -1min, "out");

  browser b;
  phone(b);
  b.navigate(m.page());
  sign_in(b, jane, m.codes.at(jane));
  wait_signed_in(b, "S3");
  b.wait_for("document.querySelectorAll('#eval-questions fieldset.likert').length === 3 && "
             "document.querySelector('#claim-rows input[data-session=\"S3\"]') !== null", 5s);
  const auto token = page_token(b);
  const auto t = m.me_get("/api/v1/me/transcript", token);
  REQUIRE(t.at("sessions").size() == 2);

  // The claim rows start at the credit earned, which is their maximum.
  for (const auto& s : t.at("sessions")) {
    const auto id = s.at("session").get<std::string>();
    const auto earned = fmt::format("{:.2f}", s.at("credits").get<double>());
    INFO(id);
    CHECK(b.evaluate(fmt::format("document.querySelector('#claim-rows input[data-session=\"{}\"]').value", id)) == earned);
    CHECK(b.evaluate(fmt::format("Number(document.querySelector('#claim-rows input[data-session=\"{}\"]').max)", id)) ==
          s.at("credits").get<double>());
  }
  // The evaluation is required and not done: said beside the Claim button.
  CHECK(b.evaluate("document.getElementById('claim-eval-note').hidden") == false);
  CHECK_THAT(text_of(b, "#claim-eval-note"), Catch::Contains("Complete the evaluation"));

  // Claiming now is refused with the server's words.
  auto refused = m.me_request("POST", "/api/v1/me/claims", token,
                              R"({"sessions": [{"session": "S1", "credits": 0.25}], "attestation": true})");
  CHECK(refused.status == 409);
  const auto refusal = nlohmann::json::parse(refused.body).at("error").get<std::string>();
  b.click("#attest");
  b.click("#claim-submit");
  b.wait_for("document.getElementById('claim-result').classList.contains('error')", 5s);
  CHECK(text_of(b, "#claim-result") == "The claim was not recorded: " + refusal);
  CHECK(b.evaluate("document.getElementById('certificate').hidden") == true);
  scroll_to(b, "#claim");
  b.screenshot(artifact("attendee-claim-refused.png"));

  // Part of the evaluation: saved, and what is still missing is listed.
  b.click("#eval-questions input[data-question=\"overall\"]:not([data-session])[value=\"4\"]");
  b.click("#eval-save");
  b.wait_for("document.querySelector('#eval-state .missing') !== null", 5s);
  CHECK_THAT(text_of(b, "#eval-state"), Catch::Contains("Still to answer (2)"));
  CHECK_THAT(text_of(b, "#eval-state .missing"), Catch::Contains("S1") && Catch::Contains("S3"));
  CHECK(b.evaluate("document.documentElement.scrollWidth") <= phone_width);
  scroll_to(b, "#eval-save");
  b.screenshot(artifact("attendee-evaluation.png"));

  // The rest, through the form.
  b.click("#eval-questions input[data-session=\"S1\"][data-question=\"objectives\"][value=\"5\"]");
  b.click("#eval-questions input[data-session=\"S3\"][data-question=\"objectives\"][value=\"3\"]");
  b.type("#eval-questions textarea[data-question=\"change\"]", "Fewer drains after abdominoplasty.");
  b.click("#eval-save");
  b.wait_for("document.getElementById('eval-state').textContent.includes('Evaluation complete')", 5s);
  CHECK(b.evaluate("document.getElementById('claim-eval-note').hidden") == true);
  const auto ev = m.me_get("/api/v1/me/evaluation", token);
  CHECK(ev.at("complete") == true);
  const auto answer = [&](const nlohmann::json& session, const std::string& question) {
    for (const auto& a : ev.at("answers"))
      if (a.at("session") == session && a.at("question") == question) return a.at("value");
    return nlohmann::json();
  };
  CHECK(answer(nullptr, "overall") == 4);
  CHECK(answer(nullptr, "change") == "Fewer drains after abdominoplasty.");
  CHECK(answer("S1", "objectives") == 5);
  CHECK(answer("S3", "objectives") == 3);

  // More than earned: refused, the message naming the session.
  b.type("#claim-rows input[data-session=\"S1\"]", "5");
  b.click("#claim-submit");
  b.wait_for("document.getElementById('claim-result').classList.contains('error') && "
             "!document.getElementById('claim-result').textContent.includes(" + js_string(refusal) + ")", 5s);
  CHECK_THAT(text_of(b, "#claim-result"), Catch::StartsWith("The claim was not recorded: ") && Catch::Contains("S1"));

  // The credit earned, attested: recorded.
  b.type("#claim-rows input[data-session=\"S1\"]", "0.25");
  CHECK(b.evaluate("document.getElementById('attest').checked") == true);
  b.click("#claim-submit");
  b.wait_for("document.getElementById('claim-result').textContent.startsWith('Claim recorded')", 5s);
  b.wait_for("!document.getElementById('certificate').hidden", 5s);
  const auto claimed = m.me_get("/api/v1/me/transcript", token);
  REQUIRE(claimed.at("claims").is_object());
  CHECK(text_of(b, "#sessions [data-session=\"S1\"] .claimed") == "0.25");
  CHECK_THAT(text_of(b, "#claimed"),
             Catch::StartsWith(fmt::format("You claimed {:.2f} credits", claimed.at("claims").at("total_claimed").get<double>())));

  // The certificate: the page's download lands a PDF, and the API gives the
  // same token a PDF.
  const auto downloads = m.dir / "downloads";
  std::filesystem::create_directories(downloads);
  b.allow_downloads(downloads);
  b.click("#certificate-download");
  b.wait_for("!document.getElementById('certificate-saved').hidden", 10s);
  CHECK(b.evaluate("document.getElementById('certificate-file').href.startsWith('blob:')") == true);
  CHECK(b.evaluate("document.getElementById('certificate-file').type") == "application/pdf");
  CHECK(b.evaluate("document.getElementById('certificate-file').download") == "cme-certificate-000001.pdf");
  std::string pdf;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (pdf.empty() && std::chrono::steady_clock::now() < deadline) {
    for (const auto& f : std::filesystem::directory_iterator(downloads))
      if (f.path().extension() == ".pdf") pdf = read_file(f.path().string());
    if (pdf.empty()) std::this_thread::sleep_for(50ms);  // polling a file the browser writes
  }
  CHECK(pdf.starts_with("%PDF"));
  auto certificate = m.me_request("GET", "/api/v1/me/certificate.pdf", token);
  CHECK(certificate.status == 200);
  CHECK_THAT(certificate.header("content-type"), Catch::StartsWith("application/pdf"));
  CHECK(certificate.body.starts_with("%PDF"));

  CHECK(b.evaluate("document.documentElement.scrollWidth") <= phone_width);
  scroll_to(b, "#claim");
  b.screenshot(artifact("attendee-claimed.png"));
  INFO(unexpected_errors(b));
  CHECK(unexpected_errors(b).empty());
}

TEST_CASE("attendee page: the personal URL signs in by itself, on a 360 px phone, every input labelled", "[browser]") {
  attendee_meeting m;
  browser b;
  phone(b);

  // The personal URL as export --claim-codes writes it for the mail.
  REQUIRE(m.urls.at(jane) == m.page() + "#badge=" + jane + "&code=" + m.codes.at(jane));
  b.navigate(m.urls.at(jane));
  wait_signed_in(b);
  // The code is gone from the address bar.
  CHECK(b.evaluate("location.hash") == "");
  CHECK(b.evaluate("location.href.includes('code')") == false);
  CHECK(!page_token(b).empty());
  b.wait_for("document.querySelectorAll('#eval-questions fieldset.likert').length === 2 && "
             "document.querySelector('#claim-rows input[data-session=\"S1\"]') !== null", 5s);

  CHECK(b.evaluate("window.innerWidth") == phone_width);
  CHECK(b.evaluate("document.documentElement.scrollWidth") <= phone_width);
  // Every form control has a label (a <label>, aria-label or aria-labelledby).
  const auto controls = b.evaluate("document.querySelectorAll('input, textarea, select').length");
  CHECK(controls.get<int>() >= 15);  // badge, code, 2 x 5 radios, a text box, a claim, the attestation
  CHECK(b.evaluate(R"([...document.querySelectorAll('input, textarea, select')]
      .filter((e) => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label') &&
                     !e.getAttribute('aria-labelledby'))
      .map((e) => e.id || e.name || e.outerHTML))") == nlohmann::json::array());
  // Each Likert group is a fieldset whose legend is the question.
  CHECK(b.evaluate(R"([...document.querySelectorAll('input[type="radio"]')]
      .filter((e) => { const f = e.closest('fieldset.likert'); return !f || !f.querySelector(':scope > legend'); }).length)") == 0);
  CHECK(b.evaluate("document.querySelector('#eval-questions fieldset.likert[data-session=\"S1\"] > legend').textContent") ==
        "The session met its stated objectives");
  // Something says what happens, for screen readers.
  CHECK(b.evaluate("document.getElementById('status').getAttribute('aria-live')") == "polite");
  b.evaluate("window.scrollTo(0, 0)");
  b.screenshot(artifact("attendee-phone.png"));

  // Signing out ends the token.
  const auto token = page_token(b);
  b.click("#sign-out");
  b.wait_for("!document.getElementById('signin').hidden && document.getElementById('account').hidden", 5s);
  CHECK(b.evaluate("sessionStorage.getItem('cmetrack.attendee')").is_null());
  CHECK(text_of(b, "#status") == "You have signed out.");
  b.wait_for("document.querySelectorAll('#sessions li').length === 0");
  CHECK(m.me_request("GET", "/api/v1/me", token).status == 401);
  // The sign-in form alone fits too.
  CHECK(b.evaluate("document.documentElement.scrollWidth") <= phone_width);
  CHECK(b.evaluate("document.activeElement.id") == "badge");
  INFO(unexpected_errors(b));
  CHECK(unexpected_errors(b).empty());
}
