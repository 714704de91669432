// export --attendance and export --pars on the worked example: the exact
// rows a desk would open, the PARS learner template's columns, the list of
// attendees who lack a field PARS needs, RFC 4180 quoting, usage errors.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sync/central/reports/exports.h"
#include "tests/sync/central/central_cli.h"

using Catch::Matchers::Contains;
using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

constexpr const char* pars_header =
    "Record Action,ACCME Activity ID,Completion Date,First Name,Last Name,Date of Birth,Licensing State,"
    "Licensing ID or NPI,Number of CME Credits,Certifying Board,Certifying Board ID\n";

// The worked example with Jane Doe holding every field PARS needs (and a
// comma in her last name), Ravi Shah lacking his birthday and his licence's
// state, and a third attendee who never came (no credit, so not listed).
std::string pars_store(const temp_dir& dir) {
  auto m = t::worked_meeting();
  auto& people = m.at("attendees");
  people.at(0) = {{"badge", "000001"}, {"first_name", "Jane"}, {"last_name", "Doe, Jr."}, {"degree", "MD"},
                  {"npi", "1234567890"}, {"license_state", "NY"}, {"license_id", "123456"},
                  {"board", "ABPS"}, {"board_id", "B-42"}, {"birth_month_day", "03-14"}};
  people.at(1) = {{"badge", "000002"}, {"first_name", "Ravi"}, {"last_name", "Shah, Sr."}, {"license_id", "777"}};
  people.push_back({{"badge", "000003"}, {"first_name", "Ana"}, {"last_name", "Lima"}});
  const auto data = dir / "data";
  t::central_ok({"init", "--data", data, "--meeting", t::write_meeting(dir, "pars.json", m)});
  t::central_ok({"ingest", "--data", data, t::test_data("worked_example.csv")});
  return data;
}

}  // namespace

TEST_CASE("export --attendance: one row per attendee and session attended, by badge then session start",
          "[central][cli][export]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto out = dir / "attendance.csv";
  // The numbers of worked_example_test.cpp's transcripts.
  CHECK(t::central_ok({"export", "--data", data, "--attendance", "--out", out, "--now", t::after_meeting}) ==
        out + ": 5 rows written (attendees and sessions attended)\n");
  CHECK(t::read_file(out) ==
        "badge,session,minutes,credits,patient_safety_credits,name,title\n"
        "000001,S1,65,1.00,0.25,Jane Doe,Safety in body contouring\n"
        "000001,S3,40,0.75,0.00,Jane Doe,Breast implant illness\n"
        "000001,S2,55,1.00,0.00,Jane Doe,Fat grafting outcomes\n"
        "000002,S1,80,1.25,0.50,Ravi Shah,Safety in body contouring\n"
        "000002,S2,50,0.75,0.00,Ravi Shah,Fat grafting outcomes\n");
  CHECK_FALSE(std::filesystem::exists(out + ".partial"));

  SECTION("as of 10:30 EDT, open stays count up to then, as in the transcript") {
    t::central_ok({"export", "--data", data, "--attendance", "--out", out, "--now", "2026-04-24T14:30:00Z"});
    CHECK_THAT(t::read_file(out), Contains("000001,S2,25,0.50,0.00,Jane Doe,") && Contains("000002,S2,30,0.50,0.00,"));
  }
}

TEST_CASE("export --attendance quotes a name with a comma", "[central][cli][export]") {
  temp_dir dir;
  const auto data = pars_store(dir);
  const auto out = dir / "attendance.csv";
  t::central_ok({"export", "--data", data, "--attendance", "--out", out, "--now", t::after_meeting});
  CHECK_THAT(t::read_file(out), Contains("\n000001,S1,65,1.00,0.25,\"Jane Doe, Jr.\",Safety in body contouring\n"));
  // Ana Lima attended nothing: no rows.
  CHECK_FALSE(t::read_file(out).find("000003") != std::string::npos);
}

TEST_CASE("export --pars: the learner template's columns, those lacking a field PARS needs are listed",
          "[central][cli][export][pars]") {
  temp_dir dir;
  const auto data = pars_store(dir);
  const auto out = dir / "learners.csv";
  const auto r = t::central({"export", "--data", data, "--pars", "--activity", "201234567", "--out", out, "--now",
                             t::after_meeting});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto missing = dir / "learners.missing.csv";
  CHECK(r.out == out + ": 1 learners written; 1 with credit lack a field PARS needs (see " + missing + ")\n");
  CHECK(t::read_file(out) == std::string(pars_header) +
                                 "Add,201234567,04/24/2026,Jane,\"Doe, Jr.\",03/14,NY,123456,2.75,ABPS,B-42\n");
  // Ravi Shah earned 2.00 but lacks his birthday and his licence's state;
  // Ana Lima lacks everything but earned nothing, so PARS needs nothing of her.
  CHECK(t::read_file(missing) ==
        "badge,name,credits,missing\n"
        "000002,\"Ravi Shah, Sr.\",2.00,birth_month_day; license_state\n");
  CHECK_THAT(r.err, Contains("000002 Ravi Shah, Sr.: birth_month_day; license_state"));
  CHECK_THAT(r.err, Contains(missing));
  CHECK_FALSE(r.err.find("000003") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out + ".partial"));
  CHECK_FALSE(std::filesystem::exists(missing + ".partial"));
}

