// The attendee page's API of cmetrack-central serve (docs/staff-api.md,
// "The attendee page"): claim codes and signing in with them, lock-out,
// what an attendee's token reaches, the evaluation, the claim and the
// exports. A real server on 127.0.0.1 (plain HTTP, allowed on loopback) over
// a meeting whose sessions run now.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "shared/time.h"
#include "tests/support/https_client.h"
#include "tests/support/pdf_text.h"
#include "tests/sync/central/central_cli.h"
#include "tests/sync/central/central_server.h"

namespace cmetrack::test {
namespace {

using json = nlohmann::json;

// The worked example's rooms and roster (Jane Doe, MD, 000001; Ravi Shah,
// DO, 000002), with a roster member who is not a physician (000003, RN), an
// evaluation, and sessions around now: S1 in room A from 30 minutes ago for
// 90 minutes, S2 after it, S3 in room B.
json meeting_with_evaluation() {
  auto m = worked_meeting();
  const auto now = now_ms();
  const auto at = [&](int minutes) { return format_iso8601_utc(now + minutes * ms_per_minute); };
  m["meeting"]["provider"] = "The Aesthetic Society";
  m["meeting"]["location"] = "San Diego Convention Center, San Diego, CA";
  m["sessions"] = json::array({
      {{"id", "S1"}, {"room", "A"}, {"title", "Safety in body contouring"}, {"start", at(-30)}, {"end", at(60)},
       {"credits", 1.5}, {"patient_safety_credits", 1.0}},
      {{"id", "S2"}, {"room", "A"}, {"title", "Fat grafting outcomes"}, {"start", at(75)}, {"end", at(135)},
       {"credits", 1}},
      {{"id", "S3"}, {"room", "B"}, {"title", "Breast implant illness"}, {"start", at(-30)}, {"end", at(30)},
       {"credits", 1}},
  });
  m["attendees"].push_back({{"badge", "000003"}, {"first_name", "Ana"}, {"last_name", "Lima"}, {"degree", "RN"}});
  m["evaluation"] = {
      {"questions",
       {{{"id", "overall"}, {"text", "The meeting met its stated objectives"}, {"kind", "likert"}},
        {{"id", "change"}, {"text", "What will you change in your practice?"}, {"kind", "text"}}}},
      {"session_questions", {{{"id", "objectives"}, {"text", "The session met its stated objectives"}}}}};
  return m;
}

struct attendee_server {
  temp_dir dir;
  std::string data = dir / "data";
  std::string staff_token, kiosk_token;
  std::unique_ptr<central_server> server;
  std::unique_ptr<http_client> http;

  explicit attendee_server(const json& meeting = meeting_with_evaluation()) {
    central_ok({"init", "--data", data, "--meeting", write_meeting(dir, "meeting.json", meeting)});
    const auto made = run({bin("cmetrack-central"), "staff", "--data", data, "--user", "desk1", "--password-stdin"},
                          "correct horse\n");
    REQUIRE(made.exit_code == 0);
    staff_token = made.out.substr(0, made.out.find('\n'));
    central_ok({"enroll", "--data", data, "--kiosk", "K1", "--room", "A", "--door", "north", "--out",
                dir / "k1.json"});
    std::ifstream in(dir / "k1.json");
    kiosk_token = json::parse(in).at("token").get<std::string>();
    server = std::make_unique<central_server>(data, std::vector<std::string>{}, dir / "serve.log");
    http = std::make_unique<http_client>(server->url());
  }

  // The claim codes by badge, from export --claim-codes; `rows` gets each row's fields.
  std::map<std::string, std::string> codes(std::vector<std::vector<std::string>>* rows = nullptr) {
    const auto csv = dir / "codes.csv";
    central_ok({"export", "--data", data, "--claim-codes", "--out", csv});
    std::istringstream in(read_file(csv));
    std::string line;
    std::getline(in, line);
    CHECK(line == "badge,name,code,url");
    std::map<std::string, std::string> out;
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      std::istringstream f(line);
      for (std::string field; std::getline(f, field, ',');) fields.push_back(field);
      REQUIRE(fields.size() == 4);
      out[fields[0]] = fields[2];
      if (rows) rows->push_back(fields);
    }
    return out;
  }

  http_reply sign_in(http_client& c, const std::string& badge, const std::string& code) {
    return c.request("POST", "/api/v1/attendee/login", json{{"badge", badge}, {"code", code}}.dump());
  }

  std::string token_for(const std::string& badge) {
    const auto reply = sign_in(*http, badge, codes().at(badge));
    REQUIRE(reply.status == 200);
    return json::parse(reply.body).at("token").get<std::string>();
  }

  // One scan of `badge` at room A, `ago_minutes` ago, as kiosk K1's agent sends it.
  void scan_in(const std::string& id, const std::string& badge, int ago_minutes) {
    const json batch = {{"kiosk", "K1"},
                        {"sent_at", format_iso8601_utc(now_ms())},
                        {"scans", json::array({{{"id", id},
                                                {"seq", 1},
                                                {"badge", badge},
                                                {"room", "A"},
                                                {"door", "north"},
                                                {"direction", "in"},
                                                {"at", format_iso8601_utc(now_ms() - ago_minutes * ms_per_minute)},
                                                {"source", "wedge"}}})}};
    REQUIRE(http->request("POST", "/api/v1/scans", batch.dump(), {bearer(kiosk_token)}).status == 200);
  }

  http_reply get(const std::string& target, const std::string& token) {
    return http->request("GET", target, "", {bearer(token)});
  }
  http_reply post(const std::string& target, const json& body, const std::string& token) {
    return http->request("POST", target, body.dump(), {bearer(token)});
  }
};

}  // namespace

TEST_CASE("attendee: export --claim-codes gives each attendee a code and a personal URL that sign in", "[attendee]") {
  attendee_server s;
  std::vector<std::vector<std::string>> rows;
  const auto codes = s.codes(&rows);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0][0] == "000001");
  CHECK(rows[0][1] == "Jane Doe");
  std::set<std::string> distinct;
  for (const auto& [badge, code] : codes) {
    INFO(badge);
    REQUIRE(code.size() == 8);
    // Crockford's base32: no I, L, O or U to mistake.
    CHECK(code.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") == std::string::npos);
    distinct.insert(code);
  }
  CHECK(distinct.size() == 3);
  // The URL serve listens on, with the badge and code after '#'.
  CHECK(rows[0][3] == s.server->url() + "/me#badge=000001&code=" + codes.at("000001"));
  // --url names another address.
  central_ok({"export", "--data", s.data, "--claim-codes", "--url", "https://cme.example.org/", "--out",
              s.dir / "mail.csv"});
  CHECK(read_file(s.dir / "mail.csv").find("https://cme.example.org/me#badge=000002&code=" + codes.at("000002")) !=
        std::string::npos);

  // The code as a person types it: lower case, a hyphen, O for 0 and l for 1.
  auto typed = codes.at("000001");
  for (auto& c : typed) c = static_cast<char>(c == '0' ? 'o' : c == '1' ? 'l' : std::tolower(c));
  typed.insert(4, "-");
  const auto ok = s.sign_in(*s.http, "000001", typed);
  REQUIRE(ok.status == 200);
  const auto session = json::parse(ok.body);
  CHECK(session["badge"] == "000001");
  CHECK(session["name"] == "Jane Doe");
  const auto expires = parse_iso8601(session["expires_at"].get<std::string>());
  REQUIRE(expires);
  CHECK(*expires > now_ms() + 11 * 60 * ms_per_minute);
  const auto me = json::parse(s.get("/api/v1/me", session["token"]).body);
  CHECK(me["name"] == "Jane Doe");
  CHECK(me["physician"] == true);
  CHECK(me["evaluation_required"] == true);
  CHECK(me["meeting"]["provider"] == "The Aesthetic Society");

  // Another badge's code, a code one character off, a badge not on the roster: the same 401.
  const auto wrong = s.sign_in(*s.http, "000001", codes.at("000002"));
  CHECK(wrong.status == 401);
  CHECK(json::parse(wrong.body)["error"].get<std::string>().find("badge or claim code is wrong") != std::string::npos);
  auto off = codes.at("000001");
  off[7] = off[7] == 'Z' ? 'Y' : 'Z';
  CHECK(s.sign_in(*s.http, "000001", off).status == 401);
  CHECK(s.sign_in(*s.http, "999999", codes.at("000001")).body == wrong.body);
  CHECK(s.http->request("POST", "/api/v1/attendee/login", "badge=000001").status == 400);

  // Signing out ends the token.
  CHECK(s.http->request("POST", "/api/v1/attendee/logout", "", {bearer(session["token"])}).status == 204);
  const auto after = s.get("/api/v1/me", session["token"]);
  CHECK(after.status == 401);
  CHECK(after.body.find("sign in again") != std::string::npos);
}