TEST_CASE("export --pars on the worked example as given: nobody has what PARS needs", "[central][cli][export][pars]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto out = dir / "pars.csv";
  const auto r = t::central({"export", "--data", data, "--pars", "--out", out, "--now", t::after_meeting});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(t::read_file(out) == pars_header);
  CHECK(t::read_file(dir / "pars.missing.csv") ==
        "badge,name,credits,missing\n"
        "000001,Jane Doe,2.75,birth_month_day; npi or license_id or board_id\n"
        "000002,Ravi Shah,2.00,birth_month_day; npi or license_id or board_id\n");
  CHECK_THAT(r.err, Contains("000001 Jane Doe: birth_month_day; npi or license_id or board_id"));
  // Without --activity, the column is empty, and the desk is told.
  CHECK_THAT(r.err, Contains("--activity"));
}

TEST_CASE("PARS completion dates are the meeting's local date, also after midnight UTC", "[central][export][pars]") {
  using cmetrack::central::local_date_mdy;
  // 2026-04-25T02:00:00Z is 22:00 EDT on the 24th.
  constexpr cmetrack::time_ms late = 1777082400000;
  CHECK(local_date_mdy(late, "America/New_York") == "04/24/2026");
  CHECK(local_date_mdy(late, "UTC") == "04/25/2026");
  CHECK(local_date_mdy(late, "") == "04/25/2026");
}

TEST_CASE("PARS completion dates leave the process's TZ alone and hold on several threads at once",
          "[central][export][pars]") {
  using cmetrack::central::local_date_mdy;
  constexpr cmetrack::time_ms late = 1777082400000;  // 2026-04-25T02:00:00Z, 22:00 EDT on the 24th
  const char* old = std::getenv("TZ");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("TZ", "Pacific/Auckland", 1);  // 14:00 on the 25th there
  tzset();

  CHECK(local_date_mdy(late, "America/New_York") == "04/24/2026");
  CHECK(local_date_mdy(late, "") == "04/25/2026");
  CHECK(std::getenv("TZ") == std::string("Pacific/Auckland"));

  std::vector<int> wrong(2, 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 2; ++i)
    threads.emplace_back([&wrong, i] {
      const char* zone = i == 0 ? "America/New_York" : "Asia/Kolkata";
      const char* date = i == 0 ? "04/24/2026" : "04/25/2026";  // 07:30 IST on the 25th
      for (int n = 0; n < 2000; ++n)
        if (local_date_mdy(late, zone) != date) ++wrong[i];
    });
  for (auto& th : threads) th.join();
  CHECK(wrong == std::vector<int>{0, 0});

  if (saved)
    setenv("TZ", saved->c_str(), 1);
  else
    unsetenv("TZ");
  tzset();
}

TEST_CASE("export needs exactly one of --scans, --attendance, --pars, --claim-codes, --evaluations (usage error, exit 2)", "[central][cli][export]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  const auto out = dir / "x.csv";
  for (const auto& flags : std::vector<std::vector<std::string>>{
           {}, {"--scans", "--attendance"}, {"--attendance", "--pars"}, {"--scans", "--pars"}}) {
    std::vector<std::string> args{"export", "--data", data, "--out", out};
    args.insert(args.end(), flags.begin(), flags.end());
    const auto r = t::central(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("exactly one of --scans, --attendance, --pars, --claim-codes or --evaluations"));
  }
  // --activity belongs to --pars.
  CHECK(t::central({"export", "--data", data, "--attendance", "--activity", "1", "--out", out}).exit_code == 2);
  CHECK(t::central({"export", "--data", data, "--attendance", "--out", out, "--now", "yesterday"}).exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("export --attendance and --pars to a directory that does not exist fail, exit 2, naming the file",
          "[central][cli][export]") {
  temp_dir dir;
  const auto data = t::worked_store(dir);
  for (const char* what : {"--attendance", "--pars"}) {
    const auto out = dir / "no-such-dir/out.csv";
    const auto r = t::central({"export", "--data", data, what, "--out", out});
    INFO(what);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains(out));
  }
}