TEST_CASE("attendee: wrong codes lock a badge out from that address (429), not the attendee at another", "[attendee]") {
  attendee_server s;
  const auto codes = s.codes();
  client_options elsewhere;
  elsewhere.source_address = "127.0.0.2";
  http_client guesser(s.server->url(), elsewhere);
  // Two failures are free; the third starts the address's backoff, as for staff logins.
  for (int i = 0; i < 3; ++i) CHECK(s.sign_in(guesser, "000001", fmt::format("AAAA000{}", i)).status == 401);
  const auto held = s.sign_in(guesser, "000001", codes.at("000001"));
  CHECK(held.status == 429);
  CHECK(held.body.find("too many tries") != std::string::npos);
  CHECK(!held.header("retry-after").empty());
  // The attendee at their own phone signs in.
  CHECK(s.sign_in(*s.http, "000001", codes.at("000001")).status == 200);

  // Five failures for one badge from one address hold that badge there for
  // the window, whatever the backoff: tried one a second apart at 127.0.0.3.
  elsewhere.source_address = "127.0.0.3";
  http_client patient(s.server->url(), elsewhere);
  int refused = 0, held_back = 0;
  for (int i = 0; i < 12 && refused < 5; ++i) {
    const auto r = s.sign_in(patient, "000002", fmt::format("BBBB00{:02}", i));
    if (r.status == 401) ++refused;
    else if (r.status == 429) {
      ++held_back;
      std::this_thread::sleep_for(std::chrono::seconds(std::stoi(r.header("retry-after"))));
    }
  }
  REQUIRE(refused == 5);
  const auto locked = s.sign_in(patient, "000002", codes.at("000002"));
  CHECK(locked.status == 429);
  CHECK(std::stoi(locked.header("retry-after")) > 60);
}

TEST_CASE("attendee: a token reaches only its own attendee's routes, and the others' tokens are refused there",
          "[attendee]") {
  attendee_server s;
  const auto jane = s.token_for("000001");
  const std::vector<std::string> mine = {"/api/v1/me", "/api/v1/me/transcript", "/api/v1/me/evaluation"};
  for (const auto& target : mine) {
    INFO(target);
    CHECK(s.http->request("GET", target).status == 401);
    CHECK(s.get(target, std::string(64, 'a')).status == 401);
    const auto staff = s.get(target, s.staff_token);
    CHECK(staff.status == 403);
    CHECK(staff.body.find("staff token") != std::string::npos);
    CHECK(s.get(target, s.kiosk_token).status == 403);
    CHECK(s.get(target, jane).status == 200);
  }
  for (const auto& target : {"/api/v1/me/claims", "/api/v1/me/evaluation", "/api/v1/attendee/logout"}) {
    INFO(target);
    CHECK(s.http->request("POST", target, "{}").status == 401);
    CHECK(s.post(target, json::object(), s.staff_token).status == 403);
    CHECK(s.post(target, json::object(), s.kiosk_token).status == 403);
  }
  // Jane's token is no staff token and no kiosk token: not Ravi's transcript, not the rooms, not a batch.
  for (const auto& target : {"/api/v1/attendees/000002/transcript", "/api/v1/attendees/000001/transcript",
                             "/api/v1/rooms", "/api/v1/evaluations", "/metrics", "/api/v1/kiosk/config"}) {
    INFO(target);
    const auto refused = s.get(target, jane);
    CHECK(refused.status == 403);
    CHECK(refused.body.find("attendee's token") != std::string::npos);
  }
  CHECK(s.post("/api/v1/attendees/000002/claims", json::object(), jane).status == 403);
  CHECK(s.post("/api/v1/scans", json::object(), jane).status == 403);
  // What it reaches is Jane's.
  CHECK(json::parse(s.get("/api/v1/me/transcript", jane).body)["badge"] == "000001");
}

TEST_CASE("attendee: the claim waits for the evaluation, a claim above earned is refused, and the desk sees it",
          "[attendee]") {
  attendee_server s;
  // Jane came in 45 minutes ago, before S1 (started 30 minutes ago): 30 minutes of S1 so far, 0.50 credit.
  s.scan_in("k1-1", "000001", 45);
  const auto jane = s.token_for("000001");
  const auto transcript = json::parse(s.get("/api/v1/me/transcript", jane).body);
  REQUIRE(transcript["sessions"].size() == 1);
  CHECK(transcript["sessions"][0]["session"] == "S1");
  CHECK(transcript["sessions"][0]["credits"] == 0.5);
  CHECK(transcript["flags"] == json::array({"in_progress"}));
  CHECK(transcript["claims"].is_null());
  const json claim = {{"sessions", {{{"session", "S1"}, {"credits", 0.5}}}}, {"attestation", true}};

  // No certificate before a claim; no claim before the evaluation.
  CHECK(s.get("/api/v1/me/certificate.pdf", jane).status == 409);
  const auto early = s.post("/api/v1/me/claims", claim, jane);
  CHECK(early.status == 409);
  CHECK(early.body.find("complete the evaluation before claiming credit: 2 questions are unanswered") !=
        std::string::npos);

  auto evaluation = json::parse(s.get("/api/v1/me/evaluation", jane).body);
  CHECK(evaluation["required"] == true);
  CHECK(evaluation["complete"] == false);
  CHECK(evaluation["missing"] == json::array({"The meeting met its stated objectives",
                                              "S1 (Safety in body contouring): The session met its stated objectives"}));
  CHECK(evaluation["sessions"] == json::array({{{"session", "S1"}, {"title", "Safety in body contouring"}}}));

  // Bad answers are refused, naming the answer; nothing of the body is kept.
  const auto six = s.post("/api/v1/me/evaluation",
                          {{"answers", {{{"session", nullptr}, {"question", "overall"}, {"value", 4}},
                                        {{"session", "S1"}, {"question", "objectives"}, {"value", 6}}}}},
                          jane);
  CHECK(six.status == 400);
  CHECK(six.body.find("answers[1].value: 6 is not 1 to 5") != std::string::npos);
  const auto not_attended = s.post(
      "/api/v1/me/evaluation", {{"answers", {{{"session", "S3"}, {"question", "objectives"}, {"value", 3}}}}}, jane);
  CHECK(not_attended.status == 400);
  CHECK(not_attended.body.find("answers[0].session: \\\"S3\\\" is not a session on your transcript") !=
        std::string::npos);
  CHECK(json::parse(s.get("/api/v1/me/evaluation", jane).body)["answers"].empty());

  // Part, then the rest (a later answer replaces an earlier one).
  evaluation = json::parse(s.post("/api/v1/me/evaluation",
                                  {{"answers", {{{"session", nullptr}, {"question", "overall"}, {"value", 2}},
                                                {{"question", "change"}, {"value", "Fewer drains"}}}}},
                                  jane)
                               .body);
  CHECK(evaluation["complete"] == false);
  CHECK(evaluation["missing"].size() == 1);
  CHECK(s.post("/api/v1/me/claims", claim, jane).body.find("1 question is unanswered") != std::string::npos);
  evaluation = json::parse(s.post("/api/v1/me/evaluation",
                                  {{"answers", {{{"session", nullptr}, {"question", "overall"}, {"value", 5}},
                                                {{"session", "S1"}, {"question", "objectives"}, {"value", 4}}}}},
                                  jane)
                               .body);
  CHECK(evaluation["complete"] == true);
  CHECK(evaluation["answers"].size() == 3);

  // Above the credit earned: refused with the desk's words.
  const auto above = s.post("/api/v1/me/claims",
                            {{"sessions", {{{"session", "S1"}, {"credits", 0.75}}}}, {"attestation", true}}, jane);
  CHECK(above.status == 400);
  CHECK(above.body.find("S1: claimed 0.75 credits, but 0.50 were earned; claim 0.50 or less") != std::string::npos);
  CHECK(s.post("/api/v1/me/claims", {{"sessions", claim["sessions"]}, {"attestation", false}}, jane).status == 400);

  const auto claimed = s.post("/api/v1/me/claims", claim, jane);
  REQUIRE(claimed.status == 200);
  const auto mine = json::parse(claimed.body)["claims"];
  CHECK(mine["total_claimed"] == 0.5);
  // S1's patient-safety credit is two thirds of its credit: 0.50 claimed holds 0.25 of it (rounded down).
  CHECK(mine["total_claimed_patient_safety"] == 0.25);
  CHECK(mine["attested_by"] == "the attendee");
  // The certificate awards what was claimed, to a physician.
  const auto pdf = s.get("/api/v1/me/certificate.pdf", jane);
  REQUIRE(pdf.status == 200);
  CHECK(pdf.header("content-type") == "application/pdf");
  write_file(s.dir / "certificate.pdf", pdf.body);
  const auto certificate = pdf_text(s.dir / "certificate.pdf");
  INFO(certificate);
  CHECK(certificate.find("Jane Doe") != std::string::npos);
  CHECK(certificate.find("is awarded 0.50 AMA PRA Category 1 Credits") != std::string::npos);
  CHECK(certificate.find("of which 0.25 in patient safety") != std::string::npos);
  CHECK(certificate.find("The Aesthetic Society") != std::string::npos);
  // The desk's transcript shows the same claim.
  const auto desk = json::parse(s.get("/api/v1/attendees/000001/transcript", s.staff_token).body);
  CHECK(desk["claims"] == mine);

  // The staff's summary and export --evaluations hold the answers in force.
  const auto summary = json::parse(s.get("/api/v1/evaluations", s.staff_token).body);
  REQUIRE(summary.size() == 4);  // the meeting, then S1, S3, S2 by start
  CHECK(summary[0]["session"].is_null());
  CHECK(summary[0]["questions"] ==
        json::array({{{"question", "overall"}, {"text", "The meeting met its stated objectives"}, {"count", 1},
                      {"mean", 5.0}}}));
  CHECK(summary[1]["session"] == "S1");
  CHECK(summary[1]["questions"][0]["count"] == 1);
  CHECK(summary[1]["questions"][0]["mean"] == 4.0);
  CHECK(summary[3]["questions"][0]["count"] == 0);
  CHECK(summary[3]["questions"][0]["mean"].is_null());
  central_ok({"export", "--data", s.data, "--evaluations", "--out", s.dir / "answers.csv"});
  const auto csv = read_file(s.dir / "answers.csv");
  CHECK(csv.starts_with("badge,name,session,question,kind,answer,answered_at\n"));
  CHECK(csv.find("000001,Jane Doe,,change,text,Fewer drains,") != std::string::npos);
  CHECK(csv.find("000001,Jane Doe,,overall,likert,5,") != std::string::npos);
  CHECK(csv.find("000001,Jane Doe,S1,objectives,likert,4,") != std::string::npos);
  CHECK(csv.find(",overall,likert,2,") == std::string::npos);  // replaced
}

TEST_CASE("attendee: without questions the claim goes through, and the page is served at /me", "[attendee]") {
  auto m = meeting_with_evaluation();
  m.erase("evaluation");
  attendee_server s(m);
  s.scan_in("k1-1", "000002", 45);
  const auto ravi = s.token_for("000002");
  CHECK(json::parse(s.get("/api/v1/me", ravi).body)["evaluation_required"] == false);
  const auto none = s.post("/api/v1/me/evaluation", {{"answers", json::array()}}, ravi);
  CHECK(none.status == 400);
  CHECK(none.body.find("has no evaluation questions") != std::string::npos);
  const auto claimed = s.post(
      "/api/v1/me/claims", {{"sessions", {{{"session", "S1"}, {"credits", 0.25}}}}, {"attestation", true}}, ravi);
  CHECK(claimed.status == 200);
  // A nurse's certificate is one of participation, in hours.
  s.scan_in("k1-2", "000003", 45);
  const auto ana = s.token_for("000003");
  CHECK(json::parse(s.get("/api/v1/me", ana).body)["physician"] == false);
  REQUIRE(s.post("/api/v1/me/claims", {{"sessions", {{{"session", "S1"}, {"credits", 0.5}}}}, {"attestation", true}},
                 ana)
              .status == 200);
  write_file(s.dir / "participation.pdf", s.get("/api/v1/me/certificate.pdf", ana).body);
  const auto participation = pdf_text(s.dir / "participation.pdf");
  INFO(participation);
  CHECK(participation.find("Certificate of Participation") != std::string::npos);
  CHECK(participation.find("0.50 hours") != std::string::npos);
  CHECK(participation.find("is awarded") == std::string::npos);
  const auto page = s.http->request("GET", "/me");
  CHECK(page.status == 200);
  CHECK(page.header("content-type").starts_with("text/html"));
}

}  // namespace cmetrack::test
